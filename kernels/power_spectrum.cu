#include "power_spectrum.cuh"

#include <cuda_runtime.h>

namespace gtzan::kernels {
namespace {

// Output of clip c is a [bins, clip_frames[c]] block starting at bins * frame_offsets[c].
__global__ void power_kernel(const cufftComplex* __restrict__ spectra, long total_frames, int bins,
                             const long* frame_offsets, const int* frame_clip,
                             const long* clip_frames, float* __restrict__ power) {
  const long f = blockIdx.y;
  if (f >= total_frames) return;
  const int c = frame_clip[f];
  const long t = f - frame_offsets[c];
  const long nf = clip_frames[c];
  float* out = power + static_cast<long>(bins) * frame_offsets[c];
  for (int b = blockIdx.x * blockDim.x + threadIdx.x; b < bins; b += gridDim.x * blockDim.x) {
    const cufftComplex v = spectra[f * bins + b];
    out[b * nf + t] = v.x * v.x + v.y * v.y;
  }
}

}  // namespace

void launch_power_spectrum(const cufftComplex* spectra, long total_frames, int bins,
                           const long* frame_offsets, const int* frame_clip,
                           const long* clip_frames, float* power, void* stream) {
  if (total_frames == 0) return;
  const int threads = 256;
  dim3 grid((bins + threads - 1) / threads, static_cast<unsigned>(total_frames));
  power_kernel<<<grid, threads, 0, static_cast<cudaStream_t>(stream)>>>(
      spectra, total_frames, bins, frame_offsets, frame_clip, clip_frames, power);
}

}  // namespace gtzan::kernels
