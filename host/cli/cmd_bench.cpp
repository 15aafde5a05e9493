// `gtzan bench features`: feature throughput on synthetic clips held in memory, so only the
// feature computation is timed (decode is timed separately), with a per-node breakdown.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>

#include "audio/audio_io.hpp"
#include "backend/feature_backend.hpp"
#include "backend/gpu_ops.hpp"
#include "backend/parallel.hpp"
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
    int clips = 20, threads = 1, repeats = 1, batch = 64, streams = 2, segments = 0;
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
      "  gtzan bench features --device cuda --set core --clips 1000 --json gpu_core.json\n"
      "  gtzan bench features --device cuda --set seed309 --clips 1000 --segments 10   # + 3-s rows\n"
      "Clips are synthesised in memory (decode is not timed: the figure is decoded PCM in RAM ->\n"
      "feature rows on the host). The JSON holds clips/s, seconds per clip, a per-node breakdown\n"
      "(one clip on the CPU, one batch on the GPU) and, for cuda, the CPU in the same run, the\n"
      "GPU/CPU ratio and the fraction of the PCIe copy limit reached.");
  sub->add_option("--device", o->device, "cpu | cuda | auto")->capture_default_str();
  sub->add_option("--set", o->set, "Feature set")->capture_default_str();
  sub->add_option("--clips", o->clips, "Number of clips")->check(CLI::Range(1, 100000))->capture_default_str();
  sub->add_option("--seconds", o->seconds, "Clip length in seconds")->capture_default_str();
  sub->add_option("--threads", o->threads, "Worker threads (0 = all cores)")->capture_default_str();
  sub->add_option("--batch", o->batch, "Clips per GPU launch")->check(CLI::Range(1, 100000))->capture_default_str();
  sub->add_option("--streams", o->streams, "GPU batches in flight at once")->check(CLI::Range(1, 16))->capture_default_str();
  sub->add_option("--segments", o->segments,
                  "Also compute the rows of N segments of every clip (numpy.array_split) in the same "
                  "pass: a track row and N segment rows per clip")->check(CLI::Range(0, 1000))->capture_default_str();
  sub->add_option("--repeats", o->repeats, "Timed repetitions (best is reported)")->capture_default_str();
  sub->add_option("--json", o->json, "Write the results as JSON here");
  return [o, train_sub, train_action] {
    if (train_sub->parsed()) return train_action();
    const auto& set = features::find_feature_set(o->set);
    std::vector<std::vector<float>> owned(static_cast<std::size_t>(o->clips));
    backend::parallel_for(owned.size(), backend::default_threads(), [&](std::size_t i) {
      owned[i] = synth::synth_track(static_cast<int>(i % 10), static_cast<int>(i / 10), o->seconds, 42);
    });
    // Each clip, then (with --segments) its segments as views into it: one pass, both tables.
    const std::size_t per_clip = 1 + static_cast<std::size_t>(o->segments);
    std::vector<std::span<const float>> clips;
    for (const auto& track : owned) {
      clips.emplace_back(track);
      if (o->segments > 0)
        for (const auto& piece : audio::array_split_views(track, static_cast<std::size_t>(o->segments)))
          clips.push_back(piece);
    }
    auto be = backend::make_backend(backend::parse_device(o->device), o->threads, &set, nullptr,
                                    o->batch, o->streams);
    const int threads = o->threads > 0 ? o->threads : backend::default_threads();
    auto time_rows = [&](backend::FeatureBackend& b, const std::vector<std::span<const float>>& cs) {
      b.compute_rows(set, {cs.front()});  // warm-up: plans, filter banks, page faults
      double best = 1e300;
      for (int r = 0; r < std::max(1, o->repeats); ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto rows = b.compute_rows(set, cs);
        best = std::min(best, seconds_since(t0));
        for (const auto& row : rows)
          if (!row.error.empty()) throw std::runtime_error("bench: a clip failed: " + row.error);
      }
      return best;
    };
    const double best = time_rows(*be, clips);

    // Per-node breakdown on the first clip (CPU) or the first batch (GPU), in the set's order;
    // each node is timed when first computed, so it includes inputs not computed before it.
    nlohmann::json nodes = nlohmann::json::object();
    nlohmann::json gpu;
    if (be->name() == "cpu") {
      features::ClipGraph graph(clips.front());
      for (const auto& f : set.frames()) {
        const auto t0 = std::chrono::steady_clock::now();
        graph.frame(f);
        nodes[f] = seconds_since(t0) * 1e3;
      }
    } else {
      const std::size_t batch = std::min<std::size_t>(clips.size(), static_cast<std::size_t>(o->batch) * per_clip);
      double compute_ms = 0;
      for (const auto& [name, ms] : backend::gpu_profile(set.frames(), {clips.begin(), clips.begin() + batch})) {
        nodes[name] = ms;
        if (name != "upload") compute_ms += ms;
      }
      // The CPU on a few of the same clips, in the same run, for the ratio.
      const std::size_t n_cpu = std::min<std::size_t>(o->clips, 2 * static_cast<std::size_t>(threads));
      auto cpu = backend::make_cpu_backend(threads);
      const double cpu_s = time_rows(*cpu, {clips.begin(), clips.begin() + n_cpu * per_clip}) / n_cpu;
      // Physical limit: the float32 audio must cross PCIe once (assumed 55 GB/s host->device,
      // PCIe 5 x16 in practice); the features that come back are negligible.
      double samples = 0;
      for (const auto& c : owned) samples += static_cast<double>(c.size());  // segments: no extra copy
      const double limit_s = samples * 4 / 55e9;
      gpu = {{"batch_profiled", batch}, {"streams", o->streams}, {"compute_ms_first_batch", compute_ms},
             {"cpu_seconds_per_clip_same_run", cpu_s}, {"cpu_clips_same_run", n_cpu},
             {"speedup_gpu_vs_cpu_all_threads", cpu_s / (best / o->clips)},
             {"pcie_limit_seconds", limit_s}, {"pcie_assumed_GBps", 55},
             {"fraction_of_physical_limit", limit_s / best}};
    }
    nlohmann::json j = {
        {"benchmark", "features"}, {"date", utc_now()}, {"device", be->name()},
        {"cpu", cpu_model()}, {"gpu", backend::cuda_device_name()}, {"set", set.name},
        {"columns", set.columns.size()}, {"clips", o->clips}, {"clip_seconds", o->seconds},
        {"segments_per_clip", o->segments}, {"rows", clips.size()},
        {"threads", threads}, {"gpu_batch", o->batch}, {"seconds_total", best}, {"seconds_per_clip", best / o->clips},
        {"clips_per_second", o->clips / best}, {"node_ms", nodes}};
    if (!gpu.is_null()) j["gpu_figures"] = gpu;
    if (be->name() == "cuda" && backend::cuda_device_name().find("emulated") != std::string::npos)
      j["emulated"] = "emulated CUDA on the CPU: these are not GPU timings";
    std::printf("%s\n", j.dump(2).c_str());
    if (!o->json.empty())
      write_file_atomically(o->json, [&](std::ostream& out) { out << j.dump(2) << '\n'; });
    return 0;
  };
}

}  // namespace gtzan::cli
