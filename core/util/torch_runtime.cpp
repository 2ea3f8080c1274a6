#include "core/util/torch_runtime.h"

#include <torch/cuda.h>
#include <torch/version.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <thread>

namespace autoqvis {

TorchRuntimeInfo torchRuntimeInfo() {
  TorchRuntimeInfo info;
  info.version = TORCH_VERSION;
  info.cuda_available = torch::cuda::is_available();
  info.cuda_devices = info.cuda_available ? static_cast<int>(torch::cuda::device_count()) : 0;
  info.intra_op_threads = at::get_num_threads();
  return info;
}

void setTorchThreads(int threads) {
  // Debian's LibTorch starts with a single intra-op thread; 0 means "all cores", so say so explicitly.
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
}

}  // namespace autoqvis
