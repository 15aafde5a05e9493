#!/usr/bin/env bash
# Installs the Debian packages that are missing (as root; else prints the apt-get line), builds
# (if needed) and runs the whole test suite with ctest. Every file the tests read is in the
# repository. GPU tests report SKIPPED (with the reason) on machines without a GPU.
set -euo pipefail
cd "$(dirname "$0")"
./install_packages.sh
./build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 600
