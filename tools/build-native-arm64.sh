#!/bin/sh
# Cross-builds the native core for linux-arm64 into artifacts/native-linux-arm64 (or $1), for the
# module package (build.ps1 -Package) and CI; `pwsh ./build.ps1` builds the host's only.
# Needs gcc-aarch64-linux-gnu and libseccomp-dev:arm64, libnftables-dev:arm64
# (tools/install-prerequisites.sh installs them).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/artifacts/native-linux-arm64}
cmake -S "$repo/src/Runtime/native" -B "$out" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$repo/src/Runtime/native/toolchains/linux-arm64.cmake" >/dev/null
cmake --build "$out" -j 2 >/dev/null
echo "$out"
