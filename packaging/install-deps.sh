#!/usr/bin/env bash
# Installs the Debian 12 packages AutoQ-VIS Studio needs to build, test and run.
# Idempotent: packages already installed are skipped, so a second run changes nothing.
# Runs as root, or through sudo otherwise.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libtorch-dev            # LibTorch 1.13 (CPU); a CUDA LibTorch 2.x can be used instead via CMAKE_PREFIX_PATH
  libgloo-dev             # headers of LibTorch's Gloo process group: data-parallel training on CPU
  libopenblas0-openmp     # Debian's LibTorch calls libblas.so.3: without this it is the slow reference BLAS
  libopencv-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
  libyaml-cpp-dev nlohmann-json3-dev
  qt6-base-dev libqcustomplot-dev
  libpng-dev              # DAVIS palette PNG export
  libgl-dev               # Qt6Gui's CMake config looks for OpenGL headers
)

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

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
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Make sure the system libblas.so.3 points at OpenBLAS, not the reference BLAS.
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
blas=$(update-alternatives --query "libblas.so.3-${arch}" 2>/dev/null | awk '/^Value:/{print $2}')
if [[ "$blas" != *openblas* ]]; then
  openblas=$(update-alternatives --list "libblas.so.3-${arch}" 2>/dev/null | grep openblas | head -n1 || true)
  if [[ -n "$openblas" ]]; then
    "${sudo_cmd[@]}" update-alternatives --set "libblas.so.3-${arch}" "$openblas"
    blas=$openblas
  fi
fi
echo "install-deps: libblas.so.3 -> ${blas:-unknown}"
