// The experiment runner: config parsing and errors, the protocols' splits, and a tiny
// end-to-end --quick grid (records for every cell, deterministic, resumable, reports).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

#include "core/error.hpp"
#include "experiments/config.hpp"
#include "experiments/protocol.hpp"
#include "experiments/report.hpp"
#include "experiments/runner.hpp"
#include "ml/splits.hpp"

namespace fs = std::filesystem;
using namespace gtzan::experiments;

namespace {

const fs::path kSource = GTZAN_SOURCE_DIR;

std::string error_of(const std::string& toml) {
  try {
    parse_config(toml, "bad.toml", false);
  } catch (const gtzan::InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kMinimal = "subsets = [\"all\"]\nprotocols = [\"seed\"]\nmodels = [\"svm\"]\n";

}  // namespace

TEST_CASE("seed_table.toml and honest.toml parse; --quick merges [quick]") {
  const auto full = load_config(kSource / "experiments" / "seed_table.toml", false);
  CHECK(full.subsets == std::vector<std::string>{"all", "classical_metal", "disco_pop"});
  CHECK(full.segment_seconds == std::vector<double>{30, 3});
  CHECK(full.protocols == std::vector<std::string>{"seed"});
  CHECK(full.models.size() == 10);
  CHECK(full.seed == 42);
  CHECK(full.xgboost.n_estimators == 1000);
  CHECK(full.lstm.segment_seconds == std::vector<double>{3, 5, 30});
  CHECK(full.lstm.frames_per_30s == 1300);
  CHECK(fs::exists(full.cnn1d.spec));
  const auto quick = load_config(kSource / "experiments" / "seed_table.toml", true);
  CHECK(quick.quick);
  CHECK(quick.xgboost.n_estimators == 20);
  CHECK(quick.cnn1d.epochs == 2);
  CHECK(quick.data.synthetic_tracks_per_genre == 5);
  CHECK(quick.subsets == full.subsets);
  const auto honest = load_config(kSource / "experiments" / "honest.toml", false);
  CHECK(honest.protocols == std::vector<std::string>{"track_grouped", "cv5", "fault_filtered"});
  CHECK_NOTHROW(load_config(kSource / "experiments" / "honest.toml", true));
}

TEST_CASE("bad configs fail with the file and the key named") {
  CHECK(error_of(kMinimal).empty());
  CHECK(error_of(kMinimal + "modles = [\"svm\"]\n").find("key 'modles': unknown key") != std::string::npos);
  CHECK(error_of("protocols = [\"seed\"]\nmodels = [\"svm\"]\n").find("key 'subsets': missing") != std::string::npos);
  CHECK(error_of("subsets = [\"all\"]\nprotocols = [\"seed\"]\nmodels = [\"svn\"]\n").find("key 'models': unknown name 'svn'") !=
        std::string::npos);
  CHECK(error_of(kMinimal + "[xgboost]\nn_estimators = \"many\"\n").find("key 'xgboost.n_estimators': must be an integer") !=
        std::string::npos);
  CHECK(error_of(kMinimal + "[data]\ntest_size = 1.5\n").find("key 'data.test_size'") != std::string::npos);
  CHECK(error_of(kMinimal + "[quick.svm]\nc = 1.0\n").empty());  // [quick] is checked only when merged
  CHECK_THROWS_AS(parse_config(kMinimal + "[quick.svm]\nc = 1.0\n", "bad.toml", true), gtzan::InputError);
  CHECK(error_of(kMinimal + "segment_seconds = [30, -3]\n").find("key 'segment_seconds'") != std::string::npos);
  CHECK(error_of("subsets = [\"all\"\n").find("bad.toml") != std::string::npos);  // syntax error names the file
  CHECK(error_of(kMinimal + "[lstm]\nframes = 10\n").find("key 'lstm.frames'") != std::string::npos);
}

TEST_CASE("the seed protocol's split is train_test_split(0.2, random_state=42) by row") {
  CellData d;
  const int n = 137;
  for (int i = 0; i < n; ++i) {
    d.y.push_back(i % 3);
    d.groups.push_back(i / 10);
    d.track_ids.push_back("t" + std::to_string(i / 10));
  }
  ExperimentConfig cfg = parse_config(kMinimal, "x.toml", false);
  std::string note;
  const auto folds = make_folds("seed", d, cfg, {}, &note);
  REQUIRE(folds.size() == 1);
  const auto ref = gtzan::ml::train_test_split(n, gtzan::ml::TestSize::of_fraction(0.2), 42);
  CHECK(folds[0].train == ref.train);
  CHECK(folds[0].test == ref.test);
  CHECK(folds[0].test.size() == 28);  // ceil(0.2 * 137)
}

TEST_CASE("track_grouped and cv5 never put segments of one track on both sides") {
  CellData d;
  for (int t = 0; t < 37; ++t)
    for (int s = 0; s < 10; ++s) {
      d.y.push_back(t % 4);
      d.track_ids.push_back("track" + std::to_string(1000 + t * 7 % 37));
    }
  d.groups = gtzan::ml::encode_sorted(d.track_ids);
  ExperimentConfig cfg = parse_config(kMinimal, "x.toml", false);
  for (const std::string p : {"track_grouped", "cv5"}) {
    std::string note;
    const auto folds = make_folds(p, d, cfg, {}, &note);
    REQUIRE(folds.size() == (p == "cv5" ? 5u : 1u));
    std::vector<int> tested(d.y.size(), 0);
    for (const auto& f : folds) {
      std::set<std::string> train_tracks;
      for (int i : f.train) train_tracks.insert(d.track_ids[i]);
      for (int i : f.test) {
        CHECK(train_tracks.count(d.track_ids[i]) == 0);
        ++tested[i];
      }
      CHECK(f.train.size() + f.test.size() == d.y.size());
    }
    if (p == "cv5")
      for (int c : tested) CHECK(c == 1);
  }
  // The leaky seed split does mix tracks (the study's flaw 1).
  std::string note;
  const auto seed = make_folds("seed", d, cfg, {}, &note)[0];
  std::set<std::string> train_tracks;
  for (int i : seed.train) train_tracks.insert(d.track_ids[i]);
  int shared = 0;
  for (int i : seed.test) shared += train_tracks.count(d.track_ids[i]) ? 1 : 0;
  CHECK(shared > 0);
}

TEST_CASE("fault_filtered is skipped with a note when no filename matches") {
  CellData d;
  for (int i = 0; i < 20; ++i) {
    d.y.push_back(i % 2);
    d.track_ids.push_back("synthetic" + std::to_string(i));
  }
  d.groups = gtzan::ml::encode_sorted(d.track_ids);
  FilteredSplit f;
  f.train = {"blues.00000", "blues.00001"};
  f.test = {"blues.00002"};
  std::string note;
  const auto folds = make_folds("fault_filtered", d, parse_config(kMinimal, "x.toml", false), f, &note);
  CHECK(folds.empty());
  CHECK(note.find("fault-filtered") != std::string::npos);
}

TEST_CASE("the fault-filtered lists ship with the repository and are found by default") {
  // From the build folder (inside the checkout), with no GTZAN_SPLITS_DIR: the default is the
  // repository's data/gtzan/splits, and the lists are Kereliuk et al.'s 443 + 197 / 290 tracks.
  ::unsetenv("GTZAN_SPLITS_DIR");
  const fs::path dir = default_splits_dir();
  CHECK(fs::equivalent(dir, kSource / "data" / "gtzan" / "splits"));
  const FilteredSplit s = load_fault_filtered(dir);
  CHECK(s.train.size() == 443 + 197);
  CHECK(s.test.size() == 290);
  CHECK(s.train.front() == "blues.00029");  // the lists name tracks as blues/blues.00029.au
}

TEST_CASE("quick seed table end to end: every cell, deterministic, resumable, reports") {
  const fs::path base = fs::temp_directory_path() / ("gtzan_test_experiments_" + std::to_string(::getpid()));
  fs::remove_all(base);
  const auto cfg = load_config(kSource / "experiments" / "seed_table.toml", true);
  RunOptions opt;
  opt.threads = 2;
  opt.progress = false;
  // The audio outside both output folders, so the second run can reuse the first's feature
  // cache (extraction's determinism is tested elsewhere; this checks the models').
  opt.data = ensure_synthetic(base / "synth", cfg.data);
  opt.out = base / "a";
  const auto s1 = run_experiment(cfg, opt);
  const int expected = 3 * (2 * 9 + 2);  // subsets x (lengths x table models + LSTM lengths)
  CHECK(s1.cells == expected);
  CHECK(s1.computed == expected);

  auto load = [](const fs::path& p) {
    std::ifstream in(p / "results.json");
    return nlohmann::json::parse(in)["records"];
  };
  const auto a = load(opt.out);
  REQUIRE(static_cast<int>(a.size()) == expected);
  std::set<std::string> cells;
  for (const auto& r : a) {
    CHECK_FALSE(r.value("skipped", false));
    const double acc = r.at("accuracy");
    CHECK(acc >= 0.0);
    CHECK(acc <= 1.0);
    CHECK(r.at("macro_f1").get<double>() <= 1.0);
    CHECK(r.contains("confusion"));
    CHECK(r.contains("per_class"));
    if (r["model"] == "lstm") CHECK(r.contains("train_accuracy"));
    cells.insert(r["subset"].get<std::string>() + "|" + std::to_string(r["segment_seconds"].get<double>()) + "|" +
                 r["protocol"].get<std::string>() + "|" + r["model"].get<std::string>());
  }
  CHECK(static_cast<int>(cells.size()) == expected);

  // Resume: nothing is recomputed.
  const auto s2 = run_experiment(cfg, opt);
  CHECK(s2.computed == 0);
  CHECK(s2.resumed == expected);

  // A fresh folder gives the same numbers (one subset, to keep the test short: a cell's key
  // and result do not depend on the rest of the grid).
  auto cfg_b = cfg;
  cfg_b.subsets = {"disco_pop"};
  opt.out = base / "b";
  fs::create_directories(opt.out / "cache");
  for (const auto& e : fs::directory_iterator(base / "a" / "cache"))
    if (e.is_regular_file()) fs::copy_file(e.path(), opt.out / "cache" / e.path().filename());
  const auto s3 = run_experiment(cfg_b, opt);
  CHECK(s3.computed == expected / 3);
  const auto b = load(opt.out);
  REQUIRE(static_cast<int>(b.size()) == expected / 3);
  for (const auto& rb : b) {
    const nlohmann::json* ra = nullptr;
    for (const auto& r : a)
      if (r["key"] == rb["key"]) ra = &r;
    REQUIRE(ra != nullptr);
    CHECK((*ra)["accuracy"] == rb["accuracy"]);
    CHECK((*ra)["confusion"] == rb["confusion"]);
    CHECK((*ra)["macro_f1"] == rb["macro_f1"]);
  }

  // Reports from results.json only.
  render_report(base / "a");
  std::ifstream html(base / "a" / "report.html"), md(base / "a" / "report.md");
  std::stringstream h, m;
  h << html.rdbuf();
  m << md.rdbuf();
  CHECK(h.str().find("<svg") != std::string::npos);
  CHECK(m.str().find("ours − study") != std::string::npos);
  CHECK(m.str().find("73.0") != std::string::npos);  // the study's all-ten 30-s SVM
  fs::remove_all(base);
}
