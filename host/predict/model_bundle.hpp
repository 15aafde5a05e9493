#pragma once
// Everything `gtzan predict` needs to use a trained model, saved by `gtzan train` beside the
// weights: OUT/preprocessing.json (input kind, feature columns and the set that computes them,
// how files were cut into clips, the fitted MinMax + PCA, class names, sample shape) and
// OUT/model.toml (the model description), so `--model OUT` is self-contained.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "jobs/extract_features.hpp"
#include "ml/minmax_pca.hpp"

namespace gtzan::predict {

inline constexpr const char* kPreprocessingFile = "preprocessing.json";
inline constexpr const char* kModelSpecFile = "model.toml";
inline constexpr const char* kWeightsFile = "model.safetensors";

enum class InputKind { FeatureRows, Mfcc13Sequences };

// How one audio file became the rows the model was trained on (the `gtzan features` options).
struct ClipCutting {
  double length_seconds = 30;  // every file padded / trimmed to this first (0: as loaded)
  int segments = 0;            // numpy.array_split pieces per file (0: the whole file, one row)
  jobs::ExtractOptions extract_options() const;
  double clip_seconds() const { return segments > 0 ? length_seconds / segments : length_seconds; }
};

struct Preprocessing {
  std::string model_name;
  InputKind input = InputKind::FeatureRows;
  std::vector<std::string> classes;  // label order (index = the model's output)
  ClipCutting clips;
  std::vector<int> sample_shape;     // one sample as the model takes it: {F} or {frames, 13}
  // Feature rows: the table's columns in order, and the smallest feature set computing them
  // all (empty when none does, e.g. Kaggle's tables: then only --features tables can be used).
  std::vector<std::string> columns;
  std::string feature_set;
  std::optional<ml::MinMaxPca> scaling;  // fitted on the training protocol's rows
  // Sequences: MFCC-13 frames per clip (zero padded / truncated).
  int frames = 0;
  nlohmann::json training;  // where the data came from, split, seed (for the record)
};

// Writes OUT/preprocessing.json and OUT/model.toml (a copy of model_toml_text), atomically.
void save_model_bundle(const std::filesystem::path& out_dir, const Preprocessing& p,
                       const std::string& model_toml_text);

// Reads DIR/preprocessing.json; throws gtzan::InputError naming the folder or the file and what
// is missing or malformed.
Preprocessing load_preprocessing(const std::filesystem::path& model_dir);

std::string input_kind_name(InputKind k);

}  // namespace gtzan::predict
