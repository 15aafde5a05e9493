#include "cqt_octave.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

__global__ void cqt_octave_kernel(const cufftComplex* __restrict__ spectra, long total_frames,
                                  int bins, const long* __restrict__ frame_offsets,
                                  const int* __restrict__ frame_owner, int rows,
                                  const long* __restrict__ row_ptr, const int* __restrict__ cols,
                                  const cufftComplex* __restrict__ vals,
                                  const double* __restrict__ scale,
                                  const long* __restrict__ out_offsets,
                                  const long* __restrict__ out_counts, int bin_lo,
                                  long out_stride, float* __restrict__ out) {
  const long total = total_frames * rows;
  for (long idx = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; idx < total;
       idx += static_cast<long>(gridDim.x) * blockDim.x) {
    // Rows fastest: the threads of a warp read the same frame's spectrum (cached).
    const long f = idx / rows;
    const int r = static_cast<int>(idx % rows);
    const int c = frame_owner[f];
    const long t = f - frame_offsets[c];
    if (t >= out_counts[c]) continue;  // __trim_stack
    const cufftComplex* x = spectra + f * bins;
    const long p = static_cast<long>(c) * (rows + 1) + r;
    float acc_re = 0.0f, acc_im = 0.0f;
    for (long jj = row_ptr[p]; jj < row_ptr[p + 1]; ++jj) {
      const cufftComplex a = vals[jj];
      const cufftComplex v = x[cols[jj]];
      // Explicit round-to-nearest ops: no FMA contraction, as the CPU's float32 arithmetic.
      const float pr = __fsub_rn(__fmul_rn(a.x, v.x), __fmul_rn(a.y, v.y));
      const float pi = __fadd_rn(__fmul_rn(a.x, v.y), __fmul_rn(a.y, v.x));
      acc_re = __fadd_rn(acc_re, pr);
      acc_im = __fadd_rn(acc_im, pi);
    }
    const double s = scale[static_cast<long>(c) * rows + r];
    const float re = static_cast<float>(__dmul_rn(static_cast<double>(acc_re), s));
    const float im = static_cast<float>(__dmul_rn(static_cast<double>(acc_im), s));
    const double dre = re, dim = im;
    const float mag = static_cast<float>(sqrt(__dadd_rn(__dmul_rn(dre, dre), __dmul_rn(dim, dim))));
    out[static_cast<long>(bin_lo + r) * out_stride + out_offsets[c] + t] = mag;
  }
}

}  // namespace

void launch_cqt_octave(const cufftComplex* spectra, long total_frames, int bins,
                       const long* frame_offsets, const int* frame_owner, int rows,
                       const long* row_ptr, const int* cols, const cufftComplex* vals,
                       const double* scale, const long* out_offsets, const long* out_counts,
                       int bin_lo, long out_stride, float* out, cudaStream_t stream) {
  const long total = total_frames * rows;
  if (total == 0) return;
  const int threads = 256;
  const long blocks = (total + threads - 1) / threads;
  GTZAN_LAUNCH(cqt_octave_kernel, static_cast<unsigned>(blocks < 1048576 ? blocks : 1048576), threads, 0, stream, spectra, total_frames, bins, frame_offsets, frame_owner, rows,
                                row_ptr, cols, vals, scale, out_offsets, out_counts, bin_lo,
                                out_stride, out);
}

}  // namespace gtzan::kernels
