#pragma once
// librosa.feature.stack_memory(y, n_steps, delay, mode='constant') of each clip's 1-D signal:
// row k is the clip delayed by k * delay samples, zeros shifted in at the clip's start.
// CPU twin: features::stack_memory in host/features/tempogram.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// y: [total_cols] (sample layout); out: [n_steps, total_cols].
void launch_stack_memory(const float* y, long total_cols, const long* offsets,
                         const int* owner, int n_steps, int delay, float* out,
                         cudaStream_t stream);

}  // namespace gtzan::kernels
