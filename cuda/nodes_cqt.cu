// The constant-Q nodes of the GPU graph: cqt_mag, cqt36_mag, chroma_cqt, chroma_cens, tonnetz,
// chroma_vqt. Twins of ClipGraph's nodes (host/features/clip_graph.cpp, cqt.cpp,
// chroma_cqt.cpp).
//
// Split between host and GPU:
//   host (per clip, clips in parallel threads): the tuning estimate (chroma_cqt family:
//     features::estimate_tuning(y, sr, 36), the CPU twin's own STFT + piptrack, so the tuned
//     fmin and hence the filter plan are bit-identical), the filter plan (features::vqt_plan,
//     cached, shared with the CPU backend) and the per-octave signals: early downsampling and
//     2:1 decimation with libsoxr (features::prepare_vqt; libsoxr has no GPU version);
//   GPU (per octave, all clips of a batch at once): centred framing with a ones window, float64
//     cuFFT rounded to complex64, the clip's sparse basis x frames (complex64, CSR order),
//     trim/stack, 1/sqrt(length) scaling and |.|, written into one [n_bins, frames] node;
//     then chroma folding, CENS and tonnetz kernels.
// Clips whose plans differ in structure (early-downsampling count, per-octave FFT size; the
// tuning could in principle move a wavelet length over a power of two) run as separate groups.
#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

#include "backend/parallel.hpp"
#include "chroma_cens.cuh"
#include "chroma_fold.cuh"
#include "cqt_octave.cuh"
#include "cuda_check.hpp"
#include "features/cqt.hpp"
#include "features/cqt_plan.hpp"
#include "gpu_graph.hpp"
#include "power_spectrum.cuh"
#include "tonnetz.cuh"

namespace gtzan::cuda {
namespace {

struct CqtConfig {
  int n_bins = 84;
  int bpo = 12;
  bool estimate_tuning = false;  // chroma_cqt's tuning=None (bins_per_octave 36); else 0.0
};

int host_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

template <typename T>
DeviceBuffer<T> to_device(const std::vector<T>& host) {
  DeviceBuffer<T> d(host.size());
  if (!host.empty()) d.upload(host.data(), host.size());
  return d;
}

// The structure every clip of a group shares: one STFT shape per octave.
std::vector<int> plan_key(const features::VqtInput& in) {
  std::vector<int> key = {in.plan->downsample_count, in.plan->n_octaves};
  for (int o = 0; o < in.plan->n_octaves; ++o) {
    key.push_back(in.plan->octaves[o].n_fft);
    key.push_back(in.hops[o]);
    key.push_back(in.plan->octaves[o].rows());
    key.push_back(in.plan->octave_lo[o]);
  }
  return key;
}

// |vqt| of every clip of the graph: [n_bins, frames], frames = min over octaves of 1 + len/hop.
DeviceNode cqt_magnitude_node(GpuGraph& g, const CqtConfig& cfg) {
  const std::size_t n = g.clips();
  std::vector<features::VqtInput> inputs(n);
  backend::parallel_for(n, host_threads(), [&](std::size_t c) {
    const double tuning = cfg.estimate_tuning
                              ? features::estimate_tuning(g.host_clip(c), features::kSr, cfg.bpo)
                              : 0.0;
    inputs[c] = features::prepare_vqt(g.host_clip(c), features::kSr, features::kHop,
                                      features::kC1Hz, cfg.n_bins, cfg.bpo, 0.0, tuning);
  });
  // Output layout: __trim_stack keeps the shortest octave's frame count.
  std::vector<long> out_counts(n);
  for (std::size_t c = 0; c < n; ++c) {
    long T = -1;
    for (std::size_t o = 0; o < inputs[c].signals.size(); ++o) {
      const long frames = 1 + static_cast<long>(inputs[c].signals[o].size()) / inputs[c].hops[o];
      T = T < 0 ? frames : std::min(T, frames);
    }
    out_counts[c] = T < 0 ? 0 : T;
  }
  DeviceNode out;
  out.rows = cfg.n_bins;
  out.layout = ColumnLayout::make(out_counts);
  const long out_cols = out.layout->total_cols;
  out.data = DeviceBuffer<float>(static_cast<std::size_t>(out.rows) * out_cols);
  if (out.data.size())
    GTZAN_CUDA_CHECK(cudaMemsetAsync(out.data.data(), 0, out.data.size() * sizeof(float), g.stream()));

  std::map<std::vector<int>, std::vector<std::size_t>> groups;
  for (std::size_t c = 0; c < n; ++c) groups[plan_key(inputs[c])].push_back(c);

  for (const auto& [key, members] : groups) {
    const auto& plan0 = *inputs[members.front()].plan;
    std::vector<long> g_out_off, g_out_cnt;
    for (std::size_t c : members) {
      g_out_off.push_back(out.layout->offsets[c]);
      g_out_cnt.push_back(out_counts[c]);
    }
    const auto d_out_off = to_device(g_out_off);
    const auto d_out_cnt = to_device(g_out_cnt);
    for (int o = 0; o < plan0.n_octaves; ++o) {
      const int n_fft = plan0.octaves[o].n_fft;
      if (n_fft < 4 || n_fft % 4 != 0) throw std::invalid_argument("vqt: filter FFT size too small");
      const int hop = inputs[members.front()].hops[o];
      const int rows = plan0.octaves[o].rows();
      const int bins = n_fft / 2 + 1;
      // The octave's signals, back to back.
      std::vector<long> counts;
      for (std::size_t c : members) counts.push_back(static_cast<long>(inputs[c].signals[o].size()));
      DeviceNode sig;
      sig.rows = 1;
      sig.layout = ColumnLayout::make(counts);
      std::vector<float> host(static_cast<std::size_t>(sig.layout->total_cols));
      for (std::size_t k = 0; k < members.size(); ++k)
        std::copy(inputs[members[k]].signals[o].begin(), inputs[members[k]].signals[o].end(),
                  host.begin() + sig.layout->offsets[k]);
      sig.data = to_device(host);
      const auto frames = frame_layout(*sig.layout, n_fft, hop);
      const auto spectra = stft_f64(sig, *frames, n_fft, hop, g.stream(), /*hann_window=*/false);
      // The clips' bases for this octave, concatenated (global CSR indices).
      std::vector<long> row_ptr;
      std::vector<int> cols;
      std::vector<cufftComplex> vals;
      std::vector<double> scale;
      for (std::size_t c : members) {
        const auto& plan = *inputs[c].plan;
        const auto& ob = plan.octaves[o];
        const long base = static_cast<long>(cols.size());
        for (int r = 0; r <= rows; ++r) row_ptr.push_back(base + static_cast<long>(ob.row_ptr[r]));
        for (std::size_t j = 0; j < ob.cols.size(); ++j) {
          if (ob.cols[j] < 0 || ob.cols[j] >= bins) throw std::logic_error("vqt: basis column out of range");
          cols.push_back(ob.cols[j]);
          vals.push_back(make_cuComplex(ob.vals[j].real(), ob.vals[j].imag()));
        }
        for (int r = 0; r < rows; ++r) scale.push_back(plan.inv_sqrt_len[plan.octave_lo[o] + r]);
      }
      const auto d_row_ptr = to_device(row_ptr);
      const auto d_cols = to_device(cols);
      const auto d_vals = to_device(vals);
      const auto d_scale = to_device(scale);
      kernels::launch_cqt_octave(spectra.data(), frames->total_cols, bins, frames->d_offsets.data(),
                                 frames->d_owner.data(), rows, d_row_ptr.data(), d_cols.data(),
                                 d_vals.data(), d_scale.data(), d_out_off.data(), d_out_cnt.data(),
                                 plan0.octave_lo[o], out_cols, out.data.data(), g.stream());
      GTZAN_CUDA_CHECK(cudaGetLastError());
      // Buffers of this octave are freed here (cudaFree waits for the kernels).
      GTZAN_CUDA_CHECK(cudaStreamSynchronize(g.stream()));
    }
  }
  return out;
}

// cq_to_chroma(n_in, bpo) as a bin -> chroma row table (one 1 per column).
DeviceBuffer<int> bin_chroma_table(int n_in, int bpo) {
  const Matrix M = features::cq_to_chroma(n_in, bpo, 12, features::kC1Hz);
  std::vector<int> table(static_cast<std::size_t>(n_in), -1);
  for (int i = 0; i < n_in; ++i)
    for (std::size_t r = 0; r < M.rows; ++r)
      if (M.at(r, static_cast<std::size_t>(i)) != 0.0f) table[i] = static_cast<int>(r);
  for (int v : table)
    if (v < 0) throw std::logic_error("cq_to_chroma: a bin without a chroma");
  return to_device(table);
}

DeviceNode chroma_node(GpuGraph& g, const DeviceNode& C, int bpo, bool inf_normalise) {
  DeviceNode out;
  out.rows = 12;
  out.layout = C.layout;
  out.data = DeviceBuffer<float>(static_cast<std::size_t>(12) * C.layout->total_cols);
  const auto table = bin_chroma_table(C.rows, bpo);
  kernels::launch_chroma_fold(C.data.data(), C.rows, C.layout->total_cols, table.data(),
                              inf_normalise, out.data.data(), g.stream());
  GTZAN_CUDA_CHECK(cudaGetLastError());
  GTZAN_CUDA_CHECK(cudaStreamSynchronize(g.stream()));  // `table` is freed on return
  return out;
}

// tonnetz_from_chroma's phi (the CPU twin's formula, float64).
std::vector<double> tonnetz_phi() {
  const int n = 12;
  const double scale[6] = {7.0 / 6, 7.0 / 6, 3.0 / 2, 3.0 / 2, 2.0 / 3, 2.0 / 3};
  const double R[6] = {1, 1, 1, 1, 0.5, 0.5};
  std::vector<double> phi(6 * n);
  const double dstep = 12.0 / static_cast<double>(n);
  for (int p = 0; p < 6; ++p)
    for (int c = 0; c < n; ++c) {
      double v = scale[p] * (static_cast<double>(c) * dstep);
      if (p % 2 == 0) v -= 0.5;
      phi[p * n + c] = R[p] * std::cos(M_PI * v);
    }
  return phi;
}

// chroma_cqt, chroma_cens and tonnetz from one tuned 252-bin CQT (ClipGraph's grouping): the
// requested one is returned, the other two are put in the graph.
NodeFn cqt_chroma_family(const std::string& requested) {
  return [requested](GpuGraph& g) {
    const DeviceNode C = cqt_magnitude_node(g, CqtConfig{7 * 36, 36, true});
    DeviceNode raw = chroma_node(g, C, 36, false);
    const long cols = raw.layout->total_cols;
    const auto& l = *raw.layout;
    std::map<std::string, DeviceNode> parts;
    // chroma_cqt: inf-normalised raw chroma (the fold kernel again, now with 12 "bins").
    DeviceNode chroma;
    chroma.rows = 12;
    chroma.layout = raw.layout;
    chroma.data = DeviceBuffer<float>(static_cast<std::size_t>(12) * cols);
    {
      std::vector<int> identity(12);
      for (int k = 0; k < 12; ++k) identity[k] = k;
      const auto d_identity = to_device(identity);
      kernels::launch_chroma_fold(raw.data.data(), 12, cols, d_identity.data(), true,
                                  chroma.data.data(), g.stream());
      GTZAN_CUDA_CHECK(cudaGetLastError());
      GTZAN_CUDA_CHECK(cudaStreamSynchronize(g.stream()));
    }
    DeviceNode cens;
    cens.rows = 12;
    cens.layout = raw.layout;
    cens.data = DeviceBuffer<float>(static_cast<std::size_t>(12) * cols);
    DeviceNode ton;
    ton.rows = 6;
    ton.layout = raw.layout;
    ton.data = DeviceBuffer<float>(static_cast<std::size_t>(6) * cols);
    {
      DeviceBuffer<float> scratch(static_cast<std::size_t>(12) * cols);
      const auto weights = to_device(features::chroma_cens_window());
      const auto phi = to_device(tonnetz_phi());
      kernels::launch_chroma_cens(raw.data.data(), cols, l.d_offsets.data(), l.d_counts.data(),
                                  l.d_owner.data(), weights.data(), scratch.data(),
                                  cens.data.data(), g.stream());
      kernels::launch_tonnetz(chroma.data.data(), cols, phi.data(), ton.data.data(), g.stream());
      GTZAN_CUDA_CHECK(cudaGetLastError());
      GTZAN_CUDA_CHECK(cudaStreamSynchronize(g.stream()));
    }
    parts.emplace("chroma_cqt", std::move(chroma));
    parts.emplace("chroma_cens", std::move(cens));
    parts.emplace("tonnetz", std::move(ton));
    DeviceNode result;
    for (auto& [name, node] : parts) {
      if (name == requested) result = std::move(node);
      else if (!g.has_node(name)) g.put(name, std::move(node));
    }
    return result;
  };
}

}  // namespace

void register_cqt_nodes(std::map<std::string, NodeFn>& r) {
  // librosa.cqt(y) (84 bins, 12 per octave, tuning 0) and the 252-bin, 36-per-octave one.
  r["cqt_mag"] = [](GpuGraph& g) { return cqt_magnitude_node(g, CqtConfig{84, 12, false}); };
  r["cqt36_mag"] = [](GpuGraph& g) { return cqt_magnitude_node(g, CqtConfig{252, 36, false}); };
  // chroma_vqt(y): vqt with gamma 0, tuning 0, 84 bins = cqt_mag, folded 1:1, inf-normalised.
  r["chroma_vqt"] = [](GpuGraph& g) { return chroma_node(g, g.node("cqt_mag"), 12, true); };
  for (const char* name : {"chroma_cqt", "chroma_cens", "tonnetz"}) r[name] = cqt_chroma_family(name);
}

}  // namespace gtzan::cuda
