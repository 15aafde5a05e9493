#pragma once
// librosa.util.normalize(S, norm=inf, axis=0, threshold=tiny(float32), fill=None) in place:
// every column divided by its max |x| unless that max is below tiny (left as it is).
// CPU twin: the normalisation loop of features::chroma_stft in host/features/chroma.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// data: row-major [rows, cols]; one thread per column (reads coalesced along the row).
void launch_column_inf_norm(float* data, int rows, long cols, cudaStream_t stream);

}  // namespace gtzan::kernels
