// Which BLAS the process uses. Debian's LibTorch calls the system libblas.so.3, which is the slow
// reference BLAS unless an optimised one (OpenBLAS) is selected through update-alternatives; the
// difference is more than 10x on the model's forward pass, so the app says it at start-up.
#pragma once

#include <string>

namespace autoqvis {

struct BlasInfo {
  std::string name;      ///< "OpenBLAS", "BLIS", "MKL", "reference BLAS" or "unknown"
  std::string detail;    ///< e.g. OpenBLAS's own config string
  std::string path;      ///< resolved path of the loaded library (symlinks followed)
  bool optimized = false;
  bool loaded = false;   ///< false when no BLAS is loaded and `path` is what libblas.so.3 would give
};

BlasInfo detectBlas();
/// One line for logs and --version, e.g. "OpenBLAS 0.3.21 (/usr/lib/.../openblas-openmp/libblas.so.3)".
std::string describeBlas(const BlasInfo& info);

}  // namespace autoqvis
