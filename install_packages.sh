#!/usr/bin/env bash
# Installs the Debian packages in debian-packages.txt that are missing (as root), or prints
# the exact apt-get line to run (as another user). Exit status 1 when something is missing
# and could not be installed.
set -euo pipefail
cd "$(dirname "$0")"
mapfile -t wanted < <(grep -v '^\s*#' debian-packages.txt | grep -v '^\s*$')
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_packages: all ${#wanted[@]} Debian packages present"
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "install_packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install_packages: missing packages; run as root:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
