// Emulated cuDNN: handle, error strings, tensor / dropout / RNN / RNN-data descriptors, the
// weight-space layout with cudnnGetRNNWeightParams, temp-space sizes, and the checks the
// forward and backward calls share (cudnn_rnn_forward.cpp, cudnn_rnn_backward.cpp).
//
// Validation follows cuDNN's documented return codes: BAD_PARAM for what cuDNN rejects (null or
// unset descriptors, shapes that disagree, spaces too small, and here also data pointers that
// are not device memory), NOT_SUPPORTED for what cuDNN can do but this stand-in does not
// emulate (the message says "not emulated"), so a test never passes on a faked feature.
#include <cstdio>
#include <cstring>

#include "cudnn_rnn_internal.hpp"
#include "gtzan_emu/memory.hpp"

namespace gtzan_emu::dnn {
namespace {
thread_local std::string last_error;  // cuDNN keeps the last message per host thread
}

cudnnStatus_t report(cudnnStatus_t status, const char* function, const std::string& why) {
  last_error = cat(function, ": ", why);
  std::fprintf(stderr, "emulated cuDNN: %s (%s)\n", last_error.c_str(), cudnnGetErrorString(status));
  return status;
}

cudnnStatus_t check_device(const char* function, const char* name, const void* p, std::size_t bytes,
                           bool optional) {
  if (!p) return optional ? CUDNN_STATUS_SUCCESS : report(CUDNN_STATUS_BAD_PARAM, function, cat(name, " is NULL"));
  if (!gtzan_emu::is_device(p, bytes))
    return report(CUDNN_STATUS_BAD_PARAM, function,
                  cat(name, " (", p, ", ", bytes, " bytes) is not inside one device allocation"));
  return CUDNN_STATUS_SUCCESS;
}

// ---- weight space ----
WeightLayout::WeightLayout(const cudnnRNNStruct& rnn)
    : input_(rnn.input), hidden_(rnn.hidden), bias_mode_(rnn.bias_mode) {
  int biases = 0;
  for (int id = 0; id < 8; ++id) biases += has_bias(id);
  layer_start_.push_back(0);
  for (int l = 0; l < rnn.layers; ++l) {
    const std::size_t h = hidden_;
    layer_start_.push_back(layer_start_.back() + 4 * h * input_width(l) + 4 * h * h + biases * h);
  }
}

std::size_t WeightLayout::matrix(int layer, int id) const {
  const std::size_t h = hidden_, w = input_width(layer);
  return layer_start_[layer] + (id < 4 ? id * h * w : 4 * h * w + (id - 4) * h * h);
}

bool WeightLayout::has_bias(int id) const {
  switch (bias_mode_) {
    case CUDNN_RNN_DOUBLE_BIAS: return true;
    case CUDNN_RNN_SINGLE_INP_BIAS: return id < 4;
    case CUDNN_RNN_SINGLE_REC_BIAS: return id >= 4;
    default: return false;
  }
}

std::size_t WeightLayout::bias(int layer, int id) const {
  std::size_t slot = 0;  // biases before this one in the layer
  for (int k = 0; k < id; ++k) slot += has_bias(k);
  const std::size_t h = hidden_;
  return layer_start_[layer] + 4 * h * input_width(layer) + 4 * h * h + slot * h;
}

// ---- reserve and workspace ----
std::size_t Reserve::bytes(const Shape& s) {
  const std::size_t per_row = std::size_t(s.hidden) * (5 * s.layers + (s.layers - 1));
  return sizeof(ReserveHeader) + s.rows() * per_row * sizeof(float);
}

Reserve::Reserve(const Shape& s, void* base)
    : s_(s),
      base_(base),
      floats_(base ? reinterpret_cast<float*>(static_cast<char*>(base) + sizeof(ReserveHeader)) : nullptr) {}

namespace {
uint64_t shape_hash(const Shape& s) {  // FNV-1a over the shapes and the lengths
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](int v) { h = (h ^ static_cast<uint32_t>(v)) * 1099511628211ull; };
  for (int v : {s.batch, s.max_seq, s.input, s.hidden, s.layers, static_cast<int>(s.layout)}) mix(v);
  for (int b = 0; b < s.batch; ++b) mix(s.lengths[b]);
  return h;
}
constexpr char kMagic[8] = {'g', 't', 'z', 'R', 'N', 'N', 'r', 's'};
}  // namespace

void Reserve::stamp(uint32_t stage) const {
  ReserveHeader& hd = header();
  std::memcpy(hd.magic, kMagic, sizeof kMagic);
  hd.stage = stage;
  hd.batch = s_.batch, hd.max_seq = s_.max_seq, hd.input = s_.input, hd.hidden = s_.hidden, hd.layers = s_.layers;
  hd.shape_hash = shape_hash(s_);
}

std::string Reserve::mismatch(uint32_t stage) const {
  const ReserveHeader& hd = header();
  if (std::memcmp(hd.magic, kMagic, sizeof kMagic) != 0)
    return "reserveSpace holds no training forward (cudnnRNNForward with CUDNN_FWD_MODE_TRAINING)";
  if (hd.shape_hash != shape_hash(s_))
    return cat("reserveSpace holds a training forward of another shape or other sequence lengths (batch ", hd.batch,
               ", maxSeqLength ", hd.max_seq, ", input ", hd.input, ", hidden ", hd.hidden, ", layers ", hd.layers, ")");
  if (hd.stage < stage)
    return "cudnnRNNBackwardWeights_v8 needs cudnnRNNBackwardData_v8 first: the weight gradients come from the "
           "gate gradients it leaves in the reserve space";
  if (hd.stage > stage)
    return "cudnnRNNBackwardData_v8 already ran on this reserve space (it replaces the forward's gate activations "
           "with gradients): run a training forward again first";
  return {};
}

std::size_t workspace_bytes(const Shape& s, cudnnForwardMode_t mode) {
  const std::size_t seq = s.rows() * s.hidden, state = std::size_t(s.batch) * s.hidden;
  const std::size_t floats = mode == CUDNN_FWD_MODE_TRAINING
                                 ? (s.layers > 1 ? seq : 0) + 2 * state
                                 : std::size_t(s.layers > 2 ? 2 : s.layers - 1) * seq + state;
  return floats * sizeof(float);
}

// ---- checks shared by the RNN calls ----
namespace {
#define EMU_REQUIRE(cond, status, ...) \
  do {                                 \
    if (!(cond)) return report(status, function, cat(__VA_ARGS__)); \
  } while (0)

bool unpacked(cudnnRNNDataLayout_t l) {
  return l == CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED || l == CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED;
}

cudnnStatus_t check_state_desc(const char* function, const char* name, cudnnTensorDescriptor_t d,
                               const cudnnRNNStruct& rnn, int batch) {
  EMU_REQUIRE(d && d->is_set, CUDNN_STATUS_BAD_PARAM, name, " is NULL or not set");
  const int want[3] = {rnn.layers, batch, rnn.hidden}, packed[3] = {batch * rnn.hidden, rnn.hidden, 1};
  bool ok = d->type == rnn.type && d->nb_dims == 3;
  for (int i = 0; ok && i < 3; ++i) ok = d->dims[i] == want[i] && d->strides[i] == packed[i];
  EMU_REQUIRE(ok, CUDNN_STATUS_BAD_PARAM, name, " must be a fully packed {numLayers ", want[0], ", batch ", want[1],
              ", hiddenSize ", want[2], "} tensor of the RNN's data type");
  return CUDNN_STATUS_SUCCESS;
}
}  // namespace

cudnnStatus_t check_rnn_and_input(const char* function, cudnnHandle_t handle, cudnnRNNDescriptor_t rnn,
                                  cudnnRNNDataDescriptor_t x) {
  EMU_REQUIRE(handle, CUDNN_STATUS_BAD_PARAM, "handle is NULL");
  EMU_REQUIRE(rnn && rnn->is_set, CUDNN_STATUS_BAD_PARAM, "rnnDesc is NULL or not set by cudnnSetRNNDescriptor_v8");
  EMU_REQUIRE(x && x->is_set, CUDNN_STATUS_BAD_PARAM, "xDesc is NULL or not set by cudnnSetRNNDataDescriptor");
  EMU_REQUIRE(x->type == rnn->type, CUDNN_STATUS_BAD_PARAM, "xDesc's data type differs from the RNN's");
  EMU_REQUIRE(x->vector == rnn->input, CUDNN_STATUS_BAD_PARAM, "xDesc's vectorSize ", x->vector,
              " differs from the RNN's inputSize ", rnn->input);
  EMU_REQUIRE(x->layout != CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_PACKED, CUDNN_STATUS_NOT_SUPPORTED,
              "CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_PACKED is not emulated (use an unpacked layout)");
  EMU_REQUIRE(!unpacked(x->layout) || (rnn->aux_flags & CUDNN_RNN_PADDED_IO_ENABLED), CUDNN_STATUS_BAD_PARAM,
              "unpacked RNN data layouts need CUDNN_RNN_PADDED_IO_ENABLED in the RNN descriptor's auxFlags");
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t check_call(const char* function, cudnnHandle_t handle, cudnnRNNDescriptor_t rnn,
                         const int32_t* devSeqLengths, cudnnRNNDataDescriptor_t x, cudnnRNNDataDescriptor_t y,
                         cudnnTensorDescriptor_t hDesc, cudnnTensorDescriptor_t cDesc, bool call_has_c,
                         Shape& s) {
  if (cudnnStatus_t st = check_rnn_and_input(function, handle, rnn, x)) return st;
  EMU_REQUIRE(y && y->is_set, CUDNN_STATUS_BAD_PARAM, "yDesc is NULL or not set by cudnnSetRNNDataDescriptor");
  EMU_REQUIRE(y->type == x->type && y->layout == x->layout && y->max_seq == x->max_seq && y->batch == x->batch &&
                  y->lengths == x->lengths,
              CUDNN_STATUS_BAD_PARAM, "yDesc's data type, layout, maxSeqLength, batchSize and sequence lengths must "
              "equal xDesc's");
  EMU_REQUIRE(y->vector == rnn->hidden, CUDNN_STATUS_BAD_PARAM, "yDesc's vectorSize ", y->vector,
              " differs from the RNN's hiddenSize ", rnn->hidden, " (unidirectional, no projection)");
  if (cudnnStatus_t st = check_state_desc(function, "hDesc", hDesc, *rnn, x->batch)) return st;
  if (call_has_c)
    if (cudnnStatus_t st = check_state_desc(function, "cDesc", cDesc, *rnn, x->batch)) return st;
  // The lengths the kernels read: on the device, and (as documented) a copy of xDesc's.
  if (cudnnStatus_t st = check_device(function, "devSeqLengths", devSeqLengths, x->batch * sizeof(int32_t))) return st;
  for (int b = 0; b < x->batch; ++b)
    EMU_REQUIRE(devSeqLengths[b] == x->lengths[b], CUDNN_STATUS_BAD_PARAM, "devSeqLengths[", b, "] = ", devSeqLengths[b],
                " but xDesc's seqLengthArray[", b, "] = ", x->lengths[b], ": it must be a copy of it");
  s.batch = x->batch, s.max_seq = x->max_seq, s.input = rnn->input, s.hidden = rnn->hidden, s.layers = rnn->layers;
  s.lengths = x->lengths.data();
  s.layout = x->layout;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t check_spaces(const char* function, const cudnnRNNStruct& rnn, const Shape& s, cudnnForwardMode_t mode,
                           std::size_t weight_bytes, const void* weights, std::size_t work_bytes, const void* work,
                           std::size_t reserve_bytes, const void* reserve) {
  const std::size_t need_w = WeightLayout(rnn).bytes(), need_work = workspace_bytes(s, mode);
  EMU_REQUIRE(weight_bytes >= need_w, CUDNN_STATUS_BAD_PARAM, "weightSpaceSize ", weight_bytes, " < ", need_w,
              " (cudnnGetRNNWeightSpaceSize)");
  if (cudnnStatus_t st = check_device(function, "weight space", weights, need_w)) return st;
  EMU_REQUIRE(work_bytes >= need_work, CUDNN_STATUS_BAD_PARAM, "workSpaceSize ", work_bytes, " < ", need_work,
              " (cudnnGetRNNTempSpaceSizes)");
  if (need_work > 0)
    if (cudnnStatus_t st = check_device(function, "workSpace", work, need_work)) return st;
  if (mode == CUDNN_FWD_MODE_TRAINING) {
    const std::size_t need_r = Reserve::bytes(s);
    EMU_REQUIRE(reserve_bytes >= need_r, CUDNN_STATUS_BAD_PARAM, "reserveSpaceSize ", reserve_bytes, " < ", need_r,
                " (cudnnGetRNNTempSpaceSizes in training mode)");
    if (cudnnStatus_t st = check_device(function, "reserveSpace", reserve, need_r)) return st;
  }
  return CUDNN_STATUS_SUCCESS;
}

}  // namespace gtzan_emu::dnn

using namespace gtzan_emu::dnn;

// ---- library, handle, errors ----
extern "C" {

size_t cudnnGetVersion(void) { return CUDNN_VERSION; }

const char* cudnnGetErrorString(cudnnStatus_t status) {
  switch (status) {
#define EMU_NAME(s) \
  case s: return #s;
    EMU_NAME(CUDNN_STATUS_SUCCESS) EMU_NAME(CUDNN_STATUS_NOT_INITIALIZED)
    EMU_NAME(CUDNN_STATUS_SUBLIBRARY_VERSION_MISMATCH) EMU_NAME(CUDNN_STATUS_DEPRECATED)
    EMU_NAME(CUDNN_STATUS_BAD_PARAM) EMU_NAME(CUDNN_STATUS_INVALID_VALUE) EMU_NAME(CUDNN_STATUS_BAD_PARAM_NULL_POINTER)
    EMU_NAME(CUDNN_STATUS_BAD_PARAM_MISALIGNED_POINTER) EMU_NAME(CUDNN_STATUS_BAD_PARAM_NOT_FINALIZED)
    EMU_NAME(CUDNN_STATUS_BAD_PARAM_OUT_OF_BOUND) EMU_NAME(CUDNN_STATUS_BAD_PARAM_SIZE_INSUFFICIENT)
    EMU_NAME(CUDNN_STATUS_BAD_PARAM_STREAM_MISMATCH) EMU_NAME(CUDNN_STATUS_BAD_PARAM_SHAPE_MISMATCH)
    EMU_NAME(CUDNN_STATUS_NOT_SUPPORTED) EMU_NAME(CUDNN_STATUS_NOT_SUPPORTED_SHAPE)
    EMU_NAME(CUDNN_STATUS_NOT_SUPPORTED_DATA_TYPE) EMU_NAME(CUDNN_STATUS_NOT_SUPPORTED_LAYOUT)
    EMU_NAME(CUDNN_STATUS_NOT_SUPPORTED_ARCH_MISMATCH) EMU_NAME(CUDNN_STATUS_NOT_SUPPORTED_PADDING)
    EMU_NAME(CUDNN_STATUS_INTERNAL_ERROR) EMU_NAME(CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED)
    EMU_NAME(CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED) EMU_NAME(CUDNN_STATUS_EXECUTION_FAILED)
    EMU_NAME(CUDNN_STATUS_EXECUTION_FAILED_CUDART)
#undef EMU_NAME
  }
  return "CUDNN_UNKNOWN_STATUS";
}

void cudnnGetLastErrorString(char* message, size_t max_size) {
  if (!message || max_size == 0) return;
  const std::string& m = gtzan_emu::dnn::last_error;
  const std::size_t n = m.size() < max_size - 1 ? m.size() : max_size - 1;
  std::memcpy(message, m.data(), n);
  message[n] = '\0';
}

cudnnStatus_t cudnnCreate(cudnnHandle_t* handle) {
  if (!handle) return report(CUDNN_STATUS_BAD_PARAM, "cudnnCreate", "handle is NULL");
  *handle = new cudnnContext{};
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnDestroy(cudnnHandle_t handle) {
  if (!handle) return report(CUDNN_STATUS_BAD_PARAM, "cudnnDestroy", "handle is NULL");
  delete handle;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetStream(cudnnHandle_t handle, cudaStream_t stream) {
  if (!handle) return report(CUDNN_STATUS_BAD_PARAM, "cudnnSetStream", "handle is NULL");
  handle->stream = stream;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetStream(cudnnHandle_t handle, cudaStream_t* stream) {
  if (!handle || !stream) return report(CUDNN_STATUS_BAD_PARAM, "cudnnGetStream", "handle or streamId is NULL");
  *stream = handle->stream;
  return CUDNN_STATUS_SUCCESS;
}

}  // extern "C"
