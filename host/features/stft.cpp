#include "features/stft.hpp"

// kissfft's header-only C++ template, instantiated in double: librosa windows in float64 and
// runs numpy's float64 rfft before casting to complex64; a float32 FFT's rounding (~1e-7 of a
// frame's peak) swamps the lowest bins (sidelobe floors, spectral valleys) that bandwidth,
// contrast and flatness depend on.
#include <kissfft/kissfft.hh>

#include <cmath>
#include <complex>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace gtzan::features {
namespace {

using Fft = kissfft<double>;

// Plans are immutable after construction (transform() is const), so threads share them.
const Fft& plan_for(int n, bool inverse) {
  static std::mutex mutex;
  static std::unordered_map<long, std::unique_ptr<Fft>> plans;
  std::lock_guard lock(mutex);
  auto& slot = plans[2L * n + (inverse ? 1 : 0)];
  if (!slot) slot = std::make_unique<Fft>(static_cast<std::size_t>(n), inverse);
  return *slot;
}

const std::vector<double>& hann_window_f64(int n) {
  static std::mutex mutex;
  static std::unordered_map<int, std::vector<double>> windows;
  std::lock_guard lock(mutex);
  auto& w = windows[n];
  if (w.empty()) {
    w.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) w[i] = 0.5 - 0.5 * std::cos(2.0 * M_PI * i / n);
  }
  return w;
}

}  // namespace

std::vector<float> hann_window(int n) {
  const auto& w = hann_window_f64(n);
  return std::vector<float>(w.begin(), w.end());
}

std::size_t num_frames(std::size_t num_samples, int n_fft, int hop) {
  const std::size_t padded = num_samples + 2 * static_cast<std::size_t>(n_fft / 2);
  return 1 + (padded - n_fft) / hop;
}

ComplexSpectrogram stft(std::span<const float> y, int n_fft, int hop) {
  if (y.empty()) throw std::invalid_argument("stft: empty signal");
  if (n_fft % 4 != 0) throw std::invalid_argument("stft: n_fft must be a multiple of 4");
  const std::size_t n = y.size();
  const std::size_t frames = num_frames(n, n_fft, hop);
  const std::size_t bins = n_fft / 2 + 1;
  const long pad = n_fft / 2;
  const auto& window = hann_window_f64(n_fft);
  // A real FFT of n_fft points as a complex FFT of n_fft/2 points (kissfft's transform_real).
  const Fft& fft = plan_for(n_fft / 2, false);

  ComplexSpectrogram X;
  X.bins = bins;
  X.frames = frames;
  X.data.resize(bins * frames);
  std::vector<double> frame(n_fft);
  std::vector<std::complex<double>> spectrum(n_fft / 2);
  for (std::size_t t = 0; t < frames; ++t) {
    // Frame t covers padded[t*hop, t*hop + n_fft); padded[i] = y[i - pad] or 0 outside.
    const long start = static_cast<long>(t) * hop - pad;
    for (int i = 0; i < n_fft; ++i) {
      const long k = start + i;
      frame[i] = (k >= 0 && k < static_cast<long>(n)) ? y[k] * window[i] : 0.0;
    }
    fft.transform_real(frame.data(), spectrum.data());
    // transform_real packs DC (real part) and Nyquist (imaginary part) into element 0.
    X.data[t] = {static_cast<float>(spectrum[0].real()), 0.0f};
    X.data[(bins - 1) * frames + t] = {static_cast<float>(spectrum[0].imag()), 0.0f};
    for (std::size_t b = 1; b < bins - 1; ++b)
      X.data[b * frames + t] = {static_cast<float>(spectrum[b].real()),
                                static_cast<float>(spectrum[b].imag())};
  }
  return X;
}

Matrix spectrogram_power(const ComplexSpectrogram& X, float power) {
  Matrix S(X.bins, X.frames);
  for (std::size_t i = 0; i < X.data.size(); ++i) {
    const float re = X.data[i].real(), im = X.data[i].imag();
    const float p2 = re * re + im * im;
    S.data[i] = (power == 2.0f) ? p2 : (power == 1.0f ? std::sqrt(p2) : std::pow(p2, power / 2));
  }
  return S;
}

std::vector<float> istft(const ComplexSpectrogram& X, std::size_t length, int hop) {
  const int n_fft = static_cast<int>(2 * (X.bins - 1));
  const std::size_t pad = n_fft / 2;
  const std::size_t padded_length = length + 2 * pad;
  std::size_t frames = X.frames;
  const std::size_t needed = (padded_length + hop - 1) / hop;
  if (needed < frames) frames = needed;
  const std::size_t signal_len = n_fft + static_cast<std::size_t>(hop) * (frames - 1);

  const auto& window = hann_window_f64(n_fft);
  const Fft& ifft = plan_for(n_fft, true);
  std::vector<double> out(signal_len, 0.0);
  std::vector<float> win_sum(signal_len, 0.0f);
  std::vector<std::complex<double>> spectrum(n_fft), frame(n_fft);
  for (std::size_t t = 0; t < frames; ++t) {
    // Hermitian spectrum; numpy's irfft ignores the imaginary part of DC and Nyquist.
    for (std::size_t b = 0; b < X.bins; ++b) {
      const auto v = X.data[b * X.frames + t];
      const bool edge = b == 0 || b == X.bins - 1;
      spectrum[b] = {v.real(), edge ? 0.0 : v.imag()};
      if (!edge) spectrum[n_fft - b] = std::conj(spectrum[b]);
    }
    ifft.transform(spectrum.data(), frame.data());
    const std::size_t off = t * hop;
    for (int i = 0; i < n_fft; ++i) {
      // irfft output rounded to float32 as librosa's (complex64 input) istft produces it.
      const float sample = static_cast<float>(frame[i].real() / n_fft);
      out[off + i] += sample * window[i];
      const float w = static_cast<float>(window[i]);
      win_sum[off + i] += w * w;
    }
  }
  const float tiny = std::numeric_limits<float>::min();
  std::vector<float> y(length, 0.0f);
  for (std::size_t i = 0; i < length && i + pad < signal_len; ++i) {
    const std::size_t k = i + pad;
    y[i] = static_cast<float>(win_sum[k] > tiny ? out[k] / win_sum[k] : out[k]);
  }
  return y;
}

}  // namespace gtzan::features
