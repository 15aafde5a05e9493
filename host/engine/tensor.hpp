#pragma once
// Tensor: a shape, a device tag and a buffer allocated by a Backend. The buffer lives in the
// backend's memory space (host memory for the CPU backend, device memory for a GPU backend), so
// host code reads or writes it only through Backend::upload / Backend::download.
#include <cstddef>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

namespace gtzan::engine {

enum class Device { cpu, cuda };

inline const char* device_name(Device d) { return d == Device::cpu ? "cpu" : "cuda"; }

inline std::size_t shape_size(const std::vector<int>& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1},
                         [](std::size_t a, int b) { return a * static_cast<std::size_t>(b); });
}

std::string shape_string(const std::vector<int>& shape);

template <class T>
struct Tensor {
  std::vector<int> shape;
  Device device = Device::cpu;
  std::shared_ptr<T> buf;  // backend-owned storage, at least size() elements
  std::size_t capacity = 0;

  std::size_t size() const { return shape.empty() ? 0 : shape_size(shape); }
  int dim(std::size_t i) const { return shape.at(i); }
  int rank() const { return static_cast<int>(shape.size()); }
  T* data() { return buf.get(); }
  const T* data() const { return buf.get(); }
  bool empty() const { return size() == 0; }
};

}  // namespace gtzan::engine
