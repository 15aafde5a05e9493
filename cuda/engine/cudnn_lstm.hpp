#pragma once
// cuDNN's RNN as the engine's whole-sequence LSTM (LstmSequence, host/engine/backend.hpp). See
// README.md in this folder for the semantics it has to reproduce and what was checked.
#include <cudnn.h>

#include <memory>

#include "engine/backend.hpp"

namespace gtzan::engine {

// One cuDNN handle shared by the backend and every LSTM object it made: shared ownership, so
// neither has to outlive the other.
using CudnnHandle = std::shared_ptr<cudnnContext>;
CudnnHandle make_cudnn_handle(cudaStream_t stream);

// A one-layer unidirectional LSTM (Keras semantics) on cuDNN for `in` features and `units` units.
std::unique_ptr<LstmSequence<float>> make_cudnn_lstm(CudnnHandle handle, cudaStream_t stream, int in,
                                                     int units);

}  // namespace gtzan::engine
