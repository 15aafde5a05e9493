#include "features/mel.hpp"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace gtzan::features {
namespace {

// Slaney mel scale (librosa.hz_to_mel / mel_to_hz with htk=False), in float64.
constexpr double kFsp = 200.0 / 3.0;
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = kMinLogHz / kFsp;  // 15

double logstep() { return std::log(6.4) / 27.0; }

double hz_to_mel(double f) {
  if (f >= kMinLogHz) return kMinLogMel + std::log(f / kMinLogHz) / logstep();
  return f / kFsp;
}

double mel_to_hz(double m) {
  if (m >= kMinLogMel) return kMinLogHz * std::exp(logstep() * (m - kMinLogMel));
  return kFsp * m;
}

// numpy.linspace(start, stop, num) with endpoint=True: i * step + start, last = stop.
std::vector<double> linspace(double start, double stop, int num) {
  std::vector<double> v(static_cast<std::size_t>(num));
  if (num == 1) {
    v[0] = start;
    return v;
  }
  const double step = (stop - start) / (num - 1);
  for (int i = 0; i < num; ++i) v[i] = i * step + start;
  v[num - 1] = stop;
  return v;
}

}  // namespace

// Least-squares polynomial machinery for Savitzky-Golay: weights w such that
// sum_k w[k] * x[k] is the `deriv`-th derivative at position `at` of the degree-`polyorder`
// least-squares fit to the points (pos[k], x[k]).
std::vector<double> lsq_deriv_weights(const std::vector<double>& pos, int polyorder, int deriv,
                                      double at) {
  const int n = static_cast<int>(pos.size());
  const int m = polyorder + 1;
  // Normal equations G c = V^T x with G = V^T V (tiny, well conditioned for these sizes);
  // solve G a = e where e[j] = d^deriv/dt^deriv t^j at `at`, then w = V a.
  std::vector<double> G(static_cast<std::size_t>(m * m), 0.0);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      double s = 0;
      for (int k = 0; k < n; ++k) s += std::pow(pos[k], i + j);
      G[i * m + j] = s;
    }
  std::vector<double> e(static_cast<std::size_t>(m), 0.0);
  for (int j = deriv; j < m; ++j) {
    double c = 1;
    for (int q = 0; q < deriv; ++q) c *= (j - q);
    e[j] = c * std::pow(at, j - deriv);
  }
  // Gaussian elimination with partial pivoting.
  for (int col = 0; col < m; ++col) {
    int piv = col;
    for (int r = col + 1; r < m; ++r)
      if (std::abs(G[r * m + col]) > std::abs(G[piv * m + col])) piv = r;
    if (piv != col) {
      for (int c = 0; c < m; ++c) std::swap(G[col * m + c], G[piv * m + c]);
      std::swap(e[col], e[piv]);
    }
    for (int r = col + 1; r < m; ++r) {
      const double f = G[r * m + col] / G[col * m + col];
      for (int c = col; c < m; ++c) G[r * m + c] -= f * G[col * m + c];
      e[r] -= f * e[col];
    }
  }
  std::vector<double> a(static_cast<std::size_t>(m));
  for (int r = m - 1; r >= 0; --r) {
    double s = e[r];
    for (int c = r + 1; c < m; ++c) s -= G[r * m + c] * a[c];
    a[r] = s / G[r * m + r];
  }
  std::vector<double> w(static_cast<std::size_t>(n), 0.0);
  for (int k = 0; k < n; ++k) {
    double s = 0;
    for (int j = 0; j < m; ++j) s += a[j] * std::pow(pos[k], j);
    w[k] = s;
  }
  return w;
}

Matrix mel_filterbank(int n_mels, int sr, int n_fft) {
  if (n_mels < 1 || sr <= 0 || n_fft < 2) throw std::invalid_argument("mel_filterbank: bad size");
  const int bins = 1 + n_fft / 2;
  // numpy.fft.rfftfreq(n_fft, 1/sr): k * (1 / (n_fft * (1/sr))).
  const double val = 1.0 / (n_fft * (1.0 / sr));
  std::vector<double> fft_freqs(static_cast<std::size_t>(bins));
  for (int k = 0; k < bins; ++k) fft_freqs[k] = k * val;

  std::vector<double> mel_f = linspace(hz_to_mel(0.0), hz_to_mel(sr / 2.0), n_mels + 2);
  for (double& m : mel_f) m = mel_to_hz(m);

  Matrix W(static_cast<std::size_t>(n_mels), static_cast<std::size_t>(bins));
  for (int i = 0; i < n_mels; ++i) {
    const double fd_lo = mel_f[i + 1] - mel_f[i];
    const double fd_hi = mel_f[i + 2] - mel_f[i + 1];
    const double enorm = 2.0 / (mel_f[i + 2] - mel_f[i]);
    float* row = W.row(i);
    for (int k = 0; k < bins; ++k) {
      const double lower = -(mel_f[i] - fft_freqs[k]) / fd_lo;
      const double upper = (mel_f[i + 2] - fft_freqs[k]) / fd_hi;
      // librosa stores the triangle into a float32 array, then scales it in float64 in place.
      const float tri = static_cast<float>(std::max(0.0, std::min(lower, upper)));
      row[k] = static_cast<float>(static_cast<double>(tri) * enorm);
    }
  }
  return W;
}

Matrix melspectrogram(const Matrix& power, int n_mels) {
  const int n_fft = static_cast<int>(2 * (power.rows - 1));
  const Matrix& basis = [&]() -> const Matrix& {
    // One filter bank per (n_mels, n_fft) per thread; building it costs far more than a lookup.
    thread_local std::vector<std::pair<long, Matrix>> cache;
    const long key = static_cast<long>(n_mels) * 1000003L + n_fft;
    for (const auto& [k, m] : cache)
      if (k == key) return m;
    cache.emplace_back(key, mel_filterbank(n_mels, kSr, n_fft));
    return cache.back().second;
  }();
  Matrix out(static_cast<std::size_t>(n_mels), power.cols);
  if (power.cols == 0) return out;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n_mels, static_cast<int>(power.cols),
              static_cast<int>(power.rows), 1.0f, basis.data.data(), static_cast<int>(basis.cols),
              power.data.data(), static_cast<int>(power.cols), 0.0f, out.data.data(),
              static_cast<int>(out.cols));
  return out;
}

Matrix power_to_db(const Matrix& S, float amin, float top_db) {
  Matrix out(S.rows, S.cols);
  float peak = -INFINITY;
  for (std::size_t i = 0; i < S.data.size(); ++i) {
    const float v = 10.0f * std::log10(std::max(amin, S.data[i]));
    out.data[i] = v;
    peak = std::max(peak, v);
  }
  if (top_db >= 0 && !out.data.empty()) {
    const float floor_db = peak - top_db;
    for (float& v : out.data) v = std::max(v, floor_db);
  }
  return out;
}

std::vector<double> dct_ortho_matrix(int n, int n_mfcc) {
  std::vector<double> d(static_cast<std::size_t>(n_mfcc) * n);
  for (int k = 0; k < n_mfcc; ++k)
    for (int j = 0; j < n; ++j)
      d[static_cast<std::size_t>(k) * n + j] =
          k == 0 ? std::sqrt(1.0 / n)
                 : std::sqrt(2.0 / n) * std::cos(M_PI * k * (2 * j + 1) / (2.0 * n));
  return d;
}

Matrix mfcc_from_db(const Matrix& mel_db, int n_mfcc) {
  const int n = static_cast<int>(mel_db.rows);
  if (n_mfcc < 1 || n_mfcc > n) throw std::invalid_argument("mfcc_from_db: bad n_mfcc");
  // Orthonormal DCT-II rows: sqrt(1/N) for k=0, sqrt(2/N) cos(pi k (2j+1) / (2N)) otherwise.
  // Applied in float64 (like pocketfft's accurate transform, a float32 GEMM would add ~1e-6 of
  // the peak and leave rounding noise where scipy returns ~0, e.g. on constant frames).
  thread_local std::vector<std::pair<long, std::vector<double>>> cache;
  const long key = static_cast<long>(n) * 100003L + n_mfcc;
  const std::vector<double>* D = nullptr;
  for (const auto& [k, m] : cache)
    if (k == key) D = &m;
  if (!D) {
    cache.emplace_back(key, dct_ortho_matrix(n, n_mfcc));
    D = &cache.back().second;
  }
  Matrix out(static_cast<std::size_t>(n_mfcc), mel_db.cols);
  const std::size_t T = mel_db.cols;
  if (T == 0) return out;
  thread_local std::vector<double> in, res;
  in.assign(mel_db.data.begin(), mel_db.data.end());
  res.resize(static_cast<std::size_t>(n_mfcc) * T);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n_mfcc, static_cast<int>(T), n, 1.0,
              D->data(), n, in.data(), static_cast<int>(T), 0.0, res.data(), static_cast<int>(T));
  for (std::size_t i = 0; i < res.size(); ++i) out.data[i] = static_cast<float>(res[i]);
  return out;
}

DeltaWeights delta_weights(int order, int width) {
  const int half = width / 2;
  DeltaWeights dw;
  // Interior: savgol_filter's centred kernel, y[t] = sum_k c[k] x[t + k - half].
  std::vector<double> pos(static_cast<std::size_t>(width));
  for (int k = 0; k < width; ++k) pos[k] = k - half;
  dw.centre = lsq_deriv_weights(pos, order, order, 0.0);
  // Edges ('interp'): fit the first/last window (positions 0..width-1), evaluate the derivative.
  for (int k = 0; k < width; ++k) pos[k] = k;
  dw.edge.resize(static_cast<std::size_t>(half));
  for (int e = 0; e < half; ++e) dw.edge[e] = lsq_deriv_weights(pos, order, order, e);
  return dw;
}

Matrix delta(const Matrix& X, int order, int width) {
  if (width < 3 || width % 2 == 0) throw std::invalid_argument("delta: width must be odd and >= 3");
  if (order < 1) throw std::invalid_argument("delta: order must be >= 1");
  if (static_cast<std::size_t>(width) > X.cols)
    throw std::invalid_argument(
        "too short for MFCC deltas: " + std::to_string(X.cols) + " frames, at least " +
        std::to_string(width) + " needed (about " + std::to_string((width - 1) * kHop) +
        " samples; librosa raises the same error)");
  const int half = width / 2;
  const std::size_t T = X.cols;
  const DeltaWeights dw = delta_weights(order, width);
  const std::vector<double>& c = dw.centre;
  const std::vector<std::vector<double>>& edge = dw.edge;

  Matrix out(X.rows, T);
  for (std::size_t r = 0; r < X.rows; ++r) {
    const float* x = X.row(r);
    float* y = out.row(r);
    for (std::size_t t = half; t + half < T; ++t) {
      const float* w = x + (t - half);
      double s = 0;
      for (int k = 0; k < width; ++k) s += c[k] * w[k];
      y[t] = static_cast<float>(s);
    }
    for (int e = 0; e < half; ++e) {
      double head = 0, tail = 0;
      const float* last = x + (T - width);
      for (int k = 0; k < width; ++k) {
        head += edge[e][k] * x[k];
        // Position width-1-e of the last window, mirrored weights: evaluate at width-1-e.
        tail += edge[e][width - 1 - k] * last[k] * ((order % 2) ? -1.0 : 1.0);
      }
      y[e] = static_cast<float>(head);
      y[T - 1 - e] = static_cast<float>(tail);
    }
  }
  return out;
}

}  // namespace gtzan::features
