#pragma once
// librosa.istft(X, hop, window="hann", center=True, length=len) for a batch of clips, around
// cuFFT's batched Z2D inverse (float64, as numpy's irfft of the complex64 input):
//   irfft input: complex64 -> complex128, imaginary parts of DC and Nyquist dropped (numpy's
//                irfft ignores them; cuFFT's C2R would not);
//   overlap-add: a gather per output sample (no atomics): frames t = t_lo..t_hi of its clip
//                in increasing order, exactly the CPU's accumulation order: each irfft sample
//                / n_fft rounded to float32, times the float64 window, summed in float64; the
//                float32 window squares summed in float32; divided where the sum > tiny;
//                centre trim n_fft/2; length = the clip's length (zero past the last frame).
// CPU twin: features::istft in host/features/stft.cpp.
#include <cuda_runtime.h>
#include <cufft.h>

namespace gtzan::kernels {

// X: [frames, bins] complex64 -> out: [frames, bins] complex128 (bins = n_fft/2 + 1).
void launch_irfft_input_f64(const cufftComplex* X, long frames, int bins, cufftDoubleComplex* out,
                            cudaStream_t stream);

// time: [frames, n_fft] unnormalised inverse FFTs (cuFFT Z2D). window: [n_fft] float64 Hann.
// Sample layout (offsets/counts/owner per sample) and frame layout (offsets/counts per clip).
// y: [total_samples] float32.
void launch_overlap_add(const double* time, const double* window, int n_fft, int hop,
                        const long* sample_offsets, const long* sample_counts,
                        const int* sample_owner, long total_samples, const long* frame_offsets,
                        const long* frame_counts, float* y, cudaStream_t stream);

}  // namespace gtzan::kernels
