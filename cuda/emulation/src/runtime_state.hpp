#pragma once
// State shared by the emulator's translation units.
#include <cuda_runtime.h>

#include <cstdint>

namespace gtzan_emu {

// The calling host thread's last error (cudaGetLastError returns and clears it).
void set_last_error(cudaError_t error);
// GTZAN_EMU_SCHEDULE_SEED: 0 (default) runs a block's threads in index order, anything else in
// an order drawn from it.
std::uint64_t schedule_seed();
// GTZAN_EMU_THREADS: host threads that run blocks (default: the machine's cores).
unsigned worker_threads();

}  // namespace gtzan_emu
