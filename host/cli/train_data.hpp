#pragma once
// Data preparation for `gtzan train`, through host/ml: feature tables (ours or Kaggle's) with
// the study's protocol (MinMax + PCA(k) fitted on ALL rows, appended; scikit-learn's
// train_test_split by row) or the honest one (whole tracks split, scaler/PCA fitted on train),
// and MFCC-13 sequences for the LSTM (no scaling, as the study).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/trainer.hpp"
#include "ml/feature_table.hpp"
#include "ml/minmax_pca.hpp"
#include "predict/model_bundle.hpp"

namespace gtzan::cli {

struct PreparedData {
  engine::Dataset train, test;
  int classes = 0;
  std::vector<std::string> class_names;  // sorted (LabelEncoder order)
  std::optional<ml::MinMaxPca> scaling;  // feature rows: the fitted MinMax + PCA (saved for predict)
};

// split: "seed" (rows, the study's leaky protocol) or "track" (whole tracks; scaler and PCA
// fitted on the training rows only). pca: components appended (0: none).
PreparedData prepare_data(const ml::FeatureTable& t, const std::string& split, double test_size,
                          int pca, std::uint32_t seed);

// Sequences (X: frames * 13 columns per row) split the same way, unscaled.
PreparedData prepare_sequences(const ml::FeatureTable& t, int frames, const std::string& split,
                               double test_size, std::uint32_t seed);

// How a table's rows were cut from their files: segments per file from the rows (our `segment`
// column, Kaggle's blues.00000.3.wav names), each file first padded/trimmed to length_seconds
// (which a table does not record: `gtzan features --length`, 30 by default).
predict::ClipCutting clip_cutting_of(const ml::FeatureTable& t, double length_seconds);

// Random data for benchmarks: vectors (uniform) or sequences with trailing zero frames.
engine::Dataset random_dataset(const std::vector<int>& sample_shape, int n, int classes,
                               bool trailing_zeros, std::uint64_t seed);

}  // namespace gtzan::cli
