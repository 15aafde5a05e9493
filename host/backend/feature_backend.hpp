#pragma once
// The backend boundary of the feature graph: one interface, a CPU implementation (reference,
// what CI and GPU-less users run) and a CUDA one (kernels/, cuda/). Nothing above this
// interface knows which backend runs, and no CUDA header is included on this side.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/matrix.hpp"
#include "features/feature_set.hpp"

namespace gtzan::backend {

enum class Device { Cpu, Cuda, Auto };

// "cpu" | "cuda" | "auto"; throws std::invalid_argument otherwise.
Device parse_device(const std::string& text);

struct RowResult {
  std::vector<double> values;  // the set's columns, in order; empty when `error` is set
  std::string error;           // why this clip could not be computed
};

class FeatureBackend {
 public:
  virtual ~FeatureBackend() = default;
  virtual std::string name() const = 0;
  // One row per clip. A failing clip gets an error, the others still get their rows.
  virtual std::vector<RowResult> compute_rows(const features::FeatureSet& set,
                                              const std::vector<std::span<const float>>& clips) = 0;
  // One frame-level array of one clip (the names of ClipGraph::frame_feature_names()).
  virtual Matrix compute_frame(const std::string& feature, std::span<const float> y) = 0;
  // The frame arrays of `set` this backend cannot compute (empty: it can do the whole set).
  virtual std::vector<std::string> unsupported(const features::FeatureSet&) const { return {}; }
};

std::unique_ptr<FeatureBackend> make_cpu_backend(int threads);

// Picks the backend for `device` and `set`. Auto: CUDA when it is built, a GPU is present and
// the CUDA graph computes every array of the set; the CPU otherwise (`note` says why).
// Explicit cuda throws std::runtime_error with the reason when that is not possible.
// gpu_batch: clips per GPU launch (bounds GPU memory; halved and retried on out-of-memory).
// gpu_streams: batches in flight at once, each on its own host thread and CUDA stream, so one
// batch's host->device copy and host-side steps overlap another's kernels (GPU memory use is
// about gpu_streams x gpu_batch clips' worth).
std::unique_ptr<FeatureBackend> make_backend(Device device, int threads,
                                             const features::FeatureSet* set = nullptr,
                                             std::string* note = nullptr, int gpu_batch = 64,
                                             int gpu_streams = 2);

// ---- implemented in cuda/ when built with CUDA, else by host/backend/cuda_unavailable.cpp ----
// True when a usable GPU is present; otherwise `why` says why not (not built, no driver, ...).
bool cuda_device_available(std::string& why);
// Name and memory of GPU 0, e.g. "NVIDIA H200 (139 GiB)"; empty when none.
std::string cuda_device_name();
// The CUDA feature backend (clips per GPU batch, halved and retried when the GPU runs out of
// memory; batches in flight on their own streams); throws std::runtime_error naming what is
// missing.
std::unique_ptr<FeatureBackend> make_cuda_feature_backend(int batch_clips = 64, int streams = 2);

// Default worker count: all cores.
int default_threads();

}  // namespace gtzan::backend
