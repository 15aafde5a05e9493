// Reading an experiment grid from TOML: TOML -> JSON, [quick] merged over the root, then every
// key checked against what is known (errors name the file and the dotted key).
#include "experiments/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.hpp"

namespace gtzan::experiments {
namespace {

using nlohmann::json;

json to_json(const toml::node& n) {
  if (const auto* t = n.as_table()) {
    json j = json::object();
    for (const auto& [k, v] : *t) j[std::string(k.str())] = to_json(v);
    return j;
  }
  if (const auto* a = n.as_array()) {
    json j = json::array();
    for (const auto& v : *a) j.push_back(to_json(v));
    return j;
  }
  if (auto v = n.value_exact<std::string>()) return *v;
  if (auto v = n.value_exact<int64_t>()) return *v;
  if (auto v = n.value_exact<double>()) return *v;
  if (auto v = n.value_exact<bool>()) return *v;
  return json(nullptr);  // dates and times: rejected by the key checks
}

void merge_over(json& base, const json& over) {
  for (auto it = over.begin(); it != over.end(); ++it) {
    if (it->is_object() && base.contains(it.key()) && base[it.key()].is_object())
      merge_over(base[it.key()], *it);
    else
      base[it.key()] = *it;
  }
}

struct Reader {
  std::filesystem::path file;
  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    throw InputError(file, "key '" + key + "': " + why);
  }
  void only(const json& t, const std::string& prefix, const std::set<std::string>& keys) const {
    for (auto it = t.begin(); it != t.end(); ++it)
      if (!keys.count(it.key()))
        fail(prefix + it.key(), "unknown key (known: " + [&] {
          std::string s;
          for (const auto& k : keys) s += (s.empty() ? "" : ", ") + k;
          return s;
        }() + ")");
  }
  const json* table(const json& t, const std::string& key, const std::string& prefix) const {
    if (!t.contains(key)) return nullptr;
    if (!t[key].is_object()) fail(prefix + key, "must be a table");
    return &t[key];
  }
  double number(const json& t, const std::string& key, const std::string& prefix, double dflt,
                double lo, double hi) const {
    if (!t.contains(key)) return dflt;
    if (!t[key].is_number()) fail(prefix + key, "must be a number");
    const double v = t[key].get<double>();
    if (!(v >= lo && v <= hi)) fail(prefix + key, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v;
  }
  int integer(const json& t, const std::string& key, const std::string& prefix, int dflt, int lo,
              int hi) const {
    if (!t.contains(key)) return dflt;
    if (!t[key].is_number_integer()) fail(prefix + key, "must be an integer");
    const auto v = t[key].get<int64_t>();
    if (v < lo || v > hi) fail(prefix + key, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return static_cast<int>(v);
  }
  std::string string(const json& t, const std::string& key, const std::string& prefix,
                     const std::string& dflt) const {
    if (!t.contains(key)) return dflt;
    if (!t[key].is_string()) fail(prefix + key, "must be a string");
    return t[key].get<std::string>();
  }
  std::vector<std::string> names(const json& t, const std::string& key, const std::vector<std::string>& known,
                                 std::vector<std::string> dflt, bool required) const {
    if (!t.contains(key)) {
      if (required) fail(key, "missing");
      return dflt;
    }
    if (!t[key].is_array() || t[key].empty()) fail(key, "must be a non-empty array of strings");
    std::vector<std::string> out;
    for (const auto& v : t[key]) {
      if (!v.is_string()) fail(key, "must be an array of strings");
      const auto s = v.get<std::string>();
      if (std::find(known.begin(), known.end(), s) == known.end()) {
        std::string k;
        for (const auto& n : known) k += (k.empty() ? "" : ", ") + n;
        fail(key, "unknown name '" + s + "' (known: " + k + ")");
      }
      if (std::find(out.begin(), out.end(), s) != out.end()) fail(key, "'" + s + "' listed twice");
      out.push_back(s);
    }
    return out;
  }
  std::vector<double> lengths(const json& t, const std::string& key, const std::string& prefix,
                              std::vector<double> dflt) const {
    if (!t.contains(key)) return dflt;
    if (!t[key].is_array() || t[key].empty()) fail(prefix + key, "must be a non-empty array of seconds");
    std::vector<double> out;
    for (const auto& v : t[key]) {
      if (!v.is_number() || v.get<double>() <= 0 || v.get<double>() > 3600)
        fail(prefix + key, "every entry must be a number of seconds in (0, 3600]");
      out.push_back(v.get<double>());
    }
    return out;
  }
  NetConfig net(const json& root, const std::string& key, NetConfig dflt) const {
    const json* t = table(root, key, "");
    if (!t) return dflt;
    std::set<std::string> keys = {"spec", "epochs"};
    if (key == "lstm") keys.insert({"frames_per_30s", "segment_seconds"});
    only(*t, key + ".", keys);
    NetConfig n;
    n.spec = string(*t, "spec", key + ".", dflt.spec.string());
    if (n.spec.is_relative()) n.spec = file.parent_path() / n.spec;
    n.epochs = integer(*t, "epochs", key + ".", dflt.epochs, 0, 100000);
    return n;
  }
};

}  // namespace

const std::vector<std::string>& known_subsets() {
  static const std::vector<std::string> v = {"all", "classical_metal", "disco_pop"};
  return v;
}
const std::vector<std::string>& known_protocols() {
  static const std::vector<std::string> v = {"seed", "track_grouped", "cv5", "fault_filtered"};
  return v;
}
const std::vector<std::string>& known_models() {
  static const std::vector<std::string> v = {"svm", "cnn1d", "dense", "xgboost", "rf", "soft",
                                             "hard", "weighted", "stacked", "lstm"};
  return v;
}
bool is_ensemble(const std::string& m) {
  return m == "soft" || m == "hard" || m == "weighted" || m == "stacked";
}

std::vector<std::string> subset_genres(const std::string& subset) {
  if (subset == "classical_metal") return {"classical", "metal"};
  if (subset == "disco_pop") return {"disco", "pop"};
  return {"blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"};
}

ExperimentConfig parse_config(const std::string& text, const std::filesystem::path& source, bool quick) {
  json root;
  try {
    root = to_json(toml::parse(text, source.string()));
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "TOML syntax error at line " << e.source().begin.line << ": " << e.description();
    throw InputError(source, msg.str());
  }
  Reader r{source};
  if (root.contains("quick")) {
    if (!root["quick"].is_object()) r.fail("quick", "must be a table");
    if (root["quick"].contains("quick")) r.fail("quick.quick", "nested [quick] is not allowed");
    if (quick) merge_over(root, root["quick"]);
    root.erase("quick");
  }
  r.only(root, "", {"name", "description", "seed", "subsets", "segment_seconds", "protocols", "models",
                    "ensemble_members", "folds", "data", "svm", "xgboost", "rf", "cnn1d", "dense", "lstm"});
  ExperimentConfig c;
  c.source = source;
  c.quick = quick;
  c.name = r.string(root, "name", "", source.stem().string());
  c.description = r.string(root, "description", "", "");
  if (root.contains("seed") && !(root["seed"].is_number_integer() && root["seed"].get<int64_t>() >= 0 &&
                                 root["seed"].get<int64_t>() <= 4294967295LL))
    r.fail("seed", "must be an integer in [0, 2^32)");
  c.seed = root.value("seed", int64_t{42});
  c.subsets = r.names(root, "subsets", known_subsets(), {}, true);
  c.protocols = r.names(root, "protocols", known_protocols(), {}, true);
  c.models = r.names(root, "models", known_models(), {}, true);
  c.ensemble_members = r.names(root, "ensemble_members", {"svm", "cnn1d", "dense", "xgboost", "rf"},
                               c.ensemble_members, false);
  c.segment_seconds = r.lengths(root, "segment_seconds", "", {30, 3});
  c.folds = r.integer(root, "folds", "", 5, 2, 100);
  if (const json* d = r.table(root, "data", "")) {
    r.only(*d, "data.", {"feature_set", "track_seconds", "synthetic_tracks_per_genre", "synthetic_seconds",
                         "synthetic_seed", "pca_components", "test_size"});
    c.data.feature_set = r.string(*d, "feature_set", "data.", c.data.feature_set);
    c.data.track_seconds = r.number(*d, "track_seconds", "data.", c.data.track_seconds, 0.5, 3600);
    c.data.synthetic_tracks_per_genre =
        r.integer(*d, "synthetic_tracks_per_genre", "data.", c.data.synthetic_tracks_per_genre, 2, 100000);
    c.data.synthetic_seconds = r.number(*d, "synthetic_seconds", "data.", c.data.synthetic_seconds, 0.5, 3600);
    c.data.synthetic_seed = r.integer(*d, "synthetic_seed", "data.", 42, 0, 2147483647);
    c.data.pca_components = r.integer(*d, "pca_components", "data.", c.data.pca_components, 0, 64);
    c.data.test_size = r.number(*d, "test_size", "data.", c.data.test_size, 0.01, 0.99);
  }
  if (const json* t = r.table(root, "svm", "")) {
    r.only(*t, "svm.", {"C"});
    c.svm.C = r.number(*t, "C", "svm.", c.svm.C, 1e-12, 1e12);
  }
  if (const json* t = r.table(root, "xgboost", "")) {
    r.only(*t, "xgboost.", {"n_estimators", "learning_rate"});
    c.xgboost.n_estimators = r.integer(*t, "n_estimators", "xgboost.", c.xgboost.n_estimators, 1, 1000000);
    c.xgboost.learning_rate = r.number(*t, "learning_rate", "xgboost.", c.xgboost.learning_rate, 1e-9, 1);
  }
  if (const json* t = r.table(root, "rf", "")) {
    r.only(*t, "rf.", {"n_trees"});
    c.rf.n_trees = r.integer(*t, "n_trees", "rf.", c.rf.n_trees, 1, 1000000);
  }
  const auto models_dir = std::filesystem::path("models");
  c.cnn1d = r.net(root, "cnn1d", {source.parent_path() / models_dir / "seed_cnn1d.toml", 0});
  c.dense = r.net(root, "dense", {source.parent_path() / models_dir / "seed_dense.toml", 0});
  const NetConfig l = r.net(root, "lstm", {source.parent_path() / models_dir / "seed_lstm.toml", 0});
  c.lstm.spec = l.spec;
  c.lstm.epochs = l.epochs;
  if (const json* t = r.table(root, "lstm", "")) {
    c.lstm.frames_per_30s = r.integer(*t, "frames_per_30s", "lstm.", c.lstm.frames_per_30s, 1, 1000000);
    c.lstm.segment_seconds = r.lengths(*t, "segment_seconds", "lstm.", c.lstm.segment_seconds);
  }
  if (c.data.feature_set.empty()) r.fail("data.feature_set", "must not be empty");
  for (const auto& m : c.models)
    if (is_ensemble(m) && c.ensemble_members.size() < 2) r.fail("ensemble_members", "an ensemble needs at least two members");
  c.resolved = root;
  c.resolved["quick"] = quick;
  return c;
}

ExperimentConfig load_config(const std::filesystem::path& path, bool quick) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the experiment config");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), path, quick);
}

}  // namespace gtzan::experiments
