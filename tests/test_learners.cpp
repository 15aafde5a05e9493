// host/ml learners: SVM (libsvm) vs scikit-learn's SVC, XGBoost and its random-forest mode,
// logistic regression vs scikit-learn, metrics vs scikit-learn. Goldens:
// tests/golden/learners/golden.json from tests/make_golden_learners.py (scikit-learn 1.9.1,
// numpy 1.26.4) on Kaggle's features_30_sec.csv with the study's split (800 train / 200 test)
// and a StandardScaler fitted on the training rows.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "ml/logistic_regression.hpp"
#include "ml/metrics.hpp"
#include "ml/random_forest.hpp"
#include "ml/svm_classifier.hpp"
#include "ml/xgb_classifier.hpp"
#include "ml_test_data.hpp"

using namespace gtzan;
using gtzan::test::learners_golden;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void check_rows_sum_to_one(const ml::Rows& P, int K) {
  for (const auto& r : P) {
    REQUIRE(r.size() == static_cast<std::size_t>(K));
    double s = 0;
    for (double v : r) {
      REQUIRE(v >= 0.0);
      REQUIRE(v <= 1.0);
      s += v;
    }
    REQUIRE(s == Approx(1.0).margin(1e-9));
  }
}

// Two well-separated blobs per class in 3-D, K classes: a quick sanity problem.
void blobs(int K, int per_class, ml::Rows& X, std::vector<int>& y, unsigned seed = 1) {
  unsigned s = seed;
  auto u = [&] { s = s * 1664525u + 1013904223u; return (s >> 8) / double(1u << 24) - 0.5; };
  for (int i = 0; i < per_class; ++i)
    for (int c = 0; c < K; ++c) {
      X.push_back({3.0 * c + u(), (c % 2 ? 2.0 : -2.0) + u(), u()});
      y.push_back(c);
    }
}

}  // namespace

TEST_CASE("svm: scikit-learn SVC(C=100, rbf, gamma=scale, probability) on Kaggle 30-s", "[svm]") {
  const auto sp = test::study_split_30s();
  const auto& g = learners_golden()["svm"];
  const auto t0 = std::chrono::steady_clock::now();
  ml::SvmClassifier svm;
  svm.fit(sp.Xtr, sp.ytr, sp.K);
  const auto pred = svm.predict(sp.Xte);
  const auto P = svm.predict_proba(sp.Xte);
  const double fit_s = seconds_since(t0);

  REQUIRE(svm.gamma_used() == Approx(g["gamma"].get<double>()).epsilon(1e-12));
  const auto gold_pred = g["pred"].get<std::vector<int>>();
  const auto gold_P = test::json_rows(g["proba"]);
  std::size_t agree = 0;
  double max_dp = 0;
  for (std::size_t i = 0; i < pred.size(); ++i) {
    agree += pred[i] == gold_pred[i];
    for (int c = 0; c < sp.K; ++c) max_dp = std::max(max_dp, std::abs(P[i][c] - gold_P[i][c]));
  }
  const double acc = ml::accuracy(sp.yte, pred);
  const double gold_acc = g["accuracy"].get<double>();
  std::printf("svm: accuracy %.4f (sklearn %.4f), predictions agree %zu/%zu, n_SV %d (sklearn %d), "
              "max |proba - sklearn| %.4f, fit+predict %.2f s\n",
              acc, gold_acc, agree, pred.size(), svm.n_support(),
              [&] { int s = 0; for (int v : g["n_support"]) s += v; return s; }(), max_dp, fit_s);
  // Measured: accuracy 0.7350 = sklearn's 0.7350, 200/200 predictions equal.
  CHECK(std::abs(acc - gold_acc) <= 0.005);
  CHECK(static_cast<double>(agree) >= 0.99 * static_cast<double>(pred.size()));
  check_rows_sum_to_one(P, sp.K);
  // Platt scaling's CV folds come from rand() here, from scikit-learn's own generator there.
  CHECK(max_dp < 0.2);

  ml::SvmClassifier again;
  again.fit(sp.Xtr, sp.ytr, sp.K);
  CHECK(again.predict_proba(sp.Xte) == P);  // srand(seed): bit-identical
}

TEST_CASE("svm: class order, absent classes, binary", "[svm]") {
  ml::Rows X;
  std::vector<int> y;
  blobs(3, 15, X, y);
  // Class 1 removed, and rows given in reverse order: labels still map back correctly.
  ml::Rows X2;
  std::vector<int> y2;
  for (std::size_t i = X.size(); i-- > 0;)
    if (y[i] != 1) X2.push_back(X[i]), y2.push_back(y[i] == 2 ? 3 : 0);
  ml::SvmClassifier svm;
  svm.fit(X2, y2, 4);
  const auto P = svm.predict_proba(X2);
  const auto pred = svm.predict(X2);
  for (std::size_t i = 0; i < X2.size(); ++i) {
    CHECK(pred[i] == y2[i]);
    CHECK(P[i][1] == 0.0);
    CHECK(P[i][2] == 0.0);
    CHECK(P[i][static_cast<std::size_t>(y2[i])] > 0.5);
  }
  check_rows_sum_to_one(P, 4);
  CHECK(svm.decision_function(X2)[0].size() == 1);
  CHECK_THROWS_AS(svm.predict({{1.0, 2.0}}), std::invalid_argument);
  CHECK_THROWS_AS(svm.fit(X2, y2, 3), std::invalid_argument);  // label 3 outside 0..2
}

TEST_CASE("xgb: deterministic, rows sum to 1, Kaggle 30-s accuracy", "[xgb]") {
  const auto sp = test::study_split_30s();
  ml::XgbParams p;
  p.nthread = 2;
  auto t0 = std::chrono::steady_clock::now();
  ml::XgbClassifier a(p);
  a.fit(sp.Xtr, sp.ytr, sp.K);
  const auto Pa = a.predict_proba(sp.Xte);
  const double fit_s = seconds_since(t0);
  const double acc = ml::accuracy(sp.yte, a.predict(sp.Xte));
  std::printf("xgb (1000 rounds, eta 0.05, hist): accuracy %.4f, fit+predict %.2f s; cuda build: %s\n", acc,
              fit_s, ml::xgb_cuda_available() ? "yes" : "no");
  check_rows_sum_to_one(Pa, sp.K);
  // No scikit-learn golden (the xgboost Python package is not installed here); the study
  // reports 73.0% on its own 309-feature 30-s table.
  CHECK(acc >= 0.70);
  CHECK(acc <= 0.85);

  // Determinism: same seed and nthread, bit-identical probabilities (a shorter run).
  p.n_estimators = 50;
  ml::XgbClassifier b(p), c(p);
  b.fit(sp.Xtr, sp.ytr, sp.K);
  c.fit(sp.Xtr, sp.ytr, sp.K);
  CHECK(b.predict_proba(sp.Xte) == c.predict_proba(sp.Xte));
}

TEST_CASE("xgb: binary maps to two columns; device=cuda without a CUDA build throws", "[xgb]") {
  ml::Rows X;
  std::vector<int> y;
  blobs(2, 20, X, y);
  ml::XgbParams p;
  p.n_estimators = 20;
  ml::XgbClassifier m(p);
  m.fit(X, y, 2);
  const auto P = m.predict_proba(X);
  check_rows_sum_to_one(P, 2);
  CHECK(m.predict(X) == y);
  CHECK(m.predict_margin(X)[0].size() == 1);
  // Classes absent from training still get a (small) column.
  std::vector<int> y4(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) y4[i] = y[i] ? 3 : 0;
  ml::XgbClassifier m4(p);
  m4.fit(X, y4, 4);
  check_rows_sum_to_one(m4.predict_proba(X), 4);
  CHECK(m4.predict(X) == y4);

  p.device = "cuda";
  ml::XgbClassifier g(p);
  if (ml::xgb_cuda_available()) {
    g.fit(X, y, 2);
    CHECK(g.predict(X) == y);
  } else {
    CHECK_THROWS_WITH(g.fit(X, y, 2), Catch::Contains("without CUDA"));
  }
}

TEST_CASE("rf: XGBoost random-forest mode on Kaggle 30-s", "[rf]") {
  const auto sp = test::study_split_30s();
  ml::RandomForestParams p;
  p.nthread = 2;
  const auto t0 = std::chrono::steady_clock::now();
  ml::RandomForest a(p), b(p);
  a.fit(sp.Xtr, sp.ytr, sp.K);
  const auto Pa = a.predict_proba(sp.Xte);
  const double fit_s = seconds_since(t0);
  b.fit(sp.Xtr, sp.ytr, sp.K);
  CHECK(b.predict_proba(sp.Xte) == Pa);
  check_rows_sum_to_one(Pa, sp.K);
  const double acc = ml::accuracy(sp.yte, a.predict(sp.Xte));
  const double gold = learners_golden()["rf_sklearn"]["accuracy"].get<double>();
  std::printf("rf (xgboost rf mode, 100 trees): accuracy %.4f (sklearn RandomForestClassifier %.4f), %.2f s\n",
              acc, gold, fit_s);
  CHECK(acc >= 0.60);
  CHECK(acc <= 0.85);
  // The raw (pre-normalisation) mean leaf frequencies already sum to ~1 per row.
  ml::Rows one(sp.Xte.begin(), sp.Xte.begin() + 5);
  const auto m = a.booster()->predict_margin(one);
  for (const auto& r : m) {
    double s = 0;
    for (double v : r) s += 0.1 + 0.18 * v;
    CHECK(s == Approx(1.0).margin(0.25));
  }
}

TEST_CASE("rf: binary and small problems", "[rf]") {
  ml::Rows X;
  std::vector<int> y;
  blobs(2, 30, X, y);
  ml::RandomForest rf;
  rf.fit(X, y, 2);
  check_rows_sum_to_one(rf.predict_proba(X), 2);
  CHECK(ml::accuracy(y, rf.predict(X)) >= 0.95);
}

TEST_CASE("logreg: multinomial and binary vs scikit-learn LogisticRegression", "[logreg]") {
  const auto& g = learners_golden()["logreg"];
  const auto X = test::json_rows(g["X"]);
  const auto y = g["y"].get<std::vector<int>>();
  ml::LogisticRegression lr;
  lr.fit(X, y, 3);
  REQUIRE(lr.converged());
  const auto P = lr.predict_proba(X);
  check_rows_sum_to_one(P, 3);
  auto max_diff = [](const ml::Rows& a, const ml::Rows& b) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
      for (std::size_t j = 0; j < a[i].size(); ++j) m = std::max(m, std::abs(a[i][j] - b[i][j]));
    return m;
  };
  const auto& tight = g["tight"];
  const double dcoef = max_diff(lr.coef(), test::json_rows(tight["coef"]));
  const double dint = max_diff({lr.intercept()}, {tight["intercept"].get<std::vector<double>>()});
  const double dp = max_diff(P, test::json_rows(tight["proba"]));
  const double dp_default = max_diff(P, test::json_rows(g["default"]["proba"]));
  const double dcoef_default = max_diff(lr.coef(), test::json_rows(g["default"]["coef"]));
  std::printf("logreg: %d iterations; vs sklearn tol=1e-12: coef %.2e intercept %.2e proba %.2e; "
              "vs sklearn defaults (%d iterations): coef %.2e proba %.2e\n",
              lr.n_iter(), dcoef, dint, dp, g["default"]["n_iter"].get<int>(), dcoef_default, dp_default);
  // Measured: 19 iterations; vs tight sklearn coef 8.0e-8, intercept 6.9e-8, proba 9.2e-8;
  // vs sklearn's defaults (it stops at tol 1e-4 after 10 iterations) coef 3.6e-4, proba 2.8e-4.
  CHECK(dcoef < 1e-6);
  CHECK(dint < 1e-6);
  CHECK(dp < 1e-6);
  CHECK(dcoef_default < 5e-3);
  CHECK(dp_default < 5e-3);

  const auto& gb = g["binary_tight"];
  const auto yb = gb["y"].get<std::vector<int>>();
  ml::LogisticRegression lb;
  lb.fit(X, yb, 2);
  REQUIRE(lb.coef().size() == 1);
  const double dbc = max_diff(lb.coef(), test::json_rows(gb["coef"]));
  const double dbp = max_diff(lb.predict_proba(X), test::json_rows(gb["proba"]));
  std::printf("logreg binary: coef %.2e proba %.2e\n", dbc, dbp);
  // Measured: coef 1.1e-7, proba 7.3e-8.
  CHECK(dbc < 1e-6);
  CHECK(dbp < 1e-6);
  CHECK(std::abs(lb.intercept()[0] - gb["intercept"][0].get<double>()) < 1e-6);

  // An absent class gets probability 0; a single class gets 1.
  ml::LogisticRegression l4;
  std::vector<int> y4(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) y4[i] = y[i] == 2 ? 3 : y[i];
  l4.fit(X, y4, 4);
  const auto P4 = l4.predict_proba(X);
  check_rows_sum_to_one(P4, 4);
  for (const auto& r : P4) CHECK(r[2] == 0.0);
  CHECK(max_diff(l4.coef(), lr.coef()) < 1e-9);  // same problem, relabelled
  ml::LogisticRegression l1;
  l1.fit(X, std::vector<int>(X.size(), 1), 3);
  CHECK(l1.predict_proba(X)[0] == std::vector<double>{0.0, 1.0, 0.0});
}

TEST_CASE("lbfgs: Rosenbrock", "[logreg]") {
  auto fg = [](const std::vector<double>& x, std::vector<double>& g) {
    const double a = 1 - x[0], b = x[1] - x[0] * x[0];
    g[0] = -2 * a - 400 * x[0] * b;
    g[1] = 200 * b;
    return a * a + 100 * b * b;
  };
  const auto r = ml::lbfgs_minimize(fg, {-1.2, 1.0}, 1000, 1e-10);
  CHECK(r.converged);
  CHECK(r.x[0] == Approx(1.0).margin(1e-8));
  CHECK(r.x[1] == Approx(1.0).margin(1e-8));
}

TEST_CASE("metrics: accuracy, precision/recall/F1 (zero_division=0), confusion vs scikit-learn", "[metrics]") {
  const auto& g = learners_golden()["metrics"];
  const int K = g["K"].get<int>();
  const auto yt = g["y_true"].get<std::vector<int>>();
  const auto yp = g["y_pred"].get<std::vector<int>>();
  CHECK(ml::accuracy(yt, yp) == Approx(g["accuracy"].get<double>()).margin(1e-15));
  const auto cm = ml::confusion_matrix(yt, yp, K);
  const auto gcm = g["confusion"].get<std::vector<std::vector<long>>>();
  CHECK(cm == gcm);
  const auto r = ml::classification_report(yt, yp, K);
  for (const char* key : {"precision", "recall", "f1"}) {
    const auto gold = g[key].get<std::vector<double>>();
    const auto& ours = std::string(key) == "precision" ? r.precision : std::string(key) == "recall" ? r.recall : r.f1;
    REQUIRE(ours.size() == gold.size());
    for (std::size_t c = 0; c < gold.size(); ++c) CHECK(ours[c] == Approx(gold[c]).margin(1e-12));
  }
  CHECK(r.macro_f1 == Approx(g["macro_f1"].get<double>()).margin(1e-12));
  CHECK(ml::macro_f1(yt, yp, K) == Approx(g["macro_f1"].get<double>()).margin(1e-12));
  CHECK(r.support == std::vector<long>{3, 4, 3, 2, 0});
  CHECK_THROWS_AS(ml::accuracy({0, 1}, {0}), std::invalid_argument);
  CHECK_THROWS_AS(ml::confusion_matrix({0, 5}, {0, 1}, 5), std::invalid_argument);
}

TEST_CASE("timing (hidden)", "[.timing]") {
  const auto sp = test::study_split_30s();
  for (int nt : {1, 2}) {
    ml::RandomForestParams p;
    p.nthread = nt;
    const auto t0 = std::chrono::steady_clock::now();
    ml::RandomForest a(p);
    a.fit(sp.Xtr, sp.ytr, sp.K);
    std::printf("rf nthread %d: %.2f s acc %.3f\n", nt, seconds_since(t0), ml::accuracy(sp.yte, a.predict(sp.Xte)));
  }
  const auto& g = learners_golden()["logreg"];
  ml::LogisticRegression lr;
  lr.fit(test::json_rows(g["X"]), g["y"].get<std::vector<int>>(), 3);
  std::printf("logreg iters %d converged %d\n", lr.n_iter(), lr.converged());
}
