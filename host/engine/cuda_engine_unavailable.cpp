// Built only without CUDA (GTZAN_CUDA=OFF or no nvcc): the CUDA training backend says so.
#include <stdexcept>

#include "engine/gpu_engine.hpp"

namespace gtzan::engine {

std::unique_ptr<Backend<float>> make_cuda_engine_backend(const std::string&) {
  throw std::runtime_error("training on cuda: this build has no CUDA backend; rebuild with -DGTZAN_CUDA=ON");
}

}  // namespace gtzan::engine
