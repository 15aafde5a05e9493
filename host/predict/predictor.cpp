#include "predict/predictor.hpp"

#include <algorithm>

#include "backend/parallel.hpp"
#include "core/error.hpp"
#include "engine/checkpoint.hpp"
#include "jobs/mfcc_sequences.hpp"

namespace gtzan::predict {
namespace fs = std::filesystem;

Predictor::Predictor(const fs::path& dir, const std::string& device, int threads)
    : dir_(dir), pre_(load_preprocessing(dir)), threads_(threads > 0 ? threads : backend::default_threads()) {
  spec_ = engine::load_model_spec(dir / kModelSpecFile);
  const bool wants_sequences = spec_.input == "sequence";
  if (wants_sequences != (pre_.input == InputKind::Mfcc13Sequences))
    throw InputError(dir / kPreprocessingFile, "input '" + input_kind_name(pre_.input) + "' does not fit model '" +
                                                   spec_.name + "' (input = " + spec_.input + ")");
  const fs::path weights = dir / kWeightsFile;
  if (!fs::exists(weights))
    throw InputError(weights, "missing: training has not finished (resume it with `gtzan train ... --resume`)");
  engine_ = engine::make_engine_backend(device, threads);
  model_ = std::make_unique<engine::Model<float>>(spec_, *engine_, pre_.sample_shape,
                                                  static_cast<int>(pre_.classes.size()), 0);
  engine::load_weights(weights, *model_);

  if (pre_.input == InputKind::FeatureRows && !pre_.feature_set.empty()) {
    set_ = &features::find_feature_set(pre_.feature_set);
    const auto names = set_->column_names();
    for (const auto& c : pre_.columns) {
      const auto it = std::find(names.begin(), names.end(), c);
      if (it == names.end())
        throw InputError(dir / kPreprocessingFile, "column '" + c + "' is not in feature set " + set_->name);
      set_column_.push_back(static_cast<std::size_t>(it - names.begin()));
    }
    std::string note;
    features_ = backend::make_backend(backend::parse_device(device), threads, set_, &note);
  }
}

Predictor::~Predictor() = default;

std::string Predictor::feature_backend_name() const {
  if (pre_.input == InputKind::Mfcc13Sequences) return "cpu (MFCC sequences)";
  return features_ ? features_->name() : "none";
}

std::string Predictor::engine_backend_name() const { return engine_->name(); }

std::string Predictor::audio_unsupported_reason() const {
  if (pre_.input == InputKind::FeatureRows && !set_)
    return "model " + dir_.string() + " was trained on columns that no feature set computes (" +
           (pre_.columns.empty() ? std::string("none") : "e.g. '" + pre_.columns.front() + "'") +
           "); predict from a table with the same columns instead: --features TABLE.csv";
  return "";
}

std::vector<std::vector<float>> Predictor::cut(std::vector<float> samples) const {
  return jobs::make_clips(std::move(samples), pre_.clips.extract_options());
}

std::vector<ClipInput> Predictor::inputs(const std::vector<std::span<const float>>& clips) {
  std::vector<ClipInput> out(clips.size());
  if (pre_.input == InputKind::Mfcc13Sequences) {
    backend::parallel_for(clips.size(), threads_, [&](std::size_t i) {
      try {
        const auto seq = jobs::mfcc13_sequence(clips[i], pre_.frames);
        out[i].values.assign(seq.begin(), seq.end());
      } catch (const std::exception& e) {
        out[i].error = e.what();
      }
    });
    return out;
  }
  if (!set_) throw std::invalid_argument(audio_unsupported_reason());
  const auto rows = features_->compute_rows(*set_, clips);
  for (std::size_t i = 0; i < clips.size(); ++i) {
    out[i].error = rows[i].error;
    if (!rows[i].error.empty()) continue;
    for (std::size_t c : set_column_) out[i].values.push_back(rows[i].values[c]);
  }
  return out;
}

ml::Table Predictor::columns_of(const ml::FeatureTable& t) const {
  if (pre_.input != InputKind::FeatureRows)
    throw InputError(t.source, "model '" + spec_.name + "' takes MFCC-13 sequences computed from audio, not "
                               "feature rows: pass the audio with --input instead of --features");
  std::vector<std::size_t> idx;
  for (const auto& c : pre_.columns) {
    const auto it = std::find(t.names.begin(), t.names.end(), c);
    if (it == t.names.end())
      throw InputError(t.source, "has no column '" + c + "', which model " + dir_.string() + " was trained on");
    idx.push_back(static_cast<std::size_t>(it - t.names.begin()));
  }
  ml::Table out(t.rows(), idx.size());
  for (std::size_t r = 0; r < t.rows(); ++r)
    for (std::size_t c = 0; c < idx.size(); ++c) out.at(r, c) = t.X.at(r, idx[c]);
  return out;
}

ml::Table Predictor::probabilities(const ml::Table& raw) {
  const ml::Table X = pre_.scaling ? pre_.scaling->transform(raw) : raw;
  const std::size_t per = engine::shape_size(pre_.sample_shape);
  if (X.cols != per)
    throw std::invalid_argument("model input has " + std::to_string(X.cols) + " values per row, the model takes " +
                                std::to_string(per));
  const int K = static_cast<int>(pre_.classes.size());
  const std::size_t bs = static_cast<std::size_t>(std::max(1, spec_.train.batch_size));
  ml::Table out(X.rows, static_cast<std::size_t>(K));
  engine::Tensor<float> probs;
  for (std::size_t begin = 0; begin < X.rows; begin += bs) {
    const std::size_t n = std::min(X.rows, begin + bs) - begin;
    // The network runs in float32, as in training (the Dataset holds floats).
    std::vector<float> host(X.data.begin() + static_cast<long>(begin * per),
                            X.data.begin() + static_cast<long>((begin + n) * per));
    std::vector<int> shape{static_cast<int>(n)};
    shape.insert(shape.end(), pre_.sample_shape.begin(), pre_.sample_shape.end());
    const auto x = engine_->from_host(shape, host);
    const auto& logits = model_->forward(x, false);
    engine_->ensure(probs, {static_cast<int>(n), K});
    engine_->softmax(static_cast<int>(n), K, logits.data(), probs.data());
    const auto p = engine_->to_host(probs);
    std::copy(p.begin(), p.end(), out.row(begin));
  }
  return out;
}

}  // namespace gtzan::predict
