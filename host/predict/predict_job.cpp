#include "predict/predict_job.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "audio/audio_io.hpp"
#include "audio/dataset.hpp"
#include "backend/feature_backend.hpp"
#include "backend/parallel.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "ml/feature_table.hpp"
#include "predict/predictor.hpp"

namespace gtzan::predict {
namespace fs = std::filesystem;
namespace {

// The mean of a file's clip probabilities (rows [begin, begin + n) of probs) and its argmax.
FilePrediction average(std::string file, std::string label, const ml::Table& probs, std::size_t begin,
                       std::size_t n) {
  FilePrediction f;
  f.file = std::move(file);
  f.label = std::move(label);
  f.probabilities.assign(probs.cols, 0.0);
  for (std::size_t r = begin; r < begin + n; ++r) {
    f.clips.emplace_back(probs.row(r), probs.row(r) + probs.cols);
    for (std::size_t c = 0; c < probs.cols; ++c) f.probabilities[c] += probs.at(r, c);
  }
  for (auto& p : f.probabilities) p /= static_cast<double>(n);
  f.predicted = static_cast<int>(std::max_element(f.probabilities.begin(), f.probabilities.end()) -
                                 f.probabilities.begin());
  return f;
}

void predict_table(Predictor& predictor, const PredictOptions& o, PredictReport& r) {
  const auto table = ml::read_feature_table(o.features);
  const ml::Table raw = predictor.columns_of(table);
  const ml::Table probs = predictor.probabilities(raw);
  // Rows of one track (its segments) are averaged, in the table's order of first appearance.
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::size_t>> rows_of;
  for (std::size_t i = 0; i < table.rows(); ++i) {
    auto& rows = rows_of[table.track_ids[i]];
    if (rows.empty()) order.push_back(table.track_ids[i]);
    rows.push_back(i);
  }
  const bool segment_rows = std::any_of(table.segments.begin(), table.segments.end(), [](int s) { return s >= 0; });
  if (segment_rows != (r.segments > 0))
    std::fprintf(stderr, "predict: warning: %s has %s rows but the model was trained on %s\n",
                 o.features.c_str(), segment_rows ? "segment" : "whole-track",
                 r.segments > 0 ? "segments" : "whole tracks");
  ml::Table grouped(table.rows(), probs.cols);
  std::size_t next = 0;
  r.inputs = order.size();
  for (const auto& track : order) {
    const auto& rows = rows_of[track];
    for (std::size_t k = 0; k < rows.size(); ++k)
      std::copy_n(probs.row(rows[k]), probs.cols, grouped.row(next + k));
    // One line per track: its id (our tables: the file name; Kaggle's: blues.00000).
    r.files.push_back(average(track, table.genres[rows.front()], grouped, next, rows.size()));
    next += rows.size();
  }
}

void predict_audio(Predictor& predictor, const PredictOptions& o, PredictReport& r) {
  if (const auto why = predictor.audio_unsupported_reason(); !why.empty()) throw std::invalid_argument(why);
  std::vector<audio::DatasetEntry> entries;
  for (const auto& input : o.inputs) {
    try {
      if (input.extension() == ".csv")
        throw InputError(input, "is a table, not audio: pass a feature table with --features");
      const auto found = audio::scan_dataset(input);
      entries.insert(entries.end(), found.begin(), found.end());
    } catch (const InputError& e) {
      if (!o.quiet) std::fprintf(stderr, "predict: skipping %s: %s\n", e.path().c_str(), e.reason().c_str());
      r.failures.emplace_back(e.path().string(), e.reason());
      ++r.inputs;
    }
  }
  r.inputs += entries.size();
  const int threads = o.threads > 0 ? o.threads : backend::default_threads();
  const std::size_t chunk = std::max<std::size_t>(8, 2 * static_cast<std::size_t>(threads));
  Progress progress("predict", entries.size());
  for (std::size_t begin = 0; begin < entries.size(); begin += chunk) {
    const std::size_t n = std::min(entries.size(), begin + chunk) - begin;
    std::vector<std::vector<std::vector<float>>> clips(n);
    std::vector<std::string> errors(n);
    backend::parallel_for(n, threads, [&](std::size_t k) {
      try {
        clips[k] = predictor.cut(audio::load_mono(entries[begin + k].path));
        if (clips[k].empty()) errors[k] = "shorter than one segment";
      } catch (const InputError& e) {
        errors[k] = e.reason();
      } catch (const std::exception& e) {
        errors[k] = e.what();
      }
    });
    std::vector<std::span<const float>> flat;
    for (const auto& file_clips : clips)
      for (const auto& c : file_clips) flat.emplace_back(c);
    const auto inputs = predictor.inputs(flat);
    // Rows of the files whose every clip worked, in order; the others are reported.
    ml::Table raw;
    std::vector<std::size_t> good;
    std::size_t at = 0;
    for (std::size_t k = 0; k < n; ++k) {
      for (std::size_t j = 0; j < clips[k].size() && errors[k].empty(); ++j)
        if (!inputs[at + j].error.empty()) errors[k] = inputs[at + j].error;
      if (errors[k].empty()) {
        good.push_back(k);
        for (std::size_t j = 0; j < clips[k].size(); ++j) {
          raw.cols = inputs[at + j].values.size();
          raw.data.insert(raw.data.end(), inputs[at + j].values.begin(), inputs[at + j].values.end());
          ++raw.rows;
        }
      } else {
        if (!o.quiet) std::fprintf(stderr, "\npredict: skipping %s: %s\n", entries[begin + k].path.c_str(), errors[k].c_str());
        r.failures.emplace_back(entries[begin + k].path.string(), errors[k]);
      }
      at += clips[k].size();
    }
    if (raw.rows > 0) {
      const ml::Table probs = predictor.probabilities(raw);
      std::size_t row = 0;
      for (std::size_t k : good) {
        const auto& e = entries[begin + k];
        r.files.push_back(average(e.path.string(), e.label, probs, row, clips[k].size()));
        row += clips[k].size();
      }
    }
    if (!o.quiet) progress.advance(n);
  }
  if (!o.quiet && !entries.empty()) progress.finish();
}

}  // namespace

PredictReport predict_files(const PredictOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.inputs.empty() == o.features.empty())
    throw std::invalid_argument("predict: pass either --input (audio) or --features (a table), not both");
  Predictor predictor(o.model_dir, o.device, o.threads);
  const auto& pre = predictor.preprocessing();
  PredictReport r;
  r.model_dir = o.model_dir;
  r.model = pre.model_name;
  r.classes = pre.classes;
  r.segments = pre.clips.segments;
  r.engine_backend = predictor.engine_backend_name();
  if (!o.features.empty()) {
    r.source = o.features.string();
    r.from_table = true;
    r.feature_backend = "none (table)";
    predict_table(predictor, o, r);
  } else {
    for (const auto& input : o.inputs) {
      if (!r.source.empty()) r.source += ' ';
      r.source += input.string();
    }
    r.feature_backend = predictor.feature_backend_name();
    predict_audio(predictor, o, r);
  }
  for (const auto& f : r.files) {
    const auto it = std::find(r.classes.begin(), r.classes.end(), f.label);
    if (it == r.classes.end()) continue;
    ++r.labelled;
    if (static_cast<int>(it - r.classes.begin()) == f.predicted) ++r.correct;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace gtzan::predict
