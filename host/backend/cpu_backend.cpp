// The CPU reference backend: one ClipGraph per clip, clips spread over threads.
#include <cblas.h>

#include <stdexcept>
#include <thread>

#include "backend/feature_backend.hpp"
#include "backend/parallel.hpp"
#include "features/clip_graph.hpp"

namespace gtzan::backend {
namespace {

class CpuBackend final : public FeatureBackend {
 public:
  explicit CpuBackend(int threads) : threads_(threads > 0 ? threads : default_threads()) {
    // Parallelism is across clips; OpenBLAS's own threads would only spin against ours.
    openblas_set_num_threads(1);
  }
  std::string name() const override { return "cpu"; }

  std::vector<RowResult> compute_rows(const features::FeatureSet& set,
                                      const std::vector<std::span<const float>>& clips) override {
    std::vector<RowResult> rows(clips.size());
    parallel_for(clips.size(), threads_, [&](std::size_t i) {
      try {
        features::ClipGraph graph(clips[i]);
        rows[i].values = set.compute(graph);
      } catch (const std::exception& e) {
        rows[i].error = e.what();
      }
    });
    return rows;
  }

  Matrix compute_frame(const std::string& feature, std::span<const float> y) override {
    features::ClipGraph graph(y);
    return graph.frame(feature);
  }

 private:
  int threads_;
};

}  // namespace

int default_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

Device parse_device(const std::string& text) {
  if (text == "cpu") return Device::Cpu;
  if (text == "cuda" || text == "gpu") return Device::Cuda;
  if (text == "auto") return Device::Auto;
  throw std::invalid_argument("unknown device '" + text + "' (use cpu, cuda or auto)");
}

std::unique_ptr<FeatureBackend> make_cpu_backend(int threads) {
  return std::make_unique<CpuBackend>(threads);
}

std::unique_ptr<FeatureBackend> make_backend(Device device, int threads,
                                             const features::FeatureSet* set, std::string* note,
                                             int gpu_batch, int gpu_streams) {
  if (device == Device::Cpu) return make_cpu_backend(threads);
  std::string why;
  auto missing = [&](const FeatureBackend& be) {
    std::string list;
    if (set)
      for (const auto& f : be.unsupported(*set)) list += (list.empty() ? "" : ", ") + f;
    return list;
  };
  if (device == Device::Cuda) {
    if (!cuda_device_available(why)) throw std::runtime_error("--device cuda: " + why);
    auto be = make_cuda_feature_backend(gpu_batch, gpu_streams);
    if (const auto m = missing(*be); !m.empty())
      throw std::runtime_error("--device cuda: the CUDA graph does not compute " + m +
                               " yet; use --device cpu or auto");
    return be;
  }
  // Auto: the GPU when it can do the work, the CPU otherwise (and say why).
  if (cuda_device_available(why)) {
    try {
      auto be = make_cuda_feature_backend(gpu_batch, gpu_streams);
      const auto m = missing(*be);
      if (m.empty()) return be;
      why = "the CUDA graph does not compute " + m + " yet";
    } catch (const std::exception& e) {
      why = e.what();
    }
  }
  if (note) *note = "using the CPU backend: " + why;
  return make_cpu_backend(threads);
}

}  // namespace gtzan::backend
