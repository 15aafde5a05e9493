// Runs a launch's grid: validates it as the CUDA runtime does, then hands its blocks to a pool
// of host threads. The launching thread works on its own grid too, so launches from several
// host threads (one stream each) all make progress.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "block_runner.hpp"
#include "gtzan_emu/memory.hpp"
#include "runtime_state.hpp"

namespace gtzan_emu {
namespace {

// Limits of compute capability 9.0 (an H100), which the emulated device reports.
constexpr unsigned kMaxThreadsPerBlock = 1024;
constexpr unsigned kMaxBlockDim[3] = {1024, 1024, 64};
constexpr unsigned kMaxGridY = 65535, kMaxGridZ = 65535;
constexpr std::size_t kMaxDynamicShared = 48 * 1024;  // without cudaFuncSetAttribute's opt-in

struct Grid {
  const LaunchConfig* config;
  const std::function<void()>* body;
  std::uint64_t blocks = 0;
  std::uint64_t seed = 0;
  std::atomic<std::uint64_t> next{0};
  std::atomic<std::uint64_t> finished{0};
  std::mutex mutex;
  std::condition_variable all_done;
};

void run_blocks(Grid& g) {
  BlockRunner& runner = BlockRunner::for_this_thread();
  const dim3 grid = g.config->grid;
  for (;;) {
    const std::uint64_t b = g.next.fetch_add(1);
    if (b >= g.blocks) return;
    const uint3 idx{static_cast<unsigned>(b % grid.x), static_cast<unsigned>(b / grid.x % grid.y),
                    static_cast<unsigned>(b / (static_cast<std::uint64_t>(grid.x) * grid.y))};
    runner.run(*g.config, *g.body, idx, g.seed);
    if (g.finished.fetch_add(1) + 1 == g.blocks) {
      std::lock_guard lock(g.mutex);
      g.all_done.notify_all();
    }
  }
}

class Pool {
 public:
  static Pool& instance() {
    // Never destroyed: the detached workers wait on its condition variable until the process
    // ends, and a destructor at exit would pull it from under them.
    static Pool* pool = new Pool(worker_threads() > 1 ? worker_threads() - 1 : 0);
    return *pool;
  }
  void offer(const std::shared_ptr<Grid>& g) {
    if (workers_.empty()) return;
    std::lock_guard lock(mutex_);
    grids_.push_back(g);
    wake_.notify_all();
  }

 private:
  explicit Pool(unsigned n) {
    for (unsigned i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
    for (auto& w : workers_) w.detach();  // they live as long as the process
  }
  void work() {
    for (;;) {
      std::shared_ptr<Grid> g;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return !grids_.empty(); });
        g = grids_.front();
        if (g->next.load() >= g->blocks) {
          grids_.pop_front();
          continue;
        }
      }
      run_blocks(*g);
    }
  }
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Grid>> grids_;
};

bool valid(const LaunchConfig& c) {
  const dim3 b = c.block, g = c.grid;
  if (b.x == 0 || b.y == 0 || b.z == 0 || g.x == 0 || g.y == 0 || g.z == 0) return false;
  if (b.x > kMaxBlockDim[0] || b.y > kMaxBlockDim[1] || b.z > kMaxBlockDim[2]) return false;
  if (static_cast<std::uint64_t>(b.x) * b.y * b.z > kMaxThreadsPerBlock) return false;
  if (g.y > kMaxGridY || g.z > kMaxGridZ || g.x > 0x7fffffffu) return false;
  return c.dynamic_shared_bytes <= kMaxDynamicShared;
}

}  // namespace

void run_grid(const LaunchConfig& config, const std::function<void()>& body) {
  if (!valid(config)) {
    set_last_error(cudaErrorInvalidConfiguration);
    return;
  }
  auto g = std::make_shared<Grid>();
  g->config = &config;
  g->body = &body;
  g->blocks = static_cast<std::uint64_t>(config.grid.x) * config.grid.y * config.grid.z;
  g->seed = schedule_seed();
  if (g->blocks > 1) Pool::instance().offer(g);
  run_blocks(*g);
  std::unique_lock lock(g->mutex);
  g->all_done.wait(lock, [&] { return g->finished.load() == g->blocks; });
}

}  // namespace gtzan_emu
