// `gtzan train` and `gtzan bench train`: the training engine from the command line.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "audio/dataset.hpp"
#include "cli/train_data.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "engine/trainer.hpp"
#include "features/feature_set.hpp"
#include "jobs/mfcc_sequences.hpp"
#include "predict/model_bundle.hpp"

namespace gtzan::cli {
namespace {

// bench/<name> from the working directory, else beside the build folder of this executable.
std::string find_bench_script(const std::string& name) {
  namespace fs = std::filesystem;
  if (fs::exists(fs::path("bench") / name)) return (fs::path("bench") / name).string();
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  for (auto dir = exe.parent_path(); !ec && !dir.empty() && dir != dir.root_path(); dir = dir.parent_path())
    if (fs::exists(dir / "bench" / name)) return (dir / "bench" / name).string();
  return (fs::path("bench") / name).string();
}

// The file's text (the model TOML copied into OUT so the folder is self-contained).
std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct TrainOpts {
  std::string model, features, audio, split = "seed", device = "cpu", out;
  int epochs = -1, threads = 0, pca = 3, segments = 0, frames = 0;
  double length = 30.0;
  uint64_t seed = 42;
  double test_size = 0.2;
  bool resume = false, quiet = false;
};

// Feature rows from a table: the split's data and the preprocessing record predict needs.
PreparedData feature_rows(const TrainOpts& o, predict::Preprocessing& pre) {
  const auto table = ml::read_feature_table(o.features);
  auto prepared = prepare_data(table, o.split, o.test_size, o.pca, static_cast<std::uint32_t>(o.seed));
  pre.input = predict::InputKind::FeatureRows;
  pre.columns = table.names;
  std::string missing;
  if (const auto* set = features::find_covering_set(table.names, &missing)) {
    pre.feature_set = set->name;
  } else if (!o.quiet) {
    std::fprintf(stderr, "train: note: no feature set computes column '%s' of %s, so `gtzan predict` will "
                 "take feature tables (--features) for this model, not audio\n", missing.c_str(), o.features.c_str());
  }
  pre.clips = clip_cutting_of(table, o.length);
  pre.scaling = prepared.scaling;
  pre.training = {{"features", o.features}, {"table_format", table.format == ml::TableFormat::Kaggle ? "kaggle" : "gtzan"},
                  {"rows", table.rows()}};
  return prepared;
}

// MFCC-13 sequences computed from audio (the LSTM), as the experiments compute them.
PreparedData sequences(const TrainOpts& o, predict::Preprocessing& pre) {
  pre.input = predict::InputKind::Mfcc13Sequences;
  pre.clips.length_seconds = o.length;
  pre.clips.segments = o.segments;
  if (o.length <= 0) throw std::invalid_argument("train --audio: --length must be positive (sequences have a fixed length)");
  pre.frames = o.frames > 0 ? o.frames : jobs::sequence_frames(pre.clips.clip_seconds());
  if (!o.quiet)
    std::fprintf(stderr, "train: MFCC-13 sequences of %s (%d frames per clip, %s)\n", o.audio.c_str(), pre.frames,
                 o.segments > 0 ? (std::to_string(o.segments) + " segments per file").c_str() : "whole files");
  auto seq = jobs::mfcc13_sequence_table(audio::scan_dataset(o.audio), pre.clips.extract_options(), pre.frames, o.threads);
  for (const auto& [file, why] : seq.failures) std::fprintf(stderr, "train: skipped %s: %s\n", file.c_str(), why.c_str());
  if (seq.table.rows() == 0) throw InputError(o.audio, "no file could be decoded");
  seq.table.source = o.audio;
  if (std::any_of(seq.table.genres.begin(), seq.table.genres.end(), [](const std::string& g) { return g.empty(); }))
    throw InputError(o.audio, "training needs labelled audio: files inside genre folders (<genre>/*.wav)");
  pre.training = {{"audio", o.audio}, {"rows", seq.table.rows()}, {"skipped_files", seq.failures.size()}};
  return prepare_sequences(seq.table, pre.frames, o.split, o.test_size, static_cast<std::uint32_t>(o.seed));
}

}  // namespace

Action add_train(CLI::App& app) {
  auto o = std::make_shared<TrainOpts>();
  auto* sub = app.add_subcommand("train", "Train a model (TOML) on a feature table or on audio (LSTM)");
  sub->footer(
      "Examples:\n"
      "  gtzan train --model experiments/models/seed_cnn1d.toml --features features_3s.csv --out runs/cnn\n"
      "  gtzan train --model experiments/models/seed_dense.toml --features data/gtzan/features_30_sec.csv \\\n"
      "              --split track --epochs 5 --seed 7 --out runs/dense\n"
      "  gtzan train --model experiments/models/seed_lstm.toml --audio ~/gtzan/Data --segments 10 --out runs/lstm\n"
      "  gtzan train ... --out runs/cnn --resume      # continue an interrupted run exactly\n"
      "Input: our feature CSV (filename,label,segment,...) or Kaggle's (filename,length,...,label);\n"
      "sequence models (input = \"sequence\") take --audio instead: MFCC-13 frames per clip.\n"
      "Seed protocol: MinMax on all rows, PCA(3) appended, 80/20 split (seed: by row; track: by track).\n"
      "Writes OUT/metrics.jsonl (per epoch), OUT/checkpoint.safetensors (per epoch),\n"
      "OUT/model.safetensors, OUT/result.json (test_accuracy, test_loss, epochs, seconds, ...), and\n"
      "for `gtzan predict`: OUT/model.toml (a copy) and OUT/preprocessing.json (columns, feature set,\n"
      "clip length and segments, fitted MinMax + PCA, class names).");
  sub->add_option("--model", o->model, "Model description (TOML)")->required();
  auto* features = sub->add_option("--features", o->features, "Feature table (CSV), for feature-row models");
  sub->add_option("--audio", o->audio, "Audio (GTZAN tree), for sequence models (the LSTM)")->excludes(features);
  sub->add_option("--length", o->length,
                  "Seconds each file was padded/trimmed to (gtzan features --length; with --audio: "
                  "the length used here)")->check(CLI::Range(0.0, 3600.0))->capture_default_str();
  sub->add_option("--segments", o->segments, "--audio: cut each file into N pieces (numpy.array_split; 0 = whole)")
      ->check(CLI::Range(0, 1000))->capture_default_str();
  sub->add_option("--frames", o->frames, "--audio: MFCC frames per clip (default 1300 per 30 s, scaled)")
      ->check(CLI::Range(0, 1000000));
  sub->add_option("--split", o->split, "seed (by row, as the study) | track (grouped by track)")
      ->check(CLI::IsMember({"seed", "track"}))->capture_default_str();
  sub->add_option("--test-size", o->test_size, "Test fraction")->check(CLI::Range(0.01, 0.99))->capture_default_str();
  sub->add_option("--pca", o->pca, "PCA components appended (0: none)")->check(CLI::Range(0, 64))->capture_default_str();
  sub->add_option("--epochs", o->epochs, "Override the model's epochs")->check(CLI::Range(1, 100000));
  sub->add_option("--seed", o->seed, "Seed (split, initialisation, shuffling, dropout)")->capture_default_str();
  sub->add_option("--device", o->device, "cpu | cuda | auto")->capture_default_str();
  sub->add_option("--threads", o->threads, "CPU threads for BLAS and MFCCs (0 = all cores)")->capture_default_str();
  sub->add_option("--out", o->out, "Output folder")->required();
  sub->add_flag("--resume", o->resume, "Continue from OUT/checkpoint.safetensors");
  sub->add_flag("--quiet", o->quiet, "No progress line");
  return [o] {
    const auto spec = engine::load_model_spec(o->model);
    const bool wants_sequences = spec.input == "sequence";
    if (wants_sequences && o->audio.empty())
      throw std::invalid_argument("model '" + spec.name + "' (" + o->model + ") takes MFCC-13 sequences (input = "
                                  "\"sequence\"), computed from audio: pass --audio DIR instead of --features");
    if (!wants_sequences && o->features.empty())
      throw std::invalid_argument("model '" + spec.name + "' (" + o->model + ") takes feature rows (input = \"" +
                                  spec.input + "\"): pass --features TABLE.csv (made by `gtzan features`)" +
                                  (o->audio.empty() ? "" : ", not --audio"));
    if (!o->features.empty() && o->segments > 0)
      throw std::invalid_argument("--segments applies to --audio; a table's segments are read from its rows");
    predict::Preprocessing pre;
    const auto prepared = wants_sequences ? sequences(*o, pre) : feature_rows(*o, pre);
    pre.model_name = spec.name;
    pre.classes = prepared.class_names;
    pre.sample_shape = prepared.train.sample_shape;
    pre.training["split"] = o->split;
    pre.training["test_size"] = o->test_size;
    pre.training["seed"] = o->seed;
    pre.training["pca"] = wants_sequences ? 0 : o->pca;
    pre.training["model_toml"] = o->model;
    // Written before training, so an interrupted run's folder already says how to use it.
    predict::save_model_bundle(o->out, pre, read_text(o->model));

    auto be = engine::make_engine_backend(o->device, o->threads);
    engine::TrainOptions t;
    t.out_dir = o->out;
    t.seed = o->seed;
    t.epochs = o->epochs;
    t.resume = o->resume;
    t.progress = !o->quiet;
    t.device = be->name();
    const std::string source = wants_sequences ? o->audio : o->features;
    t.data_description = source + " (split " + o->split + (wants_sequences ? ", MFCC-13 sequences" : ", pca " + std::to_string(o->pca)) + ")";
    if (!o->quiet)
      std::fprintf(stderr, "train: %s on %s: %zu train / %zu test rows, %zu inputs, %d classes\n",
                   spec.name.c_str(), source.c_str(), prepared.train.n(), prepared.test.n(),
                   prepared.train.sample_size(), prepared.classes);
    const auto r = engine::train_model(spec, prepared.train, prepared.test, prepared.classes, *be, t);
    std::printf("%s: test_accuracy %.4f test_loss %.4f epochs %d seconds %.1f -> %s/result.json\n",
                spec.name.c_str(), r.test_accuracy, r.test_loss, r.epochs_run, r.seconds, o->out.c_str());
    return 0;
  };
}

CLI::App* add_bench_train(CLI::App& bench, Action& action) {
  struct Opts {
    std::string model, device = "cpu", json;
    int samples = 1024, inputs = 63, steps = 1300, channels = 13, classes = 10, threads = 2;
    uint64_t seed = 42;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = bench.add_subcommand("train", "Training throughput (samples/s) on random data");
  sub->footer(
      "Examples:\n"
      "  gtzan bench train --model experiments/models/seed_cnn1d.toml --samples 2048 --device cpu\n"
      "  gtzan bench train --model experiments/models/seed_lstm.toml --samples 64 --threads 2\n"
      "Vector models get --inputs features per sample, sequence models --steps x --channels frames\n"
      "(a random number of trailing all-zero frames, as padded MFCCs). When `import torch` works,\n"
      "bench/train_vs_torch.py runs the same network in PyTorch for comparison.");
  sub->add_option("--model", o->model, "Model description (TOML)")->required();
  sub->add_option("--samples", o->samples, "Samples in the timed epoch")->check(CLI::Range(1, 10000000))->capture_default_str();
  sub->add_option("--inputs", o->inputs, "Features per sample (vector models)")->capture_default_str();
  sub->add_option("--steps", o->steps, "Time steps (sequence models)")->capture_default_str();
  sub->add_option("--channels", o->channels, "Channels per step (sequence models)")->capture_default_str();
  sub->add_option("--classes", o->classes, "Classes")->capture_default_str();
  sub->add_option("--threads", o->threads, "CPU threads (0 = all cores)")->capture_default_str();
  sub->add_option("--device", o->device, "cpu | cuda | auto")->capture_default_str();
  sub->add_option("--seed", o->seed, "Seed")->capture_default_str();
  sub->add_option("--json", o->json, "Write the result as JSON here");
  action = [o] {
    const auto spec = engine::load_model_spec(o->model);
    const bool seq = spec.input == "sequence";
    const auto data = random_dataset(seq ? std::vector<int>{o->steps, o->channels} : std::vector<int>{o->inputs},
                                     o->samples, o->classes, seq, o->seed);
    auto be = engine::make_engine_backend(o->device, o->threads);
    const double sps = engine::benchmark_training(spec, data, o->classes, *be, o->seed);
    nlohmann::json j = {{"benchmark", "train"}, {"model", spec.name}, {"device", be->name()},
                        {"threads", o->threads}, {"batch_size", spec.train.batch_size},
                        {"samples", o->samples}, {"sample_shape", data.sample_shape},
                        {"samples_per_second", sps}};
    // PyTorch figure beside ours, when PyTorch is installed.
    if (std::system("python3 -c 'import torch' >/dev/null 2>&1") == 0) {
      const std::string cmd = "python3 " + find_bench_script("train_vs_torch.py") + " --model " + o->model +
                              " --samples " + std::to_string(o->samples) + " --inputs " + std::to_string(o->inputs) +
                              " --steps " + std::to_string(o->steps) + " --channels " + std::to_string(o->channels) +
                              " --classes " + std::to_string(o->classes) + " --threads " + std::to_string(o->threads) +
                              " --device " + (be->name() == "cpu" ? "cpu" : "cuda");
      if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[256];
        std::string out;
        while (fgets(buf, sizeof buf, p)) out += buf;
        if (pclose(p) == 0) {
          try {
            j["torch"] = nlohmann::json::parse(out);
          } catch (...) {
            j["torch_error"] = out;
          }
        }
      }
    } else {
      j["torch"] = "not installed";
    }
    std::printf("%s\n", j.dump(2).c_str());
    if (!o->json.empty()) write_file_atomically(o->json, [&](std::ostream& out) { out << j.dump(2) << '\n'; });
    return 0;
  };
  return sub;
}

}  // namespace gtzan::cli
