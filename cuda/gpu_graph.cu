#include "gpu_graph.hpp"

#include <algorithm>
#include <stdexcept>

#include "backend/clip_batches.hpp"
#include "cuda_check.hpp"
#include "frame_window.cuh"
#include "gather_clips.cuh"
#include "power_spectrum.cuh"

namespace gtzan::cuda {

std::shared_ptr<const ColumnLayout> ColumnLayout::make(const std::vector<long>& counts) {
  auto l = std::make_shared<ColumnLayout>();
  l->counts = counts;
  l->offsets.resize(counts.size());
  for (std::size_t c = 0; c < counts.size(); ++c) {
    l->offsets[c] = l->total_cols;
    l->total_cols += counts[c];
  }
  l->owner.resize(static_cast<std::size_t>(l->total_cols));
  for (std::size_t c = 0; c < counts.size(); ++c)
    std::fill_n(l->owner.begin() + l->offsets[c], counts[c], static_cast<int>(c));
  l->d_offsets = DeviceBuffer<long>(counts.size());
  l->d_counts = DeviceBuffer<long>(counts.size());
  l->d_owner = DeviceBuffer<int>(l->owner.size());
  l->d_offsets.upload(l->offsets.data(), counts.size());
  l->d_counts.upload(counts.data(), counts.size());
  l->d_owner.upload(l->owner.data(), l->owner.size());
  return l;
}

std::shared_ptr<const ColumnLayout> frame_layout(const ColumnLayout& samples, int n_fft, int hop) {
  std::vector<long> frames(samples.counts.size());
  for (std::size_t c = 0; c < frames.size(); ++c)
    frames[c] = 1 + (samples.counts[c] + 2 * (n_fft / 2) - n_fft) / hop;
  return ColumnLayout::make(frames);
}

DeviceBuffer<cufftComplex> stft_f64(const DeviceNode& signal, const ColumnLayout& frames,
                                    int n_fft, int hop, cudaStream_t stream, bool hann_window) {
  const long F = frames.total_cols;
  const int bins = n_fft / 2 + 1;
  DeviceBuffer<double> windowed(static_cast<std::size_t>(F) * n_fft);
  kernels::launch_frame_window_f64(signal.data.data(), signal.layout->d_offsets.data(),
                                   signal.layout->d_counts.data(), frames.d_offsets.data(),
                                   frames.d_owner.data(), F, n_fft, hop,
                                   hann_window ? kernels::Window::Hann : kernels::Window::Ones,
                                   windowed.data(), stream);
  GTZAN_CUDA_CHECK(cudaGetLastError());
  DeviceBuffer<cufftDoubleComplex> spectra(static_cast<std::size_t>(F) * bins);
  // Plans are made per call: batch shapes vary, and plan creation is small next to the work.
  cufftHandle plan;
  int n[1] = {n_fft};
  GTZAN_CUFFT_CHECK(cufftPlanMany(&plan, 1, n, nullptr, 1, n_fft, nullptr, 1, bins, CUFFT_D2Z,
                                  static_cast<int>(F)));
  cufftSetStream(plan, stream);
  const cufftResult exec = cufftExecD2Z(plan, windowed.data(), spectra.data());
  cufftDestroy(plan);
  GTZAN_CUFFT_CHECK(exec);
  DeviceBuffer<cufftComplex> out(static_cast<std::size_t>(F) * bins);
  kernels::launch_round_to_complex64(spectra.data(), F * bins, out.data(), stream);
  GTZAN_CUDA_CHECK(cudaGetLastError());
  return out;
}

std::map<std::string, NodeFn>& node_registry() {
  static std::map<std::string, NodeFn> registry = [] {
    std::map<std::string, NodeFn> r;
    register_stft_nodes(r);
    register_chroma_hpss_nodes(r);
    register_spectral_nodes(r);
    register_cqt_nodes(r);
    register_rhythm_nodes(r);
    return r;
  }();
  return registry;
}

std::map<std::string, ScalarFn>& scalar_registry() {
  static std::map<std::string, ScalarFn> registry = [] {
    std::map<std::string, ScalarFn> r;
    register_rhythm_scalars(r);
    return r;
  }();
  return registry;
}

const std::vector<double>& GpuGraph::scalar(const std::string& name) {
  auto it = scalars_.find(name);
  if (it != scalars_.end()) return it->second;
  auto& registry = scalar_registry();
  auto fn = registry.find(name);
  if (fn == registry.end())
    throw std::invalid_argument("the CUDA backend has no '" + name + "' scalar yet");
  std::vector<double> v = fn->second(*this);
  if (v.size() != n_clips_) throw std::logic_error("scalar '" + name + "': wrong clip count");
  return scalars_.emplace(name, std::move(v)).first->second;
}

GpuGraph::GpuGraph(const std::vector<std::span<const float>>& clips, GrowablePinnedBuffer<float>* staging)
    : n_clips_(clips.size()), stream_(cudaStreamPerThread), host_clips_(clips) {
  GrowablePinnedBuffer<float> own_staging;  // one graph only: freed at the end of the upload
  if (!staging) staging = &own_staging;
  if (clips.empty()) throw std::invalid_argument("GpuGraph: no clips");
  std::vector<long> counts;
  for (const auto& c : clips) {
    if (c.empty()) throw std::invalid_argument("empty clip (0 samples)");
    counts.push_back(static_cast<long>(c.size()));
  }
  signal_.rows = 1;
  signal_.layout = ColumnLayout::make(counts);
  signal_.data = DeviceBuffer<float>(static_cast<std::size_t>(signal_.layout->total_cols));
  const auto views = backend::find_views(clips);
  const bool any_view = std::any_of(views.begin(), views.end(), [](const auto& v) { return v.parent >= 0; });
  if (!any_view) {
    // Staged through pinned memory: one asynchronous full-speed copy of the whole batch.
    float* host = staging->reserve(signal_.data.size());
    for (std::size_t c = 0; c < clips.size(); ++c)
      std::copy(clips[c].begin(), clips[c].end(), host + signal_.layout->offsets[c]);
    signal_.data.upload_async(host, signal_.data.size(), stream_);
  } else {
    // Only the clips that are not views cross PCIe (packed); the views are cut out of them on
    // the device, so a track with its ten segments costs one copy of the track.
    std::vector<long> packed_offset(clips.size()), src(clips.size());
    long packed = 0;
    for (std::size_t c = 0; c < clips.size(); ++c)
      if (views[c].parent < 0) { packed_offset[c] = packed; packed += counts[c]; }
    for (std::size_t c = 0; c < clips.size(); ++c)
      src[c] = views[c].parent < 0 ? packed_offset[c] : packed_offset[views[c].parent] + views[c].offset;
    float* host = staging->reserve(static_cast<std::size_t>(packed));
    for (std::size_t c = 0; c < clips.size(); ++c)
      if (views[c].parent < 0) std::copy(clips[c].begin(), clips[c].end(), host + packed_offset[c]);
    DeviceBuffer<float> d_packed(static_cast<std::size_t>(packed));
    d_packed.upload_async(host, d_packed.size(), stream_);
    DeviceBuffer<long> d_src(clips.size());
    d_src.upload(src.data(), src.size());
    kernels::launch_gather_clips(d_packed.data(), d_src.data(), signal_.layout->d_offsets.data(),
                                 signal_.layout->d_counts.data(), static_cast<int>(clips.size()),
                                 *std::max_element(counts.begin(), counts.end()), signal_.data.data(), stream_);
    GTZAN_CUDA_CHECK(cudaGetLastError());
    GTZAN_CUDA_CHECK(cudaStreamSynchronize(stream_));  // before d_packed is freed
  }
  // Before the staging buffer is reused (or freed).
  GTZAN_CUDA_CHECK(cudaStreamSynchronize(stream_));
  frames_ = frame_layout(*signal_.layout, 2048, 512);
}

GpuGraph::~GpuGraph() {
  if (cublas_) cublasDestroy(cublas_);
}

cublasHandle_t GpuGraph::cublas() {
  if (!cublas_) {
    if (cublasCreate(&cublas_) != CUBLAS_STATUS_SUCCESS) throw std::runtime_error("cublasCreate failed");
    cublasSetStream(cublas_, stream_);
  }
  return cublas_;
}

const DeviceBuffer<cufftComplex>& GpuGraph::stft() {
  if (!stft_)
    stft_ = std::make_unique<DeviceBuffer<cufftComplex>>(stft_f64(signal_, *frames_, 2048, 512, stream_));
  return *stft_;
}

bool GpuGraph::has_node(const std::string& name) const { return cache_.count(name) > 0; }

void GpuGraph::put(const std::string& name, DeviceNode node) { cache_.emplace(name, std::move(node)); }

const DeviceNode& GpuGraph::node(const std::string& name) {
  auto it = cache_.find(name);
  if (it != cache_.end()) return it->second;
  auto& registry = node_registry();
  auto fn = registry.find(name);
  if (fn == registry.end())
    throw std::invalid_argument("the CUDA backend has no '" + name + "' node yet");
  DeviceNode n = fn->second(*this);
  return cache_.emplace(name, std::move(n)).first->second;
}

std::vector<Matrix> GpuGraph::download(const std::string& name) {
  const DeviceNode& n = node(name);
  GTZAN_CUDA_CHECK(cudaStreamSynchronize(stream_));
  const std::vector<float> all = n.data.download();
  const ColumnLayout& l = *n.layout;
  std::vector<Matrix> out(n_clips_);
  for (std::size_t c = 0; c < n_clips_; ++c) {
    out[c] = Matrix(static_cast<std::size_t>(n.rows), static_cast<std::size_t>(l.counts[c]));
    for (int r = 0; r < n.rows; ++r)
      std::copy_n(all.begin() + r * l.total_cols + l.offsets[c], l.counts[c], out[c].row(r));
  }
  return out;
}

// ---- the STFT nodes ----
void register_stft_nodes(std::map<std::string, NodeFn>& r) {
  auto spectrogram = [](int power) {
    return [power](GpuGraph& g) {
      DeviceNode n;
      n.rows = 1025;
      n.layout = g.frames();
      n.data = DeviceBuffer<float>(static_cast<std::size_t>(n.rows) * n.layout->total_cols);
      kernels::launch_spectrogram_power(g.stft().data(), n.layout->total_cols, n.rows, power,
                                        n.data.data(), g.stream());
      GTZAN_CUDA_CHECK(cudaGetLastError());
      return n;
    };
  };
  r["stft_power"] = spectrogram(2);
  r["stft_magnitude"] = spectrogram(1);
}

}  // namespace gtzan::cuda
