#pragma once
// Running a grid: every cell (subset x segment length x protocol x model) is keyed by a hash
// of its inputs, written to OUT/results.json as soon as it finishes (atomically), and skipped
// on a rerun. Base models' test and ensemble-input probabilities are kept in
// OUT/cache/outputs/ so ensembles resume without refitting their members.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/config.hpp"

namespace gtzan::experiments {

struct RunOptions {
  std::filesystem::path out;
  std::filesystem::path data;                   // audio (a GTZAN tree); empty: synthetic in OUT/cache
  std::vector<std::filesystem::path> features;  // feature CSVs instead of audio
  std::filesystem::path splits_dir;             // fault-filtered lists; empty: default_splits_dir()
  std::string device = "cpu";
  int threads = 0;
  bool progress = true;
};

struct RunSummary {
  int cells = 0, computed = 0, resumed = 0, skipped = 0;
  double seconds = 0;
};

// results.json: {"records": [...]}; records keyed by "key".
class ResultStore {
 public:
  explicit ResultStore(std::filesystem::path path);
  const nlohmann::json* find(const std::string& key) const;
  void put(nlohmann::json record);  // replaces a record with the same key; writes the file
  const nlohmann::json& records() const { return doc_["records"]; }
  void write() const;

 private:
  std::filesystem::path path_;
  nlohmann::json doc_;
};

RunSummary run_experiment(const ExperimentConfig& cfg, const RunOptions& opt);

}  // namespace gtzan::experiments
