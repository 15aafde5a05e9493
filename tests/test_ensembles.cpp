// host/ml/ensembles: soft / hard / weighted voting and stacking on hand-made probability
// matrices (exact expected outputs), out-of-fold probabilities with a stub model, and the
// study's ensemble end to end on Kaggle's features_30_sec.csv (study split, StandardScaler on
// the training rows): SVM + random forest + XGBoost, then soft / hard / weighted / stacked.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <numeric>

#include "ml/ensembles.hpp"
#include "ml/metrics.hpp"
#include "ml/random_forest.hpp"
#include "ml/svm_classifier.hpp"
#include "ml/xgb_classifier.hpp"
#include "ml_test_data.hpp"

using namespace gtzan;

namespace {

// Predicts the training class frequencies for every row (exact, easy to check).
class PriorClassifier final : public ml::Classifier {
 public:
  void fit(const ml::Rows& X, const std::vector<int>& y, int K) override {
    ml::check_fit_inputs(X, y, K);
    K_ = K;
    prior_.assign(static_cast<std::size_t>(K), 0.0);
    for (int c : y) prior_[static_cast<std::size_t>(c)] += 1.0 / static_cast<double>(y.size());
  }
  ml::Rows predict_proba(const ml::Rows& X) const override { return ml::Rows(X.size(), prior_); }
  std::string name() const override { return "prior"; }

 private:
  std::vector<double> prior_;
};

// Contiguous folds over the given row order (the study's training rows are already shuffled).
ml::FoldFn contiguous_folds(std::size_t k) {
  return [k](std::size_t n, const std::vector<int>&) {
    std::vector<std::vector<std::size_t>> folds(k);
    for (std::size_t f = 0; f < k; ++f)
      for (std::size_t i = f * n / k; i < (f + 1) * n / k; ++i) folds[f].push_back(i);
    return folds;
  };
}

}  // namespace

TEST_CASE("soft and weighted voting: exact means", "[ensembles]") {
  const ml::Rows P1 = {{0.75, 0.25}, {0.5, 0.5}};
  const ml::Rows P2 = {{0.25, 0.75}, {0.0, 1.0}};
  CHECK(ml::soft_vote({P1, P2}) == ml::Rows{{0.5, 0.5}, {0.25, 0.75}});
  // Weights 3:1 normalised to 0.75 / 0.25.
  CHECK(ml::weighted_vote({P1, P2}, {3.0, 1.0}) == ml::Rows{{0.625, 0.375}, {0.375, 0.625}});
  CHECK(ml::weighted_vote({P1, P2}, {1.0, 1.0}) == ml::soft_vote({P1, P2}));
  CHECK(ml::weighted_vote({P1, P2}, {0.0, 2.0}) == P2);
  CHECK_THROWS_AS(ml::weighted_vote({P1, P2}, {0.0, 0.0}), std::invalid_argument);
  CHECK_THROWS_AS(ml::weighted_vote({P1, P2}, {1.0, -1.0}), std::invalid_argument);
  CHECK_THROWS_AS(ml::weighted_vote({P1, P2}, {1.0}), std::invalid_argument);
  CHECK_THROWS_AS(ml::soft_vote({P1, {{1.0, 0.0}}}), std::invalid_argument);
}

TEST_CASE("hard voting: majority, ties by summed probability or lowest label", "[ensembles]") {
  // 3 models, 4 rows, K = 3.
  const std::vector<std::vector<int>> labels = {{0, 0, 2, 2}, {0, 1, 2, 1}, {1, 2, 2, 0}};
  const ml::Rows A = {{0.5, 0.5, 0.0}, {0.5, 0.25, 0.25}, {0.0, 0.0, 1.0}, {0.0, 0.25, 0.75}};
  const ml::Rows B = {{0.5, 0.5, 0.0}, {0.0, 0.5, 0.5}, {0.0, 0.0, 1.0}, {0.0, 1.0, 0.0}};
  const ml::Rows C = {{0.25, 0.75, 0.0}, {0.0, 0.0, 1.0}, {0.0, 0.0, 1.0}, {1.0, 0.0, 0.0}};
  // Row 0: two votes for 0. Row 1: 0/1/2 tied, summed probabilities 0.5 / 0.75 / 1.75 -> 2.
  // Row 2: unanimous 2. Row 3: 2/1/0 tied, sums 1.0 / 1.25 / 0.75 -> 1.
  CHECK(ml::hard_vote(labels, {A, B, C}, 3) == std::vector<int>{0, 2, 2, 1});
  CHECK(ml::hard_vote(labels, {}, 3, ml::TieBreak::LowestLabel) == std::vector<int>{0, 0, 2, 0});
  // A tie in votes AND summed probability falls back to the lowest label.
  const ml::Rows U = {{0.5, 0.5, 0.0}};
  CHECK(ml::hard_vote({{1}, {0}}, {U, U}, 3) == std::vector<int>{0});
  CHECK_THROWS_AS(ml::hard_vote(labels, {A, B}, 3), std::invalid_argument);
  CHECK_THROWS_AS(ml::hard_vote({{0, 3}}, {}, 3, ml::TieBreak::LowestLabel), std::invalid_argument);
}

TEST_CASE("stacking: features are the models' probabilities side by side, meta = logistic regression", "[ensembles]") {
  const ml::Rows P1 = {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}, {0.3, 0.7}, {0.8, 0.2}, {0.45, 0.55}};
  const ml::Rows P2 = {{0.7, 0.3}, {0.4, 0.6}, {0.35, 0.65}, {0.1, 0.9}, {0.6, 0.4}, {0.5, 0.5}};
  const std::vector<int> y = {0, 1, 0, 1, 0, 1};
  const auto F = ml::stack_features({P1, P2});
  REQUIRE(F.size() == 6);
  CHECK(F[2] == std::vector<double>{0.6, 0.4, 0.35, 0.65});
  ml::StackingEnsemble st;
  st.fit({P1, P2}, y, 2);
  ml::LogisticRegression lr;
  lr.fit(F, y, 2);
  CHECK(st.predict_proba({P1, P2}) == lr.predict_proba(F));
  CHECK(st.predict({P1, P2}) == y);
  CHECK_THROWS_AS(st.predict_proba({P1}), std::invalid_argument);
}

TEST_CASE("out-of-fold probabilities: each row from a model that did not see it", "[ensembles]") {
  const ml::Rows X(6, std::vector<double>{1.0});
  const std::vector<int> y = {0, 0, 1, 1, 1, 2};
  const ml::ClassifierFactory prior = [] { return std::make_unique<PriorClassifier>(); };
  // Folds {0,1}, {2,3}, {4,5}: the model for fold 0 sees labels {1,1,1,2} -> (0, 3/4, 1/4).
  const auto P = ml::out_of_fold_proba(prior, X, y, 3, contiguous_folds(3));
  CHECK(P[0] == std::vector<double>{0.0, 0.75, 0.25});
  CHECK(P[1] == P[0]);
  CHECK(P[2] == std::vector<double>{0.5, 0.25, 0.25});
  CHECK(P[4] == std::vector<double>{0.5, 0.5, 0.0});
  CHECK(P[5] == P[4]);
  // Folds given out of order, interleaved.
  const ml::FoldFn odd_even = [](std::size_t n, const std::vector<int>&) {
    std::vector<std::vector<std::size_t>> f(2);
    for (std::size_t i = n; i-- > 0;) f[i % 2].push_back(i);
    return f;
  };
  const auto Q = ml::out_of_fold_proba(prior, X, y, 3, odd_even);
  CHECK(Q[0] == std::vector<double>{1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0});  // trained on rows 1, 3, 5
  CHECK(Q[1] == std::vector<double>{1.0 / 3.0, 2.0 / 3.0, 0.0});        // trained on rows 0, 2, 4
  // Not a partition: a row missing, a row twice.
  const ml::FoldFn missing = [](std::size_t, const std::vector<int>&) {
    return std::vector<std::vector<std::size_t>>{{0, 1, 2}, {3, 4}};
  };
  const ml::FoldFn twice = [](std::size_t, const std::vector<int>&) {
    return std::vector<std::vector<std::size_t>>{{0, 1, 2, 3}, {3, 4, 5}};
  };
  CHECK_THROWS_AS(ml::out_of_fold_proba(prior, X, y, 3, missing), std::invalid_argument);
  CHECK_THROWS_AS(ml::out_of_fold_proba(prior, X, y, 3, twice), std::invalid_argument);
}

TEST_CASE("study ensemble end to end on Kaggle 30-s: SVM + RF + XGB, voting and stacking", "[ensembles][e2e]") {
  const auto t0 = std::chrono::steady_clock::now();
  const auto sp = test::study_split_30s();
  const int K = sp.K;
  // XGBoost with 200 of the study's 1000 rounds (eta 0.05) to keep this test short: 0.705
  // test accuracy after 200 rounds vs 0.725 after 1000 (tests/test_learners.cpp).
  ml::XgbParams xp;
  xp.n_estimators = 200;
  xp.nthread = 1;
  ml::RandomForestParams rp;
  rp.nthread = 1;
  std::vector<std::unique_ptr<ml::Classifier>> models;
  models.push_back(std::make_unique<ml::SvmClassifier>());
  models.push_back(std::make_unique<ml::RandomForest>(rp));
  models.push_back(std::make_unique<ml::XgbClassifier>(xp));

  std::vector<ml::Rows> P_train, P_test;
  std::vector<std::vector<int>> L_test;
  std::vector<double> acc;
  for (auto& m : models) {
    m->fit(sp.Xtr, sp.ytr, K);
    P_train.push_back(m->predict_proba(sp.Xtr));
    P_test.push_back(m->predict_proba(sp.Xte));
    L_test.push_back(m->predict(sp.Xte));
    acc.push_back(ml::accuracy(sp.yte, L_test.back()));
    std::printf("%-4s test accuracy %.4f\n", m->name().c_str(), acc.back());
  }
  const double soft = ml::accuracy(sp.yte, ml::argmax_rows(ml::soft_vote(P_test)));
  const double hard = ml::accuracy(sp.yte, ml::hard_vote(L_test, P_test, K));
  const double hard_low = ml::accuracy(sp.yte, ml::hard_vote(L_test, P_test, K, ml::TieBreak::LowestLabel));
  // The study's weights: each model's TEST accuracy (flaw 3).
  const double weighted = ml::accuracy(sp.yte, ml::argmax_rows(ml::weighted_vote(P_test, acc)));
  // The study's stacker: fitted on IN-SAMPLE training probabilities (flaw 4).
  ml::StackingEnsemble st_in;
  st_in.fit(P_train, sp.ytr, K);
  const double stacked_in = ml::accuracy(sp.yte, st_in.predict(P_test));
  // Honest stacker: out-of-fold training probabilities (5 contiguous folds; the training
  // rows are already in the study's shuffled order), against the in-sample stacker over the
  // same two base models: the SVM and a 30-tree forest (kept small to keep the test short).
  ml::RandomForestParams rp30 = rp;
  rp30.n_trees = 30;
  ml::RandomForest rf30(rp30);
  rf30.fit(sp.Xtr, sp.ytr, K);
  const std::vector<ml::Rows> P_in2 = {P_train[0], rf30.predict_proba(sp.Xtr)};
  const std::vector<ml::Rows> P_te2 = {P_test[0], rf30.predict_proba(sp.Xte)};
  std::vector<ml::Rows> P_oof;
  P_oof.push_back(ml::out_of_fold_proba([] { return std::make_unique<ml::SvmClassifier>(); }, sp.Xtr, sp.ytr,
                                        K, contiguous_folds(5)));
  P_oof.push_back(ml::out_of_fold_proba([rp30] { return std::make_unique<ml::RandomForest>(rp30); }, sp.Xtr,
                                        sp.ytr, K, contiguous_folds(5)));
  ml::StackingEnsemble st_oof, st_in2;
  st_oof.fit(P_oof, sp.ytr, K);
  st_in2.fit(P_in2, sp.ytr, K);
  const double stacked_oof = ml::accuracy(sp.yte, st_oof.predict(P_te2));
  const double stacked_in2 = ml::accuracy(sp.yte, st_in2.predict(P_te2));
  const auto rep = ml::classification_report(sp.yte, ml::argmax_rows(ml::soft_vote(P_test)), K);
  std::printf("soft %.4f  hard %.4f (lowest-label ties %.4f)  weighted %.4f  stacked in-sample %.4f\n"
              "SVM+RF(30 trees) stacked: in-sample %.4f, out-of-fold %.4f; soft macro-F1 %.4f; %.1f s\n",
              soft, hard, hard_low, weighted, stacked_in, stacked_in2, stacked_oof, rep.macro_f1,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  // Measured (see the commit message / report): the values printed above. Plausible band for
  // 10 genres on Kaggle's 57 features with 800 training rows: 0.60 .. 0.90.
  for (double a : {soft, hard, hard_low, weighted, stacked_in, stacked_in2, stacked_oof, rep.macro_f1}) {
    CHECK(a >= 0.60);
    CHECK(a <= 0.90);
  }
  // The SVM fits its training rows almost perfectly (C = 100): in-sample probabilities are
  // over-confident, which is why the study's stacker mostly trusts it.
  CHECK(ml::accuracy(sp.ytr, ml::argmax_rows(P_train[0])) > 0.95);
}
