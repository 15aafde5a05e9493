#include "experiments/runner.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "experiments/data.hpp"
#include "experiments/protocol.hpp"
#include "jobs/extract_features.hpp"

namespace gtzan::experiments {
namespace fs = std::filesystem;
using nlohmann::json;

ResultStore::ResultStore(fs::path path) : path_(std::move(path)) {
  doc_ = {{"records", json::array()}};
  if (fs::exists(path_)) {
    std::ifstream in(path_);
    try {
      doc_ = json::parse(in);
    } catch (const std::exception& e) {
      throw InputError(path_, std::string("not valid JSON: ") + e.what());
    }
    if (!doc_.is_object() || !doc_.contains("records") || !doc_["records"].is_array())
      throw InputError(path_, "expected {\"records\": [...]}");
  }
}

const json* ResultStore::find(const std::string& key) const {
  for (const auto& r : doc_["records"])
    if (r.value("key", "") == key) return &r;
  return nullptr;
}

void ResultStore::put(json record) {
  auto& recs = doc_["records"];
  bool replaced = false;
  for (auto& r : recs)
    if (r.value("key", "") == record.value("key", "")) {
      r = record;
      replaced = true;
    }
  if (!replaced) recs.push_back(std::move(record));
  write();
}

void ResultStore::write() const {
  write_file_atomically(path_, [&](std::ostream& o) { o << doc_.dump(1) << '\n'; });
}

namespace {

using Clock = std::chrono::steady_clock;

struct Grid {
  const ExperimentConfig& cfg;
  const RunOptions& opt;
  DataSource& src;
  FilteredSplit filtered;
  RunContext ctx;
  ResultStore store;
  RunSummary sum;
  int total = 0, done = 0;
  Clock::time_point start = Clock::now();
  double computed_seconds = 0;

  void report(const json& rec, bool resumed) {
    ++done;
    const double el = std::chrono::duration<double>(Clock::now() - start).count();
    std::string what;
    if (rec.value("skipped", false)) what = "skipped: " + rec.value("note", "");
    else {
      char b[160];
      std::snprintf(b, sizeof b, "accuracy %.3f%s", rec.value("accuracy", 0.0),
                    rec.contains("track_accuracy") ? (", per track " + jobs::format_value(
                        std::round(rec["track_accuracy"].get<double>() * 1000) / 1000)).c_str() : "");
      what = b;
    }
    const int computed = sum.computed;
    const double eta = computed > 0 ? el / computed * (total - done) : 0.0;
    if (opt.progress)
      std::fprintf(stderr, "experiment: [%d/%d] %s %gs %s %s: %s%s (elapsed %.0f s, ETA %.0f s)\n", done, total,
                   rec.value("subset", "").c_str(), rec.value("segment_seconds", 0.0),
                   rec.value("protocol", "").c_str(), rec.value("model", "").c_str(), what.c_str(),
                   resumed ? " [resumed]" : "", el, eta);
  }

  void group(const std::string& subset, double seconds, const std::string& protocol,
             const std::vector<std::string>& models, bool sequences) {
    std::string note;
    auto data = src.cell_data(subset, seconds, sequences, &note);
    json base = {{"subset", subset}, {"segment_seconds", seconds}, {"protocol", protocol},
                 {"data", data ? data->fingerprint : "none"}, {"test_size", cfg.data.test_size},
                 {"pca", sequences ? 0 : cfg.data.pca_components}, {"folds", cfg.folds},
                 {"seed", cfg.seed}, {"track_seconds", cfg.data.track_seconds}};
    std::vector<Fold> folds;
    if (data) folds = make_folds(protocol, *data, cfg, filtered, &note);
    auto key_of = [&](const std::string& m) {
      json k = base;
      k["model"] = m;
      if (is_ensemble(m)) {
        json mem = json::array();
        for (const auto& b : cfg.ensemble_members) mem.push_back(model_fingerprint(b, cfg));
        k["members"] = mem;
      } else {
        k["params"] = model_fingerprint(m, cfg);
      }
      return hash_hex(k.dump());
    };
    auto header = [&](const std::string& m) {
      return json{{"key", key_of(m)}, {"subset", subset}, {"segment_seconds", seconds}, {"protocol", protocol},
                  {"model", m}};
    };
    if (folds.empty()) {
      for (const auto& m : models) {
        const auto* old = store.find(key_of(m));
        json rec = old ? *old : header(m);
        if (!old) {
          rec["skipped"] = true;
          rec["note"] = note;
          store.put(rec);
          ++sum.skipped;
        } else {
          ++sum.resumed;
        }
        report(rec, old != nullptr);
      }
      return;
    }
    bool pending = false;
    for (const auto& m : models) pending = pending || !store.find(key_of(m));
    if (!pending) {
      for (const auto& m : models) {
        ++sum.resumed;
        report(*store.find(key_of(m)), true);
      }
      return;
    }
    GroupRunner gr(*data, protocol, folds, cfg, ctx, sequences);
    bool needs_ens = false;
    for (const auto& m : models) needs_ens = needs_ens || is_ensemble(m);
    std::map<std::string, std::vector<FoldOutput>> outputs;
    auto get_base = [&](const std::string& m) -> const std::vector<FoldOutput>& {
      if (auto it = outputs.find(m); it != outputs.end()) return it->second;
      const fs::path art = opt.out / "cache" / "outputs" / (key_of(m) + (needs_ens ? "_ens" : "") + ".json");
      if (fs::exists(art)) {
        std::ifstream in(art);
        return outputs[m] = folds_from_json(json::parse(in));
      }
      auto out = gr.run_base(m, needs_ens);
      fs::create_directories(art.parent_path());
      write_file_atomically(art, [&](std::ostream& o) { o << to_json(out).dump() << '\n'; });
      return outputs[m] = std::move(out);
    };
    for (const auto& m : models) {
      if (const auto* old = store.find(key_of(m))) {
        ++sum.resumed;
        report(*old, true);
        continue;
      }
      std::vector<FoldOutput> out;
      if (is_ensemble(m)) {
        std::vector<const std::vector<FoldOutput>*> mem;
        for (const auto& b : cfg.ensemble_members) mem.push_back(&get_base(b));
        out = gr.run_ensemble(m, mem);
      } else {
        out = get_base(m);
      }
      json rec = header(m);
      rec.update(gr.score(out));
      if (is_ensemble(m)) rec["members"] = cfg.ensemble_members;
      if (m == "lstm")
        rec["accuracy_label"] = "held-out test accuracy; train_accuracy = last-epoch training accuracy "
                                "(the figure the study printed)";
      store.put(rec);
      ++sum.computed;
      report(rec, false);
    }
  }
};

}  // namespace

RunSummary run_experiment(const ExperimentConfig& cfg, const RunOptions& opt) {
  const auto t0 = Clock::now();
  fs::create_directories(opt.out / "cache");
  bool synthetic = false;
  DataSource src = [&] {
    if (!opt.features.empty()) return DataSource::from_features(opt.features, cfg);
    fs::path audio = opt.data;
    if (audio.empty()) {
      const auto& d = cfg.data;
      const std::string tag = std::to_string(d.synthetic_tracks_per_genre) + "x" +
                              jobs::format_value(d.synthetic_seconds) + "s_seed" + std::to_string(d.synthetic_seed);
      synthetic = true;
      audio = ensure_synthetic(opt.out / "cache" / ("synthetic_" + tag), d);
    }
    return DataSource::from_audio(audio, opt.out / "cache", cfg, opt.threads);
  }();
  Grid g{cfg, opt, src, load_fault_filtered(opt.splits_dir.empty() ? default_splits_dir() : opt.splits_dir),
         RunContext{opt.device, opt.threads, opt.out / "cache" / "runs"}, ResultStore(opt.out / "results.json"),
         {}};
  if (synthetic)
    g.filtered.unavailable = "synthetic data: the artist/fault-filtered lists describe the real GTZAN tracks";
  std::vector<std::string> table_models;
  bool lstm = false;
  for (const auto& m : cfg.models) {
    if (m == "lstm") lstm = true;
    else table_models.push_back(m);
  }
  const int np = static_cast<int>(cfg.protocols.size()), ns = static_cast<int>(cfg.subsets.size());
  g.total = ns * np * (static_cast<int>(cfg.segment_seconds.size() * table_models.size()) +
                       (lstm ? static_cast<int>(cfg.lstm.segment_seconds.size()) : 0));
  write_file_atomically(opt.out / "experiment.json", [&](std::ostream& o) {
    o << json{{"config", cfg.source.string()}, {"name", cfg.name}, {"description", cfg.description},
              {"quick", cfg.quick}, {"data", src.description()}, {"settings", cfg.resolved},
              {"device", opt.device}, {"threads", opt.threads}}
             .dump(1)
      << '\n';
  });
  if (opt.progress)
    std::fprintf(stderr, "experiment: %s%s: %d cells on %s\n", cfg.name.c_str(), cfg.quick ? " (quick)" : "",
                 g.total, src.description().c_str());
  for (const auto& subset : cfg.subsets) {
    if (!table_models.empty())
      for (double len : cfg.segment_seconds)
        for (const auto& p : cfg.protocols) g.group(subset, len, p, table_models, false);
    if (lstm)
      for (double len : cfg.lstm.segment_seconds)
        for (const auto& p : cfg.protocols) g.group(subset, len, p, {"lstm"}, true);
  }
  g.sum.cells = g.total;
  g.sum.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return g.sum;
}

}  // namespace gtzan::experiments
