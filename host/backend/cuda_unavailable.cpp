// Built only without CUDA (GTZAN_CUDA=OFF or no nvcc): the CUDA entry points say so.
#include <stdexcept>

#include "backend/feature_backend.hpp"

namespace gtzan::backend {

bool cuda_device_available(std::string& why) {
  why = "this build has no CUDA backend (configured with GTZAN_CUDA=OFF or without nvcc)";
  return false;
}

std::string cuda_device_name() { return {}; }

std::unique_ptr<FeatureBackend> make_cuda_feature_backend(int, int) {
  throw std::runtime_error("this build has no CUDA backend; rebuild with -DGTZAN_CUDA=ON");
}

}  // namespace gtzan::backend

#include "backend/gpu_ops.hpp"

namespace gtzan::backend {

std::vector<std::string> gpu_frame_features() { return {}; }

std::vector<Matrix> gpu_frames(const std::string&, const std::vector<std::span<const float>>&) {
  throw std::runtime_error("gpu_frames: this build has no CUDA backend");
}

std::vector<std::pair<std::string, double>> gpu_profile(const std::vector<std::string>&,
                                                        const std::vector<std::span<const float>>&) {
  throw std::runtime_error("gpu_profile: this build has no CUDA backend");
}

}  // namespace gtzan::backend
