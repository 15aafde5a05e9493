#pragma once
// The feature graph of a batch of clips on the GPU: the twin of host/features/clip_graph.hpp.
// Every node (STFT, power, mel, ...) is computed once per batch for all clips at once and
// cached on the device. A node is a matrix [rows, total_cols] whose columns are the clips'
// columns back to back (clip c owns columns [col_offset[c], col_offset[c] + cols[c])): one
// GEMM or one kernel launch serves the whole batch, and per-clip work uses the offsets.
#include <cublas_v2.h>
#include <cufft.h>

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/matrix.hpp"
#include "device_buffer.hpp"

namespace gtzan::cuda {

// Which clip owns which columns of a node; device copies for kernels, host copies for setup.
struct ColumnLayout {
  long total_cols = 0;
  std::vector<long> offsets, counts;  // per clip
  std::vector<int> owner;             // per column: its clip (host copy)
  DeviceBuffer<long> d_offsets, d_counts;
  DeviceBuffer<int> d_owner;

  static std::shared_ptr<const ColumnLayout> make(const std::vector<long>& counts);
};

struct DeviceNode {
  int rows = 0;
  std::shared_ptr<const ColumnLayout> layout;  // shared by nodes with the same columns
  DeviceBuffer<float> data;                    // row-major [rows, layout->total_cols]
  // Per clip, why the CPU twin rejects it ("" = it does not); empty when no clip is rejected.
  // Such a clip's columns hold NaN (e.g. MFCC deltas of clips shorter than 9 frames).
  std::vector<std::string> clip_errors;
};

class GpuGraph;
using NodeFn = std::function<DeviceNode(GpuGraph&)>;

// Node name -> computation. Each group of ops registers its nodes (cuda/nodes_*.cu).
std::map<std::string, NodeFn>& node_registry();
void register_stft_nodes(std::map<std::string, NodeFn>& r);
void register_chroma_hpss_nodes(std::map<std::string, NodeFn>& r);  // nodes_chroma_hpss.cu
void register_spectral_nodes(std::map<std::string, NodeFn>& r);  // cuda/nodes_spectral.cu
void register_cqt_nodes(std::map<std::string, NodeFn>& r);     // cuda/nodes_cqt.cu
void register_rhythm_nodes(std::map<std::string, NodeFn>& r);  // cuda/nodes_rhythm.cu

// Per-clip float64 scalars (ClipGraph::scalar's twins, e.g. "tempo"): name -> one value per
// clip. Computed on the host from downloaded nodes where the work is sequential per clip.
using ScalarFn = std::function<std::vector<double>(GpuGraph&)>;
std::map<std::string, ScalarFn>& scalar_registry();
void register_rhythm_scalars(std::map<std::string, ScalarFn>& r);  // cuda/nodes_rhythm.cu

class GpuGraph {
 public:
  // Uploads the clips (each non-empty) once; nothing is computed until a node is asked for.
  // A clip that is a view into an earlier clip of the batch (a track's segments inside the
  // track) is not copied again: it is cut out of that clip on the device.
  // The clips must outlive the graph: host-side steps (libsoxr resampling for the CQT, the
  // tuning estimate) read them there. Everything runs on the calling thread's own stream
  // (cudaStreamPerThread), where DeviceBuffer allocates and copies too, so graphs on different
  // host threads overlap and a graph's buffers are ordered with its work.
  // staging: pinned host memory for the upload, kept by the caller across batches (nullptr: a
  // temporary one).
  explicit GpuGraph(const std::vector<std::span<const float>>& clips,
                    GrowablePinnedBuffer<float>* staging = nullptr);
  ~GpuGraph();
  GpuGraph(const GpuGraph&) = delete;
  GpuGraph& operator=(const GpuGraph&) = delete;

  std::size_t clips() const { return n_clips_; }
  cudaStream_t stream() const { return stream_; }
  cublasHandle_t cublas();

  // The signals, [1, total_samples] with the sample layout; and the STFT frame layout.
  const DeviceNode& signal() const { return signal_; }
  const std::shared_ptr<const ColumnLayout>& frames() const { return frames_; }
  std::span<const float> host_clip(std::size_t c) const { return host_clips_.at(c); }

  // Complex STFT, frame-major [total_frames, 1025] (cuFFT's natural output), float64 FFT
  // rounded to complex64 as numpy + librosa.
  const DeviceBuffer<cufftComplex>& stft();

  const DeviceNode& node(const std::string& name);
  bool has_node(const std::string& name) const;
  // Puts a node computed as a side product of another (e.g. the three CQT chroma outputs).
  void put(const std::string& name, DeviceNode node);

  // One node per clip as host matrices [rows, cols_of_clip].
  std::vector<Matrix> download(const std::string& name);

  // A registered scalar, one value per clip (cached).
  const std::vector<double>& scalar(const std::string& name);

 private:
  std::size_t n_clips_ = 0;
  cudaStream_t stream_ = nullptr;
  cublasHandle_t cublas_ = nullptr;
  DeviceNode signal_;
  std::shared_ptr<const ColumnLayout> frames_;
  std::unique_ptr<DeviceBuffer<cufftComplex>> stft_;
  std::map<std::string, DeviceNode> cache_;
  std::vector<std::span<const float>> host_clips_;
  std::map<std::string, std::vector<double>> scalars_;
};

// STFT of arbitrary signals laid out as `signal` (the graph's own STFT, derived signals such
// as the HPSS parts, the CQT octaves with a rectangular window): frame-major
// [frames, n_fft/2+1] complex64.
DeviceBuffer<cufftComplex> stft_f64(const DeviceNode& signal, const ColumnLayout& frames,
                                    int n_fft, int hop, cudaStream_t stream,
                                    bool hann_window = true);

// Frame layout of signals with the given sample counts (librosa: 1 + len / hop frames).
std::shared_ptr<const ColumnLayout> frame_layout(const ColumnLayout& samples, int n_fft, int hop);

}  // namespace gtzan::cuda
