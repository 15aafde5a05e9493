#include "ml/metrics.hpp"

#include <stdexcept>
#include <string>

namespace gtzan::ml {
namespace {

void check(const std::vector<int>& a, const std::vector<int>& b, int K) {
  if (a.size() != b.size())
    throw std::invalid_argument("metrics: " + std::to_string(a.size()) + " true labels but " +
                                std::to_string(b.size()) + " predictions");
  if (K < 1) return;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] < 0 || a[i] >= K || b[i] < 0 || b[i] >= K)
      throw std::invalid_argument("metrics: label outside 0.." + std::to_string(K - 1) + " at row " +
                                  std::to_string(i));
}

}  // namespace

double accuracy(const std::vector<int>& y_true, const std::vector<int>& y_pred) {
  check(y_true, y_pred, 0);
  if (y_true.empty()) throw std::invalid_argument("metrics: accuracy of no rows");
  std::size_t ok = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) ok += y_true[i] == y_pred[i];
  return static_cast<double>(ok) / static_cast<double>(y_true.size());
}

std::vector<std::vector<long>> confusion_matrix(const std::vector<int>& y_true,
                                                const std::vector<int>& y_pred, int K) {
  if (K < 1) throw std::invalid_argument("metrics: K must be >= 1");
  check(y_true, y_pred, K);
  std::vector<std::vector<long>> cm(static_cast<std::size_t>(K), std::vector<long>(static_cast<std::size_t>(K), 0));
  for (std::size_t i = 0; i < y_true.size(); ++i)
    ++cm[static_cast<std::size_t>(y_true[i])][static_cast<std::size_t>(y_pred[i])];
  return cm;
}

ClassReport classification_report(const std::vector<int>& y_true, const std::vector<int>& y_pred, int K) {
  const auto cm = confusion_matrix(y_true, y_pred, K);
  const std::size_t k = static_cast<std::size_t>(K);
  ClassReport r;
  r.precision.assign(k, 0), r.recall.assign(k, 0), r.f1.assign(k, 0), r.support.assign(k, 0);
  for (std::size_t c = 0; c < k; ++c) {
    long tp = cm[c][c], pred = 0, truth = 0;
    for (std::size_t o = 0; o < k; ++o) pred += cm[o][c], truth += cm[c][o];
    const long fp = pred - tp, fn = truth - tp;
    r.support[c] = truth;
    r.precision[c] = pred > 0 ? static_cast<double>(tp) / static_cast<double>(pred) : 0.0;
    r.recall[c] = truth > 0 ? static_cast<double>(tp) / static_cast<double>(truth) : 0.0;
    const long den = 2 * tp + fp + fn;
    r.f1[c] = den > 0 ? 2.0 * static_cast<double>(tp) / static_cast<double>(den) : 0.0;
    r.macro_f1 += r.f1[c] / static_cast<double>(k);
    r.macro_precision += r.precision[c] / static_cast<double>(k);
    r.macro_recall += r.recall[c] / static_cast<double>(k);
  }
  r.accuracy = y_true.empty() ? 0.0 : accuracy(y_true, y_pred);
  return r;
}

double macro_f1(const std::vector<int>& y_true, const std::vector<int>& y_pred, int K) {
  return classification_report(y_true, y_pred, K).macro_f1;
}

}  // namespace gtzan::ml
