#pragma once
// Harmonic/percussive source separation as librosa.effects.hpss(y) 0.10:
// STFT, median filters (kernel 31) across time (harmonic) and frequency (percussive) of the
// magnitude, soft masks (power 2, margin 1), masked STFTs inverted with istft(length=len(y)).
#include <span>
#include <vector>

#include "features/stft.hpp"

namespace gtzan::features {

struct HpssSignals {
  std::vector<float> harmonic;
  std::vector<float> percussive;
};

// scipy.ndimage.median_filter(S, size=(1, k), mode="reflect"): running median along each row
// (time). Exact (the output is an element of the window). k odd.
void median_filter_time(const Matrix& S, int kernel_size, Matrix& out);
// scipy.ndimage.median_filter(S, size=(k, 1), mode="reflect"): along each column (frequency).
void median_filter_freq(const Matrix& S, int kernel_size, Matrix& out);

// Masks applied to an existing STFT (librosa.decompose.hpss(S), kernel 31, power 2, margin 1).
void hpss_masks(const ComplexSpectrogram& X, ComplexSpectrogram& harmonic,
                ComplexSpectrogram& percussive, int kernel_size = 31);

// Full time-domain separation (reuses X, the STFT of y).
// Precision note: the median filters select the weak bins around a partial (the time median of a
// sweep's bin, the frequency median of a tone's frame). librosa gets them from a float64 FFT
// rounded to complex64; a float32 FFT is only accurate to ~1e-7 of each frame's peak, which moved
// the sweep fixture's harmonic chroma by ~4e-3. features::stft computes in float64 for this.
HpssSignals hpss(const ComplexSpectrogram& X, std::size_t length);

// librosa.effects.hpss(y): hpss(stft(y), y.size()).
HpssSignals hpss(std::span<const float> y);

}  // namespace gtzan::features
