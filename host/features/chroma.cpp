// Chroma from a power spectrogram, following librosa 0.10.2 step by step:
//   estimate_tuning(S) -> piptrack(S, fmin=150, fmax=4000, threshold=0.1, ref=np.max)
//                       -> pitch_tuning(resolution=0.01, bins_per_octave=12)
//   filters.chroma(tuning) (float64, cast to float32) @ S, then util.normalize(norm=inf).
// The arithmetic mirrors numpy's dtypes (float32 where numpy stays in float32, double where it
// promotes) so that the discrete decisions (local maxima, histogram bins) match librosa's.
#include "features/chroma.hpp"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <vector>

namespace gtzan::features {

namespace {

// numba stencil of librosa.core.pitch._pi_stencil on float32 input: the integer literal 2 makes
// numba promote to float64; the result is stored back into a float32 array.
inline float parabolic_shift(float xm1, float x0, float xp1) {
  const double a = static_cast<double>(xp1 + xm1) - 2.0 * static_cast<double>(x0);
  const double b = static_cast<double>(xp1 - xm1) / 2.0;
  if (std::abs(b) >= std::abs(a)) return 0.0f;
  return static_cast<float>(-b / a);
}

}  // namespace

void piptrack_bin_range(int sr, int n_fft, int& k_lo, int& k_hi) {
  // fft_frequencies = rfftfreq(n_fft, 1/sr) = arange * (1 / (n_fft * (1/sr))).
  const int bins = n_fft / 2 + 1;
  const double val = 1.0 / (static_cast<double>(n_fft) * (1.0 / static_cast<double>(sr)));
  const double fmin = 150.0;
  const double fmax = std::min(4000.0, static_cast<double>(sr) / 2.0);
  k_lo = bins;
  k_hi = 0;
  for (int k = 0; k < bins; ++k) {
    const double f = static_cast<double>(k) * val;
    if (fmin <= f && f < fmax) {
      k_lo = std::min(k_lo, k);
      k_hi = k + 1;
    }
  }
}

double pitch_tuning_from_peaks(std::span<const float> pitches, std::span<const float> mags,
                               int bins_per_octave) {
  if (pitches.size() != mags.size())
    throw std::invalid_argument("pitch_tuning_from_peaks: pitches and mags differ in size");
  if (pitches.empty()) return 0.0;  // pitch_tuning on an empty set: 0.0 (librosa warns)

  // threshold = np.median(mag[pitch > 0]) in float32 (mean of the middle two for even n).
  std::vector<float> sorted(mags.begin(), mags.end());
  const std::size_t n = sorted.size();
  std::nth_element(sorted.begin(), sorted.begin() + n / 2, sorted.end());
  float threshold = sorted[n / 2];
  if (n % 2 == 0) {
    const float lower = *std::max_element(sorted.begin(), sorted.begin() + n / 2);
    threshold = (lower + threshold) / 2.0f;
  }

  // pitch_tuning: residual = mod(12 * log2(f / 27.5), 1) folded to [-0.5, 0.5), all float32;
  // histogram over linspace(-0.5, 0.5, 101) edges (float64), argmax -> left edge.
  constexpr int kBins = 100;
  double edges[kBins + 1];
  const double step = 1.0 / kBins;
  for (int i = 0; i <= kBins; ++i) edges[i] = static_cast<double>(i) * step + -0.5;
  edges[kBins] = 0.5;
  int counts[kBins] = {};
  const float bpo = static_cast<float>(bins_per_octave);  // python int * float32 array
  for (std::size_t i = 0; i < n; ++i) {
    if (!(mags[i] >= threshold)) continue;
    const float octs = std::log2(pitches[i] / 27.5f);
    float residual = std::fmod(bpo * octs, 1.0f);
    if (residual < 0.0f) residual += 1.0f;  // np.mod sign convention (divisor positive)
    if (residual >= 0.5f) residual -= 1.0f;
    const double r = residual;
    if (r < edges[0] || r > edges[kBins]) continue;
    int b = static_cast<int>(std::upper_bound(edges, edges + kBins + 1, r) - edges) - 1;
    if (b >= kBins) b = kBins - 1;  // last bin is closed on the right
    ++counts[b];
  }
  int best = 0;
  for (int b = 1; b < kBins; ++b)
    if (counts[b] > counts[best]) best = b;
  return edges[best];
}

double estimate_tuning_f64(const Matrix& power, int sr, int n_fft, int bins_per_octave) {
  const std::size_t bins = power.rows, frames = power.cols;
  if (bins != static_cast<std::size_t>(n_fft / 2 + 1))
    throw std::invalid_argument("estimate_tuning: power rows must be 1 + n_fft/2");
  if (frames == 0 || bins < 3) return 0.0f;

  int k_lo = 0, k_hi = 0;  // freq_mask = [k_lo, k_hi)
  piptrack_bin_range(sr, n_fft, k_lo, k_hi);

  std::vector<float> pitches;  // frequencies of detected peaks (> 0 only)
  std::vector<float> mags;
  std::vector<float> col(bins), thr(bins);
  const std::size_t k_begin = static_cast<std::size_t>(std::max(k_lo, 1));
  const std::size_t k_end = static_cast<std::size_t>(k_hi);
  for (std::size_t t = 0; t < frames; ++t) {
    float mx = 0.0f;
    for (std::size_t k = 0; k < bins; ++k) {
      col[k] = std::abs(power.at(k, t));
      mx = std::max(mx, col[k]);
    }
    const float ref_value = 0.1f * mx;  // numpy: python 0.1 cast to float32, float32 product
    for (std::size_t k = 0; k < bins; ++k) thr[k] = col[k] > ref_value ? col[k] : 0.0f;
    for (std::size_t k = k_begin; k < k_end; ++k) {
      // util.localmax along frequency: x[k] > x[k-1] && x[k] >= x[k+1]; last bin: x[-1] > x[-2].
      const bool lmax = (k + 1 < bins) ? (thr[k] > thr[k - 1] && thr[k] >= thr[k + 1])
                                       : (thr[k] > thr[k - 1]);
      if (!lmax) continue;
      float shift = 0.0f, grad;
      if (k + 1 < bins) {
        shift = parabolic_shift(col[k - 1], col[k], col[k + 1]);
        grad = (col[k + 1] - col[k - 1]) / 2.0f;  // np.gradient, interior, float32
      } else {
        grad = col[k] - col[k - 1];  // np.gradient edge (first order)
      }
      const float dskew = (0.5f * grad) * shift;
      // (idx + shift) is int64 + float32 -> float64 in numpy, then * sr / n_fft, stored float32.
      const float pitch = static_cast<float>((static_cast<double>(k) + static_cast<double>(shift)) *
                                             static_cast<double>(sr) / static_cast<double>(n_fft));
      if (pitch > 0.0f) {
        pitches.push_back(pitch);
        mags.push_back(col[k] + dskew);
      }
    }
  }
  return pitch_tuning_from_peaks(pitches, mags, bins_per_octave);
}

float estimate_tuning_from_power(const Matrix& power, int sr, int n_fft) {
  return static_cast<float>(estimate_tuning_f64(power, sr, n_fft, 12));
}

Matrix chroma_filterbank(float tuning, int sr, int n_fft, int n_chroma) {
  const std::size_t nf = static_cast<std::size_t>(n_fft);
  const std::size_t nc = static_cast<std::size_t>(n_chroma);
  const double dc = static_cast<double>(n_chroma);
  const double a440 = 440.0 * std::pow(2.0, static_cast<double>(tuning) / dc);
  const double step = static_cast<double>(sr) / static_cast<double>(n_fft);  // linspace, no end

  std::vector<double> frqbins(nf);
  for (std::size_t k = 1; k < nf; ++k) {
    const double f = static_cast<double>(k) * step;
    frqbins[k] = dc * std::log2(f / (a440 / 16.0));
  }
  frqbins[0] = frqbins[1] - 1.5 * dc;  // 0 Hz bin: 1.5 octaves below bin 1
  std::vector<double> binwidth(nf, 1.0);
  for (std::size_t k = 0; k + 1 < nf; ++k) binwidth[k] = std::max(frqbins[k + 1] - frqbins[k], 1.0);

  const double half = std::round(dc / 2.0);
  std::vector<double> wts(nc * nf);
  for (std::size_t c = 0; c < nc; ++c) {
    for (std::size_t k = 0; k < nf; ++k) {
      double d = frqbins[k] - static_cast<double>(c);
      d = std::fmod((d + half) + 10.0 * dc, dc) - half;  // argument is positive here
      const double z = 2.0 * d / binwidth[k];
      wts[c * nf + k] = std::exp(-0.5 * (z * z));
    }
  }
  // util.normalize(norm=2, axis=0): per column, rows summed in order.
  const double tiny64 = std::numeric_limits<double>::min();
  for (std::size_t k = 0; k < nf; ++k) {
    double s = 0.0;
    for (std::size_t c = 0; c < nc; ++c) s += wts[c * nf + k] * wts[c * nf + k];
    double len = std::sqrt(s);
    if (len < tiny64) len = 1.0;
    for (std::size_t c = 0; c < nc; ++c) wts[c * nf + k] /= len;
  }
  // octave weighting centred on ctroct = 5, octwidth = 2.
  for (std::size_t k = 0; k < nf; ++k) {
    const double o = (frqbins[k] / dc - 5.0) / 2.0;
    const double w = std::exp(-0.5 * (o * o));
    for (std::size_t c = 0; c < nc; ++c) wts[c * nf + k] *= w;
  }
  // base_c: np.roll(wts, -3 * (n_chroma // 12), axis=0); keep 1 + n_fft/2 columns, float32.
  const std::size_t roll = static_cast<std::size_t>(3 * (n_chroma / 12)) % nc;
  const std::size_t out_cols = nf / 2 + 1;
  Matrix fb(nc, out_cols);
  for (std::size_t r = 0; r < nc; ++r) {
    const std::size_t src = (r + roll) % nc;
    for (std::size_t k = 0; k < out_cols; ++k) fb.at(r, k) = static_cast<float>(wts[src * nf + k]);
  }
  return fb;
}

Matrix chroma_stft(const Matrix& power, int sr, int n_fft) {
  const float tuning = estimate_tuning_from_power(power, sr, n_fft);
  const Matrix fb = chroma_filterbank(tuning, sr, n_fft, 12);
  const std::size_t frames = power.cols;
  Matrix out(fb.rows, frames);
  if (frames == 0) return out;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(fb.rows),
              static_cast<int>(frames), static_cast<int>(fb.cols), 1.0f, fb.data.data(),
              static_cast<int>(fb.cols), power.data.data(), static_cast<int>(frames), 0.0f,
              out.data.data(), static_cast<int>(frames));
  // util.normalize(norm=inf, axis=0, threshold=tiny(float32), fill=None): columns whose max |x|
  // is below tiny are left as they are (divided by 1).
  const float tiny32 = std::numeric_limits<float>::min();
  for (std::size_t t = 0; t < frames; ++t) {
    float len = 0.0f;
    for (std::size_t c = 0; c < out.rows; ++c) len = std::max(len, std::abs(out.at(c, t)));
    if (len < tiny32) continue;
    for (std::size_t c = 0; c < out.rows; ++c) out.at(c, t) /= len;
  }
  return out;
}

}  // namespace gtzan::features
