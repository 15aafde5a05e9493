#pragma once
// The emulator's memory registry: every device and pinned allocation, for the checks a GPU's
// runtime and compute-sanitizer make (wrong memcpy direction, freeing a pointer never
// allocated) and for the memory cap (GTZAN_EMU_MEMORY=64M makes device allocations past 64 MiB
// fail as cudaErrorMemoryAllocation). The library stand-ins (cuFFT, cuBLAS, cuDNN) allocate
// their work areas here too, so the cap reaches them.
#include <cstddef>
#include <string>

namespace gtzan_emu {

enum class MemKind { Device, PinnedHost };

// nullptr when the cap would be exceeded. Device memory comes back filled with 0xFF bytes
// (NaN as float or double), because a GPU does not zero it: a kernel reading what nobody wrote
// shows up as NaN.
void* allocate(std::size_t bytes, MemKind kind);
// False when p is not the start of a live allocation of that kind.
bool release(void* p, MemKind kind);
// True when [p, p + bytes) lies inside one live device allocation.
bool is_device(const void* p, std::size_t bytes = 1);
std::size_t device_bytes_in_use();
std::size_t device_memory_cap();  // GTZAN_EMU_MEMORY, or the emulated GPU's 80 GiB

// A misuse a GPU would fault on: prints "emulated CUDA: <what>" on stderr and aborts.
[[noreturn]] void fail(const std::string& what);

}  // namespace gtzan_emu
