// TEMPORARY: see train_data.hpp. To be replaced by host/ml when the `splits` branch is merged.
#include "cli/train_data.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "engine/rng.hpp"

namespace gtzan::cli {
namespace {

std::vector<std::string> split_csv(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> out;
  std::string cell;
  std::stringstream ss(line);
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// The track a row belongs to: "blues.00000.wav" and Kaggle's "blues.00000.3.wav" -> "blues.00000".
std::string track_key(const std::string& filename) {
  const auto a = filename.find('.');
  if (a == std::string::npos) return filename;
  const auto b = filename.find('.', a + 1);
  return b == std::string::npos ? filename : filename.substr(0, b);
}

// The top-k principal directions of centred X (rows x cols) by power iteration with deflation.
std::vector<std::vector<double>> principal_axes(const std::vector<double>& xc, std::size_t rows,
                                                std::size_t cols, int k) {
  std::vector<double> cov(cols * cols, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    const double* x = xc.data() + r * cols;
    for (std::size_t i = 0; i < cols; ++i)
      for (std::size_t j = i; j < cols; ++j) cov[i * cols + j] += x[i] * x[j];
  }
  for (std::size_t i = 0; i < cols; ++i)
    for (std::size_t j = 0; j < i; ++j) cov[i * cols + j] = cov[j * cols + i];
  std::vector<std::vector<double>> axes;
  engine::Rng rng(12345);
  for (int c = 0; c < k && c < static_cast<int>(cols); ++c) {
    std::vector<double> v(cols), w(cols);
    for (auto& e : v) e = rng.normal();
    double lambda = 0;
    for (int it = 0; it < 1000; ++it) {
      for (std::size_t i = 0; i < cols; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < cols; ++j) s += cov[i * cols + j] * v[j];
        w[i] = s;
      }
      const double norm = std::sqrt(std::inner_product(w.begin(), w.end(), w.begin(), 0.0));
      if (norm == 0) break;
      double diff = 0;
      for (std::size_t i = 0; i < cols; ++i) {
        diff = std::max(diff, std::fabs(w[i] / norm - v[i]));
        v[i] = w[i] / norm;
      }
      lambda = norm;
      if (diff < 1e-12) break;
    }
    // Sign as scikit-learn's svd_flip (largest |component| positive), then deflate.
    const auto big = std::max_element(v.begin(), v.end(), [](double a, double b) { return std::fabs(a) < std::fabs(b); });
    if (*big < 0)
      for (auto& e : v) e = -e;
    for (std::size_t i = 0; i < cols; ++i)
      for (std::size_t j = 0; j < cols; ++j) cov[i * cols + j] -= lambda * v[i] * v[j];
    axes.push_back(v);
  }
  return axes;
}

}  // namespace

FeatureTable load_feature_table(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open the feature table");
  std::string line;
  if (!std::getline(in, line)) throw InputError(path, "empty file");
  const auto header = split_csv(line);
  FeatureTable t;
  std::size_t first = 0, last = 0;  // feature columns [first, last)
  int label_col = -1;
  if (header.size() > 3 && header[0] == "filename" && header[1] == "label" && header[2] == "segment") {
    first = 3, last = header.size(), label_col = 1;  // ours
  } else if (header.size() > 3 && header[0] == "filename" && header[1] == "length" && header.back() == "label") {
    first = 2, last = header.size() - 1, label_col = static_cast<int>(header.size()) - 1;  // Kaggle
  } else {
    throw InputError(path, "unknown table layout (want filename,label,segment,... or Kaggle's filename,length,...,label)");
  }
  t.columns.assign(header.begin() + first, header.begin() + last);
  std::size_t lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line == "\r") continue;
    const auto cells = split_csv(line);
    if (cells.size() != header.size())
      throw InputError(path, "line " + std::to_string(lineno) + ": " + std::to_string(cells.size()) +
                                 " cells, the header has " + std::to_string(header.size()));
    t.track.push_back(track_key(cells[0]));
    t.label.push_back(cells[label_col]);
    for (std::size_t c = first; c < last; ++c) {
      char* end = nullptr;
      const float v = std::strtof(cells[c].c_str(), &end);
      if (cells[c].empty() || *end != '\0')
        throw InputError(path, "line " + std::to_string(lineno) + ": column " + header[c] + " is not a number: '" + cells[c] + "'");
      t.x.push_back(v);
    }
  }
  if (t.rows() == 0) throw InputError(path, "no data rows");
  return t;
}

PreparedData prepare_seed_protocol(const FeatureTable& t, const std::string& split, double test_size,
                                   int pca, std::uint64_t seed) {
  const std::size_t n = t.rows(), f = t.columns.size(), out_f = f + pca;
  // MinMaxScaler fitted on all rows (the study's protocol), then PCA(k) on the scaled rows.
  std::vector<double> xs(n * f);
  for (std::size_t c = 0; c < f; ++c) {
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t r = 0; r < n; ++r) lo = std::min<double>(lo, t.x[r * f + c]), hi = std::max<double>(hi, t.x[r * f + c]);
    const double range = hi - lo > 0 ? hi - lo : 1.0;
    for (std::size_t r = 0; r < n; ++r) xs[r * f + c] = (t.x[r * f + c] - lo) / range;
  }
  std::vector<double> all(n * out_f);
  for (std::size_t r = 0; r < n; ++r) std::copy_n(xs.data() + r * f, f, all.data() + r * out_f);
  if (pca > 0) {
    std::vector<double> mean(f, 0.0), xc(n * f);
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = 0; c < f; ++c) mean[c] += xs[r * f + c] / n;
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = 0; c < f; ++c) xc[r * f + c] = xs[r * f + c] - mean[c];
    const auto axes = principal_axes(xc, n, f, pca);
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t k = 0; k < axes.size(); ++k)
        all[r * out_f + f + k] = std::inner_product(axes[k].begin(), axes[k].end(), xc.begin() + r * f, 0.0);
  }
  PreparedData p;
  std::set<std::string> names(t.label.begin(), t.label.end());
  p.class_names.assign(names.begin(), names.end());
  p.classes = static_cast<int>(p.class_names.size());
  std::map<std::string, int> cls;
  for (std::size_t i = 0; i < p.class_names.size(); ++i) cls[p.class_names[i]] = static_cast<int>(i);

  engine::Rng rng(seed);
  std::vector<bool> is_test(n, false);
  if (split == "seed") {
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    rng.shuffle(perm);
    const auto n_test = static_cast<std::size_t>(std::ceil(test_size * n));
    for (std::size_t i = 0; i < n_test; ++i) is_test[perm[i]] = true;
  } else {
    std::set<std::string> tracks(t.track.begin(), t.track.end());
    std::vector<std::string> order(tracks.begin(), tracks.end());
    rng.shuffle(order);
    const auto n_test = static_cast<std::size_t>(std::ceil(test_size * order.size()));
    std::set<std::string> test_tracks(order.begin(), order.begin() + n_test);
    for (std::size_t r = 0; r < n; ++r) is_test[r] = test_tracks.count(t.track[r]) > 0;
  }
  p.train.sample_shape = p.test.sample_shape = {static_cast<int>(out_f)};
  for (std::size_t r = 0; r < n; ++r) {
    auto& d = is_test[r] ? p.test : p.train;
    for (std::size_t c = 0; c < out_f; ++c) d.x.push_back(static_cast<float>(all[r * out_f + c]));
    d.y.push_back(cls[t.label[r]]);
  }
  return p;
}

engine::Dataset random_dataset(const std::vector<int>& shape, int n, int classes, bool trailing_zeros,
                               std::uint64_t seed) {
  engine::Dataset d;
  d.sample_shape = shape;
  engine::Rng rng(seed);
  const std::size_t s = d.sample_size();
  d.x.resize(static_cast<std::size_t>(n) * s);
  for (auto& v : d.x) v = static_cast<float>(rng.uniform(-1.0, 1.0));
  for (int i = 0; i < n; ++i) {
    d.y.push_back(static_cast<int>(rng.below(classes)));
    if (trailing_zeros && shape.size() == 2) {  // a padded tail of 0..25% of the steps
      const int zeros = static_cast<int>(rng.below(shape[0] / 4 + 1));
      std::fill(d.x.begin() + i * s + (shape[0] - zeros) * shape[1], d.x.begin() + (i + 1) * s, 0.0f);
    }
  }
  return d;
}

}  // namespace gtzan::cli
