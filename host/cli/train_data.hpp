#pragma once
// Data preparation for `gtzan train` on a feature table (ours or Kaggle's), through host/ml:
// the study's protocol (MinMax + PCA(k) fitted on ALL rows, appended; scikit-learn's
// train_test_split by row) or the honest one (whole tracks split, scaler/PCA fitted on train).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/trainer.hpp"
#include "ml/feature_table.hpp"

namespace gtzan::cli {

struct PreparedData {
  engine::Dataset train, test;
  int classes = 0;
  std::vector<std::string> class_names;  // sorted (LabelEncoder order)
};

// split: "seed" (rows, the study's leaky protocol) or "track" (whole tracks; scaler and PCA
// fitted on the training rows only). pca: components appended (0: none).
PreparedData prepare_data(const ml::FeatureTable& t, const std::string& split, double test_size,
                          int pca, std::uint32_t seed);

// Random data for benchmarks: vectors (uniform) or sequences with trailing zero frames.
engine::Dataset random_dataset(const std::vector<int>& sample_shape, int n, int classes,
                               bool trailing_zeros, std::uint64_t seed);

}  // namespace gtzan::cli
