#pragma once
// librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80) per clip of a batch, in place:
// 10 * log10(max(amin, S)) in float32, then max(v, peak - top_db) with the peak over the
// clip's whole [rows, clip columns] block.
// CPU twin: features::power_to_db in host/features/mel.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// S: [rows, total_cols], clip c owns columns [offsets[c], offsets[c] + counts[c]), owner[col]
// its clip. peak: [clips] scratch.
void launch_power_to_db(float* S, int rows, long total_cols, const long* offsets,
                        const long* counts, const int* owner, int clips, float amin,
                        float top_db, float* peak, cudaStream_t stream);

}  // namespace gtzan::kernels
