#!/usr/bin/env bash
# Installs the Debian 12 packages AutoQ-VIS Studio needs to build, test and run.
# Idempotent: packages already installed are skipped, so a second run does nothing.
#   packaging/install-deps.sh           build + run dependencies (GUI included)
#   packaging/install-deps.sh --test    the same plus what the test suite uses
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libtorch-dev            # LibTorch 1.13 (CPU); a CUDA LibTorch 2.x can be used instead via CMAKE_PREFIX_PATH
  libopenblas0-openmp     # Debian's LibTorch calls libblas.so.3: without this it is the slow reference BLAS
  libopencv-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
  libyaml-cpp-dev nlohmann-json3-dev
  qt6-base-dev libqcustomplot-dev
  libgl-dev               # Qt6Gui's CMake config looks for OpenGL headers
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(xvfb xauth)  # GUI screenshots under a virtual display (tests themselves use offscreen)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
else
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Make sure the system libblas.so.3 points at OpenBLAS, not the reference BLAS.
blas=$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | awk '/^Value:/{print $2}')
echo "install-deps: libblas.so.3 -> ${blas:-unknown}"
