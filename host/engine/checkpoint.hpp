#pragma once
// Checkpoints (safetensors): every parameter ("model/<name>", BatchNorm moving statistics
// included), Adam's moments ("adam_m/<name>", "adam_v/<name>"), EarlyStopping's best weights
// ("best/<name>") and in __metadata__: format, model, epoch, optimizer_step and "state", a JSON
// string with everything else the loop needs to continue exactly (lr, RNG state, callbacks).
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/adam.hpp"
#include "engine/model.hpp"

namespace gtzan::engine {

using WeightMap = std::map<std::string, std::vector<float>>;

WeightMap snapshot_weights(Model<float>& model);
void restore_weights(Model<float>& model, const WeightMap& w);

void save_checkpoint(const std::filesystem::path& path, Model<float>& model, Adam<float>& adam,
                     const nlohmann::json& state, const WeightMap& best);
// Restores model and adam; returns the state JSON; fills best. Throws InputError naming the
// file when it is corrupt, truncated or belongs to another model.
nlohmann::json load_checkpoint(const std::filesystem::path& path, Model<float>& model,
                               Adam<float>& adam, WeightMap& best);

// Weights only (model/<name>), with the model name and epoch in the metadata.
void save_weights(const std::filesystem::path& path, Model<float>& model, int epoch);
void load_weights(const std::filesystem::path& path, Model<float>& model);

}  // namespace gtzan::engine
