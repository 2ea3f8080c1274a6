// Facts about the LibTorch runtime for --version, the status bar and logs, and the one place that
// sets LibTorch's thread count. Kept in its own file so torch headers stay out of everything else.
#pragma once

#include <string>

namespace autoqvis {

struct TorchRuntimeInfo {
  std::string version;     ///< LibTorch version, e.g. "1.13.1"
  bool cuda_available = false;
  int cuda_devices = 0;
  int intra_op_threads = 0;
};

TorchRuntimeInfo torchRuntimeInfo();
/// Sets LibTorch's intra-op thread count; 0 = one per hardware thread.
void setTorchThreads(int threads);

}  // namespace autoqvis
