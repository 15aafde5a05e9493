// Reading a model description from TOML.
#include <toml++/toml.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/error.hpp"
#include "engine/model.hpp"

namespace gtzan::engine {
namespace {

template <class V>
V get_or(const toml::table& t, const char* key, V dflt) {
  if (!t.contains(key)) return dflt;
  if (auto v = t[key].value<V>()) return *v;
  throw std::invalid_argument(std::string("key '") + key + "' has the wrong type");
}

LayerSpec parse_layer(const toml::table& t) {
  LayerSpec s;
  s.type = get_or<std::string>(t, "type", "");
  if (t.contains("units")) {
    if (t["units"].is_string()) {
      if (t["units"].value<std::string>() != "classes") throw std::invalid_argument("units must be an integer or \"classes\"");
      s.units = -1;
    } else {
      s.units = static_cast<int>(get_or<int64_t>(t, "units", 0));
    }
  }
  s.filters = static_cast<int>(get_or<int64_t>(t, "filters", 0));
  s.kernel_size = static_cast<int>(get_or<int64_t>(t, "kernel_size", 3));
  s.pool_size = static_cast<int>(get_or<int64_t>(t, "pool_size", 2));
  s.rate = get_or<double>(t, "rate", 0.0);
  s.momentum = get_or<double>(t, "momentum", 0.99);
  s.epsilon = get_or<double>(t, "epsilon", 1e-3);
  s.mask_value = get_or<double>(t, "mask_value", 0.0);
  s.return_sequences = get_or<bool>(t, "return_sequences", false);
  s.unit_forget_bias = get_or<bool>(t, "unit_forget_bias", true);
  s.activation = get_or<std::string>(t, "activation", "linear");
  s.padding = get_or<std::string>(t, "padding", s.type == "maxpool1d" ? "valid" : "same");
  s.kernel_initializer = get_or<std::string>(t, "kernel_initializer", "glorot_uniform");
  s.recurrent_initializer = get_or<std::string>(t, "recurrent_initializer", "orthogonal");
  s.bias_initializer = get_or<std::string>(t, "bias_initializer", "zeros");
  static const char* known[] = {"dense", "conv1d", "maxpool1d", "flatten", "relu",
                                "dropout", "batchnorm", "masking", "lstm"};
  bool ok = false;
  for (auto* k : known) ok = ok || s.type == k;
  if (!ok)
    throw std::invalid_argument("unknown layer type '" + s.type +
                                "' (dense, conv1d, maxpool1d, flatten, relu, dropout, batchnorm, masking, lstm)");
  return s;
}

}  // namespace

ModelSpec parse_model_spec(const std::string& text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument(std::string(e.description()));
  }
  ModelSpec m;
  m.name = get_or<std::string>(root, "name", "");
  if (m.name.empty()) throw std::invalid_argument("missing 'name'");
  m.input = get_or<std::string>(root, "input", "vector");
  if (m.input != "vector" && m.input != "vector_as_sequence" && m.input != "sequence")
    throw std::invalid_argument("input must be vector, vector_as_sequence or sequence");
  const auto* layers = root["layers"].as_array();
  if (!layers || layers->empty()) throw std::invalid_argument("missing [[layers]]");
  for (std::size_t i = 0; i < layers->size(); ++i) {
    const auto* t = (*layers)[i].as_table();
    if (!t) throw std::invalid_argument("layers[" + std::to_string(i) + "] is not a table");
    try {
      m.layers.push_back(parse_layer(*t));
    } catch (const std::exception& e) {
      throw std::invalid_argument("layers[" + std::to_string(i) + "]: " + e.what());
    }
  }
  if (const auto* tr = root["train"].as_table()) {
    auto& t = m.train;
    t.optimizer = get_or<std::string>(*tr, "optimizer", t.optimizer);
    if (t.optimizer != "adam") throw std::invalid_argument("train.optimizer: only \"adam\" is supported");
    t.learning_rate = get_or<double>(*tr, "learning_rate", t.learning_rate);
    t.beta1 = get_or<double>(*tr, "beta_1", t.beta1);
    t.beta2 = get_or<double>(*tr, "beta_2", t.beta2);
    t.epsilon = get_or<double>(*tr, "epsilon", t.epsilon);
    t.epochs = static_cast<int>(get_or<int64_t>(*tr, "epochs", t.epochs));
    t.batch_size = static_cast<int>(get_or<int64_t>(*tr, "batch_size", t.batch_size));
    if (t.epochs < 1 || t.batch_size < 1) throw std::invalid_argument("train: epochs and batch_size must be >= 1");
  }
  if (const auto* cbs = root["callbacks"].as_array()) {
    for (const auto& node : *cbs) {
      const auto* c = node.as_table();
      if (!c) throw std::invalid_argument("callbacks entries must be tables");
      const auto type = get_or<std::string>(*c, "type", "");
      if (type == "early_stopping") {
        auto& e = m.train.early_stopping;
        e.enabled = true;
        e.monitor = get_or<std::string>(*c, "monitor", e.monitor);
        e.patience = static_cast<int>(get_or<int64_t>(*c, "patience", e.patience));
        e.min_delta = get_or<double>(*c, "min_delta", e.min_delta);
        e.restore_best_weights = get_or<bool>(*c, "restore_best_weights", e.restore_best_weights);
      } else if (type == "reduce_lr_on_plateau") {
        auto& r = m.train.reduce_lr;
        r.enabled = true;
        r.monitor = get_or<std::string>(*c, "monitor", r.monitor);
        r.factor = get_or<double>(*c, "factor", r.factor);
        r.patience = static_cast<int>(get_or<int64_t>(*c, "patience", r.patience));
        r.min_lr = get_or<double>(*c, "min_lr", r.min_lr);
        r.min_delta = get_or<double>(*c, "min_delta", r.min_delta);
        r.cooldown = static_cast<int>(get_or<int64_t>(*c, "cooldown", r.cooldown));
      } else {
        throw std::invalid_argument("unknown callback '" + type + "' (early_stopping, reduce_lr_on_plateau)");
      }
    }
    for (const auto* mon : {&m.train.early_stopping.monitor, &m.train.reduce_lr.monitor})
      if (*mon != "val_loss" && *mon != "loss")
        throw std::invalid_argument("callback monitor must be val_loss or loss");
  }
  return m;
}

ModelSpec load_model_spec(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open the model file");
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return parse_model_spec(ss.str(), path.string());
  } catch (const std::exception& e) {
    throw InputError(path, e.what());
  }
}

std::vector<int> model_input_shape(const ModelSpec& spec, const std::vector<int>& s) {
  if (spec.input == "vector") {
    return {static_cast<int>(shape_size(s))};
  }
  if (spec.input == "vector_as_sequence") return {static_cast<int>(shape_size(s)), 1};
  if (s.size() != 2) throw std::invalid_argument("model '" + spec.name + "' wants (time, channels) sequences, got samples of shape " + shape_string(s));
  return s;
}

}  // namespace gtzan::engine
