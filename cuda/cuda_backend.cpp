// CUDA entry points of the backend boundary: device discovery, the feature backend (batched
// GpuGraph + per-clip statistics on the device) and the host-visible op API.
#include <cuda_runtime.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <thread>

#include "backend/clip_batches.hpp"
#include "backend/feature_backend.hpp"
#include "backend/gpu_ops.hpp"
#include "features/feature_set.hpp"
#include "cuda_check.hpp"
#include "gpu_graph.hpp"
#include "row_stats.cuh"

namespace gtzan::backend {

bool cuda_device_available(std::string& why) {
  int count = 0;
  // Without a driver (CI, GPU-less machines) this is an error, not 0 devices.
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    why = std::string("no usable GPU: ") + cudaGetErrorString(err);
    cudaGetLastError();  // clear the sticky error
    return false;
  }
  if (count == 0) {
    why = "no CUDA device found";
    return false;
  }
  return true;
}

std::string cuda_device_name() {
  std::string why;
  if (!cuda_device_available(why)) return {};
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess) return {};
  return std::string(prop.name) + " (" + std::to_string(prop.totalGlobalMem >> 30) + " GiB)";
}

std::vector<std::string> gpu_frame_features() {
  std::vector<std::string> names;
  for (const auto& [name, fn] : cuda::node_registry()) names.push_back(name);
  return names;
}

std::vector<Matrix> gpu_frames(const std::string& feature,
                               const std::vector<std::span<const float>>& clips) {
  cuda::GpuGraph graph(clips);
  return graph.download(feature);
}

std::vector<std::pair<std::string, double>> gpu_profile(const std::vector<std::string>& frames,
                                                        const std::vector<std::span<const float>>& clips) {
  std::vector<std::pair<std::string, double>> ms;
  cudaEvent_t start, stop;
  GTZAN_CUDA_CHECK(cudaEventCreate(&start));
  GTZAN_CUDA_CHECK(cudaEventCreate(&stop));
  auto timed = [&](const std::string& name, auto&& work) {
    GTZAN_CUDA_CHECK(cudaEventRecord(start, cudaStreamPerThread));
    work();
    GTZAN_CUDA_CHECK(cudaEventRecord(stop, cudaStreamPerThread));
    GTZAN_CUDA_CHECK(cudaEventSynchronize(stop));
    float t = 0;
    GTZAN_CUDA_CHECK(cudaEventElapsedTime(&t, start, stop));
    ms.emplace_back(name, t);
  };
  std::unique_ptr<cuda::GpuGraph> graph;
  timed("upload", [&] { graph = std::make_unique<cuda::GpuGraph>(clips); });
  for (const auto& f : frames) timed(f, [&] { graph->node(f); });
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return ms;
}

namespace {

bool is_out_of_memory(const std::exception& e) {
  return std::string(e.what()).find("out of memory") != std::string::npos;
}

class CudaBackend final : public FeatureBackend {
 public:
  CudaBackend(int batch, int streams) : batch_(batch > 0 ? batch : 64), streams_(std::max(1, streams)) {
    for (int s = 0; s < streams_; ++s) staging_.push_back(std::make_unique<cuda::GrowablePinnedBuffer<float>>());
  }
  std::string name() const override { return "cuda"; }

  std::vector<std::string> unsupported(const features::FeatureSet& set) const override {
    std::vector<std::string> missing;
    for (const auto& col : set.columns) {
      const bool scalar = col.stat == features::Stat::Scalar;
      const bool have = scalar ? cuda::scalar_registry().count(col.frame) > 0
                               : cuda::node_registry().count(col.frame) > 0;
      if (!have && std::find(missing.begin(), missing.end(), col.frame) == missing.end())
        missing.push_back(col.frame);
    }
    return missing;
  }

  Matrix compute_frame(const std::string& feature, std::span<const float> y) override {
    return gpu_frames(feature, {y}).front();
  }

  // Batches of batch_ clips, streams_ of them in flight: each on its own host thread, hence
  // its own CUDA stream (cudaStreamPerThread), so one batch's upload and host-side steps
  // (CQT resampling, tuning, tempo) overlap another's kernels. Every batch is computed the same
  // way whichever thread runs it, so the rows do not depend on streams_.
  std::vector<RowResult> compute_rows(const features::FeatureSet& set,
                                      const std::vector<std::span<const float>>& clips) override {
    std::vector<RowResult> rows(clips.size());
    const int batch = batch_.load();
    // A track's segments stay in their track's batch: the graph uploads the track once.
    const auto batches = cut_batches(clips, static_cast<std::size_t>(batch));
    std::vector<char> out_of_memory(batches.size(), 0);
    // Worker `slot` takes the next batch until none is left, staging through its own pinned
    // buffer (kept across calls).
    std::atomic<std::size_t> next{0};
    auto worker = [&](std::size_t slot) {
      for (std::size_t b = next++; b < batches.size(); b = next++) {
        const auto [begin, end] = batches[b];
        try {
          compute_batch(set, clips, begin, end, rows, *staging_[slot]);
        } catch (const std::exception& e) {
          if (is_out_of_memory(e)) out_of_memory[b] = 1;
          else
            for (std::size_t i = begin; i < end; ++i) rows[i].error = std::string("GPU: ") + e.what();
        }
      }
    };
    const std::size_t workers = std::min(batches.size(), static_cast<std::size_t>(streams_));
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(worker, w);
    worker(0);  // the calling thread is a worker too
    for (auto& t : pool) t.join();
    // Batches that ran out of memory (streams_ batches share the GPU) are redone one at a time,
    // halving the batch until they fit; the smaller size sticks for later calls.
    for (std::size_t b = 0; b < batches.size(); ++b)
      if (out_of_memory[b]) compute_range_alone(set, clips, batches[b].first, batches[b].second, rows);
    return rows;
  }

 private:
  void compute_range_alone(const features::FeatureSet& set, const std::vector<std::span<const float>>& clips,
                           std::size_t start, std::size_t stop, std::vector<RowResult>& rows) {
    int batch = std::max(1, batch_.load() / 2);
    std::fprintf(stderr, "features: GPU out of memory, retrying with --batch %d, one batch at a time\n", batch);
    while (start < stop) {
      const std::size_t end = std::min(stop, start + static_cast<std::size_t>(batch));
      try {
        compute_batch(set, clips, start, end, rows, *staging_[0]);
        start = end;
      } catch (const std::exception& e) {
        if (is_out_of_memory(e) && batch > 1) {
          batch /= 2;
          std::fprintf(stderr, "features: GPU out of memory, retrying with --batch %d\n", batch);
          cudaGetLastError();
          continue;
        }
        for (std::size_t i = start; i < end; ++i) rows[i].error = std::string("GPU: ") + e.what();
        start = end;
      }
    }
    batch_ = std::min(batch_.load(), batch);
  }

 private:
  void compute_batch(const features::FeatureSet& set,
                     const std::vector<std::span<const float>>& all, std::size_t begin,
                     std::size_t end, std::vector<RowResult>& rows,
                     cuda::GrowablePinnedBuffer<float>& staging) {
    const std::vector<std::span<const float>> clips(all.begin() + begin, all.begin() + end);
    for (const auto& c : clips)
      if (c.empty()) throw std::invalid_argument("empty clip (0 samples)");
    cuda::GpuGraph graph(clips, &staging);
    const int n = static_cast<int>(clips.size());
    // Statistics per frame array: per-row [clip][row] and whole-matrix [clip], float64.
    struct Stats { std::vector<double> row_mean, row_var, whole_mean, whole_var; int rows = 0; };
    std::map<std::string, Stats> stats;
    std::vector<std::string> errors(clips.size());  // clips the CPU twin rejects, its message
    // Frame arrays that Mean/Var columns summarise; Scalar columns come from the scalar hooks.
    std::vector<std::string> frames;
    std::map<std::string, const std::vector<double>*> scalars;
    for (const auto& col : set.columns) {
      if (col.stat == features::Stat::Scalar) scalars.emplace(col.frame, nullptr);
      else if (std::find(frames.begin(), frames.end(), col.frame) == frames.end())
        frames.push_back(col.frame);
    }
    for (auto& [name, values] : scalars) values = &graph.scalar(name);
    for (const auto& frame : frames) {
      const cuda::DeviceNode& node = graph.node(frame);
      for (std::size_t c = 0; c < node.clip_errors.size() && c < errors.size(); ++c)
        if (errors[c].empty()) errors[c] = node.clip_errors[c];
      Stats s;
      s.rows = node.rows;
      cuda::DeviceBuffer<double> mean(static_cast<std::size_t>(n) * node.rows),
          var(static_cast<std::size_t>(n) * node.rows), wmean(n), wvar(n);
      const auto& l = *node.layout;
      kernels::launch_row_stats(node.data.data(), node.rows, l.total_cols, l.d_offsets.data(),
                                l.d_counts.data(), n, mean.data(), var.data(), graph.stream());
      kernels::launch_whole_stats(node.data.data(), node.rows, l.total_cols, l.d_offsets.data(),
                                  l.d_counts.data(), n, wmean.data(), wvar.data(), graph.stream());
      GTZAN_CUDA_CHECK(cudaGetLastError());
      GTZAN_CUDA_CHECK(cudaStreamSynchronize(graph.stream()));
      s.row_mean = mean.download();
      s.row_var = var.download();
      s.whole_mean = wmean.download();
      s.whole_var = wvar.download();
      stats.emplace(frame, std::move(s));
    }
    for (int c = 0; c < n; ++c) {
      auto& out = rows[begin + c].values;
      out.clear();
      if (!errors[c].empty()) {  // as the CPU backend: an error and no values
        rows[begin + c].error = errors[c];
        continue;
      }
      for (const auto& col : set.columns) {
        if (col.stat == features::Stat::Scalar) {
          out.push_back((*scalars.at(col.frame))[c]);
          continue;
        }
        const Stats& s = stats.at(col.frame);
        const bool mean = col.stat != features::Stat::Var;
        if (col.row < 0) out.push_back(mean ? s.whole_mean[c] : s.whole_var[c]);
        else out.push_back(mean ? s.row_mean[c * s.rows + col.row] : s.row_var[c * s.rows + col.row]);
      }
    }
  }

  std::atomic<int> batch_;
  int streams_;
  std::vector<std::unique_ptr<cuda::GrowablePinnedBuffer<float>>> staging_;  // one per stream
};

}  // namespace

std::unique_ptr<FeatureBackend> make_cuda_feature_backend(int batch_clips, int streams) {
  return std::make_unique<CudaBackend>(batch_clips, streams);
}

}  // namespace gtzan::backend
