#pragma once
// Runs one thread block: its threads as fibers on this host thread, with a real barrier, warp
// collectives in lock step, and the checks compute-sanitizer's synccheck makes.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fibers.hpp"
#include "gtzan_emu/device.hpp"

namespace gtzan_emu {

class BlockRunner {
 public:
  // One per host thread (thread_local), reused for every block that thread runs.
  static BlockRunner& for_this_thread();

  void run(const LaunchConfig& config, const std::function<void()>& body, uint3 block_idx,
           std::uint64_t schedule_seed);

  // Called from inside a GPU thread (through syncthreads / warp_collective).
  void barrier(const CallSite& site);
  std::uint64_t warp(WarpOp op, unsigned mask, std::uint64_t value, int arg, int width, const CallSite& site);

 private:
  enum class State { NotStarted, Runnable, AtBarrier, AtWarp, Done };
  struct Thread {
    ThreadContext context;
    Context context_sw{};  // the fiber's saved execution context
    void* fake_stack = nullptr;
    State state = State::Runnable;
    CallSite site{nullptr, 0};  // where it waits
    WarpOp op{};
    unsigned mask = 0;
    int arg = 0, width = 32;
    std::uint64_t value = 0, result = 0;
  };

  static void fiber_main();
  void yield(Thread& t, bool finished);
  void step(int i);  // starts or resumes thread i until it waits or finishes
  bool resolve_warps();
  void release_barrier();
  [[noreturn]] void fault(const std::string& what) const;
  std::string thread_name(int linear) const;

  const LaunchConfig* config_ = nullptr;
  const std::function<void()>* body_ = nullptr;
  uint3 block_idx_{};
  int threads_ = 0;
  int running_ = -1;
  std::vector<Thread> thread_;
  // Stacks are handed to threads when they start and taken back when they finish, so a kernel
  // without barriers runs its whole block on one stack.
  std::vector<std::unique_ptr<FiberStack>> stacks_;
  std::vector<FiberStack*> free_stacks_;
  std::vector<FiberStack*> stack_of_;
  std::vector<unsigned char> dynamic_shared_;
  FiberSwitcher switcher_;
};

}  // namespace gtzan_emu
