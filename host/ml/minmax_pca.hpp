#pragma once
// The study's model inputs: MinMax scaling of the feature columns, then PCA(k) of the scaled
// rows appended (309 + 3 = 312 inputs). One class for training, the experiments and
// `gtzan predict`, so a saved model is scaled exactly as it was trained.
#include <vector>

#include "ml/preprocess.hpp"
#include "ml/table.hpp"

namespace gtzan::ml {

class MinMaxPca {
 public:
  // k = 0: scaling only. sign: which singular vectors fix the components' signs.
  explicit MinMaxPca(int k, SignConvention sign = SignConvention::VBased);
  void fit(const Table& X);
  // scaled columns, then the k PCA scores of the scaled row.
  Table transform(const Table& X) const;
  // The state fit() leaves, from saved parameters (the PCA ones ignored when k = 0).
  void set_fitted(std::vector<double> data_min, std::vector<double> data_max,
                  std::vector<double> pca_mean, Table pca_components);

  int components() const { return k_; }
  std::size_t input_columns() const { return scaler_.data_min().size(); }
  std::size_t output_columns() const { return input_columns() + static_cast<std::size_t>(k_); }
  const MinMaxScaler& scaler() const { return scaler_; }
  const PCA& pca() const { return pca_; }

 private:
  int k_;
  MinMaxScaler scaler_;
  PCA pca_;  // n_components max(k, 1): PCA needs one; unused when k = 0
};

}  // namespace gtzan::ml
