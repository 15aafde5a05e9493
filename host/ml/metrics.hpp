#pragma once
// Classification metrics over labels 0..K-1, as scikit-learn's with labels=range(K) and
// zero_division=0: a class that is never predicted has precision 0, one absent from y_true
// has recall 0, and F1 = 2 TP / (2 TP + FP + FN) (0 when that denominator is 0). Macro-F1
// averages the K per-class F1 values (every class counts, present or not).
#include <vector>

namespace gtzan::ml {

double accuracy(const std::vector<int>& y_true, const std::vector<int>& y_pred);

// K x K counts: row = true label, column = predicted label (scikit-learn's layout).
std::vector<std::vector<long>> confusion_matrix(const std::vector<int>& y_true,
                                                const std::vector<int>& y_pred, int K);

struct ClassReport {
  std::vector<double> precision, recall, f1;  // per class, K each
  std::vector<long> support;                  // true rows per class
  double macro_f1 = 0, macro_precision = 0, macro_recall = 0, accuracy = 0;
};
ClassReport classification_report(const std::vector<int>& y_true, const std::vector<int>& y_pred, int K);

double macro_f1(const std::vector<int>& y_true, const std::vector<int>& y_pred, int K);

}  // namespace gtzan::ml
