// `gtzan experiment` (run a grid, resumable) and `gtzan report` (re-render from results.json).
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "experiments/config.hpp"
#include "experiments/report.hpp"
#include "experiments/runner.hpp"

namespace gtzan::cli {

Action add_experiment(CLI::App& app) {
  struct Opts {
    std::string config, out, data, splits, device = "cpu";
    std::vector<std::string> features;
    bool quick = false, quiet = false;
    int threads = 0;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("experiment", "Run an experiment grid (subsets x lengths x protocols x models)");
  sub->footer(
      "Examples:\n"
      "  gtzan experiment experiments/seed_table.toml --out runs/demo --quick     # synthetic, < 2 min\n"
      "  gtzan experiment experiments/seed_table.toml --out runs/gtzan --data ~/gtzan/Data   # GTZAN audio\n"
      "  gtzan experiment experiments/seed_table.toml --out runs/kaggle \\\n"
      "        --features data/gtzan/features_30_sec.csv --features ~/gtzan/Data/features_3_sec.csv\n"
      "  gtzan experiment experiments/honest.toml --out runs/honest --data ~/gtzan/Data\n"
      "Without --data or --features the synthetic dataset is generated into OUT/cache.\n"
      "Writes OUT/results.json after every cell (a rerun skips finished cells), then\n"
      "OUT/report.md and OUT/report.html. Protocols: seed (the study's, leaky), track_grouped,\n"
      "cv5 (GroupKFold by track, mean +- 95% CI), fault_filtered (artist/fault-filtered lists).");
  sub->add_option("config", o->config, "Experiment TOML")->required();
  sub->add_option("--out", o->out, "Output folder")->required();
  auto* data = sub->add_option("--data", o->data, "Audio: a GTZAN tree (genres_original/<genre>/*.wav)");
  sub->add_option("--features", o->features, "Feature CSV(s): Kaggle's or ours (repeatable)")->excludes(data);
  sub->add_option("--splits", o->splits, "Folder of the fault-filtered lists (default: the repository's data/gtzan/splits)");
  sub->add_flag("--quick", o->quick, "Use the config's [quick] overrides (small, fast)");
  sub->add_option("--device", o->device, "cpu | cuda (networks)")->check(CLI::IsMember({"cpu", "cuda", "auto"}))
      ->capture_default_str();
  sub->add_option("--threads", o->threads, "CPU threads (0 = all cores)")->check(CLI::Range(0, 1024))
      ->capture_default_str();
  sub->add_flag("--quiet", o->quiet, "No per-cell progress lines");
  return [o] {
    const auto cfg = experiments::load_config(o->config, o->quick);
    experiments::RunOptions r;
    r.out = o->out;
    r.data = o->data;
    for (const auto& f : o->features) r.features.emplace_back(f);
    r.splits_dir = o->splits;
    r.device = o->device;
    r.threads = o->threads;
    r.progress = !o->quiet;
    const auto s = experiments::run_experiment(cfg, r);
    experiments::render_report(o->out);
    std::fprintf(stderr,
                 "experiment: %d cells (%d computed, %d resumed, %d skipped) in %.1f s; "
                 "%s/results.json, report.md, report.html\n",
                 s.cells, s.computed, s.resumed, s.skipped, s.seconds, o->out.c_str());
    return 0;
  };
}

Action add_report(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("report", "Re-render DIR/report.md and DIR/report.html from DIR/results.json");
  sub->add_option("dir", *dir, "Experiment output folder")->required();
  return [dir] {
    experiments::render_report(*dir);
    std::fprintf(stderr, "report: wrote %s/report.md and %s/report.html\n", dir->c_str(), dir->c_str());
    return 0;
  };
}

}  // namespace gtzan::cli
