#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

// One thread per Keras parameter, walking kernel, recurrent and bias as one index range. Keras
// keeps gate g of unit h in column g*u + h of an (rows, 4u) matrix; cuDNN keeps it in row h of
// gate g's own (u, rows) matrix. Returns the weight-space index of Keras element e and, through
// keras_part / keras_index, where e lives on the Keras side.
__device__ inline std::size_t weight_space_index(std::size_t e, int in, int u, const LstmWeightLayout& l,
                                                 int& keras_part, std::size_t& keras_index) {
  const std::size_t g4 = 4 * std::size_t(u);
  const std::size_t n_kernel = std::size_t(in) * g4, n_recurrent = std::size_t(u) * g4;
  if (e < n_kernel) {
    keras_part = 0;
    keras_index = e;
    const std::size_t row = e / g4, col = e % g4;
    const std::size_t g = col / u, h = col % u;
    return l.matrix[g] + h * in + row;
  }
  e -= n_kernel;
  if (e < n_recurrent) {
    keras_part = 1;
    keras_index = e;
    const std::size_t row = e / g4, col = e % g4;
    const std::size_t g = col / u, h = col % u;
    return l.matrix[4 + g] + h * u + row;
  }
  e -= n_recurrent;
  keras_part = 2;
  keras_index = e;
  return l.bias[e / u] + e % u;
}

__global__ void pack_kernel(int in, int u, const float* kernel, const float* recurrent,
                            const float* bias, LstmWeightLayout l, float* ws, std::size_t n) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    int part;
    std::size_t k;
    const std::size_t w = weight_space_index(e, in, u, l, part, k);
    ws[w] = part == 0 ? kernel[k] : (part == 1 ? recurrent[k] : bias[k]);
  }
}

__global__ void unpack_kernel(int in, int u, const float* ws, LstmWeightLayout l, float* kernel,
                              float* recurrent, float* bias, std::size_t n) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    int part;
    std::size_t k;
    const float v = ws[weight_space_index(e, in, u, l, part, k)];
    (part == 0 ? kernel : (part == 1 ? recurrent : bias))[k] = v;
  }
}

std::size_t lstm_parameter_count(int in, int u) {
  return (std::size_t(in) + u + 1) * 4 * std::size_t(u);
}

}  // namespace

void launch_engine_lstm_pack_weights(int in, int units, const float* kernel, const float* recurrent,
                                     const float* bias, const LstmWeightLayout& layout,
                                     float* weight_space, cudaStream_t s) {
  const std::size_t n = lstm_parameter_count(in, units);
  if (n == 0) return;
  GTZAN_LAUNCH(pack_kernel, engine_blocks(n), 256, 0, s, in, units, kernel, recurrent, bias, layout, weight_space, n);
}

void launch_engine_lstm_unpack_weights(int in, int units, const float* weight_space,
                                       const LstmWeightLayout& layout, float* kernel,
                                       float* recurrent, float* bias, cudaStream_t s) {
  const std::size_t n = lstm_parameter_count(in, units);
  if (n == 0) return;
  GTZAN_LAUNCH(unpack_kernel, engine_blocks(n), 256, 0, s, in, units, weight_space, layout, kernel, recurrent, bias, n);
}

}  // namespace gtzan::kernels
