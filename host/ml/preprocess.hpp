#pragma once
// scikit-learn's MinMaxScaler, StandardScaler and PCA (exact full SVD) on ml::Table rows.
// fit() learns from the rows of X; transform() maps any table with the same columns.
// Numbers agree with scikit-learn to rounding (float64 throughout).
#include <vector>

#include "ml/table.hpp"

namespace gtzan::ml {

// X * scale + min, scale = (hi - lo) / (max - min), min = lo - data_min * scale. A column whose
// range is below 10 * machine epsilon gets scale (hi - lo) / 1, as scikit-learn's
// _handle_zeros_in_scale does.
class MinMaxScaler {
 public:
  explicit MinMaxScaler(double lo = 0.0, double hi = 1.0);
  void fit(const Table& X);
  Table transform(const Table& X) const;
  Table fit_transform(const Table& X);
  // A scaler as fit() would leave it for these column minima and maxima (a saved model's).
  void set_data_range(std::vector<double> data_min, std::vector<double> data_max);

  const std::vector<double>& data_min() const { return data_min_; }
  const std::vector<double>& data_max() const { return data_max_; }
  const std::vector<double>& scale() const { return scale_; }
  const std::vector<double>& min() const { return min_; }

 private:
  double lo_, hi_;
  std::vector<double> data_min_, data_max_, scale_, min_;
};

// (X - mean) / scale with the population variance (ddof 0). Columns that are constant up to
// rounding (scikit-learn's _is_constant_feature bound) get scale 1.
class StandardScaler {
 public:
  void fit(const Table& X);
  Table transform(const Table& X) const;
  Table fit_transform(const Table& X);

  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& var() const { return var_; }
  const std::vector<double>& scale() const { return scale_; }

 private:
  std::vector<double> mean_, var_, scale_;
};

// Which singular vectors decide each component's sign:
//   VBased: the largest-|.| entry of each component (row of Vt) is made positive
//           (scikit-learn >= 1.5, svd_solver "full" and "covariance_eigh");
//   UBased: the largest-|.| entry of each column of U, i.e. of each component's scores, is made
//           positive (scikit-learn < 1.5 "full", the version of the study: 1.2.1).
enum class SignConvention { VBased, UBased };

// PCA by a full SVD of the centred rows (LAPACK dgesdd, as scipy.linalg.svd), then svd_flip.
// transform(X) = (X - mean) @ components.T. No whitening.
class PCA {
 public:
  explicit PCA(int n_components, SignConvention sign = SignConvention::VBased);
  void fit(const Table& X);
  Table transform(const Table& X) const;
  Table fit_transform(const Table& X);
  // A PCA as fit() left it (a saved model's): mean per feature, components n x features.
  void set_fitted(std::vector<double> mean, Table components);

  int n_components() const { return n_components_; }
  const std::vector<double>& mean() const { return mean_; }
  const Table& components() const { return components_; }  // n_components x n_features
  const std::vector<double>& explained_variance() const { return explained_variance_; }
  const std::vector<double>& explained_variance_ratio() const { return explained_variance_ratio_; }
  const std::vector<double>& singular_values() const { return singular_values_; }

 private:
  int n_components_;
  SignConvention sign_;
  std::vector<double> mean_;
  Table components_;
  std::vector<double> explained_variance_, explained_variance_ratio_, singular_values_;
};

}  // namespace gtzan::ml
