#!/usr/bin/env bash
# Static checks of docker/Dockerfile (no Docker daemon in CI, and no Dockerfile linter in
# Debian's archive): every path COPY takes from the build context exists, the image is
# multi-stage with a devel build stage and a runtime stage, CUDA_ARCHITECTURES is a build
# argument covering Ampere and Hopper, the entrypoint is gtzan, and it installs the package
# list .ci/run installs.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
df="$root/docker/Dockerfile"
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -f "$df" ] || fail "no docker/Dockerfile"
# COPY sources from the context (not --from=stage copies).
grep -E '^COPY ' "$df" | grep -v -- '--from=' | while read -r _ rest; do
  read -r -a parts <<< "$rest"
  n=${#parts[@]}
  for ((i = 0; i < n - 1; i++)); do
    [ -e "$root/${parts[$i]}" ] || fail "COPY source '${parts[$i]}' does not exist"
  done
done
[ "$(grep -cE '^FROM ' "$df")" -ge 2 ] || fail "not multi-stage"
grep -qE '^FROM .*devel.* AS build' "$df" || fail "no devel build stage"
grep -qE '^FROM .*runtime' "$df" || fail "no runtime stage"
grep -qE '^ARG CUDA_ARCHITECTURES=.*80.*90' "$df" || fail "CUDA_ARCHITECTURES must cover 80 (Ampere) and 90 (Hopper)"
grep -q 'CMAKE_CUDA_ARCHITECTURES="${CUDA_ARCHITECTURES}"' "$df" || fail "CUDA_ARCHITECTURES not passed to CMake"
grep -qE '^ENTRYPOINT \["gtzan"\]' "$df" || fail "entrypoint is not gtzan"
grep -q 'install_packages.sh' "$df" || fail "does not install debian-packages.txt like .ci/run"
grep -q 'install_packages.sh' "$root/.ci/run" || fail ".ci/run does not use install_packages.sh"
echo "check_dockerfile: all checks passed"
