#pragma once
// The inputs of an experiment: feature tables (extracted from audio and cached, or Kaggle's /
// our CSVs), the LSTM's MFCC-13 sequences, subsets by genre, and the fault-filtered split.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "experiments/config.hpp"
#include "ml/feature_table.hpp"

namespace gtzan::experiments {

// The rows one cell sees: features (or flattened sequences), labels and the track of each row.
struct CellData {
  ml::Table X;
  std::vector<int> sample_shape;        // {F} for feature rows, {T, 13} for sequences
  std::vector<int> y;                   // index into classes
  std::vector<std::string> track_ids;   // per row
  std::vector<int> groups;              // track ids as codes (sorted order)
  std::vector<std::string> classes;     // genres present, in label order
  double clip_seconds = 0;              // audio per row
  std::string fingerprint;              // identifies the source rows (hash)
};

class DataSource {
 public:
  // Audio: a GTZAN tree. Feature tables and sequences are computed once and cached in cache_dir.
  static DataSource from_audio(const std::filesystem::path& audio_dir, const std::filesystem::path& cache_dir,
                               const ExperimentConfig& cfg, int threads);
  // Feature tables given as CSVs (Kaggle's or ours); no audio, so no LSTM sequences.
  static DataSource from_features(const std::vector<std::filesystem::path>& csvs, const ExperimentConfig& cfg);

  // The rows of `subset` at `segment_seconds` (a feature table, or sequences when `sequences`).
  // Returns nullopt and sets *note when this source cannot provide them.
  std::optional<CellData> cell_data(const std::string& subset, double segment_seconds, bool sequences,
                                    std::string* note);
  std::string description() const { return description_; }

 private:
  struct Table {
    ml::FeatureTable t;
    double clip_seconds = 0;
    std::string fingerprint;
  };
  const Table* table_for(double segment_seconds, bool sequences, std::string* note);

  std::filesystem::path audio_dir_, cache_dir_;
  ExperimentConfig cfg_;
  int threads_ = 0;
  std::string description_;
  std::vector<Table> given_;                          // --features
  std::map<std::string, std::unique_ptr<Table>> cache_;  // key: kind + seconds
};

// Number of segments a track of track_seconds is cut into for segment_seconds (1 = whole track).
int segments_for(double track_seconds, double segment_seconds);

// Writes the synthetic dataset into dir unless it is already there. Returns dir.
std::filesystem::path ensure_synthetic(const std::filesystem::path& dir, const DataConfig& d);

// The fault-filtered split (Kereliuk, Sturm & Larsen 2015) as track ids ("blues.00000"):
// train (train + valid lists) and test. Empty when the lists are not found.
struct FilteredSplit {
  std::vector<std::string> train, test;
  std::filesystem::path folder;
  std::string unavailable;  // why the split does not apply (e.g. synthetic data), or empty
};
FilteredSplit load_fault_filtered(const std::filesystem::path& splits_dir);
// Default location: $GTZAN_SPLITS_DIR, else data/gtzan/splits (shipped in the repository)
// found from the working directory or the executable's folder, or any parent of them.
std::filesystem::path default_splits_dir();

// FNV-1a 64 of a string, as 16 hex digits.
std::string hash_hex(const std::string& s);
std::string file_hash(const std::filesystem::path& p);

}  // namespace gtzan::experiments
