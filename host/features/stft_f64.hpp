#pragma once
// librosa.stft computed the way numpy < 2 does it for float32 input: the frame (float32 samples
// times the float64 Hann window) is transformed in float64 and only the result is rounded to
// complex64. Every bin is then accurate to float32 rounding of its own value, whereas a float32
// FFT (stft()) is accurate to ~1e-7 of the frame's peak: fine for power spectra, but not for
// the weak bins that HPSS's median filters pick (see hpss.hpp). Same layout as stft().
#include <span>

#include "features/stft.hpp"

namespace gtzan::features {

// Throws std::invalid_argument for an empty signal. Any n_fft (power of two: radix-2 FFT;
// otherwise a direct float64 DFT, slow).
ComplexSpectrogram stft_f64(std::span<const float> y, int n_fft = kNfft, int hop = kHop);

}  // namespace gtzan::features
