// librosa.feature.tempogram / fourier_tempogram / stack_memory.
#include <kissfft/kissfft.hh>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "features/rhythm.hpp"
#include "features/rhythm_internal.hpp"
#include "features/stft.hpp"

namespace gtzan::features {
namespace {

using Fft = kissfft<double>;

// A real FFT of n points runs as a complex FFT of n/2 points; plans are const, shared.
const Fft& half_plan(std::size_t n) {
  static std::mutex mutex;
  static std::unordered_map<std::size_t, std::unique_ptr<Fft>> plans;
  std::lock_guard lock(mutex);
  auto& slot = plans[n];
  if (!slot) slot = std::make_unique<Fft>(n / 2, false);
  return *slot;
}

// Smallest even 5-smooth length >= n (any length >= 2*win-1 gives the same linear
// autocorrelation; scipy.fft.next_fast_len picks 768 for 384 lags, 720 for 344).
std::size_t fast_even_len(std::size_t n) {
  for (std::size_t m = n + (n % 2);; m += 2) {
    std::size_t r = m;
    for (std::size_t p : {2u, 3u, 5u})
      while (r % p == 0) r /= p;
    if (r == 1) return m;
  }
}

}  // namespace

namespace detail {

std::vector<double> tempogram_f64(std::span<const float> env, int win_length) {
  if (win_length < 2 || win_length % 2) throw std::invalid_argument("tempogram: win_length must be even");
  const std::size_t n = env.size();
  const std::size_t win = static_cast<std::size_t>(win_length);
  const std::size_t half = win / 2;
  std::vector<double> tg(win * n, 0.0);
  if (n == 0) return tg;

  // np.pad(env, half, mode='linear_ramp', end_values=0): numpy's linspace(0, edge, half,
  // endpoint=False) evaluated in float64 (k * (edge / half)) and stored as float32; the right
  // ramp is the same sequence reversed (edge * (half-1)/half ... 0).
  std::vector<float> padded(n + 2 * half);
  const double step_l = static_cast<double>(env.front()) / static_cast<double>(half);
  const double step_r = static_cast<double>(env.back()) / static_cast<double>(half);
  for (std::size_t k = 0; k < half; ++k) {
    padded[k] = static_cast<float>(static_cast<double>(k) * step_l + 0.0);
    padded[half + n + k] = static_cast<float>(static_cast<double>(half - 1 - k) * step_r + 0.0);
  }
  std::copy(env.begin(), env.end(), padded.begin() + half);

  // Periodic Hann window in float64 (scipy.signal.get_window('hann', win, fftbins=True)).
  std::vector<double> window(win);
  for (std::size_t i = 0; i < win; ++i) window[i] = 0.5 - 0.5 * std::cos(2.0 * M_PI * i / win);

  // Autocorrelation of each windowed frame by FFT, in float64 like librosa.autocorrelate:
  // r = irfft(|rfft(x, N)|^2). The power spectrum P is real and even, so its inverse transform
  // is the real part of a forward real FFT of P, divided by N.
  const std::size_t N = fast_even_len(2 * win - 1);
  const Fft& fft = half_plan(N);
  std::vector<double> x(N, 0.0), P(N);
  std::vector<std::complex<double>> X(N / 2), R(N / 2);
  std::vector<double> ac(win);
  for (std::size_t t = 0; t < n; ++t) {
    // Frame t = padded[t, t + win) (frames past n are dropped, as center=True does).
    for (std::size_t i = 0; i < win; ++i) x[i] = static_cast<double>(padded[t + i]) * window[i];
    fft.transform_real(x.data(), X.data());
    P[0] = X[0].real() * X[0].real();
    P[N / 2] = X[0].imag() * X[0].imag();
    for (std::size_t k = 1; k < N / 2; ++k) {
      const double p = std::norm(X[k]);
      P[k] = p;
      P[N - k] = p;
    }
    fft.transform_real(P.data(), R.data());
    double peak = 0.0;
    for (std::size_t m = 0; m < win; ++m) {
      ac[m] = R[m].real() / static_cast<double>(N);
      peak = std::max(peak, std::abs(ac[m]));
    }
    // util.normalize(norm=inf, axis=0): divide by the max |value| unless below tiny(float64).
    if (peak < std::numeric_limits<double>::min()) peak = 1.0;
    for (std::size_t m = 0; m < win; ++m) tg[m * n + t] = ac[m] / peak;
  }
  return tg;
}

}  // namespace detail

Matrix tempogram_from_onset(std::span<const float> env, int win_length) {
  const auto tg = detail::tempogram_f64(env, win_length);
  Matrix out(static_cast<std::size_t>(win_length), env.size());
  for (std::size_t i = 0; i < tg.size(); ++i) out.data[i] = static_cast<float>(tg[i]);
  return out;
}

Matrix tempogram(std::span<const float> y) {
  const Matrix env = onset_strength(y);
  return tempogram_from_onset(env.data);
}

Matrix fourier_tempogram_mag_from_onset(std::span<const float> env, int win_length) {
  // stft(env, n_fft=win_length, hop_length=1, window='hann', center=True, pad_mode='constant'):
  // float64 FFT of the windowed frames, rounded to complex64; np.abs of complex64 is hypotf.
  const ComplexSpectrogram X = stft(env, win_length, 1);
  Matrix out(X.bins, X.frames);
  for (std::size_t i = 0; i < X.data.size(); ++i)
    out.data[i] = std::hypot(X.data[i].real(), X.data[i].imag());
  return out;
}

Matrix fourier_tempogram_mag(std::span<const float> y) {
  const Matrix env = onset_strength(y);
  return fourier_tempogram_mag_from_onset(env.data);
}

Matrix stack_memory(std::span<const float> y, int n_steps, int delay) {
  if (n_steps < 1) throw std::invalid_argument("stack_memory: n_steps must be >= 1");
  if (delay < 1) throw std::invalid_argument("stack_memory: delay must be positive");
  const std::size_t n = y.size();
  Matrix out(static_cast<std::size_t>(n_steps), n, 0.0f);
  for (int k = 0; k < n_steps; ++k) {
    const std::size_t shift = static_cast<std::size_t>(k) * static_cast<std::size_t>(delay);
    float* row = out.row(k);
    for (std::size_t t = shift; t < n; ++t) row[t] = y[t - shift];
  }
  return out;
}

}  // namespace gtzan::features
