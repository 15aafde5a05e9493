#include "ml/minmax_pca.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace gtzan::ml {

MinMaxPca::MinMaxPca(int k, SignConvention sign) : k_(k), pca_(std::max(k, 1), sign) {
  if (k < 0) throw std::invalid_argument("MinMaxPca: negative number of PCA components");
}

void MinMaxPca::fit(const Table& X) {
  const Table scaled = scaler_.fit_transform(X);
  if (k_ > 0) pca_.fit(scaled);
}

Table MinMaxPca::transform(const Table& X) const {
  const Table scaled = scaler_.transform(X);
  if (k_ == 0) return scaled;
  const Table scores = pca_.transform(scaled);
  Table out(scaled.rows, scaled.cols + scores.cols);
  for (std::size_t r = 0; r < scaled.rows; ++r) {
    std::copy_n(scaled.row(r), scaled.cols, out.row(r));
    std::copy_n(scores.row(r), scores.cols, out.row(r) + scaled.cols);
  }
  return out;
}

void MinMaxPca::set_fitted(std::vector<double> data_min, std::vector<double> data_max,
                           std::vector<double> pca_mean, Table pca_components) {
  const std::size_t cols = data_min.size();
  scaler_.set_data_range(std::move(data_min), std::move(data_max));
  if (k_ == 0) return;
  if (pca_mean.size() != cols)
    throw std::invalid_argument("MinMaxPca: the PCA mean has " + std::to_string(pca_mean.size()) +
                                " values for " + std::to_string(cols) + " scaled columns");
  pca_.set_fitted(std::move(pca_mean), std::move(pca_components));
}

}  // namespace gtzan::ml
