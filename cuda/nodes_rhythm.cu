// The rhythm nodes of the GPU graph: onset_strength, tempogram, fourier_tempogram_mag,
// stack_memory, tempo (as a [1, 1]-per-clip node for the op tests) and the float64 "tempo"
// scalar. Twins of ClipGraph's nodes (host/features/clip_graph.cpp, onset.cpp, tempo.cpp,
// tempogram.cpp).
//
// GPU: the 128-band mel projection of the power spectrogram (cuBLAS SGEMM with
// features::mel_filterbank(128), computed here rather than through a "mel128" node so this
// file does not depend on the spectral nodes), power_to_db per clip, the onset flux with its
// mean / median aggregation, the autocorrelation tempogram, the Fourier tempogram (the
// graph's batched float64 STFT of the envelopes) and stack_memory.
// Host: the tempo (beat_track's log-normal-weighted tempogram argmax) from the downloaded
// median envelope, per clip in parallel threads: sequential, small work.
#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

#include "backend/parallel.hpp"
#include "cuda_check.hpp"
#include "features/mel.hpp"
#include "features/params.hpp"
#include "features/rhythm.hpp"
#include "gpu_graph.hpp"
#include "onset_flux.cuh"
#include "power_spectrum.cuh"
#include "power_to_db.cuh"
#include "stack_memory.cuh"
#include "tempogram.cuh"

namespace gtzan::cuda {
namespace {

constexpr int kMelBands = 128;
constexpr int kTempogramWin = 384;
// Graph-internal nodes (not registered: no CPU twin of the same name to test against).
constexpr const char* kMedianOnset = "_onset_strength_median";

template <typename T>
DeviceBuffer<T> to_device(const std::vector<T>& host) {
  DeviceBuffer<T> d(host.size());
  if (!host.empty()) d.upload(host.data(), host.size());
  return d;
}

// power_to_db(melspectrogram(power, 128)) per clip: [128, frames], the spectral group's
// "mel128_db" node (the same computation the MFCCs start from).
const DeviceNode& mel_db(GpuGraph& g) { return g.node("mel128_db"); }

DeviceNode onset_node(GpuGraph& g, bool median) {
  const DeviceNode& S = mel_db(g);
  const auto& l = *S.layout;
  DeviceNode out;
  out.rows = 1;
  out.layout = S.layout;
  out.data = DeviceBuffer<float>(static_cast<std::size_t>(l.total_cols));
  const int shift = 1 + features::kNfft / (2 * features::kHop);  // lag + n_fft // (2 hop)
  kernels::launch_onset_flux(S.data.data(), kMelBands, l.total_cols, l.d_offsets.data(),
                             l.d_counts.data(), l.d_owner.data(), shift, median,
                             out.data.data(), g.stream());
  GTZAN_CUDA_CHECK(cudaGetLastError());
  return out;
}

// beat_track's tempo per clip: 0 for an all-zero median envelope, else the tempo estimate.
std::vector<double> tempo_scalar(GpuGraph& g) {
  if (!g.has_node(kMedianOnset)) g.put(kMedianOnset, onset_node(g, true));
  const std::vector<Matrix> env = g.download(kMedianOnset);
  std::vector<double> tempo(env.size(), 0.0);
  const unsigned hw = std::thread::hardware_concurrency();
  backend::parallel_for(env.size(), hw == 0 ? 1 : static_cast<int>(hw), [&](std::size_t c) {
    const auto& e = env[c].data;
    if (std::any_of(e.begin(), e.end(), [](float v) { return v != 0.0f; }))
      tempo[c] = features::tempo_from_onset(std::span<const float>(e));
  });
  return tempo;
}

DeviceNode tempogram_node(GpuGraph& g) {
  const DeviceNode& env = g.node("onset_strength");
  const auto& l = *env.layout;
  std::vector<double> window(kTempogramWin);  // periodic Hann, float64, as the CPU twin
  for (int i = 0; i < kTempogramWin; ++i)
    window[i] = 0.5 - 0.5 * std::cos(2.0 * M_PI * i / kTempogramWin);
  const auto d_window = to_device(window);
  DeviceNode out;
  out.rows = kTempogramWin;
  out.layout = env.layout;
  out.data = DeviceBuffer<float>(static_cast<std::size_t>(kTempogramWin) * l.total_cols);
  kernels::launch_tempogram(env.data.data(), l.total_cols, l.d_offsets.data(), l.d_counts.data(),
                            l.d_owner.data(), d_window.data(), kTempogramWin, out.data.data(),
                            g.stream());
  GTZAN_CUDA_CHECK(cudaGetLastError());
  GTZAN_CUDA_CHECK(cudaStreamSynchronize(g.stream()));  // d_window freed on return
  return out;
}

DeviceNode fourier_tempogram_node(GpuGraph& g) {
  const DeviceNode& env = g.node("onset_strength");
  // stft(env, n_fft=384, hop 1, hann, center, constant padding): T + 1 frames per clip.
  const auto frames = frame_layout(*env.layout, kTempogramWin, 1);
  const int bins = kTempogramWin / 2 + 1;
  const auto X = stft_f64(env, *frames, kTempogramWin, 1, g.stream());
  DeviceNode out;
  out.rows = bins;
  out.layout = frames;
  out.data = DeviceBuffer<float>(static_cast<std::size_t>(bins) * frames->total_cols);
  kernels::launch_spectrogram_power(X.data(), frames->total_cols, bins, 1, out.data.data(),
                                    g.stream());
  GTZAN_CUDA_CHECK(cudaGetLastError());
  GTZAN_CUDA_CHECK(cudaStreamSynchronize(g.stream()));  // X freed on return
  return out;
}

DeviceNode stack_memory_node(GpuGraph& g) {
  const DeviceNode& y = g.signal();
  const auto& l = *y.layout;
  DeviceNode out;
  out.rows = 2;  // librosa.feature.stack_memory defaults: n_steps 2, delay 1
  out.layout = y.layout;
  out.data = DeviceBuffer<float>(static_cast<std::size_t>(2) * l.total_cols);
  kernels::launch_stack_memory(y.data.data(), l.total_cols, l.d_offsets.data(), l.d_owner.data(),
                               2, 1, out.data.data(), g.stream());
  GTZAN_CUDA_CHECK(cudaGetLastError());
  return out;
}

}  // namespace

void register_rhythm_nodes(std::map<std::string, NodeFn>& r) {
  r["onset_strength"] = [](GpuGraph& g) { return onset_node(g, false); };
  r["tempogram"] = tempogram_node;
  r["fourier_tempogram_mag"] = fourier_tempogram_node;
  r["stack_memory"] = stack_memory_node;
  // ClipGraph's frame("tempo"): the scalar as a float32 [1, 1] per clip.
  r["tempo"] = [](GpuGraph& g) {
    const std::vector<double>& t = g.scalar("tempo");
    std::vector<float> host(t.begin(), t.end());
    DeviceNode out;
    out.rows = 1;
    out.layout = ColumnLayout::make(std::vector<long>(t.size(), 1));
    out.data = to_device(host);
    return out;
  };
}

void register_rhythm_scalars(std::map<std::string, ScalarFn>& r) { r["tempo"] = tempo_scalar; }

}  // namespace gtzan::cuda
