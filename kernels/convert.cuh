#pragma once
// Element-wise float32 <-> float64 conversion (round to nearest), for the float64 GEMMs whose
// CPU twins widen float32 inputs and round the results (e.g. features::mfcc_from_db in
// host/features/mel.cpp: `in.assign(...)` then `static_cast<float>(res[i])`).
#include <cuda_runtime.h>

namespace gtzan::kernels {

void launch_widen(const float* in, long count, double* out, cudaStream_t stream);
void launch_narrow(const double* in, long count, float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
