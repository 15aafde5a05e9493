#pragma once
// An experiment grid described in TOML (experiments/seed_table.toml, experiments/honest.toml):
// subsets x segment lengths x protocols x models, the models' settings, and a [quick] table
// that is merged over everything else when --quick is given. Unknown keys, wrong types and
// unknown names are errors that name the file and the key.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gtzan::experiments {

struct DataConfig {
  std::string feature_set = "seed309";
  double track_seconds = 30.0;          // every track padded/trimmed to this first
  int synthetic_tracks_per_genre = 100; // when no --data/--features is given
  double synthetic_seconds = 30.0;
  std::uint64_t synthetic_seed = 42;
  int pca_components = 3;
  double test_size = 0.2;
};

struct SvmConfig { double C = 100.0; };
struct XgbConfig { int n_estimators = 1000; double learning_rate = 0.05; };
struct RfConfig { int n_trees = 100; };
struct NetConfig {
  std::filesystem::path spec;  // model TOML (resolved against the config's folder)
  int epochs = 0;              // > 0 overrides the spec's epochs
};
struct LstmConfig : NetConfig {
  int frames_per_30s = 1300;                    // sequence length for a 30-s clip; scaled
  std::vector<double> segment_seconds = {3, 5, 30};
};

struct ExperimentConfig {
  std::filesystem::path source;
  std::string name;
  std::string description;
  std::uint64_t seed = 42;
  std::vector<std::string> subsets;     // all | classical_metal | disco_pop
  std::vector<double> segment_seconds;  // feature-table models (the LSTM has its own list)
  std::vector<std::string> protocols;   // seed | track_grouped | cv5 | fault_filtered
  std::vector<std::string> models;      // svm xgboost rf cnn1d dense soft hard weighted stacked lstm
  std::vector<std::string> ensemble_members = {"svm", "cnn1d", "dense", "xgboost", "rf"};
  int folds = 5;                        // cv5's folds and the honest stacker's out-of-fold folds
  DataConfig data;
  SvmConfig svm;
  XgbConfig xgboost;
  RfConfig rf;
  NetConfig cnn1d, dense;
  LstmConfig lstm;
  bool quick = false;
  nlohmann::json resolved;  // the effective settings (after [quick]), for hashing and the report
};

const std::vector<std::string>& known_subsets();
const std::vector<std::string>& known_protocols();
const std::vector<std::string>& known_models();
bool is_ensemble(const std::string& model);
// The genres of a subset, in label order.
std::vector<std::string> subset_genres(const std::string& subset);

// Throws gtzan::InputError naming the file and the offending key.
ExperimentConfig parse_config(const std::string& toml_text, const std::filesystem::path& source,
                              bool quick);
ExperimentConfig load_config(const std::filesystem::path& path, bool quick);

}  // namespace gtzan::experiments
