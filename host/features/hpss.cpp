// Harmonic/percussive separation as librosa 0.10.2 (effects.hpss -> decompose.hpss):
//   S, phase = magphase(X)                                  (float32 / complex64)
//   harm = scipy.ndimage.median_filter(S, size=(1, k), mode="reflect")   along time
//   perc = scipy.ndimage.median_filter(S, size=(k, 1), mode="reflect")   along frequency
//   margin 1 on both sides -> split_zeros=True in util.softmask(power=2)
//   H = (S * mask_h) * phase, P = (S * mask_p) * phase, then istft(length=len(y)).
// The median filter returns an element of its window, so it is bit-exact by construction.
#include "features/hpss.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace gtzan::features {

namespace {

// scipy.ndimage 'reflect' (d c b a | a b c d | d c b a) index for any offset, any n >= 1.
inline std::ptrdiff_t reflect_index(std::ptrdiff_t i, std::ptrdiff_t n) {
  const std::ptrdiff_t period = 2 * n;
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - 1 - i;
}

// Running median of an odd window `k` over a contiguous row `x` of length n (reflect boundary),
// written to `out`. A sorted buffer of k values is updated per step: binary-search the outgoing
// value, binary-search the incoming one, shift the elements in between by one.
void median_filter_row(const float* x, std::size_t n, int k, float* out, std::vector<float>& ext,
                       std::vector<float>& win) {
  const std::ptrdiff_t half = k / 2;
  const std::ptrdiff_t sn = static_cast<std::ptrdiff_t>(n);
  ext.resize(n + 2 * static_cast<std::size_t>(half));
  for (std::ptrdiff_t i = -half; i < sn + half; ++i) ext[static_cast<std::size_t>(i + half)] =
      x[reflect_index(i, sn)];
  win.assign(ext.begin(), ext.begin() + k);
  std::sort(win.begin(), win.end());
  float* w = win.data();
  const std::size_t mid = static_cast<std::size_t>(half);
  out[0] = w[mid];
  for (std::size_t t = 1; t < n; ++t) {
    const float old_v = ext[t - 1];
    const float new_v = ext[t - 1 + static_cast<std::size_t>(k)];
    if (old_v != new_v) {
      // Position of (one copy of) the outgoing value.
      std::size_t p = static_cast<std::size_t>(std::lower_bound(w, w + k, old_v) - w);
      if (new_v > old_v) {
        // Shift left the elements in (p, q) where q = first index with w[q] > new_v.
        std::size_t q = static_cast<std::size_t>(std::upper_bound(w + p + 1, w + k, new_v) - w);
        std::memmove(w + p, w + p + 1, (q - p - 1) * sizeof(float));
        w[q - 1] = new_v;
      } else {
        std::size_t q = static_cast<std::size_t>(std::lower_bound(w, w + p, new_v) - w);
        std::memmove(w + q + 1, w + q, (p - q) * sizeof(float));
        w[q] = new_v;
      }
    }
    out[t] = w[mid];
  }
}

void transpose(const float* in, std::size_t rows, std::size_t cols, float* out) {
  constexpr std::size_t B = 32;
  for (std::size_t r0 = 0; r0 < rows; r0 += B)
    for (std::size_t c0 = 0; c0 < cols; c0 += B) {
      const std::size_t r1 = std::min(rows, r0 + B), c1 = std::min(cols, c0 + B);
      for (std::size_t r = r0; r < r1; ++r)
        for (std::size_t c = c0; c < c1; ++c) out[c * rows + r] = in[r * cols + c];
    }
}

}  // namespace

void median_filter_time(const Matrix& S, int kernel_size, Matrix& out) {
  out = Matrix(S.rows, S.cols);
  std::vector<float> ext, win;
  for (std::size_t r = 0; r < S.rows; ++r)
    median_filter_row(S.row(r), S.cols, kernel_size, out.row(r), ext, win);
}

void median_filter_freq(const Matrix& S, int kernel_size, Matrix& out) {
  std::vector<float> st(S.data.size()), ot(S.data.size());
  transpose(S.data.data(), S.rows, S.cols, st.data());
  std::vector<float> ext, win;
  for (std::size_t c = 0; c < S.cols; ++c)
    median_filter_row(st.data() + c * S.rows, S.rows, kernel_size, ot.data() + c * S.rows, ext,
                      win);
  out = Matrix(S.rows, S.cols);
  transpose(ot.data(), S.cols, S.rows, out.data.data());
}

void hpss_masks(const ComplexSpectrogram& X, ComplexSpectrogram& harmonic,
                ComplexSpectrogram& percussive, int kernel_size) {
  if (kernel_size < 1 || kernel_size % 2 == 0)
    throw std::invalid_argument("hpss: kernel_size must be odd and positive");
  const std::size_t n = X.data.size();
  // magphase(X): mag = |X| (hypotf), phase = X / mag (mag 0 -> phase 1).
  Matrix S(X.bins, X.frames);
  std::vector<std::complex<float>> phase(n);
  for (std::size_t i = 0; i < n; ++i) {
    const float re = X.data[i].real(), im = X.data[i].imag();
    const float mag = std::hypot(re, im);
    S.data[i] = mag;
    const float zero = mag == 0.0f ? 1.0f : 0.0f;
    const float nz = mag + zero;
    phase[i] = {re / nz + zero, im / nz};
  }
  Matrix harm, perc;
  median_filter_time(S, kernel_size, harm);
  median_filter_freq(S, kernel_size, perc);

  harmonic.bins = percussive.bins = X.bins;
  harmonic.frames = percussive.frames = X.frames;
  harmonic.data.resize(n);
  percussive.data.resize(n);
  const float tiny = std::numeric_limits<float>::min();
  for (std::size_t i = 0; i < n; ++i) {
    // util.softmask(harm, perc, power=2, split_zeros=True) and its mirror (margin 1).
    const float h = harm.data[i], p = perc.data[i];
    const float z = std::max(h, p);
    float mh, mp;
    if (z < tiny) {
      mh = mp = 0.5f;
    } else {
      const float hz = h / z, pz = p / z;
      const float hh = hz * hz, pp = pz * pz;
      mh = hh / (hh + pp);
      mp = pp / (pp + hh);
    }
    const float sh = S.data[i] * mh, sp = S.data[i] * mp;
    harmonic.data[i] = {sh * phase[i].real(), sh * phase[i].imag()};
    percussive.data[i] = {sp * phase[i].real(), sp * phase[i].imag()};
  }
}

HpssSignals hpss(const ComplexSpectrogram& X, std::size_t length) {
  ComplexSpectrogram H, P;
  hpss_masks(X, H, P);
  HpssSignals out;
  out.harmonic = istft(H, length);
  out.percussive = istft(P, length);
  return out;
}

HpssSignals hpss(std::span<const float> y) { return hpss(stft(y), y.size()); }

}  // namespace gtzan::features
