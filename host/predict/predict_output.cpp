// What `gtzan predict` prints and writes: the per-file table, the summary, JSON and CSV.
#include <fmt/format.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "jobs/extract_features.hpp"
#include "predict/predict_job.hpp"

namespace gtzan::predict {
namespace fs = std::filesystem;

std::string format_predictions(const PredictReport& r) {
  std::size_t width = 4;
  for (const auto& f : r.files) width = std::max(width, fs::path(f.file).filename().string().size());
  std::ostringstream os;
  os << fmt::format("{:<{}}  {:<10} {:<10}", "file", width, "label", "predicted");
  for (const auto& c : r.classes) os << fmt::format(" {:>9.9}", c);
  os << '\n';
  for (const auto& f : r.files) {
    os << fmt::format("{:<{}}  {:<10} {:<10}", fs::path(f.file).filename().string(), width,
                      f.label.empty() ? "-" : f.label, r.classes[f.predicted]);
    for (double p : f.probabilities) os << fmt::format(" {:>9.4f}", p);
    os << '\n';
  }
  return os.str();
}

std::string format_predict_summary(const PredictReport& r) {
  std::ostringstream os;
  os << fmt::format("predict: {} of {} {} predicted with {} ({}{}) [features: {}, network: {}, {:.1f} s]\n",
                    r.files.size(), r.inputs, r.from_table ? "tracks" : "files",
                    r.model_dir.string(), r.model,
                    r.segments > 0 ? fmt::format(", mean of {} segments per file", r.segments) : std::string(),
                    r.feature_backend, r.engine_backend, r.seconds);
  if (r.labelled)
    os << fmt::format("predict: accuracy {:.4f} ({} of {} files whose label is one of the model's classes)\n",
                      static_cast<double>(r.correct) / r.labelled, r.correct, r.labelled);
  if (!r.failures.empty()) {
    os << fmt::format("predict: {} files failed and were skipped:\n", r.failures.size());
    for (const auto& [file, why] : r.failures) os << "  " << file << ": " << why << '\n';
  }
  return os.str();
}

void write_predictions_json(const fs::path& path, const PredictReport& r) {
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : r.files) {
    nlohmann::json probs = nlohmann::json::object();
    for (std::size_t c = 0; c < r.classes.size(); ++c) probs[r.classes[c]] = f.probabilities[c];
    files.push_back({{"file", f.file}, {"label", f.label.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.label)},
                     {"predicted", r.classes[f.predicted]}, {"probabilities", probs}, {"clips", f.clips}});
  }
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& [file, why] : r.failures) failures.push_back({{"file", file}, {"reason", why}});
  const nlohmann::json j = {
      {"model_dir", r.model_dir.string()}, {"model", r.model}, {"source", r.source},
      {"classes", r.classes}, {"segments_per_file", r.segments}, {"inputs", r.inputs},
      {"predicted", r.files.size()}, {"files", files}, {"failures", failures},
      {"labelled", r.labelled}, {"correct", r.correct},
      {"accuracy", r.labelled ? nlohmann::json(static_cast<double>(r.correct) / r.labelled) : nlohmann::json(nullptr)},
      {"feature_backend", r.feature_backend}, {"engine_backend", r.engine_backend}, {"seconds", r.seconds}};
  write_file_atomically(path, [&](std::ostream& out) { out << j.dump(2) << '\n'; });
}

void write_predictions_csv(const fs::path& path, const PredictReport& r, bool per_clip) {
  write_file_atomically(path, [&](std::ostream& out) {
    out << "file,label,clip,predicted";
    for (const auto& c : r.classes) out << ',' << c;
    out << '\n';
    auto line = [&](const FilePrediction& f, const std::string& clip, const std::vector<double>& p, int predicted) {
      out << f.file << ',' << f.label << ',' << clip << ',' << r.classes[predicted];
      for (double v : p) out << ',' << jobs::format_value(v);
      out << '\n';
    };
    for (const auto& f : r.files) {
      if (per_clip)
        for (std::size_t k = 0; k < f.clips.size(); ++k) {
          const auto& p = f.clips[k];
          line(f, std::to_string(k), p, static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin()));
        }
      line(f, "", f.probabilities, f.predicted);
    }
  });
}

}  // namespace gtzan::predict
