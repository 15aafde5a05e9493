#pragma once
// One octave of vqt for a batch of clips: the clip's sparse FFT-domain wavelet basis (CSR,
// complex64) times the octave's STFT frames, accumulated in complex64 in CSR order with
// unfused float32 products (scipy's csr_matvecs), then __trim_stack (frames past the clip's
// shortest octave dropped), the 1/sqrt(length) scaling in float64 rounded to complex64 and
// np.abs (hypotf: float64 hypot rounded to float32), written to the bins [bin_lo, bin_lo + rows)
// of the [n_bins, total_out_cols] magnitude.
// CPU twin: octave_response + vqt_magnitude's trim/scale loop in host/features/cqt.cpp.
#include <cuda_runtime.h>
#include <cufft.h>

namespace gtzan::kernels {

// spectra: frame-major [total_frames, bins] complex64 of the octave (frame layout: offsets,
// owner). Per clip c: row_ptr[c * (rows + 1) + r] .. [.. + r + 1] index cols/vals (global
// indices, columns < bins); scale[c * rows + r]; its output columns start at out_offsets[c]
// and it keeps out_counts[c] frames. out row stride: out_stride (total output columns).
void launch_cqt_octave(const cufftComplex* spectra, long total_frames, int bins,
                       const long* frame_offsets, const int* frame_owner, int rows,
                       const long* row_ptr, const int* cols, const cufftComplex* vals,
                       const double* scale, const long* out_offsets, const long* out_counts,
                       int bin_lo, long out_stride, float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
