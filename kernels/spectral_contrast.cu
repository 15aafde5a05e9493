#include "spectral_contrast.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

__device__ inline double to_db(double x) { return __dmul_rn(10.0, log10(fmax(1e-10, x))); }

// grid.y = band, x = frame. The CPU's small-take path: lo ascending and hi descending arrays
// seeded with the first `take` values (sorted), then one pass inserting smaller / larger ones.
// For a multiset the sorted arrays are unique, so the sums (in array order) equal the CPU's.
__global__ void contrast_bands_kernel(const float* __restrict__ mag, long frames,
                                      ContrastBands bands, double* __restrict__ peak_db,
                                      double* __restrict__ valley_db) {
  const long f = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x;
  const int k = blockIdx.y;
  if (f >= frames || k >= bands.count) return;
  const long lo_bin = bands.lo[k], n = bands.hi[k] - lo_bin;
  const long take = bands.take[k] < n ? bands.take[k] : n;  // >= 1 (checked on the host)
  const float* v = mag + lo_bin * frames + f;                 // v[i * frames] = bin lo_bin + i
  float lo[kContrastMaxTake], hi[kContrastMaxTake];            // lo ascending, hi descending
  for (long i = 0; i < take; ++i) {
    const float x = v[i * frames];
    long p = i;
    for (; p > 0 && lo[p - 1] > x; --p) lo[p] = lo[p - 1];
    lo[p] = x;
    p = i;
    for (; p > 0 && hi[p - 1] < x; --p) hi[p] = hi[p - 1];
    hi[p] = x;
  }
  for (long i = take; i < n; ++i) {
    const float x = v[i * frames];
    if (x < lo[take - 1]) {
      long p = take - 1;
      for (; p > 0 && lo[p - 1] > x; --p) lo[p] = lo[p - 1];
      lo[p] = x;
    }
    if (x > hi[take - 1]) {
      long p = take - 1;
      for (; p > 0 && hi[p - 1] < x; --p) hi[p] = hi[p - 1];
      hi[p] = x;
    }
  }
  double lo_sum = 0.0, hi_sum = 0.0;
  for (long i = 0; i < take; ++i) {
    lo_sum = __dadd_rn(lo_sum, static_cast<double>(lo[i]));
    hi_sum = __dadd_rn(hi_sum, static_cast<double>(hi[i]));
  }
  const double t = static_cast<double>(take);
  // np.mean of float32 values is float32; then power_to_db in float64.
  valley_db[k * frames + f] = to_db(static_cast<double>(static_cast<float>(__ddiv_rn(lo_sum, t))));
  peak_db[k * frames + f] = to_db(static_cast<double>(static_cast<float>(__ddiv_rn(hi_sum, t))));
}

__global__ void contrast_finish_kernel(const double* __restrict__ peak_db,
                                       const double* __restrict__ valley_db, int bands,
                                       long frames, const int* __restrict__ owner,
                                       const double* __restrict__ peak_max,
                                       const double* __restrict__ valley_max, double top_db,
                                       float* __restrict__ out) {
  const long count = static_cast<long>(bands) * frames;
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x) {
    const int c = owner[i % frames];
    const double p = fmax(peak_db[i], __dsub_rn(peak_max[c], top_db));
    const double v = fmax(valley_db[i], __dsub_rn(valley_max[c], top_db));
    out[i] = static_cast<float>(__dsub_rn(p, v));
  }
}

}  // namespace

void launch_contrast_bands(const float* mag, long frames, const ContrastBands& bands,
                           double* peak_db, double* valley_db, cudaStream_t stream) {
  if (frames <= 0 || bands.count <= 0) return;
  const int threads = 128;
  const dim3 grid(static_cast<unsigned>((frames + threads - 1) / threads),
                  static_cast<unsigned>(bands.count));
  GTZAN_LAUNCH(contrast_bands_kernel, grid, threads, 0, stream, mag, frames, bands, peak_db, valley_db);
}

void launch_contrast_finish(const double* peak_db, const double* valley_db, int bands,
                            long frames, const int* owner, const double* peak_max,
                            const double* valley_max, double top_db, float* out,
                            cudaStream_t stream) {
  const long count = static_cast<long>(bands) * frames;
  if (count <= 0) return;
  const int threads = 256;
  const long blocks = (count + threads - 1) / threads;
  GTZAN_LAUNCH(contrast_finish_kernel, static_cast<unsigned>(blocks < 65535 ? blocks : 65535), threads, 0, stream, peak_db, valley_db, bands, frames, owner, peak_max,
                                     valley_max, top_db, out);
}

}  // namespace gtzan::kernels
