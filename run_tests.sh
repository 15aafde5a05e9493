#!/usr/bin/env bash
# Builds (if needed) and runs the whole test suite with ctest. GPU tests report SKIPPED
# (with the reason) on machines without a GPU.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 600
