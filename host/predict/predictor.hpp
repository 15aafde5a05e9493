#pragma once
// A trained model ready to use: its preprocessing record, the network with its final weights
// and the backends that compute its inputs. Inputs are computed exactly as for training: the
// feature set's columns (picked by name when the model used a subset) or MFCC-13 sequences,
// then the saved MinMax + PCA, then the network in inference mode and a softmax.
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "backend/feature_backend.hpp"
#include "engine/model.hpp"
#include "ml/feature_table.hpp"
#include "predict/model_bundle.hpp"

namespace gtzan::predict {

struct ClipInput {
  std::vector<double> values;  // the model's raw input for one clip (feature columns or sequence)
  std::string error;           // why it could not be computed; values empty then
};

class Predictor {
 public:
  // Loads DIR/preprocessing.json, DIR/model.toml and DIR/model.safetensors; errors name the
  // file. device: cpu | cuda | auto (features and network); threads: 0 = all cores.
  Predictor(const std::filesystem::path& model_dir, const std::string& device, int threads);
  ~Predictor();

  const Preprocessing& preprocessing() const { return pre_; }
  const engine::ModelSpec& spec() const { return spec_; }
  std::string feature_backend_name() const;
  std::string engine_backend_name() const;
  // Empty when audio can be used; otherwise why not (columns no feature set computes).
  std::string audio_unsupported_reason() const;

  // The clips of one decoded file, cut as the training rows were.
  std::vector<std::vector<float>> cut(std::vector<float> samples) const;
  // The raw model input of each clip (any number of files' clips in one batch).
  std::vector<ClipInput> inputs(const std::vector<std::span<const float>>& clips);
  // The model's columns of a feature table, in the model's order (InputError naming a missing
  // column, or the table when the model takes sequences).
  ml::Table columns_of(const ml::FeatureTable& table) const;
  // Class probabilities (rows x classes) of raw inputs (rows of `inputs` or `columns_of`).
  ml::Table probabilities(const ml::Table& raw);

 private:
  std::filesystem::path dir_;
  Preprocessing pre_;
  engine::ModelSpec spec_;
  int threads_;
  std::unique_ptr<engine::Backend<float>> engine_;
  std::unique_ptr<engine::Model<float>> model_;
  const features::FeatureSet* set_ = nullptr;
  std::vector<std::size_t> set_column_;  // for each model column: its index in set_'s row
  std::unique_ptr<backend::FeatureBackend> features_;
};

}  // namespace gtzan::predict
