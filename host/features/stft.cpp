#include "features/stft.hpp"

#include <kissfft/kiss_fftr.h>

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <unordered_map>

namespace gtzan::features {
namespace {

// kiss_fftr configurations hold scratch buffers, so each thread keeps its own plans.
struct KissPlan {
  kiss_fftr_cfg cfg = nullptr;
  ~KissPlan() { kiss_fftr_free(cfg); }
};

kiss_fftr_cfg plan_for(int n, bool inverse) {
  thread_local std::unordered_map<long, std::unique_ptr<KissPlan>> plans;
  const long key = 2L * n + (inverse ? 1 : 0);
  auto& slot = plans[key];
  if (!slot) {
    slot = std::make_unique<KissPlan>();
    slot->cfg = kiss_fftr_alloc(n, inverse ? 1 : 0, nullptr, nullptr);
    if (!slot->cfg) throw std::runtime_error("kissfft: cannot allocate plan");
  }
  return slot->cfg;
}

}  // namespace

std::vector<float> hann_window(int n) {
  std::vector<float> w(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) w[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * M_PI * i / n));
  return w;
}

std::size_t num_frames(std::size_t num_samples, int n_fft, int hop) {
  const std::size_t padded = num_samples + 2 * static_cast<std::size_t>(n_fft / 2);
  return 1 + (padded - n_fft) / hop;
}

ComplexSpectrogram stft(std::span<const float> y, int n_fft, int hop) {
  if (y.empty()) throw std::invalid_argument("stft: empty signal");
  const std::size_t n = y.size();
  const std::size_t frames = num_frames(n, n_fft, hop);
  const std::size_t bins = n_fft / 2 + 1;
  const long pad = n_fft / 2;
  const std::vector<float> window = hann_window(n_fft);
  kiss_fftr_cfg cfg = plan_for(n_fft, false);

  ComplexSpectrogram X;
  X.bins = bins;
  X.frames = frames;
  X.data.resize(bins * frames);
  std::vector<float> frame(n_fft);
  std::vector<kiss_fft_cpx> spectrum(bins);
  for (std::size_t t = 0; t < frames; ++t) {
    // Frame t covers padded[t*hop, t*hop + n_fft); padded[i] = y[i - pad] or 0 outside.
    const long start = static_cast<long>(t) * hop - pad;
    for (int i = 0; i < n_fft; ++i) {
      const long k = start + i;
      frame[i] = (k >= 0 && k < static_cast<long>(n)) ? y[k] * window[i] : 0.0f;
    }
    kiss_fftr(cfg, frame.data(), spectrum.data());
    for (std::size_t b = 0; b < bins; ++b) X.data[b * frames + t] = {spectrum[b].r, spectrum[b].i};
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

  const std::vector<float> window = hann_window(n_fft);
  kiss_fftr_cfg cfg = plan_for(n_fft, true);
  std::vector<double> out(signal_len, 0.0);
  std::vector<float> win_sum(signal_len, 0.0f);
  std::vector<kiss_fft_cpx> spectrum(X.bins);
  std::vector<float> frame(n_fft);
  const float inv_n = 1.0f / static_cast<float>(n_fft);
  for (std::size_t t = 0; t < frames; ++t) {
    for (std::size_t b = 0; b < X.bins; ++b) {
      spectrum[b].r = X.data[b * X.frames + t].real();
      // numpy's irfft ignores the imaginary part of the DC and Nyquist bins.
      spectrum[b].i = (b == 0 || b == X.bins - 1) ? 0.0f : X.data[b * X.frames + t].imag();
    }
    kiss_fftri(cfg, spectrum.data(), frame.data());
    const std::size_t off = t * hop;
    for (int i = 0; i < n_fft; ++i) {
      out[off + i] += static_cast<double>(frame[i] * inv_n * window[i]);
      win_sum[off + i] += window[i] * window[i];
    }
  }
  const float tiny = std::numeric_limits<float>::min();
  std::vector<float> y(length, 0.0f);
  for (std::size_t i = 0; i < length && i + pad < signal_len; ++i) {
    const std::size_t k = i + pad;
    const double v = win_sum[k] > tiny ? out[k] / win_sum[k] : out[k];
    y[i] = static_cast<float>(v);
  }
  return y;
}

}  // namespace gtzan::features
