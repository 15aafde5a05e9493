#include "features/stft_f64.hpp"

#include <cmath>
#include <complex>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace gtzan::features {
namespace {

using cd = std::complex<double>;

// Real FFT of length n (power of two, n >= 4) through a complex FFT of length n/2.
struct RealFft64 {
  int n = 0, m = 0;                // m = n / 2
  std::vector<int> bitrev;         // length m
  std::vector<cd> tw;              // e^{-2 pi i k / m}, k < m/2
  std::vector<cd> post;            // e^{-2 pi i k / n}, k <= m
  std::vector<cd> z;               // scratch

  explicit RealFft64(int n_) : n(n_), m(n_ / 2), bitrev(m), tw(m / 2), post(m + 1), z(m) {
    int bits = 0;
    while ((1 << bits) < m) ++bits;
    for (int i = 0; i < m; ++i) {
      int r = 0;
      for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
      bitrev[i] = r;
    }
    for (int k = 0; k < m / 2; ++k) tw[k] = std::polar(1.0, -2.0 * M_PI * k / m);
    for (int k = 0; k <= m; ++k) post[k] = std::polar(1.0, -2.0 * M_PI * k / n);
  }

  // x: n doubles; out: n/2 + 1 bins.
  void forward(const double* x, cd* out) {
    for (int i = 0; i < m; ++i) z[bitrev[i]] = cd(x[2 * i], x[2 * i + 1]);
    for (int len = 2; len <= m; len <<= 1) {
      const int half = len / 2, step = m / len;
      for (int s = 0; s < m; s += len)
        for (int j = 0; j < half; ++j) {
          const cd u = z[s + j];
          const cd v = z[s + j + half] * tw[j * step];
          z[s + j] = u + v;
          z[s + j + half] = u - v;
        }
    }
    for (int k = 0; k <= m; ++k) {
      const cd a = z[k % m];
      const cd b = std::conj(z[(m - k) % m]);
      const cd even = 0.5 * (a + b);
      const cd odd = cd(0.0, -0.5) * (a - b);  // (a - b) / (2i)
      out[k] = even + post[k] * odd;
    }
  }
};

bool is_pow2(int n) { return n >= 4 && (n & (n - 1)) == 0; }

}  // namespace

ComplexSpectrogram stft_f64(std::span<const float> y, int n_fft, int hop) {
  if (y.empty()) throw std::invalid_argument("stft_f64: empty signal");
  if (n_fft < 2 || hop < 1) throw std::invalid_argument("stft_f64: bad n_fft/hop");
  const std::size_t n = y.size();
  const std::size_t frames = num_frames(n, n_fft, hop);
  const std::size_t bins = static_cast<std::size_t>(n_fft / 2 + 1);
  const long pad = n_fft / 2;
  // scipy.signal.get_window("hann", n_fft, fftbins=True) in float64 (librosa keeps it float64).
  std::vector<double> window(static_cast<std::size_t>(n_fft));
  for (int i = 0; i < n_fft; ++i) window[i] = 0.5 - 0.5 * std::cos(2.0 * M_PI * i / n_fft);

  ComplexSpectrogram X;
  X.bins = bins;
  X.frames = frames;
  X.data.resize(bins * frames);
  std::vector<double> frame(static_cast<std::size_t>(n_fft));
  std::vector<cd> spectrum(bins);
  std::unique_ptr<RealFft64> fft;
  if (is_pow2(n_fft)) fft = std::make_unique<RealFft64>(n_fft);
  for (std::size_t t = 0; t < frames; ++t) {
    const long start = static_cast<long>(t) * hop - pad;
    for (int i = 0; i < n_fft; ++i) {
      const long k = start + i;
      frame[i] = (k >= 0 && k < static_cast<long>(n)) ? window[i] * static_cast<double>(y[k]) : 0.0;
    }
    if (fft) {
      fft->forward(frame.data(), spectrum.data());
    } else {
      for (std::size_t b = 0; b < bins; ++b) {
        cd acc = 0.0;
        for (int i = 0; i < n_fft; ++i)
          acc += frame[i] * std::polar(1.0, -2.0 * M_PI * static_cast<double>((b * i) % n_fft) / n_fft);
        spectrum[b] = acc;
      }
    }
    for (std::size_t b = 0; b < bins; ++b)
      X.data[b * frames + t] = {static_cast<float>(spectrum[b].real()),
                                static_cast<float>(spectrum[b].imag())};
  }
  return X;
}

}  // namespace gtzan::features
