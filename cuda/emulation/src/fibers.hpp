#pragma once
// Cooperative fibers for the emulated GPU threads. On x86-64 a context switch is a few
// instructions of our own (swapcontext makes a signal-mask system call per switch, which made
// it the emulator's bottleneck); elsewhere ucontext. Every switch is announced to
// AddressSanitizer (__sanitizer_*_switch_fiber), which otherwise loses track of the stack.
#include <cstddef>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

namespace gtzan_emu {

class FiberStack {
 public:
  explicit FiberStack(std::size_t bytes);  // mmap'd, with a guard page below
  ~FiberStack();
  FiberStack(const FiberStack&) = delete;
  FiberStack& operator=(const FiberStack&) = delete;
  void* base() const { return base_; }
  std::size_t size() const { return size_; }

 private:
  void* mapping_ = nullptr;
  std::size_t mapping_size_ = 0;
  void* base_ = nullptr;
  std::size_t size_ = 0;
};

// A suspended execution context.
struct Context {
#if defined(__x86_64__)
  void* sp = nullptr;
#else
  ucontext_t uc{};
#endif
};

// Prepares `context` to run entry() on `stack` when first switched to. entry never returns.
void make_context(Context& context, const FiberStack& stack, void (*entry)());

// One host thread's scheduler context and the switches to and from its fibers.
struct FiberSwitcher {
  Context scheduler{};
  void* scheduler_fake_stack = nullptr;
  const void* scheduler_stack_bottom = nullptr;
  std::size_t scheduler_stack_size = 0;

  // Scheduler side: run `fiber` until it yields back.
  void enter(Context& fiber, const FiberStack& stack);
  // Fiber side: give control back to the scheduler (finished: the fiber never resumes).
  void leave(Context& fiber, void** fiber_fake_stack, bool finished);
  // Fiber side, first thing after being switched in.
  void arrived(void* fiber_fake_stack);
};

}  // namespace gtzan_emu
