// The LSTM layer's whole-sequence path on cuDNN (cudnnRNNForward, cudnnRNNBackwardData_v8,
// cudnnRNNBackwardWeights_v8; the cuDNN 8+ "v8" RNN API, current in cuDNN 9).
//
// Keras semantics on top of cuDNN's:
// - One bias (CUDNN_RNN_SINGLE_INP_BIAS), zero initial h and c (hx = cx = null).
// - Weights: cuDNN keeps each gate's matrix as its own (units x rows) block, Keras keeps all four
//   gates side by side in (rows, 4 units); a pack kernel builds cuDNN's weight space before every
//   forward (the optimizer changes the weights between steps) and an unpack kernel returns the
//   gradients. Gate order is the same (cuDNN's linLayerID 0-3 = i, f, g, o on the input, 4-7
//   on the recurrent state; Keras's i, f, c, o). The block offsets come from
//   cudnnGetRNNWeightParams, checked against the shapes this file assumes.
// - Masks: only right padding (each row's valid steps a prefix, lengths >= 1; lstm.cpp checks).
//   cuDNN leaves padded steps of y at the fill value and stops each row's recurrence at its
//   length; Keras repeats the last valid output on padded steps. So with return_sequences y is
//   fixed up (repeat_last_valid) and dy folded back (fold_padded_gradient); without it the
//   output is cuDNN's hy, the state at each row's last valid step.
// - Math: CUDNN_FMA_MATH. In cuDNN 8+ CUDNN_DEFAULT_MATH permits TF32 tensor cores for float
//   on Ampere and later (TensorFlow and PyTorch pass CUDNN_FMA_MATH when TF32 is off); the
//   engine keeps float32 products everywhere (cuBLAS runs CUBLAS_DEFAULT_MATH for the same reason).
#include "cudnn_lstm.hpp"

#include <cuda_runtime.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "engine_ops.cuh"

namespace gtzan::engine {
namespace {

// cuDNN 9 keeps a message saying which parameter it rejected: worth more than the status name
// on a first run.
[[noreturn]] void throw_cudnn(const char* call, const char* file, int line, cudnnStatus_t status) {
  char detail[512] = {0};
  cudnnGetLastErrorString(detail, sizeof detail);
  ::gtzan::cuda::throw_cuda(call, file, line, std::string(cudnnGetErrorString(status)) + (detail[0] ? ": " : "") + detail);
}

#define GTZAN_CUDNN_CHECK(call)                                         \
  do {                                                                  \
    cudnnStatus_t st_ = (call);                                         \
    if (st_ != CUDNN_STATUS_SUCCESS) throw_cudnn(#call, __FILE__, __LINE__, st_); \
  } while (0)

namespace k = gtzan::kernels;
using gtzan::cuda::DeviceBuffer;

// A cuDNN descriptor owned for the lifetime of the object.
template <class Handle, cudnnStatus_t (*Create)(Handle*), cudnnStatus_t (*Destroy)(Handle)>
class Descriptor {
 public:
  Descriptor() { GTZAN_CUDNN_CHECK(Create(&h_)); }
  ~Descriptor() {
    if (h_) Destroy(h_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  Handle get() const { return h_; }

 private:
  Handle h_ = nullptr;
};
using DropoutDescriptor = Descriptor<cudnnDropoutDescriptor_t, cudnnCreateDropoutDescriptor, cudnnDestroyDropoutDescriptor>;
using RnnDescriptor = Descriptor<cudnnRNNDescriptor_t, cudnnCreateRNNDescriptor, cudnnDestroyRNNDescriptor>;
using RnnDataDescriptor = Descriptor<cudnnRNNDataDescriptor_t, cudnnCreateRNNDataDescriptor, cudnnDestroyRNNDataDescriptor>;
using TensorDescriptor = Descriptor<cudnnTensorDescriptor_t, cudnnCreateTensorDescriptor, cudnnDestroyTensorDescriptor>;

// A scratch buffer that only grows.
template <class T>
T* grow(DeviceBuffer<T>& b, std::size_t n) {
  if (b.size() < n) b = DeviceBuffer<T>(std::max<std::size_t>(n, 1));
  return b.data();
}

void check_launch() { GTZAN_CUDA_CHECK(cudaGetLastError()); }

class CudnnLstm final : public LstmSequence<float> {
 public:
  CudnnLstm(CudnnHandle handle, cudaStream_t stream, int in, int units)
      : handle_(std::move(handle)), stream_(stream), in_(in), units_(units) {
    // Dropout applies between stacked layers only; a one-layer RNN still needs a descriptor.
    // Rate 0 with no state buffer: nothing is drawn (PyTorch's set_no_dropout does the same).
    GTZAN_CUDNN_CHECK(cudnnSetDropoutDescriptor(dropout_.get(), h(), 0.0f, nullptr, 0, 0));
    GTZAN_CUDNN_CHECK(cudnnSetRNNDescriptor_v8(
        rnn_.get(), CUDNN_RNN_ALGO_STANDARD, CUDNN_LSTM, CUDNN_RNN_SINGLE_INP_BIAS,
        CUDNN_UNIDIRECTIONAL, CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT, CUDNN_FMA_MATH,
        in_, units_, /*projSize=*/units_, /*numLayers=*/1, dropout_.get(),
        CUDNN_RNN_PADDED_IO_ENABLED));  // padded (unpacked) layouts need padded IO
    GTZAN_CUDNN_CHECK(cudnnGetRNNWeightSpaceSize(h(), rnn_.get(), &weight_bytes_));
    const std::size_t floats = weight_bytes_ / sizeof(float);
    weights_ = DeviceBuffer<float>(floats);
    dweights_ = DeviceBuffer<float>(floats);
    // Anything the pack kernel does not write (alignment gaps) stays zero.
    GTZAN_CUDA_CHECK(cudaMemsetAsync(weights_.data(), 0, weight_bytes_, stream_));
    find_weight_layout();
  }

  void forward(int batch, int steps, const std::vector<int>& lengths, bool return_sequences,
               bool training, const float* x, const float* kernel, const float* recurrent,
               const float* bias, float* y) override {
    describe_batch(batch, steps, lengths);
    k::launch_engine_lstm_pack_weights(in_, units_, kernel, recurrent, bias, layout_, weights_.data(), stream_);
    check_launch();
    const cudnnForwardMode_t mode = training ? CUDNN_FWD_MODE_TRAINING : CUDNN_FWD_MODE_INFERENCE;
    std::size_t work = 0, reserve = 0;
    GTZAN_CUDNN_CHECK(cudnnGetRNNTempSpaceSizes(h(), rnn_.get(), mode, x_desc_.get(), &work, &reserve));
    work_bytes_ = work;
    grow(work_, work_bytes_);
    if (training) {
      reserve_bytes_ = reserve;
      grow(reserve_, reserve_bytes_);
    }
    const std::size_t out = static_cast<std::size_t>(batch) * steps * units_;
    float* y_cudnn = grow(y_cudnn_, out);
    GTZAN_CUDNN_CHECK(cudnnRNNForward(
        h(), rnn_.get(), mode, lengths_dev_.data(), x_desc_.get(), x, y_desc_.get(), y_cudnn,
        state_desc_.get(), /*hx=*/nullptr, /*hy=*/return_sequences ? nullptr : y,
        state_desc_.get(), /*cx=*/nullptr, /*cy=*/nullptr, weight_bytes_, weights_.data(),
        work_bytes_, work_.data(), training ? reserve_bytes_ : 0,
        training ? static_cast<void*>(reserve_.data()) : nullptr));
    if (return_sequences) {
      k::launch_engine_repeat_last_valid(batch, steps, units_, lengths_dev_.data(), y_cudnn, y, stream_);
      check_launch();
    }
    // An inference forward re-describes the batch: backward needs a training forward after it.
    have_training_state_ = training;
    batch_ = batch;
    steps_ = steps;
    return_sequences_ = return_sequences;
    x_ = x;
  }

  void backward(const float* dy, float* dx, float* dkernel, float* drecurrent, float* dbias) override {
    if (!have_training_state_)
      throw std::logic_error("cudnn lstm: backward needs a training forward just before it");
    const std::size_t out = static_cast<std::size_t>(batch_) * steps_ * units_;
    float* dy_cudnn = grow(dy_cudnn_, out);
    const float* dhy = nullptr;
    if (return_sequences_) {
      k::launch_engine_fold_padded_gradient(batch_, steps_, units_, lengths_dev_.data(), dy, dy_cudnn, stream_);
      check_launch();
    } else {
      // Only the final state feeds the loss: dy of every step is zero, dhy carries the gradient.
      GTZAN_CUDA_CHECK(cudaMemsetAsync(dy_cudnn, 0, out * sizeof(float), stream_));
      dhy = dy;
    }
    const std::size_t in_count = static_cast<std::size_t>(batch_) * steps_ * in_;
    float* dx_target = dx ? dx : grow(dx_unused_, in_count);  // cuDNN computes dx regardless
    GTZAN_CUDNN_CHECK(cudnnRNNBackwardData_v8(
        h(), rnn_.get(), lengths_dev_.data(), y_desc_.get(), y_cudnn_.data(), dy_cudnn,
        x_desc_.get(), dx_target, state_desc_.get(), /*hx=*/nullptr, dhy, /*dhx=*/nullptr,
        state_desc_.get(), /*cx=*/nullptr, /*dcy=*/nullptr, /*dcx=*/nullptr, weight_bytes_,
        weights_.data(), work_bytes_, work_.data(), reserve_bytes_, reserve_.data()));
    // cuDNN 8/9 support only CUDNN_WGRAD_MODE_ADD: the gradients add into dweights.
    GTZAN_CUDA_CHECK(cudaMemsetAsync(dweights_.data(), 0, weight_bytes_, stream_));
    GTZAN_CUDNN_CHECK(cudnnRNNBackwardWeights_v8(
        h(), rnn_.get(), CUDNN_WGRAD_MODE_ADD, lengths_dev_.data(), x_desc_.get(), x_,
        state_desc_.get(), /*hx=*/nullptr, y_desc_.get(), y_cudnn_.data(), weight_bytes_,
        dweights_.data(), work_bytes_, work_.data(), reserve_bytes_, reserve_.data()));
    k::launch_engine_lstm_unpack_weights(in_, units_, dweights_.data(), layout_, dkernel, drecurrent, dbias, stream_);
    check_launch();
    if (dx) {
      // The step loop gives padded steps dx = 0 (their gates get no gradient); cuDNN leaves
      // them unspecified.
      k::launch_engine_zero_padded_steps(batch_, steps_, in_, lengths_dev_.data(), dx, stream_);
      check_launch();
    }
    have_training_state_ = false;  // the reserve space belongs to one backward
  }

 private:
  cudnnHandle_t h() const { return handle_.get(); }

  // Offsets of the eight matrices and four input biases in the weight space, each checked
  // against the shape the pack kernel assumes: {1, units, cols} with packed strides, i.e. a
  // row-major (units x cols) matrix.
  void find_weight_layout() {
    TensorDescriptor m, b;
    const std::size_t floats = weight_bytes_ / sizeof(float);
    for (int id = 0; id < 8; ++id) {
      void* m_addr = nullptr;
      void* b_addr = nullptr;
      GTZAN_CUDNN_CHECK(cudnnGetRNNWeightParams(h(), rnn_.get(), /*pseudoLayer=*/0, weight_bytes_,
                                                weights_.data(), id, m.get(), &m_addr, b.get(), &b_addr));
      const int cols = id < 4 ? in_ : units_;
      layout_.matrix[id] = offset_of(m_addr, "matrix", id);
      expect_shape(m.get(), units_, cols, "matrix", id);
      if (layout_.matrix[id] + static_cast<std::size_t>(units_) * cols > floats)
        throw std::runtime_error("cudnn lstm: matrix " + std::to_string(id) + " runs past the weight space");
      if (id < 4) {
        layout_.bias[id] = offset_of(b_addr, "bias", id);
        expect_shape(b.get(), units_, 1, "bias", id);
        if (layout_.bias[id] + units_ > floats)
          throw std::runtime_error("cudnn lstm: bias " + std::to_string(id) + " runs past the weight space");
      }
      // Recurrent biases (id 4-7) do not exist with CUDNN_RNN_SINGLE_INP_BIAS; if a cuDNN
      // version reported one anyway it would stay zero (weights_ was cleared) and get no update.
    }
  }

  std::size_t offset_of(void* addr, const char* what, int id) const {
    if (!addr) throw std::runtime_error(std::string("cudnn lstm: no ") + what + " for linLayerID " + std::to_string(id));
    const auto* p = static_cast<const float*>(addr);
    if (p < weights_.data() || p >= weights_.data() + weight_bytes_ / sizeof(float))
      throw std::runtime_error(std::string("cudnn lstm: ") + what + " outside the weight space");
    return static_cast<std::size_t>(p - weights_.data());
  }

  static void expect_shape(cudnnTensorDescriptor_t d, int rows, int cols, const char* what, int id) {
    cudnnDataType_t type;
    int nb = 0, dims[3] = {0, 0, 0}, strides[3] = {0, 0, 0};
    GTZAN_CUDNN_CHECK(cudnnGetTensorNdDescriptor(d, 3, &type, &nb, dims, strides));
    const bool ok = type == CUDNN_DATA_FLOAT && nb == 3 && dims[0] == 1 && dims[1] == rows &&
                    dims[2] == cols && strides[1] == cols && strides[2] == 1;
    if (!ok)
      throw std::runtime_error(std::string("cudnn lstm: unexpected ") + what + " layout for linLayerID " +
                               std::to_string(id) + ": dims " + std::to_string(dims[0]) + "x" +
                               std::to_string(dims[1]) + "x" + std::to_string(dims[2]) + " strides " +
                               std::to_string(strides[0]) + "," + std::to_string(strides[1]) + "," +
                               std::to_string(strides[2]) + " (expected 1x" + std::to_string(rows) + "x" +
                               std::to_string(cols) + ", row-major)");
  }

  // Data descriptors for a (batch, steps, features) batch-major array with per-row lengths, the
  // state descriptor (1 layer, batch, units), and the lengths on the device (cuDNN's kernels
  // read devSeqLengths asynchronously).
  void describe_batch(int batch, int steps, const std::vector<int>& lengths) {
    if (batch <= 0 || steps <= 0 || static_cast<int>(lengths.size()) != batch)
      throw std::invalid_argument("cudnn lstm: need batch, steps >= 1 and one length per row");
    for (int len : lengths)
      if (len < 1 || len > steps)
        throw std::invalid_argument("cudnn lstm: sequence length " + std::to_string(len) + " outside 1.." +
                                    std::to_string(steps));
    float fill = 0.0f;  // padded outputs; overwritten by repeat_last_valid where they matter
    GTZAN_CUDNN_CHECK(cudnnSetRNNDataDescriptor(x_desc_.get(), CUDNN_DATA_FLOAT,
                                                CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED, steps, batch,
                                                in_, lengths.data(), &fill));
    GTZAN_CUDNN_CHECK(cudnnSetRNNDataDescriptor(y_desc_.get(), CUDNN_DATA_FLOAT,
                                                CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED, steps, batch,
                                                units_, lengths.data(), &fill));
    const int dims[3] = {1, batch, units_}, strides[3] = {batch * units_, units_, 1};
    GTZAN_CUDNN_CHECK(cudnnSetTensorNdDescriptor(state_desc_.get(), CUDNN_DATA_FLOAT, 3, dims, strides));
    grow(lengths_dev_, static_cast<std::size_t>(batch));
    GTZAN_CUDA_CHECK(cudaMemcpy(lengths_dev_.data(), lengths.data(), batch * sizeof(int), cudaMemcpyHostToDevice));
  }

  CudnnHandle handle_;  // first member: released last
  cudaStream_t stream_;
  int in_, units_;
  DropoutDescriptor dropout_;  // before rnn_: the RNN descriptor refers to it
  RnnDescriptor rnn_;
  RnnDataDescriptor x_desc_, y_desc_;
  TensorDescriptor state_desc_;
  std::size_t weight_bytes_ = 0, work_bytes_ = 0, reserve_bytes_ = 0;
  DeviceBuffer<float> weights_, dweights_;
  k::LstmWeightLayout layout_{};
  DeviceBuffer<unsigned char> work_, reserve_;
  DeviceBuffer<int> lengths_dev_;
  // cuDNN's own y (zeros on padded steps), kept for the backward calls; dy in that form; dx
  // when the layer needs none.
  DeviceBuffer<float> y_cudnn_, dy_cudnn_, dx_unused_;
  // What the last training forward left for backward.
  bool have_training_state_ = false;
  int batch_ = 0, steps_ = 0;
  bool return_sequences_ = false;
  const float* x_ = nullptr;
};

}  // namespace

CudnnHandle make_cudnn_handle(cudaStream_t stream) {
  cudnnHandle_t raw = nullptr;
  GTZAN_CUDNN_CHECK(cudnnCreate(&raw));
  CudnnHandle handle(raw, [](cudnnHandle_t p) { cudnnDestroy(p); });
  GTZAN_CUDNN_CHECK(cudnnSetStream(raw, stream));
  return handle;
}

std::unique_ptr<LstmSequence<float>> make_cudnn_lstm(CudnnHandle handle, cudaStream_t stream, int in,
                                                     int units) {
  return std::make_unique<CudnnLstm>(std::move(handle), stream, in, units);
}

}  // namespace gtzan::engine
