// `gtzan bench features`: feature throughput on synthetic clips held in memory, so only the
// feature computation is timed (decode is timed separately), with a per-node breakdown.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>

#include "backend/feature_backend.hpp"
#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "features/clip_graph.hpp"
#include "features/feature_set.hpp"
#include "synth/synth.hpp"

namespace gtzan::cli {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

std::string utc_now() {
  char buf[32];
  const std::time_t t = std::time(nullptr);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace

Action add_bench(CLI::App& app) {
  struct Opts {
    std::string device = "cpu", set = "core", json;
    int clips = 20, threads = 1, repeats = 1;
    double seconds = 30.0;
  };
  auto o = std::make_shared<Opts>();
  auto* bench = app.add_subcommand("bench", "Benchmarks (feature and training throughput)");
  bench->require_subcommand(1);
  Action train_action;
  auto* train_sub = add_bench_train(*bench, train_action);
  auto* sub = bench->add_subcommand("features", "Feature throughput on in-memory synthetic clips");
  sub->footer(
      "Examples:\n"
      "  gtzan bench features --set core --clips 20 --threads 1 --json bench/results/cpu_core.json\n"
      "  gtzan bench features --set core --clips 100 --threads 0     # all cores\n"
      "Clips are synthesised in memory (decode is not timed); the JSON holds clips/s, seconds per\n"
      "clip and a per-node breakdown of one clip.");
  sub->add_option("--device", o->device, "cpu | cuda | auto")->capture_default_str();
  sub->add_option("--set", o->set, "Feature set")->capture_default_str();
  sub->add_option("--clips", o->clips, "Number of clips")->check(CLI::Range(1, 100000))->capture_default_str();
  sub->add_option("--seconds", o->seconds, "Clip length in seconds")->capture_default_str();
  sub->add_option("--threads", o->threads, "Worker threads (0 = all cores)")->capture_default_str();
  sub->add_option("--repeats", o->repeats, "Timed repetitions (best is reported)")->capture_default_str();
  sub->add_option("--json", o->json, "Write the results as JSON here");
  return [o, train_sub, train_action] {
    if (train_sub->parsed()) return train_action();
    const auto& set = features::find_feature_set(o->set);
    std::vector<std::vector<float>> owned;
    for (int i = 0; i < o->clips; ++i) owned.push_back(synth::synth_track(i % 10, i / 10, o->seconds, 42));
    std::vector<std::span<const float>> clips(owned.begin(), owned.end());
    auto be = backend::make_backend(backend::parse_device(o->device), o->threads);
    const int threads = o->threads > 0 ? o->threads : backend::default_threads();

    be->compute_rows(set, {clips.front()});  // warm-up: plans, filter banks, page faults
    double best = 1e300;
    for (int r = 0; r < std::max(1, o->repeats); ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto rows = be->compute_rows(set, clips);
      best = std::min(best, seconds_since(t0));
      for (const auto& row : rows)
        if (!row.error.empty()) throw std::runtime_error("bench: a clip failed: " + row.error);
    }

    // Per-node breakdown on one clip, in dependency order (each timed once, cached after).
    nlohmann::json nodes = nlohmann::json::object();
    if (be->name() == "cpu") {
      features::ClipGraph graph(clips.front());
      for (const auto& f : set.frames()) {
        const auto t0 = std::chrono::steady_clock::now();
        graph.frame(f);
        nodes[f] = seconds_since(t0) * 1e3;
      }
    }
    nlohmann::json j = {
        {"benchmark", "features"}, {"date", utc_now()}, {"device", be->name()},
        {"cpu", cpu_model()}, {"gpu", backend::cuda_device_name()}, {"set", set.name},
        {"columns", set.columns.size()}, {"clips", o->clips}, {"clip_seconds", o->seconds},
        {"threads", threads}, {"seconds_total", best}, {"seconds_per_clip", best / o->clips},
        {"clips_per_second", o->clips / best}, {"node_ms_first_clip", nodes}};
    std::printf("%s\n", j.dump(2).c_str());
    if (!o->json.empty())
      write_file_atomically(o->json, [&](std::ostream& out) { out << j.dump(2) << '\n'; });
    return 0;
  };
}

}  // namespace gtzan::cli
