// The memory registry behind cudaMalloc & co. and the library stand-ins.
#include "gtzan_emu/memory.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

namespace gtzan_emu {
namespace {

struct Allocation {
  std::size_t bytes;
  MemKind kind;
};

struct Registry {
  std::mutex mutex;
  std::map<std::uintptr_t, Allocation> live;  // by start address
  std::size_t device_bytes = 0;
};

Registry& registry() {
  static Registry r;
  return r;
}

std::size_t parse_bytes(const char* text) {
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  double scale = 1;
  if (end && (*end == 'k' || *end == 'K')) scale = 1024.0;
  if (end && (*end == 'm' || *end == 'M')) scale = 1024.0 * 1024;
  if (end && (*end == 'g' || *end == 'G')) scale = 1024.0 * 1024 * 1024;
  if (!(v > 0)) fail(std::string("GTZAN_EMU_MEMORY=") + text + " is not a size (e.g. 64M)");
  return static_cast<std::size_t>(v * scale);
}

}  // namespace

std::size_t device_memory_cap() {
  static const std::size_t cap = [] {
    const char* env = std::getenv("GTZAN_EMU_MEMORY");
    return env && *env ? parse_bytes(env) : std::size_t{80} << 30;
  }();
  return cap;
}

void* allocate(std::size_t bytes, MemKind kind) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  if (kind == MemKind::Device && r.device_bytes + bytes > device_memory_cap()) return nullptr;
  // 256-byte alignment, as cudaMalloc guarantees; at least one byte so that every allocation
  // has its own address.
  const std::size_t rounded = (bytes + 255) / 256 * 256;
  void* p = std::aligned_alloc(256, rounded ? rounded : 256);
  if (!p) return nullptr;
  if (kind == MemKind::Device) std::memset(p, 0xFF, rounded ? rounded : 256);
  r.live[reinterpret_cast<std::uintptr_t>(p)] = {bytes, kind};
  if (kind == MemKind::Device) r.device_bytes += bytes;
  return p;
}

bool release(void* p, MemKind kind) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  const auto it = r.live.find(reinterpret_cast<std::uintptr_t>(p));
  if (it == r.live.end() || it->second.kind != kind) return false;
  if (kind == MemKind::Device) r.device_bytes -= it->second.bytes;
  r.live.erase(it);
  std::free(p);
  return true;
}

bool is_device(const void* p, std::size_t bytes) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  auto it = r.live.upper_bound(a);
  if (it == r.live.begin()) return false;
  --it;
  return it->second.kind == MemKind::Device && a + bytes <= it->first + it->second.bytes;
}

std::size_t device_bytes_in_use() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.device_bytes;
}

void fail(const std::string& what) {
  std::fprintf(stderr, "emulated CUDA: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace gtzan_emu
