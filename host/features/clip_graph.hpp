#pragma once
// The feature graph of one clip on the CPU backend: every node (STFT, power, mel, MFCC,
// chroma, HPSS, ...) is computed once on first use and shared by everything downstream
// (librosa recomputes the STFT for each call, which is much of why it is slow).
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/matrix.hpp"
#include "features/hpss.hpp"
#include "features/stft.hpp"

namespace gtzan::features {

class ClipGraph {
 public:
  // `y` must outlive the graph. Throws std::invalid_argument for an empty clip.
  explicit ClipGraph(std::span<const float> y);

  std::span<const float> signal() const { return y_; }
  const ComplexSpectrogram& stft();
  const Matrix& power();      // |X|^2
  const Matrix& magnitude();  // |X|
  const HpssSignals& hpss();

  // A named frame-level array, [rows, frames]; names as frame_feature_names().
  const Matrix& frame(const std::string& name);

  // A named per-clip scalar kept in float64 (the study's "tempo": beat_track's BPM, which a
  // float32 array would round).
  double scalar(const std::string& name);

  // The frame-level arrays the graph knows (the `gtzan frames --list` names; the same names
  // as librosa's golden arrays in the fixtures).
  static const std::vector<std::string>& frame_feature_names();

 private:
  Matrix compute(const std::string& name);

  std::span<const float> y_;
  std::unique_ptr<ComplexSpectrogram> stft_;
  std::unique_ptr<HpssSignals> hpss_;
  std::map<std::string, Matrix> cache_;
  std::map<std::string, double> scalars_;
};

}  // namespace gtzan::features
