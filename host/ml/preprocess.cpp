#include "ml/preprocess.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

extern "C" {
// LAPACK (exported by OpenBLAS, 32-bit integers). The trailing length is gfortran's hidden
// CHARACTER length argument.
void dgesdd_(const char* jobz, const int* m, const int* n, double* a, const int* lda, double* s,
             double* u, const int* ldu, double* vt, const int* ldvt, double* work,
             const int* lwork, int* iwork, int* info, std::size_t jobz_len);
}

namespace gtzan::ml {

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

void require_fitted(bool fitted, const char* who) {
  if (!fitted) throw std::logic_error(std::string(who) + ": transform before fit");
}
void require_cols(const Table& X, std::size_t cols, const char* who) {
  if (X.cols != cols)
    throw std::invalid_argument(std::string(who) + ": X has " + std::to_string(X.cols) +
                                " columns, fitted on " + std::to_string(cols));
}
void require_rows(const Table& X, std::size_t min_rows, const char* who) {
  if (X.rows < min_rows || X.cols == 0)
    throw std::invalid_argument(std::string(who) + ": needs at least " +
                                std::to_string(min_rows) + " rows and one column");
}

std::vector<double> column_means(const Table& X) {
  std::vector<double> m(X.cols, 0.0);
  for (std::size_t r = 0; r < X.rows; ++r)
    for (std::size_t c = 0; c < X.cols; ++c) m[c] += X.at(r, c);
  for (auto& v : m) v /= static_cast<double>(X.rows);
  return m;
}

}  // namespace

// ---- MinMaxScaler ----

MinMaxScaler::MinMaxScaler(double lo, double hi) : lo_(lo), hi_(hi) {
  if (!(lo < hi)) throw std::invalid_argument("MinMaxScaler: feature range needs lo < hi");
}

void MinMaxScaler::fit(const Table& X) {
  require_rows(X, 1, "MinMaxScaler");
  data_min_.assign(X.row(0), X.row(0) + X.cols);
  data_max_ = data_min_;
  for (std::size_t r = 1; r < X.rows; ++r)
    for (std::size_t c = 0; c < X.cols; ++c) {
      data_min_[c] = std::min(data_min_[c], X.at(r, c));
      data_max_[c] = std::max(data_max_[c], X.at(r, c));
    }
  set_data_range(std::move(data_min_), std::move(data_max_));
}

void MinMaxScaler::set_data_range(std::vector<double> data_min, std::vector<double> data_max) {
  if (data_min.empty() || data_min.size() != data_max.size())
    throw std::invalid_argument("MinMaxScaler: data_min and data_max need the same, non-zero length");
  data_min_ = std::move(data_min);
  data_max_ = std::move(data_max);
  const std::size_t cols = data_min_.size();
  scale_.resize(cols);
  min_.resize(cols);
  for (std::size_t c = 0; c < cols; ++c) {
    double range = data_max_[c] - data_min_[c];
    if (range < 10 * kEps) range = 1.0;
    scale_[c] = (hi_ - lo_) / range;
    min_[c] = lo_ - data_min_[c] * scale_[c];
  }
}

Table MinMaxScaler::transform(const Table& X) const {
  require_fitted(!scale_.empty(), "MinMaxScaler");
  require_cols(X, scale_.size(), "MinMaxScaler");
  Table out = X;
  for (std::size_t r = 0; r < X.rows; ++r)
    for (std::size_t c = 0; c < X.cols; ++c) out.at(r, c) = out.at(r, c) * scale_[c] + min_[c];
  return out;
}

Table MinMaxScaler::fit_transform(const Table& X) {
  fit(X);
  return transform(X);
}

// ---- StandardScaler ----

void StandardScaler::fit(const Table& X) {
  require_rows(X, 1, "StandardScaler");
  const auto n = static_cast<double>(X.rows);
  mean_ = column_means(X);
  // Two-pass variance with the rounding correction scikit-learn's _incremental_mean_and_var
  // applies: (sum d^2 - (sum d)^2 / n) / n, d = x - mean.
  std::vector<double> sum_d(X.cols, 0.0), sum_d2(X.cols, 0.0);
  for (std::size_t r = 0; r < X.rows; ++r)
    for (std::size_t c = 0; c < X.cols; ++c) {
      const double d = X.at(r, c) - mean_[c];
      sum_d[c] += d;
      sum_d2[c] += d * d;
    }
  var_.resize(X.cols);
  scale_.resize(X.cols);
  for (std::size_t c = 0; c < X.cols; ++c) {
    var_[c] = (sum_d2[c] - sum_d[c] * sum_d[c] / n) / n;
    // _is_constant_feature: var <= n*eps*var + (n*mean*eps)^2 means constant up to rounding.
    const double bound = n * kEps * var_[c] + (n * mean_[c] * kEps) * (n * mean_[c] * kEps);
    scale_[c] = var_[c] <= bound ? 1.0 : std::sqrt(var_[c]);
  }
}

Table StandardScaler::transform(const Table& X) const {
  require_fitted(!scale_.empty(), "StandardScaler");
  require_cols(X, scale_.size(), "StandardScaler");
  Table out = X;
  for (std::size_t r = 0; r < X.rows; ++r)
    for (std::size_t c = 0; c < X.cols; ++c) out.at(r, c) = (out.at(r, c) - mean_[c]) / scale_[c];
  return out;
}

Table StandardScaler::fit_transform(const Table& X) {
  fit(X);
  return transform(X);
}

// ---- PCA ----

PCA::PCA(int n_components, SignConvention sign) : n_components_(n_components), sign_(sign) {
  if (n_components < 1) throw std::invalid_argument("PCA: n_components must be >= 1");
}

void PCA::fit(const Table& X) {
  require_rows(X, 2, "PCA");
  const int n = static_cast<int>(X.rows), p = static_cast<int>(X.cols);
  const int k = std::min(n, p);
  if (n_components_ > k)
    throw std::invalid_argument("PCA: n_components=" + std::to_string(n_components_) +
                                " must be at most min(n_samples, n_features)=" +
                                std::to_string(k));
  mean_ = column_means(X);
  // The row-major n x p centred matrix is, read column-major, its p x n transpose A^T.
  // A^T = V S U^T, so dgesdd's left vectors (p x k) are our components and its VT (k x n)
  // holds U^T.
  std::vector<double> a(X.data.size());
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < p; ++c) a[static_cast<std::size_t>(r) * p + c] = X.at(r, c) - mean_[c];
  std::vector<double> s(k), left(static_cast<std::size_t>(p) * k), right(static_cast<std::size_t>(k) * n);
  std::vector<int> iwork(8 * static_cast<std::size_t>(k));
  const char jobz = 'S';
  int lwork = -1, info = 0;
  double query = 0;
  dgesdd_(&jobz, &p, &n, a.data(), &p, s.data(), left.data(), &p, right.data(), &k, &query,
          &lwork, iwork.data(), &info, 1);
  if (info != 0) throw std::runtime_error("PCA: dgesdd workspace query failed, info " + std::to_string(info));
  lwork = static_cast<int>(query);
  std::vector<double> work(static_cast<std::size_t>(lwork));
  dgesdd_(&jobz, &p, &n, a.data(), &p, s.data(), left.data(), &p, right.data(), &k, work.data(),
          &lwork, iwork.data(), &info, 1);
  if (info != 0) throw std::runtime_error("PCA: dgesdd did not converge, info " + std::to_string(info));

  components_ = Table(n_components_, p);
  for (int j = 0; j < n_components_; ++j) {
    const double* v = left.data() + static_cast<std::size_t>(j) * p;
    // svd_flip: the sign of the first largest-magnitude entry of v_j (VBased) or of u_j (UBased).
    double pivot = 0;
    if (sign_ == SignConvention::VBased) {
      for (int c = 0; c < p; ++c)
        if (std::abs(v[c]) > std::abs(pivot)) pivot = v[c];
    } else {
      for (int r = 0; r < n; ++r) {
        const double u = right[static_cast<std::size_t>(r) * k + j];
        if (std::abs(u) > std::abs(pivot)) pivot = u;
      }
    }
    const double sign = pivot < 0 ? -1.0 : 1.0;
    for (int c = 0; c < p; ++c) components_.at(j, c) = sign * v[c];
  }
  double total = 0;
  std::vector<double> ev(k);
  for (int j = 0; j < k; ++j) {
    ev[j] = s[j] * s[j] / (n - 1);
    total += ev[j];
  }
  explained_variance_.assign(ev.begin(), ev.begin() + n_components_);
  singular_values_.assign(s.begin(), s.begin() + n_components_);
  explained_variance_ratio_.resize(n_components_);
  for (int j = 0; j < n_components_; ++j) explained_variance_ratio_[j] = ev[j] / total;
}

void PCA::set_fitted(std::vector<double> mean, Table components) {
  if (mean.empty() || components.cols != mean.size() ||
      components.rows != static_cast<std::size_t>(n_components_))
    throw std::invalid_argument("PCA: components must be " + std::to_string(n_components_) + " x " +
                                std::to_string(mean.size()) + " (the mean's length)");
  mean_ = std::move(mean);
  components_ = std::move(components);
  explained_variance_.clear();
  explained_variance_ratio_.clear();
  singular_values_.clear();
}

Table PCA::transform(const Table& X) const {
  require_fitted(!mean_.empty(), "PCA");
  require_cols(X, mean_.size(), "PCA");
  Table out(X.rows, components_.rows);
  for (std::size_t r = 0; r < X.rows; ++r)
    for (std::size_t j = 0; j < components_.rows; ++j) {
      double acc = 0;
      for (std::size_t c = 0; c < X.cols; ++c) acc += (X.at(r, c) - mean_[c]) * components_.at(j, c);
      out.at(r, j) = acc;
    }
  return out;
}

Table PCA::fit_transform(const Table& X) {
  fit(X);
  return transform(X);
}

}  // namespace gtzan::ml
