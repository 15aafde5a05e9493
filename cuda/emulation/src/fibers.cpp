#include "fibers.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "gtzan_emu/memory.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define GTZAN_EMU_ASAN 1
#endif

#if defined(__x86_64__)
// gtzan_emu_switch(from, to): saves the callee-saved registers and the x87/SSE control words on
// the current stack, stores the stack pointer in *from, and resumes the context whose stack
// pointer is `to` (the System V ABI makes every other register caller-saved).
extern "C" void gtzan_emu_switch(void** from, void* to);
asm(R"(
  .text
  .globl gtzan_emu_switch
  .type gtzan_emu_switch, @function
gtzan_emu_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $16, %rsp
  stmxcsr 8(%rsp)
  fnstcw (%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  fldcw (%rsp)
  ldmxcsr 8(%rsp)
  addq $16, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size gtzan_emu_switch, .-gtzan_emu_switch
  .section .note.GNU-stack,"",@progbits
)");
#endif

namespace gtzan_emu {

void make_context(Context& c, const FiberStack& stack, void (*entry)()) {
#if defined(__x86_64__)
  // The frame gtzan_emu_switch pops: control words, r15..rbp, then `ret` into entry with the
  // stack aligned as after a call (rsp % 16 == 8).
  auto top = reinterpret_cast<std::uintptr_t>(stack.base()) + stack.size();
  top &= ~std::uintptr_t{15};
  auto* slot = reinterpret_cast<std::uint64_t*>(top - 16);  // 16-aligned: the return address
  slot[1] = 0;                                              // entry's own (fake) return address
  slot[0] = reinterpret_cast<std::uint64_t>(entry);
  for (int r = 1; r <= 6; ++r) slot[-r] = 0;  // rbp, rbx, r12..r15
  auto* control = reinterpret_cast<std::uint32_t*>(slot - 8);
  control[0] = 0x037F;  // x87 control word: the power-on default
  control[2] = 0x1F80;  // MXCSR: round to nearest, exceptions masked
  c.sp = slot - 8;
#else
  getcontext(&c.uc);
  c.uc.uc_stack.ss_sp = stack.base();
  c.uc.uc_stack.ss_size = stack.size();
  c.uc.uc_link = nullptr;
  makecontext(&c.uc, entry, 0);
#endif
}

namespace {
void switch_to(Context& from, Context& to) {
#if defined(__x86_64__)
  gtzan_emu_switch(&from.sp, to.sp);
#else
  swapcontext(&from.uc, &to.uc);
#endif
}
}  // namespace

FiberStack::FiberStack(std::size_t bytes) {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  size_ = (bytes + page - 1) / page * page;
  mapping_size_ = size_ + page;
  mapping_ = mmap(nullptr, mapping_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                  -1, 0);
  if (mapping_ == MAP_FAILED) fail("cannot map a fiber stack of " + std::to_string(mapping_size_) + " bytes");
  // Stacks grow down: a kernel that overflows its fiber's stack hits the guard page and faults
  // instead of writing into the next fiber's stack.
  mprotect(mapping_, page, PROT_NONE);
  base_ = static_cast<char*>(mapping_) + page;
}

FiberStack::~FiberStack() {
  if (mapping_) munmap(mapping_, mapping_size_);
}

void FiberSwitcher::enter(Context& fiber, const FiberStack& stack) {
#ifdef GTZAN_EMU_ASAN
  __sanitizer_start_switch_fiber(&scheduler_fake_stack, stack.base(), stack.size());
#else
  (void)stack;
#endif
  switch_to(scheduler, fiber);
#ifdef GTZAN_EMU_ASAN
  __sanitizer_finish_switch_fiber(scheduler_fake_stack, nullptr, nullptr);
#endif
}

void FiberSwitcher::leave(Context& fiber, void** fiber_fake_stack, bool finished) {
#ifdef GTZAN_EMU_ASAN
  // A finished fiber passes nullptr: ASan frees its fake stack.
  __sanitizer_start_switch_fiber(finished ? nullptr : fiber_fake_stack, scheduler_stack_bottom,
                                 scheduler_stack_size);
#else
  (void)fiber_fake_stack;
  (void)finished;
#endif
  switch_to(fiber, scheduler);
#ifdef GTZAN_EMU_ASAN
  if (!finished) __sanitizer_finish_switch_fiber(*fiber_fake_stack, &scheduler_stack_bottom, &scheduler_stack_size);
#endif
}

void FiberSwitcher::arrived(void* fiber_fake_stack) {
#ifdef GTZAN_EMU_ASAN
  __sanitizer_finish_switch_fiber(fiber_fake_stack, &scheduler_stack_bottom, &scheduler_stack_size);
#else
  (void)fiber_fake_stack;
#endif
}

}  // namespace gtzan_emu
