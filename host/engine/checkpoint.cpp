#include "engine/checkpoint.hpp"

#include "core/error.hpp"
#include "engine/safetensors.hpp"

namespace gtzan::engine {
namespace {

const char* kFormat = "gtzan-engine-checkpoint-1";

void put(SafetensorsFile& f, const std::string& name, Backend<float>& be, const Tensor<float>& t) {
  f.tensors[name] = NamedArray{t.shape, be.to_host(t)};
}

void take(const SafetensorsFile& f, const std::filesystem::path& path, const std::string& name,
          Backend<float>& be, Tensor<float>& t) {
  auto it = f.tensors.find(name);
  if (it == f.tensors.end()) throw InputError(path, "checkpoint has no tensor '" + name + "' (another model?)");
  if (it->second.shape != t.shape)
    throw InputError(path, "tensor '" + name + "' has shape " + shape_string(it->second.shape) +
                               ", the model wants " + shape_string(t.shape));
  be.upload(it->second.data.data(), t.data(), t.size());
}

}  // namespace

WeightMap snapshot_weights(Model<float>& model) {
  WeightMap w;
  for (auto* p : model.params()) w[p->name] = model.backend().to_host(p->value);
  return w;
}

void restore_weights(Model<float>& model, const WeightMap& w) {
  for (auto* p : model.params()) {
    const auto& v = w.at(p->name);
    model.backend().upload(v.data(), p->value.data(), p->value.size());
  }
}

void save_checkpoint(const std::filesystem::path& path, Model<float>& model, Adam<float>& adam,
                     const nlohmann::json& state, const WeightMap& best) {
  auto& be = model.backend();
  SafetensorsFile f;
  for (auto* p : model.params()) put(f, "model/" + p->name, be, p->value);
  for (std::size_t i = 0; i < adam.params().size(); ++i) {
    put(f, "adam_m/" + adam.params()[i]->name, be, adam.m[i]);
    put(f, "adam_v/" + adam.params()[i]->name, be, adam.v[i]);
  }
  for (auto* p : model.params())
    if (auto it = best.find(p->name); it != best.end())
      f.tensors["best/" + p->name] = NamedArray{p->value.shape, it->second};
  f.metadata = {{"format", kFormat},
                {"model", model.spec().name},
                {"epoch", std::to_string(state.value("epoch", 0))},
                {"optimizer_step", std::to_string(adam.iterations)},
                {"state", state.dump()}};
  write_safetensors(path, f);
}

nlohmann::json load_checkpoint(const std::filesystem::path& path, Model<float>& model,
                               Adam<float>& adam, WeightMap& best) {
  const auto f = read_safetensors(path);
  auto meta = [&](const char* k) {
    auto it = f.metadata.find(k);
    if (it == f.metadata.end()) throw InputError(path, std::string("checkpoint metadata lacks '") + k + "'");
    return it->second;
  };
  if (meta("format") != kFormat) throw InputError(path, "not a gtzan training checkpoint (format " + meta("format") + ")");
  if (meta("model") != model.spec().name)
    throw InputError(path, "checkpoint is for model '" + meta("model") + "', not '" + model.spec().name + "'");
  nlohmann::json state;
  try {
    state = nlohmann::json::parse(meta("state"));
  } catch (const std::exception& e) {
    throw InputError(path, std::string("checkpoint state is not JSON: ") + e.what());
  }
  auto& be = model.backend();
  for (auto* p : model.params()) take(f, path, "model/" + p->name, be, p->value);
  for (std::size_t i = 0; i < adam.params().size(); ++i) {
    take(f, path, "adam_m/" + adam.params()[i]->name, be, adam.m[i]);
    take(f, path, "adam_v/" + adam.params()[i]->name, be, adam.v[i]);
  }
  adam.iterations = std::stoll(meta("optimizer_step"));
  best.clear();
  for (auto* p : model.params())
    if (auto it = f.tensors.find("best/" + p->name); it != f.tensors.end()) best[p->name] = it->second.data;
  return state;
}

void save_weights(const std::filesystem::path& path, Model<float>& model, int epoch) {
  SafetensorsFile f;
  for (auto* p : model.params()) put(f, "model/" + p->name, model.backend(), p->value);
  f.metadata = {{"format", "gtzan-engine-weights-1"}, {"model", model.spec().name}, {"epoch", std::to_string(epoch)}};
  write_safetensors(path, f);
}

void load_weights(const std::filesystem::path& path, Model<float>& model) {
  const auto f = read_safetensors(path);
  for (auto* p : model.params()) take(f, path, "model/" + p->name, model.backend(), p->value);
}

}  // namespace gtzan::engine
