#pragma once
// Internals of the emulated cuDNN RNN, shared by cudnn_rnn.cpp (errors, handle, weight /
// reserve / workspace layouts, the checks of the compute calls), cudnn_rnn_descriptors.cpp,
// cudnn_rnn_forward.cpp and cudnn_rnn_backward.cpp. Not part of the emulated API.
//
// Arithmetic: data stay float in (emulated) device memory, as on a GPU: h, c and the gate
// activations are rounded to float each step, like a float cuDNN kernel keeps them. Each dot
// product and each activation is evaluated in double and rounded once, so the stand-in is
// deterministic and close to the exact float result; it is not bitwise cuDNN (whose GEMM
// summation order and tanh/exp are its own), nor does it emulate TF32 for CUDNN_DEFAULT_MATH.
#include <cudnn.h>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

struct cudnnContext {
  cudaStream_t stream = nullptr;  // recorded only: emulated streams run synchronously
};

struct cudnnTensorStruct {
  bool is_set = false;
  cudnnDataType_t type = CUDNN_DATA_FLOAT;
  int nb_dims = 0;  // 0: "no such tensor" (cudnnGetRNNWeightParams for an absent bias)
  int dims[CUDNN_DIM_MAX] = {};
  int strides[CUDNN_DIM_MAX] = {};
};

struct cudnnDropoutStruct {
  bool is_set = false;
  float rate = 0.0f;
};

struct cudnnRNNStruct {
  bool is_set = false;
  cudnnRNNBiasMode_t bias_mode = CUDNN_RNN_DOUBLE_BIAS;
  cudnnDataType_t type = CUDNN_DATA_FLOAT;
  int input = 0, hidden = 0, layers = 0;
  float dropout = 0.0f;  // copied from the dropout descriptor when the RNN descriptor is set
  uint32_t aux_flags = 0;
};

struct cudnnRNNDataStruct {
  bool is_set = false;
  cudnnDataType_t type = CUDNN_DATA_FLOAT;
  cudnnRNNDataLayout_t layout = CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED;
  int max_seq = 0, batch = 0, vector = 0;
  std::vector<int> lengths;
  bool has_fill = false;  // without a fill value cuDNN leaves padded outputs undefined
  double fill = 0.0;
};

namespace gtzan_emu::dnn {

template <class... Parts>
std::string cat(const Parts&... parts) {
  std::ostringstream s;
  (s << ... << parts);
  return s.str();
}

// A failed call: "emulated cuDNN: <function>: <why> (<status>)" on stderr, kept for
// cudnnGetLastErrorString. Returns status.
cudnnStatus_t report(cudnnStatus_t status, const char* function, const std::string& why);

// Null, or not inside one live device allocation of `bytes` bytes: BAD_PARAM naming `name`.
// Optional pointers may be null (cuDNN's "NULL: zero state" / "NULL: not written").
cudnnStatus_t check_device(const char* function, const char* name, const void* p, std::size_t bytes,
                           bool optional = false);

// The weight space (our own layout; cuDNN's is opaque and only reached through
// cudnnGetRNNWeightParams): per layer, the eight matrices in linLayerID order (0-3 input
// matrices of gates i, f, g, o, each row-major hidden x inputWidth; 4-7 recurrent, hidden x
// hidden), then the bias vectors the bias mode has (hidden floats each), in linLayerID order.
class WeightLayout {
 public:
  explicit WeightLayout(const cudnnRNNStruct& rnn);
  int input_width(int layer) const { return layer == 0 ? input_ : hidden_; }
  int matrix_cols(int layer, int id) const { return id < 4 ? input_width(layer) : hidden_; }
  std::size_t matrix(int layer, int id) const;  // float offset
  bool has_bias(int id) const;
  std::size_t bias(int layer, int id) const;  // float offset; only where has_bias(id)
  std::size_t floats() const { return layer_start_.back(); }
  std::size_t bytes() const { return floats() * sizeof(float); }

 private:
  int input_, hidden_;
  cudnnRNNBiasMode_t bias_mode_;
  std::vector<std::size_t> layer_start_;  // layers + 1 entries
};

// Per-layer pointers into a weight space (const for weights, mutable for weight gradients);
// absent biases are null.
template <class T>
struct LayerParams {
  T* input_matrix[4];      // linLayerID 0-3: W_i, W_f, W_g, W_o
  T* recurrent_matrix[4];  // linLayerID 4-7: R_i, R_f, R_g, R_o
  T* input_bias[4];
  T* recurrent_bias[4];
};

template <class T>
LayerParams<T> layer_params(const WeightLayout& w, T* space, int layer) {
  LayerParams<T> p{};
  for (int k = 0; k < 4; ++k) {
    p.input_matrix[k] = space + w.matrix(layer, k);
    p.recurrent_matrix[k] = space + w.matrix(layer, 4 + k);
    p.input_bias[k] = w.has_bias(k) ? space + w.bias(layer, k) : nullptr;
    p.recurrent_bias[k] = w.has_bias(4 + k) ? space + w.bias(layer, 4 + k) : nullptr;
  }
  return p;
}

// The shapes of one validated forward/backward call.
struct Shape {
  int batch = 0, max_seq = 0, input = 0, hidden = 0, layers = 0;
  const int* lengths = nullptr;  // host copy from xDesc
  cudnnRNNDataLayout_t layout = CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED;

  // Float offset of vector (b, t) in a user RNN data array of that width, in its layout.
  std::size_t data_offset(int b, int t, int width) const {
    const std::size_t vec = layout == CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED
                                ? std::size_t(b) * max_seq + t
                                : std::size_t(t) * batch + b;
    return vec * width;
  }
  // Index of (b, t) in the stand-in's own [batch][maxSeq] arrays (reserve and workspace).
  std::size_t row(int b, int t) const { return std::size_t(b) * max_seq + t; }
  std::size_t rows() const { return std::size_t(batch) * max_seq; }
  std::size_t data_floats(int width) const { return rows() * width; }
  std::size_t state_floats() const { return std::size_t(layers) * batch * hidden; }  // hx, cy, ...
  std::size_t state_offset(int layer, int b) const { return (std::size_t(layer) * batch + b) * hidden; }
};

// The reserve space of a training forward. A header (to catch a reserve space that does not
// belong to this shape, or a call order cuDNN forbids but cannot detect), then float arrays
// indexed by Shape::row:
//   gates[layer][row][4H]  gate activations i, f, g, o after the forward; cudnnRNNBackwardData_v8
//                          overwrites them with the gate pre-activation gradients, which
//                          cudnnRNNBackwardWeights_v8 reads (hence cuDNN's call order)
//   cells[layer][row][H]   c_t
//   hidden[layer][row][H]  h_t of layers 0 .. L-2 (inputs of the layer above; the top
//                          layer's h_t is y itself, which the backward calls are given)
struct ReserveHeader {
  char magic[8];
  uint32_t stage;  // kForwardDone, then kBackwardDataDone
  int32_t batch, max_seq, input, hidden, layers;
  uint64_t shape_hash;  // of the shapes and every sequence length
  unsigned char padding[20];
};
static_assert(sizeof(ReserveHeader) == 64, "the float arrays start 64-byte aligned");

class Reserve {
 public:
  static constexpr uint32_t kForwardDone = 1, kBackwardDataDone = 2;
  static std::size_t bytes(const Shape& s);
  Reserve(const Shape& s, void* base);
  ReserveHeader& header() const { return *static_cast<ReserveHeader*>(base_); }
  float* gates(int layer) const { return floats_ + layer * s_.rows() * 4 * s_.hidden; }
  float* cells(int layer) const { return floats_ + (s_.layers * 4 + layer) * s_.rows() * s_.hidden; }
  float* hidden(int layer) const { return floats_ + (s_.layers * 5 + layer) * s_.rows() * s_.hidden; }
  void stamp(uint32_t stage) const;
  // Empty when the header holds a forward of this shape at exactly this stage, else why not.
  std::string mismatch(uint32_t stage) const;

 private:
  Shape s_;
  void* base_;
  float* floats_;
};

// Workspace needs (bytes), what cudnnGetRNNTempSpaceSizes reports:
//   inference forward: the outputs of layers below the top (two alternating [row][H] arrays,
//     one with two layers, none with one) and the c state [batch][H];
//   training (the forward itself needs none; the backward calls do): the gradient reaching a
//     lower layer's output [row][H] (with more than one layer) and the carried dh, dc
//     [batch][H] each.
std::size_t workspace_bytes(const Shape& s, cudnnForwardMode_t mode);

// Shapes shared by cudnnGetRNNTempSpaceSizes and the compute calls: the RNN descriptor is set,
// xDesc describes its input (type, vector size, a layout it accepts).
cudnnStatus_t check_rnn_and_input(const char* function, cudnnHandle_t handle, cudnnRNNDescriptor_t rnn,
                                  cudnnRNNDataDescriptor_t xDesc);

// Everything the forward and backward calls check about descriptors and sequence lengths; fills
// `shape`. cDesc may be null only where the call has none (cudnnRNNBackwardWeights_v8).
cudnnStatus_t check_call(const char* function, cudnnHandle_t handle, cudnnRNNDescriptor_t rnn,
                         const int32_t* devSeqLengths, cudnnRNNDataDescriptor_t xDesc,
                         cudnnRNNDataDescriptor_t yDesc, cudnnTensorDescriptor_t hDesc,
                         cudnnTensorDescriptor_t cDesc, bool call_has_c, Shape& shape);

// Weight space, workspace and reserve space: large enough and device memory.
cudnnStatus_t check_spaces(const char* function, const cudnnRNNStruct& rnn, const Shape& s,
                           cudnnForwardMode_t mode, std::size_t weight_bytes, const void* weights,
                           std::size_t work_bytes, const void* work, std::size_t reserve_bytes,
                           const void* reserve);

}  // namespace gtzan_emu::dnn
