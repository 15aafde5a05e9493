#pragma once
// The `gtzan predict` batch job: a trained model (the --out folder of `gtzan train`) applied
// to audio files (decoded and cut exactly as the training rows were) or to the rows of a
// feature table. A file's prediction is the mean of its clips' probabilities (one clip for a
// track model, its segments for a segment model). Bad files are reported, skipped and
// summarised; they never stop the job.
#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gtzan::predict {

struct PredictOptions {
  std::filesystem::path model_dir;
  // Audio: files, folders of audio files or GTZAN trees. One that is missing or holds no audio
  // is reported and skipped like a bad file.
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path features;  // or a feature table (CSV) holding the model's columns
  std::string device = "cpu";      // cpu | cuda | auto
  int threads = 0;                 // 0 = all cores
  bool quiet = false;              // no progress line
};

struct FilePrediction {
  std::string file;   // the audio path, or the table's filename
  std::string label;  // the known genre (genre folder or table label), empty when unknown
  std::vector<std::vector<double>> clips;  // probabilities of each clip (segment), in order
  std::vector<double> probabilities;       // their mean
  int predicted = -1;                      // argmax of probabilities
};

struct PredictReport {
  std::filesystem::path model_dir;
  std::string model, source;  // source: the audio inputs or the table
  bool from_table = false;    // --features: files are the table's tracks
  std::vector<std::string> classes;
  int segments = 0;           // clips per file the model was trained on (0: whole files)
  std::vector<FilePrediction> files;
  std::vector<std::pair<std::string, std::string>> failures;  // file, reason
  std::size_t inputs = 0;     // files (or table tracks) seen
  std::string feature_backend, engine_backend;
  double seconds = 0;
  // Files whose label is one of the classes, and how many of those were predicted right.
  std::size_t labelled = 0, correct = 0;
};

// Throws gtzan::InputError / std::invalid_argument for what stops the whole job (missing model
// folder or record, missing input, an input of the wrong kind for the model).
PredictReport predict_files(const PredictOptions& options);

// The per-file table for stdout: file, known label, predicted genre, every probability.
std::string format_predictions(const PredictReport& r);
// The end-of-run summary for stderr: counts, accuracy when labels are known, failures.
std::string format_predict_summary(const PredictReport& r);
// JSON: model, classes, files [{file, label, predicted, probabilities {class: p}, clips}],
// failures, accuracy. Written atomically.
void write_predictions_json(const std::filesystem::path& path, const PredictReport& r);
// CSV: file,label,clip,predicted,<one column per class>; one line per file (clip empty), and
// with per_clip one line per clip before it. Written atomically.
void write_predictions_csv(const std::filesystem::path& path, const PredictReport& r, bool per_clip);

}  // namespace gtzan::predict
