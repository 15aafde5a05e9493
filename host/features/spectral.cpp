#include "features/spectral.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <vector>

namespace gtzan::features {
namespace {

// numpy.fft.rfftfreq(n_fft, 1/sr) as librosa.fft_frequencies computes it.
std::vector<double> fft_freqs(std::size_t bins, int sr, int n_fft) {
  const double val = 1.0 / (n_fft * (1.0 / sr));
  std::vector<double> f(bins);
  for (std::size_t k = 0; k < bins; ++k) f[k] = static_cast<double>(k) * val;
  return f;
}

void check_bins(const Matrix& S, int n_fft, const char* who) {
  if (S.rows != static_cast<std::size_t>(n_fft / 2 + 1))
    throw std::invalid_argument(std::string(who) + ": spectrogram rows != 1 + n_fft/2");
}

// Per-frame L1 norm in float64 (librosa.util.normalize(S, norm=1, axis=-2) casts |S| to float),
// with librosa's guard: a norm below float32's tiny leaves the frame un-normalised.
std::vector<double> l1_norms(const Matrix& S) {
  std::vector<double> L(S.cols, 0.0);
  for (std::size_t b = 0; b < S.rows; ++b) {
    const float* s = S.row(b);
    for (std::size_t t = 0; t < S.cols; ++t) L[t] += std::abs(static_cast<double>(s[t]));
  }
  const double tiny = std::numeric_limits<float>::min();
  for (double& l : L)
    if (l < tiny) l = 1.0;
  return L;
}

// Gathers `count` frames starting at t0 into frame-major rows of `bins` values.
void gather_frames(const Matrix& S, std::size_t t0, std::size_t count, std::vector<float>& buf) {
  const std::size_t bins = S.rows;
  buf.resize(count * bins);
  for (std::size_t b = 0; b < bins; ++b) {
    const float* s = S.row(b) + t0;
    for (std::size_t j = 0; j < count; ++j) buf[j * bins + b] = s[j];
  }
}

}  // namespace

Matrix spectral_centroid(const Matrix& mag, int sr, int n_fft) {
  check_bins(mag, n_fft, "spectral_centroid");
  const auto freq = fft_freqs(mag.rows, sr, n_fft);
  const auto L = l1_norms(mag);
  std::vector<double> acc(mag.cols, 0.0);
  for (std::size_t b = 0; b < mag.rows; ++b) {
    const float* s = mag.row(b);
    const double f = freq[b];
    // librosa: float32(S / L) then times the float64 frequency.
    for (std::size_t t = 0; t < mag.cols; ++t)
      acc[t] += f * static_cast<double>(static_cast<float>(s[t] / L[t]));
  }
  Matrix out(1, mag.cols);
  for (std::size_t t = 0; t < mag.cols; ++t) out.data[t] = static_cast<float>(acc[t]);
  return out;
}

Matrix spectral_bandwidth(const Matrix& mag, int sr, int n_fft) {
  check_bins(mag, n_fft, "spectral_bandwidth");
  const auto freq = fft_freqs(mag.rows, sr, n_fft);
  const auto L = l1_norms(mag);
  const std::size_t T = mag.cols;
  std::vector<double> centroid(T, 0.0), acc(T, 0.0);
  // float32 normalised spectrogram, as librosa's normalize() returns it.
  for (std::size_t b = 0; b < mag.rows; ++b) {
    const float* s = mag.row(b);
    const double f = freq[b];
    for (std::size_t t = 0; t < T; ++t)
      centroid[t] += f * static_cast<double>(static_cast<float>(s[t] / L[t]));
  }
  for (std::size_t b = 0; b < mag.rows; ++b) {
    const float* s = mag.row(b);
    const double f = freq[b];
    for (std::size_t t = 0; t < T; ++t) {
      const double d = f - centroid[t];
      acc[t] += static_cast<double>(static_cast<float>(s[t] / L[t])) * d * d;
    }
  }
  Matrix out(1, T);
  for (std::size_t t = 0; t < T; ++t) out.data[t] = static_cast<float>(std::sqrt(acc[t]));
  return out;
}

Matrix spectral_rolloff(const Matrix& mag, float roll_percent, int sr, int n_fft) {
  check_bins(mag, n_fft, "spectral_rolloff");
  const auto freq = fft_freqs(mag.rows, sr, n_fft);
  const std::size_t T = mag.cols;
  // librosa: float32 cumulative sum over bins; threshold = roll_percent * total (float32);
  // rolloff = frequency of the first bin whose cumulative energy reaches the threshold.
  std::vector<float> cum(T, 0.0f);
  for (std::size_t b = 0; b < mag.rows; ++b) {
    const float* s = mag.row(b);
    for (std::size_t t = 0; t < T; ++t) cum[t] += s[t];
  }
  const float pct = static_cast<float>(static_cast<double>(roll_percent));
  std::vector<float> thr(T);
  for (std::size_t t = 0; t < T; ++t) thr[t] = pct * cum[t];
  std::fill(cum.begin(), cum.end(), 0.0f);
  Matrix out(1, T, -1.0f);
  std::size_t remaining = T;
  for (std::size_t b = 0; b < mag.rows && remaining > 0; ++b) {
    const float* s = mag.row(b);
    for (std::size_t t = 0; t < T; ++t) {
      cum[t] += s[t];
      if (out.data[t] < 0.0f && !(cum[t] < thr[t])) {
        out.data[t] = static_cast<float>(freq[b]);
        --remaining;
      }
    }
  }
  return out;
}

Matrix spectral_flatness(const Matrix& mag) {
  const std::size_t T = mag.cols;
  const double amin = 1e-10f;
  // log of the geometric mean as the sum of logs of products of up to 16 bins: each thresholded
  // power lies in [1e-10, ~1e10), so a 16-term product stays well inside float64's range.
  constexpr std::size_t kBlock = 16;
  std::vector<double> logsum(T, 0.0), sum(T, 0.0), prod(T);
  for (std::size_t b0 = 0; b0 < mag.rows; b0 += kBlock) {
    const std::size_t b1 = std::min(mag.rows, b0 + kBlock);
    std::fill(prod.begin(), prod.end(), 1.0);
    for (std::size_t b = b0; b < b1; ++b) {
      const float* s = mag.row(b);
      for (std::size_t t = 0; t < T; ++t) {
        const double p = std::max(amin, static_cast<double>(s[t] * s[t]));  // float32 S**2
        prod[t] *= p;
        sum[t] += p;
      }
    }
    for (std::size_t t = 0; t < T; ++t) logsum[t] += std::log(prod[t]);
  }
  Matrix out(1, T);
  const double n = static_cast<double>(mag.rows);
  for (std::size_t t = 0; t < T; ++t)
    out.data[t] = static_cast<float>(std::exp(logsum[t] / n) / (sum[t] / n));
  return out;
}

std::vector<ContrastBand> contrast_bands(int sr, int n_fft) {
  constexpr int n_bands = kContrastBands;
  constexpr double fmin = 200.0, quantile = 0.02;
  const long nb = n_fft / 2 + 1;
  const auto freq = fft_freqs(static_cast<std::size_t>(nb), sr, n_fft);
  double octa[n_bands + 2];
  octa[0] = 0.0;
  for (int k = 0; k <= n_bands; ++k) octa[k + 1] = fmin * std::pow(2.0, k);
  for (int k = 0; k <= n_bands; ++k)
    if (octa[k] >= 0.5 * sr) throw std::invalid_argument("spectral_contrast: band above Nyquist");

  // Band k covers the contiguous bins [lo, hi): librosa's mask freq in [f_low, f_high], one
  // extra bin below for k > 0, everything above for the last band; `count` is the mask size
  // (before the top bin of bands k < n_bands is dropped), which sets the quantile size.
  std::vector<ContrastBand> bands(n_bands + 1);
  for (int k = 0; k <= n_bands; ++k) {
    long first = -1, last = -1;
    for (long i = 0; i < nb; ++i)
      if (freq[i] >= octa[k] && freq[i] <= octa[k + 1]) {
        if (first < 0) first = i;
        last = i;
      }
    if (first < 0) throw std::invalid_argument("spectral_contrast: empty band");
    long lo = first, hi = last + 1;
    if (k > 0) lo = first - 1;  // numpy index -1 would wrap; first > 0 here since f_low > 0
    if (k == n_bands) hi = nb;
    const long count = hi - lo;
    if (k < n_bands) hi -= 1;
    long take = static_cast<long>(std::nearbyint(quantile * static_cast<double>(count)));
    take = std::max(take, 1L);
    bands[k] = {lo, hi, take};
  }
  return bands;
}

Matrix spectral_contrast(const Matrix& mag, int sr, int n_fft) {
  check_bins(mag, n_fft, "spectral_contrast");
  constexpr int n_bands = kContrastBands;
  const std::vector<ContrastBand> bands = contrast_bands(sr, n_fft);

  const std::size_t T = mag.cols;
  std::vector<double> peak((n_bands + 1) * T), valley((n_bands + 1) * T);
  constexpr std::size_t kChunk = 32;
  constexpr long kSmallTake = 16;
  std::vector<float> buf, work;
  for (std::size_t t0 = 0; t0 < T; t0 += kChunk) {
    const std::size_t cnt = std::min(kChunk, T - t0);
    gather_frames(mag, t0, cnt, buf);
    for (std::size_t j = 0; j < cnt; ++j) {
      const float* frame = buf.data() + j * mag.rows;
      for (int k = 0; k <= n_bands; ++k) {
        const ContrastBand& bd = bands[k];
        const long n = bd.hi - bd.lo;
        const long take = std::min(bd.take, n);
        const float* v = frame + bd.lo;
        double lo_sum = 0, hi_sum = 0;
        if (take <= kSmallTake) {
          // One pass keeping the `take` smallest and largest values in sorted arrays.
          float lo[kSmallTake], hi[kSmallTake];  // lo ascending, hi descending
          for (long i = 0; i < take; ++i) lo[i] = hi[i] = v[i];
          std::sort(lo, lo + take);
          std::sort(hi, hi + take, std::greater<float>());
          for (long i = take; i < n; ++i) {
            const float x = v[i];
            if (x < lo[take - 1]) {
              long p = take - 1;
              for (; p > 0 && lo[p - 1] > x; --p) lo[p] = lo[p - 1];
              lo[p] = x;
            }
            if (x > hi[take - 1]) {
              long p = take - 1;
              for (; p > 0 && hi[p - 1] < x; --p) hi[p] = hi[p - 1];
              hi[p] = x;
            }
          }
          for (long i = 0; i < take; ++i) lo_sum += lo[i], hi_sum += hi[i];
        } else {
          work.assign(v, v + n);
          std::nth_element(work.begin(), work.begin() + (take - 1), work.end());
          for (long i = 0; i < take; ++i) lo_sum += work[i];
          std::nth_element(work.begin(), work.begin() + (n - take), work.end());
          for (long i = n - take; i < n; ++i) hi_sum += work[i];
        }
        // np.mean of float32 values is float32.
        valley[k * T + t0 + j] = static_cast<float>(lo_sum / take);
        peak[k * T + t0 + j] = static_cast<float>(hi_sum / take);
      }
    }
  }
  // power_to_db (float64 here: librosa's peak/valley arrays are float64), each with its own
  // global top_db floor.
  auto to_db = [](std::vector<double>& v) {
    double mx = -INFINITY;
    for (double& x : v) {
      x = 10.0 * std::log10(std::max(1e-10, x));
      mx = std::max(mx, x);
    }
    for (double& x : v) x = std::max(x, mx - 80.0);
  };
  to_db(peak);
  to_db(valley);
  Matrix out(n_bands + 1, T);
  for (std::size_t i = 0; i < out.data.size(); ++i) out.data[i] = static_cast<float>(peak[i] - valley[i]);
  return out;
}

std::vector<double> poly_fit_matrix(int order, int sr, int n_fft) {
  if (order < 0) throw std::invalid_argument("poly_features: negative order");
  const std::size_t n = static_cast<std::size_t>(n_fft / 2 + 1);
  const auto freq = fft_freqs(n, sr, n_fft);
  const int m = order + 1;
  // Least squares in the centred, scaled variable u = (f - mu) / sc: Gram-Schmidt on the
  // columns 1, u, u^2, ... gives Q (orthonormal) and R, so that the coefficients in u are
  // R^-1 Q^T y; the map to coefficients in f is a fixed (m x m) matrix.
  double mu = 0;
  for (double f : freq) mu += f;
  mu /= static_cast<double>(n);
  double sc = 0;
  for (double f : freq) sc = std::max(sc, std::abs(f - mu));
  if (sc == 0) sc = 1;
  std::vector<double> Q(static_cast<std::size_t>(m) * n), R(static_cast<std::size_t>(m * m), 0.0);
  for (int j = 0; j < m; ++j) {
    double* q = Q.data() + j * n;
    for (std::size_t i = 0; i < n; ++i) q[i] = std::pow((freq[i] - mu) / sc, j);
    for (int pass = 0; pass < 2; ++pass)  // re-orthogonalise once for accuracy
      for (int p = 0; p < j; ++p) {
        const double* qp = Q.data() + p * n;
        double d = 0;
        for (std::size_t i = 0; i < n; ++i) d += qp[i] * q[i];
        R[p * m + j] += d;
        for (std::size_t i = 0; i < n; ++i) q[i] -= d * qp[i];
      }
    double nrm = 0;
    for (std::size_t i = 0; i < n; ++i) nrm += q[i] * q[i];
    nrm = std::sqrt(nrm);
    R[j * m + j] = nrm;
    for (std::size_t i = 0; i < n; ++i) q[i] /= nrm;
  }
  // P = R^-1 Q^T  ([m, n]): coefficients in u (ascending powers) = P y.
  std::vector<double> P(static_cast<std::size_t>(m) * n);
  for (std::size_t i = 0; i < n; ++i)
    for (int r = m - 1; r >= 0; --r) {
      double s = Q[r * n + i];
      for (int c = r + 1; c < m; ++c) s -= R[r * m + c] * P[c * n + i];
      P[r * n + i] = s / R[r * m + r];
    }
  // Convert: sum_j a_j ((f - mu)/sc)^j = sum_k b_k f^k, b_k = sum_{j>=k} a_j C(j,k) (-mu)^(j-k) / sc^j.
  std::vector<double> C(static_cast<std::size_t>(m * m), 0.0);  // b = C a
  for (int j = 0; j < m; ++j)
    for (int k = 0; k <= j; ++k) {
      double binom = 1;
      for (int q = 0; q < k; ++q) binom = binom * (j - q) / (q + 1);
      C[k * m + j] = binom * std::pow(-mu, j - k) / std::pow(sc, j);
    }
  std::vector<double> Pf(static_cast<std::size_t>(m) * n, 0.0);  // coefficients in f: Pf y
  for (int k = 0; k < m; ++k)
    for (int j = 0; j < m; ++j)
      for (std::size_t i = 0; i < n; ++i) Pf[k * n + i] += C[k * m + j] * P[j * n + i];
  return Pf;
}

Matrix poly_features(const Matrix& mag, int order, int sr, int n_fft) {
  check_bins(mag, n_fft, "poly_features");
  if (order < 0) throw std::invalid_argument("poly_features: negative order");
  const std::size_t n = mag.rows;
  const int m = order + 1;
  const std::vector<double> Pf = poly_fit_matrix(order, sr, n_fft);

  const std::size_t T = mag.cols;
  std::vector<double> acc(static_cast<std::size_t>(m) * T, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const float* s = mag.row(i);
    for (int k = 0; k < m; ++k) {
      const double w = Pf[k * n + i];
      double* a = acc.data() + k * T;
      for (std::size_t t = 0; t < T; ++t) a[t] += w * s[t];
    }
  }
  // np.polyfit rows: highest power first.
  Matrix out(static_cast<std::size_t>(m), T);
  for (int k = 0; k < m; ++k)
    for (std::size_t t = 0; t < T; ++t) out.at(m - 1 - k, t) = static_cast<float>(acc[k * T + t]);
  return out;
}

Matrix zero_crossing_rate(std::span<const float> y, int frame_length, int hop) {
  if (y.empty()) throw std::invalid_argument("zero_crossing_rate: empty signal");
  const long n = static_cast<long>(y.size());
  const long pad = frame_length / 2;
  const long padded = n + 2 * pad;
  if (padded < frame_length) throw std::invalid_argument("zero_crossing_rate: signal too short");
  const std::size_t frames = 1 + static_cast<std::size_t>((padded - frame_length) / hop);
  // Edge padding (np.pad mode='edge'); |x| <= 1e-10 counts as 0; zero_pos: sign bit decides.
  const float thr = 1e-10f;
  auto negative = [&](long i) -> unsigned char {
    const float v = y[std::clamp(i - pad, 0L, n - 1)];
    return (v < -thr) ? 1 : 0;  // NaN-free input assumed; -0.0 and tiny values are "positive"
  };
  // crossing[i] = sign(x[i]) != sign(x[i-1]) over the padded signal; each frame sums
  // crossing at positions start+1 .. start+frame_length-1 (the first position is pad=False).
  std::vector<int> prefix(static_cast<std::size_t>(padded) + 1, 0);
  unsigned char prev = negative(0);
  for (long i = 1; i < padded; ++i) {
    const unsigned char cur = negative(i);
    prefix[i + 1] = prefix[i] + (cur != prev ? 1 : 0);
    prev = cur;
  }
  Matrix out(1, frames);
  for (std::size_t t = 0; t < frames; ++t) {
    const long s = static_cast<long>(t) * hop;
    const int count = prefix[s + frame_length] - prefix[s + 1];
    out.data[t] = static_cast<float>(static_cast<double>(count) / frame_length);
  }
  return out;
}

Matrix rms(std::span<const float> y, int frame_length, int hop) {
  if (y.empty()) throw std::invalid_argument("rms: empty signal");
  const long n = static_cast<long>(y.size());
  const long pad = frame_length / 2;
  const long padded = n + 2 * pad;
  if (padded < frame_length) throw std::invalid_argument("rms: signal too short");
  const std::size_t frames = 1 + static_cast<std::size_t>((padded - frame_length) / hop);
  // Zero padding (pad_mode='constant'); x^2 in float32 as librosa, summed in float64.
  Matrix out(1, frames);
  for (std::size_t t = 0; t < frames; ++t) {
    const long s = static_cast<long>(t) * hop - pad;
    const long a = std::max(s, 0L), b = std::min(s + frame_length, n);
    double acc = 0;
    for (long i = a; i < b; ++i) acc += static_cast<double>(y[i] * y[i]);
    out.data[t] = std::sqrt(static_cast<float>(acc / frame_length));
  }
  return out;
}

}  // namespace gtzan::features
