#include "features/clip_graph.hpp"

#include <stdexcept>

#include "features/chroma.hpp"
#include "features/cqt.hpp"
#include "features/rhythm.hpp"
#include "features/mel.hpp"
#include "features/spectral.hpp"

namespace gtzan::features {

ClipGraph::ClipGraph(std::span<const float> y) : y_(y) {
  if (y.empty()) throw std::invalid_argument("empty clip (0 samples)");
}

const ComplexSpectrogram& ClipGraph::stft() {
  if (!stft_) stft_ = std::make_unique<ComplexSpectrogram>(features::stft(y_));
  return *stft_;
}

const Matrix& ClipGraph::power() { return frame("stft_power"); }
const Matrix& ClipGraph::magnitude() { return frame("stft_magnitude"); }

const HpssSignals& ClipGraph::hpss() {
  if (!hpss_) hpss_ = std::make_unique<HpssSignals>(features::hpss(stft(), y_.size()));
  return *hpss_;
}

const std::vector<std::string>& ClipGraph::frame_feature_names() {
  static const std::vector<std::string> names = {
      "stft_power", "stft_magnitude", "mel128", "mel64", "mfcc13", "mfcc20", "mfcc13_delta",
      "mfcc13_delta2", "chroma_stft", "spectral_centroid", "spectral_bandwidth",
      "spectral_rolloff", "zero_crossing_rate", "spectral_contrast", "spectral_flatness",
      "poly_features", "rms", "y_harmonic", "y_percussive", "harmonic_chroma_stft",
      "percussive_chroma_stft", "cqt_mag", "cqt36_mag", "chroma_cqt", "chroma_cens",
      "chroma_vqt", "tonnetz", "onset_strength", "tempo", "beat_frames", "tempogram",
      "fourier_tempogram_mag", "stack_memory"};
  return names;
}

const Matrix& ClipGraph::frame(const std::string& name) {
  auto it = cache_.find(name);
  if (it != cache_.end()) return it->second;
  Matrix m = compute(name);
  return cache_.emplace(name, std::move(m)).first->second;
}

double ClipGraph::scalar(const std::string& name) {
  auto it = scalars_.find(name);
  if (it != scalars_.end()) return it->second;
  if (name != "tempo") throw std::invalid_argument("unknown scalar feature '" + name + "'");
  return scalars_[name] = beat_track_from_power(power()).tempo;
}

namespace {
Matrix row_vector(const std::vector<float>& v) {
  Matrix m(1, v.size());
  m.data = v;
  return m;
}
}  // namespace

Matrix ClipGraph::compute(const std::string& name) {
  if (name == "stft_power") return spectrogram_power(stft(), 2.0f);
  if (name == "stft_magnitude") return spectrogram_power(stft(), 1.0f);
  if (name == "mel128") return melspectrogram(power(), 128);
  if (name == "mel64") return melspectrogram(power(), 64);
  if (name == "mel128_db") return power_to_db(frame("mel128"));
  if (name == "mfcc13") return mfcc_from_db(frame("mel128_db"), 13);
  if (name == "mfcc20") return mfcc_from_db(frame("mel128_db"), 20);
  if (name == "mfcc13_delta") return delta(frame("mfcc13"), 1);
  if (name == "mfcc13_delta2") return delta(frame("mfcc13"), 2);
  if (name == "chroma_stft") return chroma_stft(power());
  if (name == "spectral_centroid") return spectral_centroid(magnitude());
  if (name == "spectral_bandwidth") return spectral_bandwidth(magnitude());
  if (name == "spectral_rolloff") return spectral_rolloff(magnitude());
  if (name == "zero_crossing_rate") return zero_crossing_rate(y_);
  if (name == "spectral_contrast") return spectral_contrast(magnitude());
  if (name == "spectral_flatness") return spectral_flatness(magnitude());
  if (name == "poly_features") return poly_features(magnitude());
  if (name == "rms") return rms(y_);
  if (name == "y_harmonic") return row_vector(hpss().harmonic);
  if (name == "y_percussive") return row_vector(hpss().percussive);
  if (name == "harmonic_chroma_stft" || name == "percussive_chroma_stft") {
    // librosa.feature.chroma_stft(y=y_harm): a fresh STFT of the separated signal.
    const auto& part = name == "harmonic_chroma_stft" ? hpss().harmonic : hpss().percussive;
    return chroma_stft(spectrogram_power(features::stft(part), 2.0f));
  }
  if (name == "cqt_mag") return cqt_magnitude(y_);
  if (name == "cqt36_mag") return cqt_magnitude(y_, kSr, kHop, kC1Hz, 252, 36);
  if (name == "chroma_cqt" || name == "chroma_cens" || name == "tonnetz") {
    // One 252-bin CQT feeds all three; its tuning estimate reuses the clip's STFT.
    auto cq = cqt_features(y_, kSr, kHop, estimate_tuning(stft(), kSr, 36));
    std::pair<const char*, Matrix*> parts[] = {
        {"chroma_cqt", &cq.chroma_cqt}, {"chroma_cens", &cq.chroma_cens}, {"tonnetz", &cq.tonnetz}};
    Matrix requested;
    for (auto& [part, m] : parts) {
      if (name == part) requested = std::move(*m);
      else cache_.emplace(part, std::move(*m));
    }
    return requested;
  }
  if (name == "chroma_vqt") return chroma_vqt(y_);
  if (name == "onset_strength") return onset_strength_from_power(power());
  if (name == "tempo" || name == "beat_frames") {
    if (name == "tempo") return Matrix(1, 1, static_cast<float>(scalar("tempo")));
    const BeatTrack bt = beat_track_from_power(power());
    Matrix beats(1, bt.beats.size());
    for (std::size_t i = 0; i < bt.beats.size(); ++i) beats.data[i] = static_cast<float>(bt.beats[i]);
    return beats;
  }
  if (name == "tempogram") {
    const Matrix& env = frame("onset_strength");
    return tempogram_from_onset(std::span<const float>(env.data));
  }
  if (name == "fourier_tempogram_mag") {
    const Matrix& env = frame("onset_strength");
    return fourier_tempogram_mag_from_onset(std::span<const float>(env.data));
  }
  if (name == "stack_memory") return stack_memory(y_);
  throw std::invalid_argument("unknown frame feature '" + name +
                              "' (see `gtzan frames --list`)");
}

}  // namespace gtzan::features
