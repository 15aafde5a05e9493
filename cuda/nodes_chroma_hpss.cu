// Chroma and harmonic/percussive separation nodes of the GPU graph, twins of ClipGraph's
// "chroma_stft", "y_harmonic", "y_percussive", "harmonic_chroma_stft", "percussive_chroma_stft"
// (host/features/clip_graph.cpp), with the same names and shapes.
//   chroma: piptrack peaks on the GPU -> per-clip tuning on the host (the CPU's own
//           pitch_tuning code over the downloaded peak lists) -> each clip's filterbank
//           (host, cached per tuning value) -> one GEMM per clip -> inf-norm per frame.
//   hpss:   |X| -> median filters (time per clip, frequency per frame) -> soft masks ->
//           batched float64 inverse STFT per part, nodes in the sample layout [1, samples].
#include <cublas_v2.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "column_inf_norm.cuh"
#include "cuda_check.hpp"
#include "features/chroma.hpp"
#include "features/params.hpp"
#include "gpu_graph.hpp"
#include "hpss_mask.cuh"
#include "istft.cuh"
#include "median_filter.cuh"
#include "piptrack.cuh"
#include "power_spectrum.cuh"

namespace gtzan::cuda {
namespace {

constexpr int kSr = features::kSr, kNfft = features::kNfft, kHop = features::kHop;
constexpr int kBins = features::kNbins, kChroma = 12, kHpssKernel = 31;

// librosa.estimate_tuning(S=|X|^2) per clip. X: frame-major [frames, kBins] complex64.
std::vector<float> clip_tunings(const cufftComplex* X, const ColumnLayout& frames,
                                cudaStream_t stream) {
  const long F = frames.total_cols;
  int k_lo = 0, k_hi = 0;
  features::piptrack_bin_range(kSr, kNfft, k_lo, k_hi);
  DeviceBuffer<int> d_counts(static_cast<std::size_t>(F));
  kernels::launch_piptrack_count(X, F, kBins, k_lo, k_hi, kSr, kNfft, d_counts.data(), stream);
  GTZAN_CUDA_CHECK(cudaGetLastError());
  GTZAN_CUDA_CHECK(cudaStreamSynchronize(stream));
  const std::vector<int> counts = d_counts.download();
  std::vector<long> ends(counts.size());
  long total = 0;
  for (std::size_t f = 0; f < counts.size(); ++f) ends[f] = total += counts[f];

  std::vector<float> pitches, mags;
  if (total > 0) {
    DeviceBuffer<long> d_ends(ends.size());
    d_ends.upload(ends.data(), ends.size());
    DeviceBuffer<float> d_pitches(static_cast<std::size_t>(total)), d_mags(static_cast<std::size_t>(total));
    kernels::launch_piptrack_write(X, F, kBins, k_lo, k_hi, kSr, kNfft, d_ends.data(),
                                   d_counts.data(), d_pitches.data(), d_mags.data(), stream);
    GTZAN_CUDA_CHECK(cudaGetLastError());
    GTZAN_CUDA_CHECK(cudaStreamSynchronize(stream));
    pitches = d_pitches.download();
    mags = d_mags.download();
  }
  std::vector<float> tunings(frames.counts.size(), 0.0f);
  for (std::size_t c = 0; c < tunings.size(); ++c) {
    const long f0 = frames.offsets[c], n = frames.counts[c];
    if (n == 0) continue;
    const long begin = f0 == 0 ? 0 : ends[f0 - 1], end = ends[f0 + n - 1];
    const std::size_t len = static_cast<std::size_t>(end - begin);
    tunings[c] = static_cast<float>(features::pitch_tuning_from_peaks(
        std::span<const float>(pitches.data() + begin, len),
        std::span<const float>(mags.data() + begin, len), 12));
  }
  return tunings;
}

// chroma_stft(S=power): X frame-major complex64 (for the peaks), power bin-major
// [kBins, frames] (for the projection), both over `frames`.
DeviceNode chroma_node(GpuGraph& g, const cufftComplex* X, const float* power,
                       const std::shared_ptr<const ColumnLayout>& frames) {
  const ColumnLayout& l = *frames;
  const long T = l.total_cols;
  if (T > INT_MAX) throw std::runtime_error("chroma: too many frames in one batch for cuBLAS");
  const std::vector<float> tunings = clip_tunings(X, l, g.stream());

  const std::size_t fb_size = static_cast<std::size_t>(kChroma) * kBins;
  std::map<float, Matrix> banks;
  std::vector<float> fb_host(tunings.size() * fb_size);
  for (std::size_t c = 0; c < tunings.size(); ++c) {
    auto it = banks.find(tunings[c]);
    if (it == banks.end())
      it = banks.emplace(tunings[c], features::chroma_filterbank(tunings[c], kSr, kNfft, kChroma)).first;
    std::copy_n(it->second.data.data(), fb_size, fb_host.begin() + c * fb_size);
  }
  DeviceBuffer<float> d_fb(fb_host.size());
  d_fb.upload(fb_host.data(), fb_host.size());

  DeviceNode out;
  out.rows = kChroma;
  out.layout = frames;
  out.data = DeviceBuffer<float>(static_cast<std::size_t>(kChroma) * T);
  // Row-major [rows, T] is column-major [T, rows] with ld T: per clip, the column-major
  // product chroma^T[m, 12] = power^T[m, 1025] @ fb^T[1025, 12] (fb row-major [12, 1025]).
  cublasHandle_t h = g.cublas();
  const float one = 1.0f, zero = 0.0f;
  for (std::size_t c = 0; c < tunings.size(); ++c) {
    const long off = l.offsets[c], m = l.counts[c];
    if (m == 0) continue;
    check_cublas(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, static_cast<int>(m), kChroma, kBins,
                             &one, power + off, static_cast<int>(T), d_fb.data() + c * fb_size,
                             kBins, &zero, out.data.data() + off, static_cast<int>(T)),
                 "cublasSgemm (chroma)");
  }
  kernels::launch_column_inf_norm(out.data.data(), kChroma, T, g.stream());
  GTZAN_CUDA_CHECK(cudaGetLastError());
  GTZAN_CUDA_CHECK(cudaStreamSynchronize(g.stream()));  // d_fb is freed on return
  return out;
}

// librosa.istft(X, length=len(y)) of a frame-major spectrum over the graph's frames.
DeviceNode istft_node(GpuGraph& g, const DeviceBuffer<cufftComplex>& X) {
  const ColumnLayout& frames = *g.frames();
  const ColumnLayout& samples = *g.signal().layout;
  const long F = frames.total_cols;
  cudaStream_t stream = g.stream();
  DeviceBuffer<double> time(static_cast<std::size_t>(F) * kNfft);
  {
    DeviceBuffer<cufftDoubleComplex> Z(static_cast<std::size_t>(F) * kBins);
    kernels::launch_irfft_input_f64(X.data(), F, kBins, Z.data(), stream);
    GTZAN_CUDA_CHECK(cudaGetLastError());
    cufftHandle plan;
    int n[1] = {kNfft};
    GTZAN_CUFFT_CHECK(cufftPlanMany(&plan, 1, n, nullptr, 1, kBins, nullptr, 1, kNfft,
                                    CUFFT_Z2D, static_cast<int>(F)));
    cufftSetStream(plan, stream);
    const cufftResult exec = cufftExecZ2D(plan, Z.data(), time.data());
    cufftDestroy(plan);
    GTZAN_CUFFT_CHECK(exec);
    GTZAN_CUDA_CHECK(cudaStreamSynchronize(stream));  // Z is freed here
  }
  // The CPU's float64 periodic Hann, same expression, same host libm.
  std::vector<double> w(kNfft);
  for (int i = 0; i < kNfft; ++i) w[i] = 0.5 - 0.5 * std::cos(2.0 * M_PI * i / kNfft);
  DeviceBuffer<double> d_w(w.size());
  d_w.upload(w.data(), w.size());

  DeviceNode y;
  y.rows = 1;
  y.layout = g.signal().layout;
  y.data = DeviceBuffer<float>(static_cast<std::size_t>(samples.total_cols));
  kernels::launch_overlap_add(time.data(), d_w.data(), kNfft, kHop, samples.d_offsets.data(),
                              samples.d_counts.data(), samples.d_owner.data(), samples.total_cols,
                              frames.d_offsets.data(), frames.d_counts.data(), y.data.data(),
                              stream);
  GTZAN_CUDA_CHECK(cudaGetLastError());
  GTZAN_CUDA_CHECK(cudaStreamSynchronize(stream));  // time and d_w are freed on return
  return y;
}

// librosa.effects.hpss(y) for every clip: returns `want` ("y_harmonic" or "y_percussive")
// and caches the other part.
DeviceNode hpss_node(GpuGraph& g, const std::string& want) {
  const ColumnLayout& frames = *g.frames();
  const long F = frames.total_cols;
  const long count = F * kBins;
  cudaStream_t stream = g.stream();
  const DeviceBuffer<cufftComplex>& X = g.stft();
  DeviceBuffer<cufftComplex> H(static_cast<std::size_t>(count)), P(static_cast<std::size_t>(count));
  {
    DeviceBuffer<float> S(static_cast<std::size_t>(count)), harm(static_cast<std::size_t>(count)),
        perc(static_cast<std::size_t>(count));
    kernels::launch_hpss_magnitude(X.data(), count, S.data(), stream);
    kernels::launch_median_filter_time(S.data(), F, kBins, frames.d_offsets.data(),
                                       frames.d_counts.data(), frames.d_owner.data(),
                                       kHpssKernel, harm.data(), stream);
    kernels::launch_median_filter_freq(S.data(), F, kBins, kHpssKernel, perc.data(), stream);
    kernels::launch_hpss_masks(X.data(), S.data(), harm.data(), perc.data(), count, H.data(),
                               P.data(), stream);
    GTZAN_CUDA_CHECK(cudaGetLastError());
    GTZAN_CUDA_CHECK(cudaStreamSynchronize(stream));  // S, harm, perc are freed here
  }
  const bool harmonic = want == "y_harmonic";
  const std::string other = harmonic ? "y_percussive" : "y_harmonic";
  if (!g.has_node(other)) g.put(other, istft_node(g, harmonic ? P : H));
  return istft_node(g, harmonic ? H : P);
}

// librosa.feature.chroma_stft(y=part): a fresh STFT of the separated signal.
DeviceNode part_chroma_node(GpuGraph& g, const std::string& part) {
  const DeviceNode& y = g.node(part);
  // The part has its clip's length, hence the clip's frame layout.
  const std::shared_ptr<const ColumnLayout>& frames = g.frames();
  const long T = frames->total_cols;
  const DeviceBuffer<cufftComplex> X = stft_f64(y, *frames, kNfft, kHop, g.stream());
  DeviceBuffer<float> power(static_cast<std::size_t>(kBins) * T);
  kernels::launch_spectrogram_power(X.data(), T, kBins, 2, power.data(), g.stream());
  GTZAN_CUDA_CHECK(cudaGetLastError());
  return chroma_node(g, X.data(), power.data(), frames);  // synchronises before returning
}

}  // namespace

void register_chroma_hpss_nodes(std::map<std::string, NodeFn>& r) {
  r["chroma_stft"] = [](GpuGraph& g) {
    const cufftComplex* X = g.stft().data();
    return chroma_node(g, X, g.node("stft_power").data.data(), g.frames());
  };
  r["y_harmonic"] = [](GpuGraph& g) { return hpss_node(g, "y_harmonic"); };
  r["y_percussive"] = [](GpuGraph& g) { return hpss_node(g, "y_percussive"); };
  r["harmonic_chroma_stft"] = [](GpuGraph& g) { return part_chroma_node(g, "y_harmonic"); };
  r["percussive_chroma_stft"] = [](GpuGraph& g) { return part_chroma_node(g, "y_percussive"); };
}

}  // namespace gtzan::cuda
