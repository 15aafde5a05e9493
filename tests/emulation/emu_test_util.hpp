#pragma once
// Helpers shared by the emulator's tests: device arrays that free themselves, and running a
// misuse in a child process to see the emulator abort with its message.
#include <catch2/catch.hpp>

#include <cuda_runtime.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace gtzan::emu_test {

// A device allocation that frees itself, filled from and read back to host vectors.
template <typename T>
class DeviceArray {
 public:
  explicit DeviceArray(std::size_t count) : count_(count) {
    REQUIRE(cudaMalloc(reinterpret_cast<void**>(&data_), std::max<std::size_t>(count, 1) * sizeof(T)) ==
            cudaSuccess);
  }
  explicit DeviceArray(const std::vector<T>& host) : DeviceArray(host.size()) { upload(host); }
  ~DeviceArray() { cudaFree(data_); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;

  void upload(const std::vector<T>& host) {
    REQUIRE(host.size() == count_);
    REQUIRE(cudaMemcpy(data_, host.data(), count_ * sizeof(T), cudaMemcpyHostToDevice) == cudaSuccess);
  }
  std::vector<T> download() const {
    std::vector<T> host(count_);
    REQUIRE(cudaMemcpy(host.data(), data_, count_ * sizeof(T), cudaMemcpyDeviceToHost) == cudaSuccess);
    return host;
  }
  T* data() { return data_; }
  std::size_t size() const { return count_; }

 private:
  T* data_ = nullptr;
  std::size_t count_;
};

// Runs body in a child process (stderr captured) and reports whether it died of SIGABRT,
// which is how gtzan_emu::fail ends a run on a misuse a GPU would fault on.
struct ChildOutcome {
  bool aborted;
  std::string stderr_text;
};
inline ChildOutcome run_in_child(const std::function<void()>& body) {
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  std::fflush(nullptr);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);  // an expected abort should not leave a core file behind
    std::signal(SIGABRT, SIG_DFL);     // not Catch2's handler, which would report a failure
    close(pipe_fds[0]);
    dup2(pipe_fds[1], STDERR_FILENO);
    if (std::FILE* quiet = std::freopen("/dev/null", "w", stdout); !quiet) _exit(2);
    body();
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string text;
  char buffer[512];
  for (ssize_t got; (got = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, got);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, text};
}

}  // namespace gtzan::emu_test
