#include "ml/svm_classifier.hpp"

#include <libsvm/svm.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>

namespace gtzan::ml {
namespace {

// libsvm's probability CV uses the process-wide rand(); its messages go to stdout.
std::mutex& libsvm_mutex() {
  static std::mutex m;
  return m;
}
void quiet(const char*) {}

}  // namespace

SvmClassifier::SvmClassifier(SvmParams p) : p_(p) {}
SvmClassifier::~SvmClassifier() { free_model(); }

void SvmClassifier::free_model() {
  if (model_) svm_free_and_destroy_model(&model_);
  model_ = nullptr;
  storage_.clear();
  x_ptrs_.clear();
  y_sorted_.clear();
  labels_.clear();
}

std::vector<svm_node> SvmClassifier::to_nodes(const std::vector<double>& row) const {
  // Every feature is stored (zeros too), indices 1..d, then the -1 terminator.
  std::vector<svm_node> nodes(row.size() + 1);
  for (std::size_t j = 0; j < row.size(); ++j) {
    nodes[j].index = static_cast<int>(j + 1);
    nodes[j].value = row[j];
  }
  nodes[row.size()].index = -1;
  nodes[row.size()].value = 0.0;
  return nodes;
}

void SvmClassifier::fit(const Rows& X, const std::vector<int>& y, int K) {
  const std::size_t d = check_fit_inputs(X, y, K);
  free_model();
  K_ = K;
  n_features_ = d;
  const std::size_t n = X.size();

  // gamma "scale": population variance over all elements (two passes, as numpy).
  if (p_.gamma > 0) {
    gamma_used_ = p_.gamma;
  } else {
    double mean = 0;
    for (const auto& r : X)
      for (double v : r) mean += v;
    mean /= static_cast<double>(n * d);
    double var = 0;
    for (const auto& r : X)
      for (double v : r) var += (v - mean) * (v - mean);
    var /= static_cast<double>(n * d);
    gamma_used_ = var > 0 ? 1.0 / (static_cast<double>(d) * var) : 1.0;
  }

  // Stable sort by label: libsvm then sees the classes in sorted order (see header).
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return y[a] < y[b]; });

  storage_.reserve(n * (d + 1));
  for (std::size_t i : order) {
    auto nodes = to_nodes(X[i]);
    storage_.insert(storage_.end(), nodes.begin(), nodes.end());
    y_sorted_.push_back(static_cast<double>(y[i]));
  }
  x_ptrs_.resize(n);
  for (std::size_t i = 0; i < n; ++i) x_ptrs_[i] = storage_.data() + i * (d + 1);

  svm_problem prob{};
  prob.l = static_cast<int>(n);
  prob.y = y_sorted_.data();
  prob.x = x_ptrs_.data();

  svm_parameter param{};
  param.svm_type = C_SVC;
  param.kernel_type = RBF;
  param.degree = 3;
  param.gamma = gamma_used_;
  param.coef0 = 0;
  param.cache_size = p_.cache_mb;
  param.eps = p_.tol;
  param.C = p_.C;
  param.nr_weight = 0;
  param.weight_label = nullptr;
  param.weight = nullptr;
  param.nu = 0.5;
  param.p = 0.1;
  param.shrinking = p_.shrinking ? 1 : 0;
  param.probability = p_.probability ? 1 : 0;

  if (const char* err = svm_check_parameter(&prob, &param))
    throw std::invalid_argument(std::string("svm: ") + err);

  {
    std::lock_guard<std::mutex> lock(libsvm_mutex());
    svm_set_print_string_function(&quiet);
    std::srand(p_.seed);
    model_ = svm_train(&prob, &param);
  }
  if (!model_) throw std::runtime_error("svm: svm_train failed");
  labels_.resize(static_cast<std::size_t>(svm_get_nr_class(model_)));
  svm_get_labels(model_, labels_.data());
}

int SvmClassifier::n_support() const { return model_ ? svm_get_nr_sv(model_) : 0; }

std::vector<int> SvmClassifier::predict(const Rows& X) const {
  check_predict_inputs(X, model_ ? n_features_ : 0);
  std::vector<int> out;
  out.reserve(X.size());
  for (const auto& r : X) {
    const auto nodes = to_nodes(r);
    out.push_back(static_cast<int>(svm_predict(model_, nodes.data())));
  }
  return out;
}

Rows SvmClassifier::predict_proba(const Rows& X) const {
  check_predict_inputs(X, model_ ? n_features_ : 0);
  if (!svm_check_probability_model(model_))
    throw std::logic_error("svm: predict_proba needs probability=true");
  const std::size_t nc = labels_.size();
  Rows out;
  out.reserve(X.size());
  std::vector<double> pe(nc);
  for (const auto& r : X) {
    const auto nodes = to_nodes(r);
    svm_predict_probability(model_, nodes.data(), pe.data());
    std::vector<double> row(static_cast<std::size_t>(K_), 0.0);
    for (std::size_t c = 0; c < nc; ++c) row[static_cast<std::size_t>(labels_[c])] = pe[c];
    out.push_back(std::move(row));
  }
  return out;
}

Rows SvmClassifier::decision_function(const Rows& X) const {
  check_predict_inputs(X, model_ ? n_features_ : 0);
  const std::size_t nc = labels_.size();
  Rows out;
  out.reserve(X.size());
  for (const auto& r : X) {
    const auto nodes = to_nodes(r);
    std::vector<double> dv(nc * (nc - 1) / 2);
    svm_predict_values(model_, nodes.data(), dv.data());
    out.push_back(std::move(dv));
  }
  return out;
}

}  // namespace gtzan::ml
