#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
__device__ inline float sigmoidf(float x) { return __fdiv_rn(1.0f, __fadd_rn(1.0f, expf(-x))); }
__device__ inline float fm(float a, float b) { return __fmul_rn(a, b); }
__device__ inline float fa(float a, float b) { return __fadd_rn(a, b); }
__device__ inline float fs(float a, float b) { return __fsub_rn(a, b); }

// One thread per (row, unit). gates(batch, 4u) in Keras order i, f, c, o: pre-activations in,
// activations out (also on masked rows, as the CPU). A masked row carries c and h.
__global__ void lstm_forward_kernel(int batch, int u, float* gates, const float* c_prev,
                                    const float* h_prev, const float* mask, float* c, float* h) {
  const std::size_t n = std::size_t(batch) * u;
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const std::size_t b = e / u;
    const int j = static_cast<int>(e % u);
    float* g = gates + b * 4 * u;
    const float i = sigmoidf(g[j]), f = sigmoidf(g[u + j]), gg = tanhf(g[2 * u + j]),
                o = sigmoidf(g[3 * u + j]);
    g[j] = i;
    g[u + j] = f;
    g[2 * u + j] = gg;
    g[3 * u + j] = o;
    if (mask && mask[b] == 0.0f) {
      c[e] = c_prev[e];
      h[e] = h_prev[e];
      continue;
    }
    const float cc = fa(fm(f, c_prev[e]), fm(i, gg));
    c[e] = cc;
    h[e] = fm(o, tanhf(cc));
  }
}

// The CPU's lstm_step_backward term by term (same association, no FMA).
__global__ void lstm_backward_kernel(int batch, int u, const float* gates, const float* c_prev,
                                     const float* c, const float* mask, const float* dh, float* dc,
                                     float* dgates, float* dh_prev) {
  const std::size_t n = std::size_t(batch) * u;
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const std::size_t b = e / u;
    const int j = static_cast<int>(e % u);
    const float* g = gates + b * 4 * u;
    float* dg = dgates + b * 4 * u;
    if (mask && mask[b] == 0.0f) {  // h_t = h_{t-1}, c_t = c_{t-1}: gradients pass through
      dg[j] = dg[u + j] = dg[2 * u + j] = dg[3 * u + j] = 0.0f;
      dh_prev[e] = dh[e];
      continue;
    }
    const float i = g[j], f = g[u + j], gg = g[2 * u + j], oo = g[3 * u + j];
    const float tc = tanhf(c[e]);
    const float dct = fa(dc[e], fm(fm(dh[e], oo), fs(1.0f, fm(tc, tc))));
    dg[j] = fm(fm(fm(dct, gg), i), fs(1.0f, i));
    dg[u + j] = fm(fm(fm(dct, c_prev[e]), f), fs(1.0f, f));
    dg[2 * u + j] = fm(fm(dct, i), fs(1.0f, fm(gg, gg)));
    dg[3 * u + j] = fm(fm(fm(dh[e], tc), oo), fs(1.0f, oo));
    dc[e] = fm(dct, f);
    dh_prev[e] = 0.0f;
  }
}
}  // namespace

void launch_engine_lstm_step_forward(int batch, int units, float* gates, const float* c_prev,
                                     const float* h_prev, const float* mask, float* c, float* h,
                                     cudaStream_t s) {
  const std::size_t n = std::size_t(batch) * units;
  if (n == 0) return;
  GTZAN_LAUNCH(lstm_forward_kernel, engine_blocks(n), 256, 0, s, batch, units, gates, c_prev, h_prev, mask, c, h);
}

void launch_engine_lstm_step_backward(int batch, int units, const float* gates, const float* c_prev,
                                      const float* c, const float* mask, const float* dh, float* dc,
                                      float* dgates, float* dh_prev, cudaStream_t s) {
  const std::size_t n = std::size_t(batch) * units;
  if (n == 0) return;
  GTZAN_LAUNCH(lstm_backward_kernel, engine_blocks(n), 256, 0, s, batch, units, gates, c_prev, c, mask, dh, dc,
                                                         dgates, dh_prev);
}

}  // namespace gtzan::kernels
