#pragma once
// Protocols: how rows are split and prepared, how base models and ensembles are fitted.
//   seed           the study's: MinMax + PCA fitted on ALL rows, train_test_split by row,
//                  voting weights = test accuracies, stacker on in-sample probabilities,
//                  networks validated on the test rows.
//   track_grouped  80/20 split of TRACKS; MinMax/PCA fitted on train only; weights = accuracy
//                  of out-of-fold (track-grouped) predictions on train; stacker on those
//                  out-of-fold probabilities; networks never see the test rows.
//   cv5            GroupKFold by track, each fold as track_grouped.
//   fault_filtered the artist/fault-filtered lists (train + valid -> train, test -> test),
//                  prepared as track_grouped.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/data.hpp"
#include "experiments/models.hpp"
#include "ml/classifier.hpp"

namespace gtzan::experiments {

struct Fold {
  std::vector<int> train, test;  // row indices
};

std::vector<Fold> make_folds(const std::string& protocol, const CellData& d, const ExperimentConfig& cfg,
                             const FilteredSplit& filtered, std::string* note);
// The study's split: train_test_split(n, test_size, random_state=seed) by row.
Fold seed_fold(int n, double test_size, std::uint32_t seed);
// Tracks split as train_test_split(n_tracks, ...); every row follows its track.
Fold track_grouped_fold(const std::vector<int>& groups, double test_size, std::uint32_t seed);

// One model's predictions on one fold's test rows, plus what ensembles need.
struct FoldOutput {
  ml::Rows proba;                 // test rows x K
  std::vector<int> pred;          // the model's own labels (the SVM's one-vs-one votes)
  ml::Rows stack_train;           // stacker inputs for the training rows (in-sample or OOF)
  double weight = 0;              // voting weight (test accuracy or OOF accuracy)
  double train_accuracy = -1;     // networks: last-epoch training accuracy
  double seconds = 0;
};
nlohmann::json to_json(const std::vector<FoldOutput>& v);
std::vector<FoldOutput> folds_from_json(const nlohmann::json& j);

class GroupRunner {
 public:
  GroupRunner(const CellData& data, std::string protocol, std::vector<Fold> folds, const ExperimentConfig& cfg,
              const RunContext& ctx, bool sequences);
  // need_ensemble_inputs: also compute stack_train and weight.
  std::vector<FoldOutput> run_base(const std::string& model, bool need_ensemble_inputs);
  std::vector<FoldOutput> run_ensemble(const std::string& kind,
                                       const std::vector<const std::vector<FoldOutput>*>& members) const;
  const std::vector<Fold>& folds() const { return folds_; }
  int classes() const { return static_cast<int>(data_.classes.size()); }
  bool leaky() const { return protocol_ == "seed"; }

  // Metrics of a model's fold outputs against the true labels (a JSON record body).
  nlohmann::json score(const std::vector<FoldOutput>& out) const;

 private:
  struct Prepared {
    ml::Rows Xtr, Xte;
    std::vector<int> ytr, yte, gtr;
  };
  Prepared prepare(const Fold& f) const;

  const CellData& data_;
  std::string protocol_;
  std::vector<Fold> folds_;
  const ExperimentConfig& cfg_;
  RunContext ctx_;
  bool sequences_;
  ml::Table leaky_X_;  // seed protocol: MinMax + PCA fitted on all rows
};

// Two-sided 95% Student-t quantile for df degrees of freedom.
double t_quantile_975(int df);

}  // namespace gtzan::experiments
