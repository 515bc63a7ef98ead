#!/usr/bin/env bash
# Installs what ropecert needs from Debian 12 packages (only the missing ones)
# and builds it into build/. Safe to run again: a second run installs nothing
# and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  build-essential cmake pkg-config
  libflint-arb-dev libflint-dev libmpfr-dev libgmp-dev libmpfi-dev libboost-dev
  catch2 libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
  libsleef3
  python3 python3-mpmath python3-numpy
)
packages+=(${ROPECERT_EXTRA_PACKAGES:-})

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${ROPECERT_CMAKE_ARGS:-} >/dev/null
cmake --build build -j "$(nproc)"
