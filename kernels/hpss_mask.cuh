#pragma once
// librosa.decompose.hpss's elementwise parts (kernel 31, power 2, margin 1):
//   magnitude: S = |X| as numpy's complex64 abs (hypotf: float64 sum of squares, sqrt,
//              rounded to float32);
//   masks:     phase = X / S (S == 0 -> phase 1), util.softmask(harm, perc, power=2,
//              split_zeros=True) and its mirror, H = (S * mask_h) * phase, P likewise.
// All float32 operations are _rn intrinsics so nvcc cannot contract them into FMAs.
// CPU twin: features::hpss_masks in host/features/hpss.cpp.
#include <cuda_runtime.h>
#include <cufft.h>

namespace gtzan::kernels {

// Any layout (elementwise over `count` values).
void launch_hpss_magnitude(const cufftComplex* X, long count, float* S, cudaStream_t stream);

// harm, perc: the time and frequency median filters of S. H, P: masked spectra.
void launch_hpss_masks(const cufftComplex* X, const float* S, const float* harm,
                       const float* perc, long count, cufftComplex* H, cufftComplex* P,
                       cudaStream_t stream);

}  // namespace gtzan::kernels
