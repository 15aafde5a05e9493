#include "ml/xgb_classifier.hpp"

#include <xgboost/c_api.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace gtzan::ml {
namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string("xgboost: ") + what + ": " + XGBGetLastError());
}

std::string num(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// A DMatrix owning nothing but its handle.
struct DMatrix {
  DMatrixHandle h = nullptr;
  DMatrix(const Rows& X, std::size_t d) {
    std::vector<float> buf;
    buf.reserve(X.size() * d);
    for (const auto& r : X)
      for (double v : r) buf.push_back(static_cast<float>(v));
    check(XGDMatrixCreateFromMat(buf.data(), static_cast<bst_ulong>(X.size()), static_cast<bst_ulong>(d),
                                 std::numeric_limits<float>::quiet_NaN(), &h),
          "XGDMatrixCreateFromMat");
  }
  ~DMatrix() {
    if (h) XGDMatrixFree(h);
  }
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
};

}  // namespace

std::string xgb_build_info() {
  const char* out = nullptr;
  check(XGBuildInfo(&out), "XGBuildInfo");
  return out ? out : "";
}

bool xgb_cuda_available() {
  std::string info;
  for (char ch : xgb_build_info())
    if (ch != ' ' && ch != '\n' && ch != '\t') info += ch;
  return info.find("\"USE_CUDA\":true") != std::string::npos;
}

XgbClassifier::XgbClassifier(XgbParams p) : p_(std::move(p)) {}

XgbClassifier::~XgbClassifier() {
  if (booster_) XGBoosterFree(booster_);
}

void XgbClassifier::fit(const Rows& X, const std::vector<int>& y, int K) {
  const std::size_t d = check_fit_inputs(X, y, K);
  if (p_.n_estimators < 1) throw std::invalid_argument("xgb: n_estimators must be >= 1");
  std::string tree_method = p_.tree_method;
  if (p_.device == "cuda") {
    if (!xgb_cuda_available())
      throw std::runtime_error(
          "xgb: device=cuda requested but the linked libxgboost was built without CUDA "
          "(XGBuildInfo USE_CUDA=false; Debian's libxgboost is CPU-only)");
    tree_method = "gpu_hist";  // XGBoost 1.7's GPU method
  } else if (p_.device != "cpu") {
    throw std::invalid_argument("xgb: device must be cpu or cuda, got " + p_.device);
  }
  if (booster_) XGBoosterFree(booster_);
  booster_ = nullptr;
  K_ = K;
  n_features_ = d;

  DMatrix dtrain(X, d);
  std::vector<float> labels(y.begin(), y.end());
  check(XGDMatrixSetFloatInfo(dtrain.h, "label", labels.data(), static_cast<bst_ulong>(labels.size())),
        "set labels");
  BoosterHandle b = nullptr;
  check(XGBoosterCreate(&dtrain.h, 1, &b), "XGBoosterCreate");
  booster_ = b;
  auto set = [&](const char* k, const std::string& v) { check(XGBoosterSetParam(b, k, v.c_str()), k); };
  set("verbosity", "0");
  if (K == 2) {
    set("objective", "binary:logistic");
  } else {
    set("objective", "multi:softprob");
    set("num_class", std::to_string(K));
  }
  set("eta", num(p_.eta));
  set("max_depth", std::to_string(p_.max_depth));
  set("min_child_weight", num(p_.min_child_weight));
  set("lambda", num(p_.lambda));
  set("subsample", num(p_.subsample));
  set("colsample_bynode", num(p_.colsample_bynode));
  set("num_parallel_tree", std::to_string(p_.num_parallel_tree));
  set("max_bin", std::to_string(p_.max_bin));
  set("base_score", num(p_.base_score));
  set("tree_method", tree_method);
  set("grow_policy", p_.grow_policy);
  set("seed", std::to_string(p_.seed));
  if (p_.nthread > 0) set("nthread", std::to_string(p_.nthread));
  for (int it = 0; it < p_.n_estimators; ++it) check(XGBoosterUpdateOneIter(b, it, dtrain.h), "update");
}

std::vector<float> XgbClassifier::predict_raw(const Rows& X, bool margin, std::size_t& cols) const {
  check_predict_inputs(X, booster_ ? n_features_ : 0);
  cols = K_ == 2 ? 1 : static_cast<std::size_t>(K_);
  if (X.empty()) return {};
  DMatrix dm(X, n_features_);
  const std::string config = std::string("{\"type\": ") + (margin ? "1" : "0") +
                             ", \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, "
                             "\"strict_shape\": true}";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* res = nullptr;
  check(XGBoosterPredictFromDMatrix(booster_, dm.h, config.c_str(), &shape, &dim, &res), "predict");
  if (dim != 2 || shape[0] != X.size() || shape[1] != cols)
    throw std::runtime_error("xgb: unexpected prediction shape");
  return std::vector<float>(res, res + X.size() * cols);
}

Rows XgbClassifier::predict_proba(const Rows& X) const {
  std::size_t cols = 0;
  const auto raw = predict_raw(X, false, cols);
  Rows out(X.size());
  for (std::size_t i = 0; i < X.size(); ++i) {
    if (K_ == 2) {
      const double p = raw[i];
      out[i] = {1.0 - p, p};
    } else {
      out[i].assign(raw.begin() + static_cast<std::ptrdiff_t>(i * cols),
                    raw.begin() + static_cast<std::ptrdiff_t>((i + 1) * cols));
      double s = 0;  // float softmax output: renormalise in double so rows sum to 1
      for (double v : out[i]) s += v;
      for (double& v : out[i]) v /= s;
    }
  }
  return out;
}

Rows XgbClassifier::predict_margin(const Rows& X) const {
  std::size_t cols = 0;
  const auto raw = predict_raw(X, true, cols);
  Rows out(X.size());
  for (std::size_t i = 0; i < X.size(); ++i)
    out[i].assign(raw.begin() + static_cast<std::ptrdiff_t>(i * cols),
                  raw.begin() + static_cast<std::ptrdiff_t>((i + 1) * cols));
  return out;
}

std::string XgbClassifier::model_json() const {
  if (!booster_) throw std::logic_error("xgb: model_json before fit");
  bst_ulong len = 0;
  const char* buf = nullptr;
  check(XGBoosterSaveModelToBuffer(booster_, "{\"format\": \"json\"}", &len, &buf), "save model");
  return std::string(buf, len);
}

}  // namespace gtzan::ml
