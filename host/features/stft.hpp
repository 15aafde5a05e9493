#pragma once
// Short-time Fourier transform as librosa.stft(center=True, pad_mode="constant", window="hann"):
// zero-pad n_fft/2 on both sides, periodic Hann window, frames every `hop` samples,
// n_frames = 1 + (len + 2*(n_fft/2) - n_fft) / hop. Output [1 + n_fft/2, n_frames].
#include <complex>
#include <span>
#include <vector>

#include "core/matrix.hpp"
#include "features/params.hpp"

namespace gtzan::features {

struct ComplexSpectrogram {
  std::size_t bins = 0;
  std::size_t frames = 0;
  std::vector<std::complex<float>> data;  // row-major [bins, frames]
  std::complex<float>& at(std::size_t b, std::size_t t) { return data[b * frames + t]; }
  const std::complex<float>& at(std::size_t b, std::size_t t) const { return data[b * frames + t]; }
};

// Periodic Hann window of length n (scipy.signal.get_window("hann", n, fftbins=True)).
std::vector<float> hann_window(int n);

std::size_t num_frames(std::size_t num_samples, int n_fft = kNfft, int hop = kHop);

// Throws std::invalid_argument for an empty signal.
ComplexSpectrogram stft(std::span<const float> y, int n_fft = kNfft, int hop = kHop);

// |X|^power elementwise: power 2 = power spectrogram, 1 = magnitude.
Matrix spectrogram_power(const ComplexSpectrogram& X, float power);

// librosa.istft(X, hop, window="hann", center=True, length=length): inverse real FFT per
// frame, windowed overlap-add, divided by the window's sum of squares where it is not tiny.
std::vector<float> istft(const ComplexSpectrogram& X, std::size_t length, int hop = kHop);

}  // namespace gtzan::features
