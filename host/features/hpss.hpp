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

// Masks applied to an existing STFT (librosa.decompose.hpss(S), kernel 31, power 2, margin 1).
void hpss_masks(const ComplexSpectrogram& X, ComplexSpectrogram& harmonic,
                ComplexSpectrogram& percussive, int kernel_size = 31);

// Full time-domain separation (reuses X, the STFT of y).
HpssSignals hpss(const ComplexSpectrogram& X, std::size_t length);

}  // namespace gtzan::features
