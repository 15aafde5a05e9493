// librosa.onset.onset_strength (defaults: 128-band log-power mel, lag 1, max_size 1, center).
#include <algorithm>
#include <stdexcept>
#include <vector>

#include "features/mel.hpp"
#include "features/rhythm.hpp"
#include "features/stft.hpp"

namespace gtzan::features {

Matrix onset_strength_from_power(const Matrix& power, OnsetAggregate aggregate) {
  if (power.rows != static_cast<std::size_t>(kNbins))
    throw std::invalid_argument("onset_strength_from_power: expects [1025, frames] power");
  const std::size_t T = power.cols;
  Matrix out(1, T, 0.0f);
  if (T < 2) return out;
  // S = power_to_db(|melspectrogram|) with ref 1, amin 1e-10, top_db 80 (float32, as librosa).
  const Matrix S = power_to_db(melspectrogram(power, 128));
  const std::size_t bands = S.rows;
  const std::size_t diffs = T - 1;
  std::vector<float> agg(diffs, 0.0f);
  if (aggregate == OnsetAggregate::Mean) {
    // np.mean over axis -2 of a C-contiguous [bands, T-1] float32 array: numpy's reduction runs
    // along the contiguous time axis, so each frame accumulates the bands one after another
    // (float32), then is divided by the band count.
    for (std::size_t f = 0; f < bands; ++f) {
      const float* s = S.row(f);
      for (std::size_t t = 0; t < diffs; ++t) agg[t] += std::max(0.0f, s[t + 1] - s[t]);
    }
    const float count = static_cast<float>(bands);
    for (float& v : agg) v /= count;
  } else {
    // np.median over the bands: the middle value, or the float32 mean of the two middle values.
    std::vector<float> col(bands);
    const std::size_t h = bands / 2;
    for (std::size_t t = 0; t < diffs; ++t) {
      for (std::size_t f = 0; f < bands; ++f)
        col[f] = std::max(0.0f, S.at(f, t + 1) - S.at(f, t));
      std::nth_element(col.begin(), col.begin() + h, col.end());
      const float hi = col[h];
      if (bands % 2) {
        agg[t] = hi;
      } else {
        const float lo = *std::max_element(col.begin(), col.begin() + h);
        agg[t] = (lo + hi) / 2.0f;
      }
    }
  }
  // Pad lag + n_fft // (2 hop) = 3 zero frames in front, keep the first T.
  const std::size_t shift = 1 + kNfft / (2 * kHop);
  for (std::size_t t = shift; t < T; ++t) out.data[t] = agg[t - shift];
  return out;
}

Matrix onset_strength(std::span<const float> y, OnsetAggregate aggregate) {
  return onset_strength_from_power(spectrogram_power(stft(y), 2.0f), aggregate);
}

}  // namespace gtzan::features
