#pragma once
// Chroma folding of constant-Q magnitudes (librosa.feature.chroma_cqt(C=C)): each chroma row
// sums its CQT bins (cq_to_chroma is 0/1 with one 1 per bin) in bin order in float32, threshold
// 0, then optionally util.normalize(norm=inf) per frame (max |v| in float64, float32 / float64
// rounded to float32; frames whose max is below FLT_MIN divided by 1).
// CPU twin: chroma_from_cq in host/features/chroma_cqt.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// C: [n_in, cols] row-major; bin_chroma[b] in [0, 12): the chroma row of bin b.
// out: [12, cols].
void launch_chroma_fold(const float* C, int n_in, long cols, const int* bin_chroma,
                        bool inf_normalise, float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
