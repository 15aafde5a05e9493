// The mel / MFCC / spectral-descriptor nodes of the GPU graph: the twins of ClipGraph's
// "mel128", "mel64", "mel128_db", "mfcc13", "mfcc20", "mfcc13_delta", "mfcc13_delta2",
// "spectral_centroid", "spectral_bandwidth", "spectral_rolloff", "spectral_flatness",
// "spectral_contrast", "poly_features", "zero_crossing_rate" and "rms"
// (host/features/clip_graph.cpp), each computed for the whole batch at once. The constant
// tables (mel filter banks, DCT, delta taps, least-squares map, contrast bands) come from the
// CPU code itself (features::mel_filterbank, dct_ortho_matrix, delta_weights, poly_fit_matrix,
// contrast_bands), so both sides use the same numbers.
#include <cublas_v2.h>

#include <algorithm>
#include <climits>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "clip_max.cuh"
#include "convert.cuh"
#include "cuda_check.hpp"
#include "delta.cuh"
#include "features/mel.hpp"
#include "features/params.hpp"
#include "features/spectral.hpp"
#include "gpu_graph.hpp"
#include "poly_features.cuh"
#include "power_to_db.cuh"
#include "rms.cuh"
#include "spectral_bandwidth.cuh"
#include "spectral_centroid.cuh"
#include "spectral_contrast.cuh"
#include "spectral_flatness.cuh"
#include "spectral_rolloff.cuh"
#include "zero_crossing_rate.cuh"

namespace gtzan::cuda {
namespace {

using features::kNbins;
using features::kNfft;
using features::kHop;
using features::kSr;

// A constant table uploaded once per process and device (filter banks, DCT matrices, ...).
// The buffers are deliberately never freed: a static DeviceBuffer would call cudaFree after
// the CUDA runtime has shut down at exit. The cache itself is never destroyed either, so the
// buffers stay reachable (LeakSanitizer in the emulated build counts them as leaks otherwise).
template <typename T>
const T* device_constant(const std::string& key, const std::function<std::vector<T>()>& build) {
  static std::mutex mutex;
  static auto& cache = *new std::map<std::string, DeviceBuffer<T>*>;
  int device = 0;
  GTZAN_CUDA_CHECK(cudaGetDevice(&device));
  const std::string full = key + "@" + std::to_string(device);
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(full);
  if (it == cache.end()) {
    const std::vector<T> host = build();
    auto* buf = new DeviceBuffer<T>(host.size());
    buf->upload(host.data(), host.size());
    it = cache.emplace(full, buf).first;
  }
  return it->second->data();
}

DeviceNode make_node(int rows, const std::shared_ptr<const ColumnLayout>& layout) {
  DeviceNode n;
  n.rows = rows;
  n.layout = layout;
  n.data = DeviceBuffer<float>(static_cast<std::size_t>(rows) * layout->total_cols);
  return n;
}

int gemm_dim(long cols) {
  if (cols > INT_MAX) throw std::runtime_error("batch too large for one GEMM; use a smaller --batch");
  return static_cast<int>(cols);
}

// Temporaries of a node are freed when it returns: wait for the kernels that use them.
void finish(GpuGraph& g) {
  GTZAN_CUDA_CHECK(cudaGetLastError());
  GTZAN_CUDA_CHECK(cudaStreamSynchronize(g.stream()));
}

const double kFreqStep = 1.0 / (kNfft * (1.0 / kSr));  // as features' fft_freqs

// ---- mel: one SGEMM for the batch (float32 as the CPU's cblas_sgemm) ----
NodeFn mel_node(int n_mels) {
  return [n_mels](GpuGraph& g) {
    const DeviceNode& P = g.node("stft_power");
    if (P.rows != kNbins) throw std::logic_error("mel: stft_power rows != 1025");
    const float* W = device_constant<float>("mel" + std::to_string(n_mels), [n_mels] {
      return features::mel_filterbank(n_mels, kSr, kNfft).data;  // [n_mels, 1025] row-major
    });
    DeviceNode n = make_node(n_mels, P.layout);
    const int F = gemm_dim(P.layout->total_cols);
    if (F == 0) return n;
    // Row-major C[n_mels, F] = W[n_mels, 1025] P[1025, F] is column-major C^T = P^T W^T.
    // Default math mode: true FP32 (no TF32 unless NVIDIA_TF32_OVERRIDE forces it).
    const float one = 1.0f, zero = 0.0f;
    check_cublas(cublasSgemm(g.cublas(), CUBLAS_OP_N, CUBLAS_OP_N, F, n_mels, kNbins, &one,
                             P.data.data(), F, W, kNbins, &zero, n.data.data(), F),
                 "cublasSgemm (mel)");
    finish(g);
    return n;
  };
}

// ---- power_to_db(mel128): amin 1e-10, top_db 80 relative to each clip's own max ----
DeviceNode mel_db(GpuGraph& g) {
  const DeviceNode& M = g.node("mel128");
  DeviceNode n = make_node(M.rows, M.layout);
  const ColumnLayout& l = *M.layout;
  const int clips = static_cast<int>(l.counts.size());
  kernels::launch_power_to_db(M.data.data(), static_cast<long>(M.rows) * l.total_cols, 1e-10f,
                              n.data.data(), g.stream());
  DeviceBuffer<float> peak(static_cast<std::size_t>(clips));
  kernels::launch_clip_max(n.data.data(), n.rows, l.total_cols, l.d_offsets.data(),
                           l.d_counts.data(), clips, peak.data(), g.stream());
  kernels::launch_db_floor(n.data.data(), n.rows, l.total_cols, l.d_owner.data(), peak.data(),
                           80.0f, g.stream());
  finish(g);
  return n;
}

// ---- MFCC: float64 GEMM with the orthonormal DCT-II rows, rounded (as mfcc_from_db) ----
NodeFn mfcc_node(int n_mfcc) {
  return [n_mfcc](GpuGraph& g) {
    const DeviceNode& X = g.node("mel128_db");
    const int n_mels = X.rows;
    const double* D = device_constant<double>(
        "dct" + std::to_string(n_mels) + "x" + std::to_string(n_mfcc),
        [n_mels, n_mfcc] { return features::dct_ortho_matrix(n_mels, n_mfcc); });
    DeviceNode n = make_node(n_mfcc, X.layout);
    const int F = gemm_dim(X.layout->total_cols);
    if (F == 0) return n;
    DeviceBuffer<double> in(static_cast<std::size_t>(n_mels) * F), res(static_cast<std::size_t>(n_mfcc) * F);
    kernels::launch_widen(X.data.data(), static_cast<long>(n_mels) * F, in.data(), g.stream());
    const double one = 1.0, zero = 0.0;
    check_cublas(cublasDgemm(g.cublas(), CUBLAS_OP_N, CUBLAS_OP_N, F, n_mfcc, n_mels, &one,
                             in.data(), F, D, n_mels, &zero, res.data(), F),
                 "cublasDgemm (mfcc)");
    kernels::launch_narrow(res.data(), static_cast<long>(n_mfcc) * F, n.data.data(), g.stream());
    finish(g);
    return n;
  };
}

// ---- deltas of mfcc13: width 9, mode 'interp'; too-short clips get NaN + the CPU's error ----
NodeFn delta_node(int order) {
  return [order](GpuGraph& g) {
    constexpr int width = 9;
    const DeviceNode& X = g.node("mfcc13");
    const ColumnLayout& l = *X.layout;
    const features::DeltaWeights w = features::delta_weights(order, width);
    kernels::DeltaTaps taps;
    static_assert(width <= kernels::kMaxDeltaWidth);
    taps.width = width;
    taps.sign = (order % 2) ? -1.0 : 1.0;
    for (int k = 0; k < width; ++k) taps.centre[k] = w.centre[k];
    for (int e = 0; e < width / 2; ++e)
      for (int k = 0; k < width; ++k) taps.edge[e][k] = w.edge[e][k];
    DeviceNode n = make_node(X.rows, X.layout);
    kernels::launch_delta(X.data.data(), X.rows, l.total_cols, l.d_offsets.data(),
                          l.d_counts.data(), l.d_owner.data(), taps, n.data.data(), g.stream());
    finish(g);
    // The CPU twin throws for these clips; keep its exact message for the feature rows.
    for (std::size_t c = 0; c < l.counts.size(); ++c) {
      if (l.counts[c] >= width) continue;
      if (n.clip_errors.empty()) n.clip_errors.resize(l.counts.size());
      try {
        features::delta(Matrix(1, static_cast<std::size_t>(l.counts[c])), order, width);
        n.clip_errors[c] = "too short for MFCC deltas";
      } catch (const std::exception& e) {
        n.clip_errors[c] = e.what();
      }
    }
    return n;
  };
}

// ---- per-frame descriptors of the magnitude spectrogram ----
using FrameLaunch = std::function<void(const float* mag, long frames, float* out, cudaStream_t)>;

NodeFn magnitude_node(int rows, FrameLaunch launch) {
  return [rows, launch](GpuGraph& g) {
    const DeviceNode& S = g.node("stft_magnitude");
    if (S.rows != kNbins) throw std::logic_error("spectral: stft_magnitude rows != 1025");
    DeviceNode n = make_node(rows, S.layout);
    launch(S.data.data(), S.layout->total_cols, n.data.data(), g.stream());
    finish(g);
    return n;
  };
}

DeviceNode contrast(GpuGraph& g) {
  const DeviceNode& S = g.node("stft_magnitude");
  if (S.rows != kNbins) throw std::logic_error("spectral_contrast: stft_magnitude rows != 1025");
  const std::vector<features::ContrastBand> bands = features::contrast_bands(kSr, kNfft);
  kernels::ContrastBands kb;
  if (bands.size() > static_cast<std::size_t>(kernels::kContrastMaxBands))
    throw std::logic_error("spectral_contrast: too many bands for the GPU kernel");
  kb.count = static_cast<int>(bands.size());
  for (int k = 0; k < kb.count; ++k) {
    const auto& b = bands[k];
    const long take = std::min(b.take, b.hi - b.lo);
    if (b.lo < 0 || b.hi > kNbins || b.hi <= b.lo || take < 1 || take > kernels::kContrastMaxTake)
      throw std::logic_error("spectral_contrast: band outside the GPU kernel's limits");
    kb.lo[k] = b.lo;
    kb.hi[k] = b.hi;
    kb.take[k] = b.take;
  }
  const ColumnLayout& l = *S.layout;
  const long F = l.total_cols;
  const int clips = static_cast<int>(l.counts.size());
  DeviceNode n = make_node(kb.count, S.layout);
  DeviceBuffer<double> peak(static_cast<std::size_t>(kb.count) * F),
      valley(static_cast<std::size_t>(kb.count) * F), peak_max(clips), valley_max(clips);
  kernels::launch_contrast_bands(S.data.data(), F, kb, peak.data(), valley.data(), g.stream());
  kernels::launch_clip_max(peak.data(), kb.count, F, l.d_offsets.data(), l.d_counts.data(), clips,
                           peak_max.data(), g.stream());
  kernels::launch_clip_max(valley.data(), kb.count, F, l.d_offsets.data(), l.d_counts.data(),
                           clips, valley_max.data(), g.stream());
  kernels::launch_contrast_finish(peak.data(), valley.data(), kb.count, F, l.d_owner.data(),
                                  peak_max.data(), valley_max.data(), 80.0, n.data.data(),
                                  g.stream());
  finish(g);
  return n;
}

DeviceNode poly(GpuGraph& g) {
  constexpr int order = 1, m = order + 1;
  static_assert(m <= kernels::kMaxPolyCoeffs);
  const double* P = device_constant<double>("poly" + std::to_string(order), [] {
    return features::poly_fit_matrix(order, kSr, kNfft);  // [m, 1025]
  });
  return magnitude_node(m, [P](const float* mag, long frames, float* out, cudaStream_t s) {
    kernels::launch_poly_features(mag, kNbins, frames, P, m, out, s);
  })(g);
}

// ---- frame statistics of the signal (zcr: edge padding, rms: zeros), the STFT's frames ----
using SignalLaunch = void (*)(const float*, const long*, const long*, const long*, const int*,
                              long, int, int, float*, cudaStream_t);

NodeFn signal_node(SignalLaunch launch) {
  return [launch](GpuGraph& g) {
    const DeviceNode& y = g.signal();
    const auto& frames = g.frames();
    DeviceNode n = make_node(1, frames);
    launch(y.data.data(), y.layout->d_offsets.data(), y.layout->d_counts.data(),
           frames->d_offsets.data(), frames->d_owner.data(), frames->total_cols, kNfft, kHop,
           n.data.data(), g.stream());
    finish(g);
    return n;
  };
}

}  // namespace

void register_spectral_nodes(std::map<std::string, NodeFn>& r) {
  r["mel128"] = mel_node(128);
  r["mel64"] = mel_node(64);
  r["mel128_db"] = mel_db;
  r["mfcc13"] = mfcc_node(13);
  r["mfcc20"] = mfcc_node(20);
  r["mfcc13_delta"] = delta_node(1);
  r["mfcc13_delta2"] = delta_node(2);
  r["spectral_centroid"] = magnitude_node(1, [](const float* mag, long F, float* out, cudaStream_t s) {
    kernels::launch_spectral_centroid(mag, kNbins, F, kFreqStep, out, s);
  });
  r["spectral_bandwidth"] = magnitude_node(1, [](const float* mag, long F, float* out, cudaStream_t s) {
    kernels::launch_spectral_bandwidth(mag, kNbins, F, kFreqStep, out, s);
  });
  r["spectral_rolloff"] = magnitude_node(1, [](const float* mag, long F, float* out, cudaStream_t s) {
    kernels::launch_spectral_rolloff(mag, kNbins, F, 0.85f, kFreqStep, out, s);
  });
  r["spectral_flatness"] = magnitude_node(1, [](const float* mag, long F, float* out, cudaStream_t s) {
    kernels::launch_spectral_flatness(mag, kNbins, F, out, s);
  });
  r["spectral_contrast"] = contrast;
  r["poly_features"] = poly;
  r["zero_crossing_rate"] = signal_node(kernels::launch_zero_crossing_rate);
  r["rms"] = signal_node(kernels::launch_rms);
}

}  // namespace gtzan::cuda
