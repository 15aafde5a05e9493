#pragma once
// NumPy .npy (format 1.0) for float32 matrices, so any frame array can be opened with np.load.
#include <filesystem>

#include "core/matrix.hpp"

namespace gtzan {

// Writes `m` as a C-order float32 array of shape (rows, cols), atomically.
void write_npy(const std::filesystem::path& path, const Matrix& m);
// Reads a float32 (<f4) 2-D C-order array written by write_npy or numpy.
Matrix read_npy(const std::filesystem::path& path);

}  // namespace gtzan
