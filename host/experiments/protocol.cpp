#include "experiments/protocol.hpp"

#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "ml/ensembles.hpp"
#include "ml/feature_table.hpp"
#include "ml/metrics.hpp"
#include "ml/minmax_pca.hpp"
#include "ml/preprocess.hpp"
#include "ml/splits.hpp"

namespace gtzan::experiments {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The study's inputs (MinMax, PCA(k) appended) with scikit-learn 1.2's sign convention.
ml::MinMaxPca make_minmax_pca(int k) { return ml::MinMaxPca(k, ml::SignConvention::UBased); }

ml::Rows rows_of(const ml::Table& t, const std::vector<int>& idx) {
  ml::Rows r;
  r.reserve(idx.size());
  for (int i : idx) r.emplace_back(t.row(i), t.row(i) + t.cols);
  return r;
}

std::vector<int> take(const std::vector<int>& v, const std::vector<int>& idx) {
  std::vector<int> out;
  out.reserve(idx.size());
  for (int i : idx) out.push_back(v[i]);
  return out;
}

}  // namespace

Fold seed_fold(int n, double test_size, std::uint32_t seed) {
  const auto s = ml::train_test_split(n, ml::TestSize::of_fraction(test_size), seed);
  return {s.train, s.test};
}

Fold track_grouped_fold(const std::vector<int>& groups, double test_size, std::uint32_t seed) {
  const int n_groups = groups.empty() ? 0 : *std::max_element(groups.begin(), groups.end()) + 1;
  const auto s = ml::train_test_split(n_groups, ml::TestSize::of_fraction(test_size), seed);
  std::vector<char> is_test(n_groups, 0);
  for (int g : s.test) is_test[g] = 1;
  Fold f;
  for (int i = 0; i < static_cast<int>(groups.size()); ++i) (is_test[groups[i]] ? f.test : f.train).push_back(i);
  return f;
}

std::vector<Fold> make_folds(const std::string& protocol, const CellData& d, const ExperimentConfig& cfg,
                             const FilteredSplit& filtered, std::string* note) {
  const int n = static_cast<int>(d.y.size());
  const auto seed = static_cast<std::uint32_t>(cfg.seed);
  if (protocol == "seed") return {seed_fold(n, cfg.data.test_size, seed)};
  if (protocol == "track_grouped") return {track_grouped_fold(d.groups, cfg.data.test_size, seed)};
  if (protocol == "cv5") {
    const int n_groups = *std::max_element(d.groups.begin(), d.groups.end()) + 1;
    if (n_groups < cfg.folds) {
      *note = "fewer tracks than folds";
      return {};
    }
    std::vector<Fold> out;
    for (auto& s : ml::group_kfold(d.groups, cfg.folds)) out.push_back({s.train, s.test});
    return out;
  }
  // fault_filtered
  if (!filtered.unavailable.empty()) {
    *note = filtered.unavailable;
    return {};
  }
  if (filtered.train.empty() || filtered.test.empty()) {
    *note = "fault-filtered lists not found in " + filtered.folder.string();
    return {};
  }
  const std::set<std::string> tr(filtered.train.begin(), filtered.train.end()),
      te(filtered.test.begin(), filtered.test.end());
  Fold f;
  for (int i = 0; i < n; ++i) {
    const auto id = ml::kaggle_track_id(d.track_ids[i]);  // blues.00000(.wav) -> blues.00000
    if (tr.count(id)) f.train.push_back(i);
    else if (te.count(id)) f.test.push_back(i);
  }
  if (f.train.empty() || f.test.empty()) {
    *note = "no track of the data is named in the fault-filtered lists (synthetic data?)";
    return {};
  }
  return {f};
}

GroupRunner::GroupRunner(const CellData& data, std::string protocol, std::vector<Fold> folds,
                         const ExperimentConfig& cfg, const RunContext& ctx, bool sequences)
    : data_(data), protocol_(std::move(protocol)), folds_(std::move(folds)), cfg_(cfg), ctx_(ctx),
      sequences_(sequences) {
  if (leaky() && !sequences_) {
    auto p = make_minmax_pca(cfg_.data.pca_components);
    p.fit(data_.X);  // flaw 2: fitted on ALL rows, the test rows included
    leaky_X_ = p.transform(data_.X);
  }
}

GroupRunner::Prepared GroupRunner::prepare(const Fold& f) const {
  Prepared p;
  p.ytr = take(data_.y, f.train);
  p.yte = take(data_.y, f.test);
  p.gtr = take(data_.groups, f.train);
  if (sequences_) {
    p.Xtr = rows_of(data_.X, f.train);
    p.Xte = rows_of(data_.X, f.test);
  } else if (leaky()) {
    p.Xtr = rows_of(leaky_X_, f.train);
    p.Xte = rows_of(leaky_X_, f.test);
  } else {
    auto m = make_minmax_pca(cfg_.data.pca_components);
    m.fit(ml::take_rows(data_.X, f.train));
    const auto all = m.transform(data_.X);
    p.Xtr = rows_of(all, f.train);
    p.Xte = rows_of(all, f.test);
  }
  return p;
}

std::vector<FoldOutput> GroupRunner::run_base(const std::string& model, bool need_ens) {
  std::vector<FoldOutput> out;
  const int K = classes();
  std::vector<int> shape = data_.sample_shape;
  if (!sequences_ && !data_.X.empty()) shape = {static_cast<int>(data_.X.cols) + (cfg_.data.pca_components)};
  for (const auto& f : folds_) {
    const auto t0 = Clock::now();
    const auto p = prepare(f);
    FoldOutput o;
    auto clf = make_model(model, cfg_, shape, ctx_);
    auto* net = dynamic_cast<NetClassifier*>(clf.get());
    if (net && leaky()) net->set_validation(&p.Xte, &p.yte);  // flaw 3: the test rows pick epochs
    clf->fit(p.Xtr, p.ytr, K);
    o.proba = clf->predict_proba(p.Xte);
    o.pred = clf->predict(p.Xte);
    if (net) o.train_accuracy = net->last_train_accuracy();
    if (need_ens) {
      if (leaky()) {
        o.stack_train = clf->predict_proba(p.Xtr);  // flaw 4: in-sample probabilities
        o.weight = ml::accuracy(p.yte, o.pred);     // flaw 3: weights from the test rows
      } else {
        const int n_groups = static_cast<int>(std::set<int>(p.gtr.begin(), p.gtr.end()).size());
        const auto& gtr = p.gtr;  // track codes: group_kfold needs only their order
        const int k = std::min(cfg_.folds, n_groups);
        ml::FoldFn folds = [&](std::size_t, const std::vector<int>&) {
          std::vector<std::vector<std::size_t>> held;
          for (const auto& s : ml::group_kfold(gtr, k)) held.emplace_back(s.test.begin(), s.test.end());
          return held;
        };
        ml::ClassifierFactory factory = [&] { return make_model(model, cfg_, shape, ctx_); };
        o.stack_train = ml::out_of_fold_proba(factory, p.Xtr, p.ytr, K, folds);
        o.weight = ml::accuracy(p.ytr, ml::argmax_rows(o.stack_train));
      }
    }
    o.seconds = since(t0);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<FoldOutput> GroupRunner::run_ensemble(const std::string& kind,
                                                  const std::vector<const std::vector<FoldOutput>*>& members) const {
  std::vector<FoldOutput> out;
  const int K = classes();
  for (std::size_t fi = 0; fi < folds_.size(); ++fi) {
    const auto t0 = Clock::now();
    std::vector<ml::Rows> probas, train_probas;
    std::vector<std::vector<int>> labels;
    std::vector<double> weights;
    double base_seconds = 0;
    for (const auto* m : members) {
      const auto& o = (*m)[fi];
      probas.push_back(o.proba);
      train_probas.push_back(o.stack_train);
      labels.push_back(o.pred);
      weights.push_back(o.weight);
      base_seconds += o.seconds;
    }
    FoldOutput o;
    if (kind == "soft") {
      o.proba = ml::soft_vote(probas);
    } else if (kind == "hard") {
      o.pred = ml::hard_vote(labels, probas, K);
      o.proba = ml::soft_vote(probas);  // for per-track probability voting
    } else if (kind == "weighted") {
      if (std::accumulate(weights.begin(), weights.end(), 0.0) <= 0) weights.assign(weights.size(), 1.0);
      o.proba = ml::weighted_vote(probas, weights);
    } else {
      ml::StackingEnsemble st;
      st.fit(train_probas, take(data_.y, folds_[fi].train), K);
      o.proba = st.predict_proba(probas);
    }
    if (o.pred.empty()) o.pred = ml::argmax_rows(o.proba);
    o.seconds = since(t0) + base_seconds;
    out.push_back(std::move(o));
  }
  return out;
}

double t_quantile_975(int df) {
  static const double t[] = {0,      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                             2.201, 2.179,  2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086};
  if (df <= 0) return 0;
  if (df <= 20) return t[df];
  return df <= 30 ? 2.042 + (30 - df) * (2.086 - 2.042) / 10 : 1.96 + 2.4 / df;
}

nlohmann::json GroupRunner::score(const std::vector<FoldOutput>& out) const {
  const int K = classes();
  std::vector<int> y_true, y_pred;
  std::vector<double> fold_acc;
  double seconds = 0, train_acc = 0;
  int n_train_acc = 0;
  std::size_t n_train = 0;
  // Per-track votes over the test segments (majority of labels, and mean probability).
  long tracks = 0, track_ok = 0, track_ok_p = 0;
  for (std::size_t fi = 0; fi < out.size(); ++fi) {
    const auto& f = folds_[fi];
    const auto yte = take(data_.y, f.test);
    y_true.insert(y_true.end(), yte.begin(), yte.end());
    y_pred.insert(y_pred.end(), out[fi].pred.begin(), out[fi].pred.end());
    fold_acc.push_back(ml::accuracy(yte, out[fi].pred));
    seconds += out[fi].seconds;
    n_train += f.train.size();
    if (out[fi].train_accuracy >= 0) {
      train_acc += out[fi].train_accuracy;
      ++n_train_acc;
    }
    std::map<int, std::vector<std::size_t>> by_track;
    for (std::size_t i = 0; i < f.test.size(); ++i) by_track[data_.groups[f.test[i]]].push_back(i);
    for (const auto& [g, rows] : by_track) {
      std::vector<double> votes(K, 0.0), mean(K, 0.0);
      for (auto i : rows) {
        votes[out[fi].pred[i]] += 1;
        for (int k = 0; k < K; ++k) mean[k] += out[fi].proba[i][k];
      }
      const int truth = yte[rows[0]];
      ++tracks;
      track_ok += ml::argmax(votes) == truth;
      track_ok_p += ml::argmax(mean) == truth;
    }
  }
  const auto rep = ml::classification_report(y_true, y_pred, K);
  nlohmann::json j;
  j["classes"] = data_.classes;
  j["n_train"] = n_train / std::max<std::size_t>(out.size(), 1);
  j["n_test"] = y_true.size() / std::max<std::size_t>(out.size(), 1);
  j["clip_seconds"] = data_.clip_seconds;
  j["accuracy"] = std::accumulate(fold_acc.begin(), fold_acc.end(), 0.0) / std::max<std::size_t>(fold_acc.size(), 1);
  j["macro_f1"] = rep.macro_f1;
  nlohmann::json pc = nlohmann::json::object();
  for (int k = 0; k < K; ++k) pc[data_.classes[k]] = {{"precision", rep.precision[k]}, {"recall", rep.recall[k]}};
  j["per_class"] = pc;
  j["confusion"] = ml::confusion_matrix(y_true, y_pred, K);
  j["seconds"] = seconds;
  if (n_train_acc) j["train_accuracy"] = train_acc / n_train_acc;
  if (fold_acc.size() > 1) {
    const double m = j["accuracy"].get<double>();
    double var = 0;
    for (double a : fold_acc) var += (a - m) * (a - m);
    var /= static_cast<double>(fold_acc.size() - 1);
    j["fold_accuracies"] = fold_acc;
    j["accuracy_ci95"] = t_quantile_975(static_cast<int>(fold_acc.size()) - 1) * std::sqrt(var / fold_acc.size());
  }
  if (!leaky() && tracks < static_cast<long>(y_true.size()) && tracks > 0) {
    j["track_accuracy"] = static_cast<double>(track_ok) / tracks;
    j["track_accuracy_proba"] = static_cast<double>(track_ok_p) / tracks;
  }
  return j;
}

nlohmann::json to_json(const std::vector<FoldOutput>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& o : v)
    a.push_back({{"proba", o.proba}, {"pred", o.pred}, {"stack_train", o.stack_train}, {"weight", o.weight},
                 {"train_accuracy", o.train_accuracy}, {"seconds", o.seconds}});
  return a;
}

std::vector<FoldOutput> folds_from_json(const nlohmann::json& j) {
  std::vector<FoldOutput> v;
  for (const auto& e : j) {
    FoldOutput o;
    o.proba = e.at("proba").get<ml::Rows>();
    o.pred = e.at("pred").get<std::vector<int>>();
    o.stack_train = e.at("stack_train").get<ml::Rows>();
    o.weight = e.at("weight");
    o.train_accuracy = e.at("train_accuracy");
    o.seconds = e.at("seconds");
    v.push_back(std::move(o));
  }
  return v;
}

}  // namespace gtzan::experiments
