// Emulated cuDNN: tensor, dropout, RNN and RNN-data descriptors; weight-space and temp-space
// sizes; cudnnGetRNNWeightParams. Validation notes in cudnn_rnn.cpp.
#include <cmath>
#include <limits>

#include "cudnn_rnn_internal.hpp"
#include "gtzan_emu/memory.hpp"

using namespace gtzan_emu::dnn;

namespace {
#define EMU_REQUIRE(cond, status, ...) \
  do {                                 \
    if (!(cond)) return report(status, function, cat(__VA_ARGS__)); \
  } while (0)

template <class Struct>
cudnnStatus_t create(const char* function, Struct** out) {
  EMU_REQUIRE(out, CUDNN_STATUS_BAD_PARAM, "the descriptor pointer is NULL");
  *out = new Struct{};
  return CUDNN_STATUS_SUCCESS;
}

template <class Struct>
cudnnStatus_t destroy(Struct* d) {
  delete d;  // destroying NULL is a no-op, as in cuDNN
  return CUDNN_STATUS_SUCCESS;
}

bool known_data_type(cudnnDataType_t t) { return t == CUDNN_DATA_FLOAT || t == CUDNN_DATA_DOUBLE || t == CUDNN_DATA_HALF; }

// A weight block's descriptor as cuDNN reports it: {1, rows, cols}, fully packed; nbDims 0 for
// a block the RNN does not have.
void describe_block(cudnnTensorDescriptor_t d, cudnnDataType_t type, int rows, int cols) {
  *d = cudnnTensorStruct{};
  d->is_set = true;
  d->type = type;
  if (rows == 0) return;
  d->nb_dims = 3;
  const int dims[3] = {1, rows, cols}, strides[3] = {rows * cols, cols, 1};
  for (int i = 0; i < 3; ++i) d->dims[i] = dims[i], d->strides[i] = strides[i];
}
}  // namespace

extern "C" {

// ---- tensor descriptors ----
cudnnStatus_t cudnnCreateTensorDescriptor(cudnnTensorDescriptor_t* d) { return create("cudnnCreateTensorDescriptor", d); }
cudnnStatus_t cudnnDestroyTensorDescriptor(cudnnTensorDescriptor_t d) { return destroy(d); }

cudnnStatus_t cudnnSetTensorNdDescriptor(cudnnTensorDescriptor_t d, cudnnDataType_t type, int nbDims,
                                         const int dimA[], const int strideA[]) {
  const char* function = "cudnnSetTensorNdDescriptor";
  EMU_REQUIRE(d, CUDNN_STATUS_BAD_PARAM, "tensorDesc is NULL");
  EMU_REQUIRE(dimA && strideA, CUDNN_STATUS_BAD_PARAM, "dimA or strideA is NULL");
  EMU_REQUIRE(type >= CUDNN_DATA_FLOAT && type <= CUDNN_DATA_BOOLEAN, CUDNN_STATUS_BAD_PARAM, "invalid dataType ", type);
  // cuDNN documents at least 4 dimensions for general tensors but takes 3 for RNN states
  // (its own RNN samples do); fewer are what it warns against.
  EMU_REQUIRE(nbDims >= 3 && nbDims <= CUDNN_DIM_MAX, CUDNN_STATUS_NOT_SUPPORTED, "nbDims ", nbDims,
              " outside [3, CUDNN_DIM_MAX]");
  double elements = 1;
  for (int i = 0; i < nbDims; ++i) {
    EMU_REQUIRE(dimA[i] > 0 && strideA[i] > 0, CUDNN_STATUS_BAD_PARAM, "dimA[", i, "] = ", dimA[i], ", strideA[", i,
                "] = ", strideA[i], ": both must be positive");
    elements *= dimA[i];
  }
  EMU_REQUIRE(elements <= double(std::numeric_limits<int>::max()), CUDNN_STATUS_NOT_SUPPORTED,
              "more than 2^31 - 1 elements");
  *d = cudnnTensorStruct{};
  d->is_set = true, d->type = type, d->nb_dims = nbDims;
  for (int i = 0; i < nbDims; ++i) d->dims[i] = dimA[i], d->strides[i] = strideA[i];
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetTensorNdDescriptor(const cudnnTensorDescriptor_t d, int nbDimsRequested,
                                         cudnnDataType_t* type, int* nbDims, int dimA[], int strideA[]) {
  const char* function = "cudnnGetTensorNdDescriptor";
  EMU_REQUIRE(d && d->is_set, CUDNN_STATUS_BAD_PARAM, "tensorDesc is NULL or not set");
  EMU_REQUIRE(nbDimsRequested >= 0 && type && nbDims, CUDNN_STATUS_BAD_PARAM,
              "nbDimsRequested < 0, or dataType / nbDims is NULL");
  const int n = nbDimsRequested < d->nb_dims ? nbDimsRequested : d->nb_dims;
  EMU_REQUIRE(n == 0 || (dimA && strideA), CUDNN_STATUS_BAD_PARAM, "dimA or strideA is NULL");
  *type = d->type;
  *nbDims = d->nb_dims;
  for (int i = 0; i < n; ++i) dimA[i] = d->dims[i], strideA[i] = d->strides[i];
  return CUDNN_STATUS_SUCCESS;
}

// ---- dropout ----
cudnnStatus_t cudnnCreateDropoutDescriptor(cudnnDropoutDescriptor_t* d) { return create("cudnnCreateDropoutDescriptor", d); }
cudnnStatus_t cudnnDestroyDropoutDescriptor(cudnnDropoutDescriptor_t d) { return destroy(d); }

// States are the RNG state buffer; with rate 0 nothing is drawn, so none is needed (the
// common "no dropout" call). Rates > 0 are recorded: a training forward of a stacked RNN that
// would apply them answers NOT_SUPPORTED.
cudnnStatus_t cudnnSetDropoutDescriptor(cudnnDropoutDescriptor_t d, cudnnHandle_t handle, float dropout, void* states,
                                        size_t stateSizeInBytes, unsigned long long /*seed*/) {
  const char* function = "cudnnSetDropoutDescriptor";
  EMU_REQUIRE(d && handle, CUDNN_STATUS_BAD_PARAM, "dropoutDesc or handle is NULL");
  EMU_REQUIRE(dropout >= 0.0f && dropout < 1.0f, CUDNN_STATUS_BAD_PARAM, "dropout ", dropout, " outside [0, 1)");
  if (states)
    if (cudnnStatus_t st = check_device(function, "states", states, stateSizeInBytes ? stateSizeInBytes : 1)) return st;
  d->is_set = true;
  d->rate = dropout;
  return CUDNN_STATUS_SUCCESS;
}

// ---- RNN descriptor ----
cudnnStatus_t cudnnCreateRNNDescriptor(cudnnRNNDescriptor_t* d) { return create("cudnnCreateRNNDescriptor", d); }
cudnnStatus_t cudnnDestroyRNNDescriptor(cudnnRNNDescriptor_t d) { return destroy(d); }

cudnnStatus_t cudnnSetRNNDescriptor_v8(cudnnRNNDescriptor_t d, cudnnRNNAlgo_t algo, cudnnRNNMode_t cellMode,
                                       cudnnRNNBiasMode_t biasMode, cudnnDirectionMode_t dirMode,
                                       cudnnRNNInputMode_t inputMode, cudnnDataType_t dataType,
                                       cudnnDataType_t mathPrec, cudnnMathType_t mathType, int32_t inputSize,
                                       int32_t hiddenSize, int32_t projSize, int32_t numLayers,
                                       cudnnDropoutDescriptor_t dropoutDesc, uint32_t auxFlags) {
  const char* function = "cudnnSetRNNDescriptor_v8";
  constexpr cudnnStatus_t bad = CUDNN_STATUS_BAD_PARAM, unsupported = CUDNN_STATUS_NOT_SUPPORTED;
  EMU_REQUIRE(d, bad, "rnnDesc is NULL");
  EMU_REQUIRE(algo >= CUDNN_RNN_ALGO_STANDARD && algo < CUDNN_RNN_ALGO_COUNT, bad, "invalid algo ", algo);
  EMU_REQUIRE(cellMode >= CUDNN_RNN_RELU && cellMode <= CUDNN_GRU, bad, "invalid cellMode ", cellMode);
  EMU_REQUIRE(biasMode >= CUDNN_RNN_NO_BIAS && biasMode <= CUDNN_RNN_SINGLE_REC_BIAS, bad, "invalid biasMode ", biasMode);
  EMU_REQUIRE(dirMode == CUDNN_UNIDIRECTIONAL || dirMode == CUDNN_BIDIRECTIONAL, bad, "invalid dirMode ", dirMode);
  EMU_REQUIRE(inputMode == CUDNN_LINEAR_INPUT || inputMode == CUDNN_SKIP_INPUT, bad, "invalid inputMode ", inputMode);
  EMU_REQUIRE(known_data_type(dataType), bad, "dataType ", dataType, " is not float, double or half");
  EMU_REQUIRE(mathType >= CUDNN_DEFAULT_MATH && mathType <= CUDNN_FMA_MATH, bad, "invalid mathType ", mathType);
  EMU_REQUIRE(inputSize > 0 && hiddenSize > 0 && numLayers > 0, bad, "inputSize ", inputSize, ", hiddenSize ",
              hiddenSize, ", numLayers ", numLayers, ": all must be positive");
  EMU_REQUIRE(projSize > 0 && projSize <= hiddenSize, bad, "projSize ", projSize, " outside [1, hiddenSize]");
  EMU_REQUIRE((auxFlags & ~CUDNN_RNN_PADDED_IO_ENABLED) == 0, bad, "unknown auxFlags bits ", auxFlags);
  EMU_REQUIRE(!dropoutDesc || dropoutDesc->is_set, bad, "dropoutDesc was never set (cudnnSetDropoutDescriptor)");
  // Valid for cuDNN, but not emulated.
  EMU_REQUIRE(algo == CUDNN_RNN_ALGO_STANDARD, unsupported, "only CUDNN_RNN_ALGO_STANDARD is emulated");
  EMU_REQUIRE(cellMode == CUDNN_LSTM, unsupported, "only CUDNN_LSTM cells are emulated");
  EMU_REQUIRE(dirMode == CUDNN_UNIDIRECTIONAL, unsupported, "only CUDNN_UNIDIRECTIONAL is emulated");
  EMU_REQUIRE(inputMode == CUDNN_LINEAR_INPUT, unsupported, "only CUDNN_LINEAR_INPUT is emulated");
  EMU_REQUIRE(dataType == CUDNN_DATA_FLOAT, unsupported, "only CUDNN_DATA_FLOAT data is emulated");
  EMU_REQUIRE(mathPrec == CUDNN_DATA_FLOAT, bad, "float data needs mathPrec CUDNN_DATA_FLOAT");
  EMU_REQUIRE(projSize == hiddenSize, unsupported, "LSTM recurrent projection (projSize < hiddenSize) is not emulated");
  // Every math type computes full float here: TF32 (DEFAULT/TENSOR_OP on Ampere+) is not emulated.
  *d = cudnnRNNStruct{};
  d->is_set = true;
  d->bias_mode = biasMode, d->type = dataType;
  d->input = inputSize, d->hidden = hiddenSize, d->layers = numLayers;
  d->dropout = dropoutDesc ? dropoutDesc->rate : 0.0f;
  d->aux_flags = auxFlags;
  return CUDNN_STATUS_SUCCESS;
}

// ---- RNN data descriptor ----
cudnnStatus_t cudnnCreateRNNDataDescriptor(cudnnRNNDataDescriptor_t* d) { return create("cudnnCreateRNNDataDescriptor", d); }
cudnnStatus_t cudnnDestroyRNNDataDescriptor(cudnnRNNDataDescriptor_t d) { return destroy(d); }

cudnnStatus_t cudnnSetRNNDataDescriptor(cudnnRNNDataDescriptor_t d, cudnnDataType_t dataType,
                                        cudnnRNNDataLayout_t layout, int maxSeqLength, int batchSize, int vectorSize,
                                        const int seqLengthArray[], void* paddingFill) {
  const char* function = "cudnnSetRNNDataDescriptor";
  EMU_REQUIRE(d, CUDNN_STATUS_BAD_PARAM, "rnnDataDesc is NULL");
  EMU_REQUIRE(known_data_type(dataType), CUDNN_STATUS_BAD_PARAM, "dataType ", dataType, " is not float, double or half");
  EMU_REQUIRE(layout >= CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED && layout <= CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED,
              CUDNN_STATUS_BAD_PARAM, "invalid layout ", layout);
  EMU_REQUIRE(maxSeqLength > 0 && batchSize > 0 && vectorSize > 0, CUDNN_STATUS_BAD_PARAM, "maxSeqLength ",
              maxSeqLength, ", batchSize ", batchSize, ", vectorSize ", vectorSize, ": all must be positive");
  EMU_REQUIRE(seqLengthArray, CUDNN_STATUS_BAD_PARAM, "seqLengthArray is NULL");
  for (int b = 0; b < batchSize; ++b) {
    // Zero-length sequences are accepted (cuDNN 8+); their hy/cy are hx/cx.
    EMU_REQUIRE(seqLengthArray[b] >= 0 && seqLengthArray[b] <= maxSeqLength, CUDNN_STATUS_BAD_PARAM,
                "seqLengthArray[", b, "] = ", seqLengthArray[b], " outside [0, maxSeqLength ", maxSeqLength, "]");
    EMU_REQUIRE(layout != CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_PACKED || b == 0 || seqLengthArray[b] <= seqLengthArray[b - 1],
                CUDNN_STATUS_BAD_PARAM, "the packed layout needs sequence lengths in descending order");
  }
  d->is_set = true;
  d->type = dataType, d->layout = layout;
  d->max_seq = maxSeqLength, d->batch = batchSize, d->vector = vectorSize;
  d->lengths.assign(seqLengthArray, seqLengthArray + batchSize);
  // The fill symbol is host memory of the data type, read now (a pointer to a local is common).
  d->has_fill = paddingFill != nullptr;
  d->fill = !paddingFill ? 0.0
            : dataType == CUDNN_DATA_DOUBLE ? *static_cast<const double*>(paddingFill)
            : dataType == CUDNN_DATA_FLOAT  ? double(*static_cast<const float*>(paddingFill))
                                            : std::nan("");  // half: never computed here
  return CUDNN_STATUS_SUCCESS;
}

// ---- sizes and weight blocks ----
cudnnStatus_t cudnnGetRNNWeightSpaceSize(cudnnHandle_t handle, cudnnRNNDescriptor_t rnn, size_t* size) {
  const char* function = "cudnnGetRNNWeightSpaceSize";
  EMU_REQUIRE(handle && rnn && rnn->is_set && size, CUDNN_STATUS_BAD_PARAM,
              "handle, rnnDesc or weightSpaceSize is NULL, or rnnDesc is not set");
  *size = WeightLayout(*rnn).bytes();
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetRNNTempSpaceSizes(cudnnHandle_t handle, cudnnRNNDescriptor_t rnn, cudnnForwardMode_t fwdMode,
                                        cudnnRNNDataDescriptor_t xDesc, size_t* workSpaceSize,
                                        size_t* reserveSpaceSize) {
  const char* function = "cudnnGetRNNTempSpaceSizes";
  if (cudnnStatus_t st = check_rnn_and_input(function, handle, rnn, xDesc)) return st;
  EMU_REQUIRE(fwdMode == CUDNN_FWD_MODE_INFERENCE || fwdMode == CUDNN_FWD_MODE_TRAINING, CUDNN_STATUS_BAD_PARAM,
              "invalid fwdMode ", fwdMode);
  EMU_REQUIRE(workSpaceSize, CUDNN_STATUS_BAD_PARAM, "workSpaceSize is NULL");
  EMU_REQUIRE(reserveSpaceSize || fwdMode == CUDNN_FWD_MODE_INFERENCE, CUDNN_STATUS_BAD_PARAM,
              "reserveSpaceSize is NULL in training mode");
  Shape s;
  s.batch = xDesc->batch, s.max_seq = xDesc->max_seq, s.input = rnn->input, s.hidden = rnn->hidden;
  s.layers = rnn->layers;
  *workSpaceSize = workspace_bytes(s, fwdMode);
  if (reserveSpaceSize) *reserveSpaceSize = fwdMode == CUDNN_FWD_MODE_TRAINING ? Reserve::bytes(s) : 0;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetRNNWeightParams(cudnnHandle_t handle, cudnnRNNDescriptor_t rnn, int32_t pseudoLayer,
                                      size_t weightSpaceSize, const void* weightSpace, int32_t linLayerID,
                                      cudnnTensorDescriptor_t mDesc, void** mAddr, cudnnTensorDescriptor_t bDesc,
                                      void** bAddr) {
  const char* function = "cudnnGetRNNWeightParams";
  EMU_REQUIRE(handle, CUDNN_STATUS_BAD_PARAM, "handle is NULL");
  EMU_REQUIRE(rnn && rnn->is_set, CUDNN_STATUS_BAD_PARAM, "rnnDesc is NULL or not set");
  // Unidirectional: pseudo-layers are the physical layers. LSTM: linLayerID 0-7, and 8 for the
  // projection matrix, which exists only with projSize < hiddenSize (never here).
  EMU_REQUIRE(pseudoLayer >= 0 && pseudoLayer < rnn->layers, CUDNN_STATUS_BAD_PARAM, "pseudoLayer ", pseudoLayer,
              " outside [0, ", rnn->layers, ")");
  EMU_REQUIRE(linLayerID >= 0 && linLayerID <= 8, CUDNN_STATUS_BAD_PARAM, "linLayerID ", linLayerID,
              " outside [0, 8] for an LSTM");
  EMU_REQUIRE(!mDesc == !mAddr && !bDesc == !bAddr, CUDNN_STATUS_BAD_PARAM,
              "mDesc/mAddr and bDesc/bAddr must be both given or both NULL");
  const WeightLayout w(*rnn);
  EMU_REQUIRE(weightSpaceSize >= w.bytes(), CUDNN_STATUS_BAD_PARAM, "weightSpaceSize ", weightSpaceSize, " < ",
              w.bytes(), " (cudnnGetRNNWeightSpaceSize)");
  if (cudnnStatus_t st = check_device(function, "weightSpace", weightSpace, w.bytes())) return st;
  char* base = static_cast<char*>(const_cast<void*>(weightSpace));
  const bool exists = linLayerID < 8;
  if (mDesc) {
    describe_block(mDesc, rnn->type, exists ? rnn->hidden : 0, exists ? w.matrix_cols(pseudoLayer, linLayerID) : 0);
    *mAddr = exists ? base + w.matrix(pseudoLayer, linLayerID) * sizeof(float) : nullptr;
  }
  if (bDesc) {
    const bool has = exists && w.has_bias(linLayerID);
    describe_block(bDesc, rnn->type, has ? rnn->hidden : 0, 1);
    *bAddr = has ? base + w.bias(pseudoLayer, linLayerID) * sizeof(float) : nullptr;
  }
  return CUDNN_STATUS_SUCCESS;
}

}  // extern "C"
