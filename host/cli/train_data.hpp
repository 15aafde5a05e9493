#pragma once
// TEMPORARY local data preparation for `gtzan train`, until host/ml (branch `splits`) is merged:
// a small CSV reader (ours and Kaggle's), MinMax on all rows + PCA(k) appended, and a seeded
// 80/20 split. The split is NOT scikit-learn's permutation; swap in host/ml/splits.hpp
// (train_test_split), host/ml/preprocess.hpp and host/ml/feature_table.hpp when merging.
#include <filesystem>
#include <string>
#include <vector>

#include "engine/trainer.hpp"

namespace gtzan::cli {

struct FeatureTable {
  std::vector<std::string> columns;  // feature names
  std::vector<std::string> track;    // group key per row (the track's file name)
  std::vector<std::string> label;    // genre per row
  std::vector<float> x;              // rows * columns
  std::size_t rows() const { return label.size(); }
};

// Our table: filename,label,segment,<features>. Kaggle's: filename,length,<features>,label
// (CRLF tolerated). Errors name the file and line.
FeatureTable load_feature_table(const std::filesystem::path& path);

struct PreparedData {
  engine::Dataset train, test;
  int classes = 0;
  std::vector<std::string> class_names;  // sorted (LabelEncoder order)
};

// split: "seed" (rows, shuffled) or "track" (whole tracks). pca: components appended (0: none).
PreparedData prepare_seed_protocol(const FeatureTable& t, const std::string& split,
                                   double test_size, int pca, std::uint64_t seed);

// Random data for benchmarks: vectors (uniform) or sequences with trailing zero frames.
engine::Dataset random_dataset(const std::vector<int>& sample_shape, int n, int classes,
                               bool trailing_zeros, std::uint64_t seed);

}  // namespace gtzan::cli
