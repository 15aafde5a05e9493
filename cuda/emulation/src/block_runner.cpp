#include "block_runner.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <sstream>

#include "gtzan_emu/memory.hpp"

namespace gtzan_emu {

namespace {

thread_local ThreadContext* tl_current = nullptr;

// Each fiber's stack. Kernels here keep little on the stack; ASan's redzones need more.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kStackBytes = 256 * 1024;
#else
constexpr std::size_t kStackBytes = 64 * 1024;
#endif

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Seed 0: threads in index order. Otherwise a permutation drawn from the seed and the block,
// so that a result depending on the order threads run between barriers shows as a difference.
std::vector<int> schedule(int threads, std::uint64_t seed, std::uint64_t block) {
  std::vector<int> order(threads);
  std::iota(order.begin(), order.end(), 0);
  if (seed == 0) return order;
  std::uint64_t state = seed * 0x100000001b3ull ^ block;
  for (int i = threads - 1; i > 0; --i) std::swap(order[i], order[splitmix64(state) % (i + 1)]);
  return order;
}

bool same_site(const CallSite& a, const CallSite& b) {
  return a.line == b.line && (a.file == b.file || (a.file && b.file && std::strcmp(a.file, b.file) == 0));
}

std::string where(const CallSite& s) { return std::string(s.file ? s.file : "?") + ":" + std::to_string(s.line); }

const char* op_name(WarpOp op) {
  switch (op) {
    case WarpOp::ShflDown: return "__shfl_down_sync";
    case WarpOp::ShflUp: return "__shfl_up_sync";
    case WarpOp::ShflXor: return "__shfl_xor_sync";
    case WarpOp::ShflIdx: return "__shfl_sync";
    case WarpOp::Ballot: return "__ballot_sync";
  }
  return "warp op";
}

}  // namespace

ThreadContext& current() { return *tl_current; }

void syncthreads(const CallSite& site) { BlockRunner::for_this_thread().barrier(site); }

std::uint64_t warp_collective(WarpOp op, unsigned mask, std::uint64_t value, int arg, int width,
                              const CallSite& site) {
  return BlockRunner::for_this_thread().warp(op, mask, value, arg, width, site);
}

BlockRunner& BlockRunner::for_this_thread() {
  thread_local BlockRunner runner;
  return runner;
}

std::string BlockRunner::thread_name(int linear) const {
  const auto& t = thread_[linear].context.thread_idx;
  std::ostringstream s;
  s << "thread (" << t.x << "," << t.y << "," << t.z << ")";
  return s.str();
}

void BlockRunner::fault(const std::string& what) const {
  std::ostringstream s;
  s << "kernel " << config_->kernel << ", block (" << block_idx_.x << "," << block_idx_.y << ","
    << block_idx_.z << "): " << what;
  fail(s.str());
}

void BlockRunner::run(const LaunchConfig& config, const std::function<void()>& body, uint3 block_idx,
                      std::uint64_t schedule_seed) {
  config_ = &config;
  body_ = &body;
  block_idx_ = block_idx;
  const dim3 b = config.block;
  threads_ = static_cast<int>(b.x * b.y * b.z);
  if (thread_.size() < static_cast<std::size_t>(threads_)) thread_.resize(threads_);
  // A GPU leaves shared memory uninitialised: NaN bytes make a read-before-write visible.
  dynamic_shared_.assign(config.dynamic_shared_bytes, 0xFF);
  for (int i = 0; i < threads_; ++i) {
    Thread& t = thread_[i];
    t.state = State::NotStarted;
    t.site = {nullptr, 0};
    t.fake_stack = nullptr;
    ThreadContext& c = t.context;
    c.thread_idx = {static_cast<unsigned>(i % b.x), static_cast<unsigned>(i / b.x % b.y),
                    static_cast<unsigned>(i / (b.x * b.y))};
    c.block_idx = block_idx;
    c.block_dim = b;
    c.grid_dim = config.grid;
    c.dynamic_shared = dynamic_shared_.empty() ? nullptr : dynamic_shared_.data();
  }
  const std::uint64_t linear_block =
      block_idx.x + static_cast<std::uint64_t>(config.grid.x) * (block_idx.y + static_cast<std::uint64_t>(config.grid.y) * block_idx.z);
  const std::vector<int> order = schedule(threads_, schedule_seed, linear_block);
  if (stack_of_.size() < static_cast<std::size_t>(threads_)) stack_of_.resize(threads_);
  for (;;) {
    for (int i : order)
      if (thread_[i].state == State::NotStarted || thread_[i].state == State::Runnable) step(i);
    if (resolve_warps()) continue;
    int alive = 0, done = -1, waiting = -1;
    for (int i = 0; i < threads_; ++i) {
      if (thread_[i].state == State::Done) {
        if (done < 0) done = i;
        continue;
      }
      ++alive;
      if (waiting < 0) waiting = i;
      if (thread_[i].state == State::AtWarp)
        fault(thread_name(i) + " waits in " + op_name(thread_[i].op) + " forever");
    }
    if (alive == 0) return;
    if (done >= 0)
      fault(thread_name(done) + " exited while " + thread_name(waiting) + " waits at __syncthreads()");
    for (int i = 0; i < threads_; ++i)
      if (!same_site(thread_[i].site, thread_[waiting].site))  // every thread is alive and at a barrier here
        fault(thread_name(i) + " waits at the __syncthreads() of " + where(thread_[i].site) + ", " +
              thread_name(waiting) + " at the one of " + where(thread_[waiting].site));
    release_barrier();
  }
}

void BlockRunner::step(int i) {
  Thread& t = thread_[i];
  if (t.state == State::NotStarted) {
    if (free_stacks_.empty()) {
      stacks_.push_back(std::make_unique<FiberStack>(kStackBytes));
      free_stacks_.push_back(stacks_.back().get());
    }
    stack_of_[i] = free_stacks_.back();
    free_stacks_.pop_back();
    make_context(t.context_sw, *stack_of_[i], &BlockRunner::fiber_main);
    t.state = State::Runnable;
  }
  running_ = i;
  tl_current = &t.context;
  switcher_.enter(t.context_sw, *stack_of_[i]);
  if (t.state == State::Done) free_stacks_.push_back(stack_of_[i]);  // we are off its stack now
}

void BlockRunner::fiber_main() {
  BlockRunner& r = for_this_thread();
  Thread& t = r.thread_[r.running_];
  r.switcher_.arrived(nullptr);
  (*r.body_)();
  t.state = State::Done;
  r.yield(t, true);
}

void BlockRunner::yield(Thread& t, bool finished) { switcher_.leave(t.context_sw, &t.fake_stack, finished); }

void BlockRunner::barrier(const CallSite& site) {
  Thread& t = thread_[running_];
  t.state = State::AtBarrier;
  t.site = site;
  yield(t, false);
}

std::uint64_t BlockRunner::warp(WarpOp op, unsigned mask, std::uint64_t value, int arg, int width,
                                const CallSite& site) {
  if (width < 1 || width > 32 || (width & (width - 1)))
    fault(std::string(op_name(op)) + " with width " + std::to_string(width) + " (a power of two <= 32)");
  Thread& t = thread_[running_];
  t.state = State::AtWarp;
  t.op = op;
  t.mask = mask;
  t.value = value;
  t.arg = arg;
  t.width = width;
  t.site = site;
  yield(t, false);
  return t.result;
}

bool BlockRunner::resolve_warps() {
  bool resolved = false;
  for (int w = 0; w * 32 < threads_; ++w) {
    const int first = w * 32;
    for (int lane = 0; lane < 32 && first + lane < threads_; ++lane) {
      Thread& t = thread_[first + lane];
      if (t.state != State::AtWarp) continue;
      const unsigned mask = t.mask;
      if (!(mask >> lane & 1u))
        fault(thread_name(first + lane) + " calls " + op_name(t.op) + " with a mask that leaves itself out");
      // Every lane the mask names must be at this same collective (synccheck).
      for (int other = 0; other < 32; ++other) {
        if (!(mask >> other & 1u)) continue;
        std::ostringstream why;
        why << op_name(t.op) << " mask 0x" << std::hex << mask << std::dec << " of warp " << w << " names lane "
            << other;
        if (first + other >= threads_) fault(why.str() + ", which does not exist (the block has " + std::to_string(threads_) + " threads)");
        const Thread& o = thread_[first + other];
        if (o.state == State::Done) fault(why.str() + ", which has exited");
        if (o.state == State::AtBarrier) fault(why.str() + ", which waits at __syncthreads()");
        if (o.op != t.op || o.mask != mask || !same_site(o.site, t.site))
          fault(why.str() + ", which is at another warp collective");
      }
      // All there: every lane of the mask gets its result at once (lock step).
      std::uint64_t ballot = 0;
      for (int other = 0; other < 32; ++other)
        if (mask >> other & 1u && thread_[first + other].value) ballot |= 1ull << other;
      for (int l = 0; l < 32; ++l) {
        if (!(mask >> l & 1u)) continue;
        Thread& me = thread_[first + l];
        const int seg = l / me.width * me.width, in_seg = l - seg;
        int src = l;
        switch (me.op) {
          case WarpOp::ShflDown: src = in_seg + me.arg < me.width ? l + me.arg : l; break;
          case WarpOp::ShflUp: src = in_seg >= me.arg ? l - me.arg : l; break;
          case WarpOp::ShflXor: src = seg + ((in_seg ^ me.arg) & (me.width - 1)); break;
          case WarpOp::ShflIdx: src = seg + (((me.arg % me.width) + me.width) % me.width); break;
          case WarpOp::Ballot: break;
        }
        if (me.op == WarpOp::Ballot) {
          me.result = ballot;
        } else {
          if (!(mask >> src & 1u))
            fault(thread_name(first + l) + " reads lane " + std::to_string(src) + " in " + op_name(me.op) +
                  ", which its mask leaves out (undefined on a GPU)");
          me.result = thread_[first + src].value;
        }
        me.state = State::Runnable;
      }
      resolved = true;
    }
  }
  return resolved;
}

void BlockRunner::release_barrier() {
  for (int i = 0; i < threads_; ++i) {
    thread_[i].state = State::Runnable;
    thread_[i].site = {nullptr, 0};
  }
}

}  // namespace gtzan_emu
