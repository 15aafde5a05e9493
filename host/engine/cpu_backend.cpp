// The CPU backend: OpenBLAS for the matrix products, plain loops for everything else.
#include <cblas.h>

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "backend/feature_backend.hpp"
#include "engine/backend.hpp"
#include "engine/gpu_engine.hpp"
#include "engine/rng.hpp"

namespace gtzan::engine {
namespace {

// Hot element-wise loops in float: AVX2 intrinsics when the CPU has them (GCC does not vectorise
// sqrt under the default -fmath-errno), plain loops otherwise. Same CPU -> same bits.
#define GTZAN_CLONES __attribute__((target_clones("avx2", "default")))

__attribute__((target("avx2,fma"))) void adam_avx2(std::size_t n, float* w, const float* g, float* m,
                                                   float* v, float lr, float b1, float b2, float e) {
  const __m256 vb1 = _mm256_set1_ps(b1), vb2 = _mm256_set1_ps(b2), va1 = _mm256_set1_ps(1.0f - b1),
               va2 = _mm256_set1_ps(1.0f - b2), vlr = _mm256_set1_ps(lr), ve = _mm256_set1_ps(e);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 gi = _mm256_loadu_ps(g + i);
    const __m256 mi = _mm256_add_ps(_mm256_mul_ps(vb1, _mm256_loadu_ps(m + i)), _mm256_mul_ps(va1, gi));
    const __m256 vi = _mm256_add_ps(_mm256_mul_ps(vb2, _mm256_loadu_ps(v + i)),
                                    _mm256_mul_ps(_mm256_mul_ps(va2, gi), gi));
    _mm256_storeu_ps(m + i, mi);
    _mm256_storeu_ps(v + i, vi);
    const __m256 step = _mm256_div_ps(_mm256_mul_ps(vlr, mi), _mm256_add_ps(_mm256_sqrt_ps(vi), ve));
    _mm256_storeu_ps(w + i, _mm256_sub_ps(_mm256_loadu_ps(w + i), step));
  }
  for (; i < n; ++i) {
    m[i] = b1 * m[i] + (1.0f - b1) * g[i];
    v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
    w[i] -= lr * m[i] / (std::sqrt(v[i]) + e);
  }
}

void adam_kernel(std::size_t n, float* w, const float* g, float* m, float* v, float lr, float b1,
                 float b2, float e) {
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2) return adam_avx2(n, w, g, m, v, lr, b1, b2, e);
  for (std::size_t i = 0; i < n; ++i) {
    m[i] = b1 * m[i] + (1.0f - b1) * g[i];
    v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
    w[i] -= lr * m[i] / (std::sqrt(v[i]) + e);
  }
}

GTZAN_CLONES void relu_backward_kernel(std::size_t n, const float* __restrict y,
                                       const float* __restrict dy, float* dx) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

template <class T>
inline T sigmoid(T x) {
  return T(1) / (T(1) + std::exp(-x));
}

template <class T>
class CpuBackend final : public Backend<T> {
 public:
  explicit CpuBackend(int threads) {
    const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    openblas_set_num_threads(n);
  }
  Device device() const override { return Device::cpu; }
  std::string name() const override { return "cpu"; }

  std::shared_ptr<T> allocate(std::size_t n) override {
    return std::shared_ptr<T>(new T[std::max<std::size_t>(n, 1)](), std::default_delete<T[]>());
  }
  void upload(const T* host, T* dst, std::size_t n) override { std::memcpy(dst, host, n * sizeof(T)); }
  void download(const T* src, T* host, std::size_t n) override { std::memcpy(host, src, n * sizeof(T)); }
  void copy(const T* src, T* dst, std::size_t n) override { std::memmove(dst, src, n * sizeof(T)); }
  void fill(T* dst, std::size_t n, T value) override { std::fill(dst, dst + n, value); }

  void gemm(bool ta, bool tb, int m, int n, int k, T alpha, const T* a, int lda, const T* b,
            int ldb, T beta, T* c, int ldc) override {
    if (m == 0 || n == 0) return;
    const auto opa = ta ? CblasTrans : CblasNoTrans;
    const auto opb = tb ? CblasTrans : CblasNoTrans;
    if constexpr (std::is_same_v<T, float>)
      cblas_sgemm(CblasRowMajor, opa, opb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    else
      cblas_dgemm(CblasRowMajor, opa, opb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
  void add_row_bias(T* y, const T* bias, int rows, int cols) override {
    for (int i = 0; i < rows; ++i) {
      T* r = y + static_cast<std::size_t>(i) * cols;
      for (int j = 0; j < cols; ++j) r[j] += bias[j];
    }
  }
  void sum_rows(const T* x, T* out, int rows, int cols) override {
    std::fill(out, out + cols, T(0));
    for (int i = 0; i < rows; ++i) {
      const T* r = x + static_cast<std::size_t>(i) * cols;
      for (int j = 0; j < cols; ++j) out[j] += r[j];
    }
  }
  void mul(const T* a, const T* b, T* c, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) c[i] = a[i] * b[i];
  }
  void axpy(std::size_t n, T alpha, const T* x, T* y) override {
    for (std::size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
  }
  double sum(const T* x, std::size_t n) override {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += x[i];
    return s;
  }
  void swap01(const T* x, T* y, int d0, int d1, int d2) override {
    for (int i = 0; i < d0; ++i)
      for (int j = 0; j < d1; ++j)
        std::memcpy(y + (static_cast<std::size_t>(j) * d0 + i) * d2,
                    x + (static_cast<std::size_t>(i) * d1 + j) * d2, d2 * sizeof(T));
  }

  void relu_forward(const T* x, T* y, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > T(0) ? x[i] : T(0);
  }
  void relu_backward(const T* y, const T* dy, T* dx, std::size_t n) override {
    if constexpr (std::is_same_v<T, float>) {
      relu_backward_kernel(n, y, dy, dx);
      return;
    }
    for (std::size_t i = 0; i < n; ++i) dx[i] = y[i] > T(0) ? dy[i] : T(0);
  }

  void conv1d_forward(const Conv1dShape& s, const T* x, const T* w, const T* bias, T* y) override {
    const int kc = s.kernel * s.cin;
    const int rows = s.batch * s.length;
    im2col(s, x);
    gemm(false, false, rows, s.cout, kc, T(1), col_.data(), kc, w, s.cout, T(0), y, s.cout);
    add_row_bias(y, bias, rows, s.cout);
  }
  void conv1d_backward(const Conv1dShape& s, const T* x, const T* w, const T* dy, T* dx, T* dw,
                       T* db) override {
    const int kc = s.kernel * s.cin;
    const int rows = s.batch * s.length;
    im2col(s, x);
    gemm(true, false, kc, s.cout, rows, T(1), col_.data(), kc, dy, s.cout, T(0), dw, s.cout);
    sum_rows(dy, db, rows, s.cout);
    if (!dx) return;
    dcol_.resize(static_cast<std::size_t>(rows) * kc);
    gemm(false, true, rows, kc, s.cout, T(1), dy, s.cout, w, s.cout, T(0), dcol_.data(), kc);
    // col2im: dx[b, t + j - pad, :] += dcol[b, t, j, :]
    std::fill(dx, dx + static_cast<std::size_t>(rows) * s.cin, T(0));
    for (int b = 0; b < s.batch; ++b)
      for (int t = 0; t < s.length; ++t) {
        const T* src = dcol_.data() + (static_cast<std::size_t>(b) * s.length + t) * kc;
        for (int j = 0; j < s.kernel; ++j) {
          const int p = t + j - s.pad_left;
          if (p < 0 || p >= s.length) continue;
          T* dst = dx + (static_cast<std::size_t>(b) * s.length + p) * s.cin;
          const T* sj = src + static_cast<std::size_t>(j) * s.cin;
          for (int c = 0; c < s.cin; ++c) dst[c] += sj[c];
        }
      }
  }

  void maxpool1d_forward(int batch, int length, int ch, int pool, const T* x, T* y) override {
    const int out = (length + pool - 1) / pool;
    for (int b = 0; b < batch; ++b)
      for (int o = 0; o < out; ++o) {
        T* yr = y + (static_cast<std::size_t>(b) * out + o) * ch;
        const int p0 = o * pool, p1 = std::min(p0 + pool, length);
        const T* x0 = x + (static_cast<std::size_t>(b) * length + p0) * ch;
        std::memcpy(yr, x0, ch * sizeof(T));
        for (int p = p0 + 1; p < p1; ++p) {
          const T* xr = x + (static_cast<std::size_t>(b) * length + p) * ch;
          for (int c = 0; c < ch; ++c) yr[c] = std::max(yr[c], xr[c]);
        }
      }
  }
  void maxpool1d_backward(int batch, int length, int ch, int pool, const T* x, const T* y,
                          const T* dy, T* dx) override {
    const int out = (length + pool - 1) / pool;
    std::fill(dx, dx + static_cast<std::size_t>(batch) * length * ch, T(0));
    for (int b = 0; b < batch; ++b)
      for (int o = 0; o < out; ++o) {
        const std::size_t yo = (static_cast<std::size_t>(b) * out + o) * ch;
        const int p0 = o * pool, p1 = std::min(p0 + pool, length);
        for (int c = 0; c < ch; ++c)
          for (int p = p0; p < p1; ++p) {
            const std::size_t xi = (static_cast<std::size_t>(b) * length + p) * ch + c;
            if (x[xi] == y[yo + c]) {
              dx[xi] += dy[yo + c];
              break;
            }
          }
      }
  }

  void dropout_forward(const T* x, T* y, T* scale, std::size_t n, double rate, std::uint64_t seed,
                       std::uint64_t offset) override {
    const T keep_scale = static_cast<T>(1.0 / (1.0 - rate));
    for (std::size_t i = 0; i < n; ++i) {
      scale[i] = hash_uniform(seed, offset + i) >= rate ? keep_scale : T(0);
      y[i] = x[i] * scale[i];
    }
  }

  void batchnorm_forward_train(int rows, int cols, const T* x, const T* gamma, const T* beta,
                               double eps, T* y, T* mean, T* var) override {
    acc_.assign(2 * static_cast<std::size_t>(cols), 0.0);
    double* m = acc_.data();
    double* v = m + cols;
    for (int i = 0; i < rows; ++i) {
      const T* r = x + static_cast<std::size_t>(i) * cols;
      for (int j = 0; j < cols; ++j) m[j] += r[j];
    }
    for (int j = 0; j < cols; ++j) m[j] /= rows;
    for (int i = 0; i < rows; ++i) {
      const T* r = x + static_cast<std::size_t>(i) * cols;
      for (int j = 0; j < cols; ++j) {
        const double d = r[j] - m[j];
        v[j] += d * d;
      }
    }
    for (int j = 0; j < cols; ++j) {
      v[j] /= rows;
      mean[j] = static_cast<T>(m[j]);
      var[j] = static_cast<T>(v[j]);
    }
    batchnorm_forward_infer(rows, cols, x, gamma, beta, mean, var, eps, y);
  }
  void batchnorm_forward_infer(int rows, int cols, const T* x, const T* gamma, const T* beta,
                               const T* mean, const T* var, double eps, T* y) override {
    sc_.resize(2 * static_cast<std::size_t>(cols));
    T* a = sc_.data();
    T* c = a + cols;
    for (int j = 0; j < cols; ++j) {
      a[j] = static_cast<T>(gamma[j] / std::sqrt(static_cast<double>(var[j]) + eps));
      c[j] = beta[j] - mean[j] * a[j];
    }
    for (int i = 0; i < rows; ++i) {
      const T* r = x + static_cast<std::size_t>(i) * cols;
      T* o = y + static_cast<std::size_t>(i) * cols;
      for (int j = 0; j < cols; ++j) o[j] = r[j] * a[j] + c[j];
    }
  }
  void batchnorm_backward(int rows, int cols, const T* x, const T* gamma, const T* mean,
                          const T* var, double eps, const T* dy, T* dx, T* dgamma,
                          T* dbeta) override {
    acc_.assign(3 * static_cast<std::size_t>(cols), 0.0);
    double* sdy = acc_.data();
    double* sdyx = sdy + cols;
    double* inv = sdyx + cols;
    for (int j = 0; j < cols; ++j) inv[j] = 1.0 / std::sqrt(static_cast<double>(var[j]) + eps);
    for (int i = 0; i < rows; ++i) {
      const T* r = x + static_cast<std::size_t>(i) * cols;
      const T* g = dy + static_cast<std::size_t>(i) * cols;
      for (int j = 0; j < cols; ++j) {
        sdy[j] += g[j];
        sdyx[j] += g[j] * (r[j] - mean[j]) * inv[j];
      }
    }
    for (int j = 0; j < cols; ++j) {
      dbeta[j] = static_cast<T>(sdy[j]);
      dgamma[j] = static_cast<T>(sdyx[j]);
    }
    for (int i = 0; i < rows; ++i) {
      const T* r = x + static_cast<std::size_t>(i) * cols;
      const T* g = dy + static_cast<std::size_t>(i) * cols;
      T* o = dx + static_cast<std::size_t>(i) * cols;
      for (int j = 0; j < cols; ++j) {
        const double xhat = (r[j] - mean[j]) * inv[j];
        o[j] = static_cast<T>(gamma[j] * inv[j] / rows * (rows * g[j] - sdy[j] - xhat * sdyx[j]));
      }
    }
  }
  void moving_average(T* moving, const T* batch, std::size_t n, double momentum) override {
    for (std::size_t i = 0; i < n; ++i)
      moving[i] = static_cast<T>(moving[i] * momentum + batch[i] * (1.0 - momentum));
  }

  void masking_forward(int rows, int cols, const T* x, T* y, T* mask) override {
    for (int i = 0; i < rows; ++i) {
      const T* r = x + static_cast<std::size_t>(i) * cols;
      bool any = false;
      for (int j = 0; j < cols && !any; ++j) any = r[j] != T(0);
      mask[i] = any ? T(1) : T(0);
    }
    row_scale(rows, cols, x, mask, y);
  }
  void row_scale(int rows, int cols, const T* x, const T* s, T* y) override {
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j)
        y[static_cast<std::size_t>(i) * cols + j] = x[static_cast<std::size_t>(i) * cols + j] * s[i];
  }
  void lstm_step_forward(int batch, int u, T* gates, const T* c_prev, const T* h_prev,
                         const T* mask, T* c, T* h) override {
    for (int b = 0; b < batch; ++b) {
      T* g = gates + static_cast<std::size_t>(b) * 4 * u;
      const std::size_t o = static_cast<std::size_t>(b) * u;
      for (int j = 0; j < u; ++j) {
        g[j] = sigmoid(g[j]);
        g[u + j] = sigmoid(g[u + j]);
        g[2 * u + j] = std::tanh(g[2 * u + j]);
        g[3 * u + j] = sigmoid(g[3 * u + j]);
      }
      if (mask && mask[b] == T(0)) {
        std::memcpy(c + o, c_prev + o, u * sizeof(T));
        std::memcpy(h + o, h_prev + o, u * sizeof(T));
        continue;
      }
      for (int j = 0; j < u; ++j) {
        const T cc = g[u + j] * c_prev[o + j] + g[j] * g[2 * u + j];
        c[o + j] = cc;
        h[o + j] = g[3 * u + j] * std::tanh(cc);
      }
    }
  }
  void lstm_step_backward(int batch, int u, const T* gates, const T* c_prev, const T* c,
                          const T* mask, const T* dh, T* dc, T* dgates, T* dh_prev) override {
    for (int b = 0; b < batch; ++b) {
      const T* g = gates + static_cast<std::size_t>(b) * 4 * u;
      T* dg = dgates + static_cast<std::size_t>(b) * 4 * u;
      const std::size_t o = static_cast<std::size_t>(b) * u;
      if (mask && mask[b] == T(0)) {  // h_t = h_{t-1}, c_t = c_{t-1}: gradients pass through
        std::fill(dg, dg + 4 * u, T(0));
        std::memcpy(dh_prev + o, dh + o, u * sizeof(T));
        continue;
      }
      for (int j = 0; j < u; ++j) {
        const T i = g[j], f = g[u + j], gg = g[2 * u + j], oo = g[3 * u + j];
        const T tc = std::tanh(c[o + j]);
        const T dct = dc[o + j] + dh[o + j] * oo * (T(1) - tc * tc);
        dg[j] = dct * gg * i * (T(1) - i);
        dg[u + j] = dct * c_prev[o + j] * f * (T(1) - f);
        dg[2 * u + j] = dct * i * (T(1) - gg * gg);
        dg[3 * u + j] = dh[o + j] * tc * oo * (T(1) - oo);
        dc[o + j] = dct * f;
        dh_prev[o + j] = T(0);
      }
    }
  }

  void softmax_xent(int rows, int classes, const T* logits, const T* labels, T* dlogits, T* loss,
                    T* correct) override {
    for (int r = 0; r < rows; ++r) {
      const T* z = logits + static_cast<std::size_t>(r) * classes;
      T* d = dlogits + static_cast<std::size_t>(r) * classes;
      const int y = static_cast<int>(labels[r]);
      int arg = 0;
      for (int k = 1; k < classes; ++k)
        if (z[k] > z[arg]) arg = k;
      double s = 0;
      for (int k = 0; k < classes; ++k) s += std::exp(static_cast<double>(z[k]) - z[arg]);
      const double lse = std::log(s) + z[arg];
      loss[r] = static_cast<T>(lse - z[y]);
      correct[r] = arg == y ? T(1) : T(0);
      for (int k = 0; k < classes; ++k)
        d[k] = static_cast<T>((std::exp(z[k] - lse) - (k == y ? 1.0 : 0.0)) / rows);
    }
  }
  void softmax(int rows, int classes, const T* logits, T* probs) override {
    for (int r = 0; r < rows; ++r) {
      const T* z = logits + static_cast<std::size_t>(r) * classes;
      T* p = probs + static_cast<std::size_t>(r) * classes;
      const T mx = *std::max_element(z, z + classes);
      double s = 0;
      for (int k = 0; k < classes; ++k) s += std::exp(static_cast<double>(z[k]) - mx);
      for (int k = 0; k < classes; ++k) p[k] = static_cast<T>(std::exp(z[k] - mx) / s);
    }
  }

  void adam_update(std::size_t n, T* w, const T* g, T* m, T* v, double lr_t, double beta1,
                   double beta2, double eps) override {
    const T b1 = static_cast<T>(beta1), b2 = static_cast<T>(beta2), lr = static_cast<T>(lr_t);
    const T e = static_cast<T>(eps);
    if constexpr (std::is_same_v<T, float>) {
      adam_kernel(n, w, g, m, v, lr, b1, b2, e);
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      m[i] = b1 * m[i] + (T(1) - b1) * g[i];
      v[i] = b2 * v[i] + (T(1) - b2) * g[i] * g[i];
      w[i] -= lr * m[i] / (std::sqrt(v[i]) + e);
    }
  }

 private:
  void im2col(const Conv1dShape& s, const T* x) {
    const int kc = s.kernel * s.cin;
    col_.resize(static_cast<std::size_t>(s.batch) * s.length * kc);
    for (int b = 0; b < s.batch; ++b)
      for (int t = 0; t < s.length; ++t) {
        T* dst = col_.data() + (static_cast<std::size_t>(b) * s.length + t) * kc;
        for (int j = 0; j < s.kernel; ++j) {
          const int p = t + j - s.pad_left;
          T* dj = dst + static_cast<std::size_t>(j) * s.cin;
          if (p < 0 || p >= s.length)
            std::fill(dj, dj + s.cin, T(0));
          else
            std::memcpy(dj, x + (static_cast<std::size_t>(b) * s.length + p) * s.cin, s.cin * sizeof(T));
        }
      }
  }
  std::vector<T> col_, dcol_, sc_;
  std::vector<double> acc_;
};

}  // namespace

template <class T>
std::unique_ptr<Backend<T>> make_cpu_backend(int threads) {
  return std::make_unique<CpuBackend<T>>(threads);
}
template std::unique_ptr<Backend<float>> make_cpu_backend<float>(int);
template std::unique_ptr<Backend<double>> make_cpu_backend<double>(int);

std::unique_ptr<Backend<float>> make_engine_backend(const std::string& device, int threads) {
  if (device == "cpu") return make_cpu_backend<float>(threads);
  if (device == "cuda") return make_cuda_engine_backend();  // throws naming why when unusable
  if (device == "auto") {
    std::string why;
    if (backend::cuda_device_available(why)) return make_cuda_engine_backend();
    return make_cpu_backend<float>(threads);
  }
  throw std::runtime_error("unknown device '" + device + "' (expected cpu, cuda or auto)");
}

}  // namespace gtzan::engine
