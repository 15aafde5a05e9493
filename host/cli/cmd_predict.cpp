// `gtzan predict`: a trained model (the --out folder of `gtzan train`) applied to audio files
// or to a feature table's rows.
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "predict/predict_job.hpp"

namespace gtzan::cli {

Action add_predict(CLI::App& app) {
  struct Opts {
    predict::PredictOptions job;
    std::string json, csv;
    bool per_clip = false, strict = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("predict", "Predict genres with a trained model");
  sub->footer(
      "Examples:\n"
      "  gtzan predict --model runs/dense3 --input song.wav other.flac\n"
      "  gtzan predict --model runs/dense3 --input ~/music --json predictions.json --csv predictions.csv\n"
      "  gtzan predict --model runs/lstm --input data/synth --device auto --threads 8\n"
      "  gtzan predict --model runs/cnn30 --features data/features_30s.csv     # rows already computed\n"
      "The model folder holds model.safetensors, model.toml and preprocessing.json (written by\n"
      "`gtzan train`): files are decoded, padded/trimmed and cut as the training rows were, the\n"
      "model's feature columns (or MFCC sequences) computed, scaled with the saved MinMax + PCA.\n"
      "A segment model's file probability is the mean over the file's segments.\n"
      "Unreadable files are reported, skipped and summarised; exit status 0, 1 when no file could\n"
      "be predicted (or with --strict when any failed), 2 when the job cannot start.");
  sub->add_option("--model", o->job.model_dir, "Model folder (the --out of gtzan train)")->required();
  auto* in = sub->add_option("--input", o->job.inputs,
                             "Audio: files, folders of audio files or GTZAN trees (one or more)");
  sub->add_option("--features", o->job.features, "A feature table (CSV) with the model's columns")->excludes(in);
  sub->add_option("--device", o->job.device, "cpu | cuda | auto")
      ->check(CLI::IsMember({"cpu", "cuda", "auto"}))->capture_default_str();
  sub->add_option("--threads", o->job.threads, "Worker threads (0 = all cores)")->capture_default_str();
  sub->add_option("--json", o->json, "Write the predictions as JSON here");
  sub->add_option("--csv", o->csv, "Write the predictions as CSV here (one line per file)");
  sub->add_flag("--per-clip", o->per_clip, "CSV: also one line per clip (segment) before each file's line");
  sub->add_flag("--strict", o->strict, "Exit with status 1 when any file failed");
  sub->add_flag("--quiet", o->job.quiet, "No progress line");
  return [o] {
    if (o->job.inputs.empty() && o->job.features.empty())
      throw std::invalid_argument("predict: pass --input AUDIO or --features TABLE.csv");
    const auto r = predict::predict_files(o->job);
    std::fputs(predict::format_predictions(r).c_str(), stdout);
    std::fflush(stdout);
    if (!o->json.empty()) predict::write_predictions_json(o->json, r);
    if (!o->csv.empty()) predict::write_predictions_csv(o->csv, r, o->per_clip);
    std::fputs(predict::format_predict_summary(r).c_str(), stderr);
    if (r.files.empty()) {
      std::fprintf(stderr, "predict: no file could be predicted\n");
      return 1;
    }
    return (o->strict && !r.failures.empty()) ? 1 : 0;
  };
}

}  // namespace gtzan::cli
