#pragma once
// GPU test cases call require_gpu() first: without a usable GPU the process exits 77, which
// ctest reports as SKIPPED (SKIP_RETURN_CODE), with the reason on stderr.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "backend/feature_backend.hpp"

inline void require_gpu() {
  std::string why;
  if (!gtzan::backend::cuda_device_available(why)) {
    std::fprintf(stderr, "SKIP: %s\n", why.c_str());
    std::exit(77);
  }
}
