#include "core/util/torch_device.h"

#include <torch/torch.h>

#include "core/util/error.h"

namespace autoqvis {

c10::Device selectDevice(const std::string& choice) {
  if (choice == "cpu") return torch::kCPU;
  if (choice == "cuda") {
    if (!torch::cuda::is_available()) {
      throw Error("runtime.device is \"cuda\" but LibTorch sees no CUDA device (a CPU-only LibTorch, or no GPU)");
    }
    return torch::kCUDA;
  }
  if (choice == "auto") return torch::cuda::is_available() ? c10::Device(torch::kCUDA) : c10::Device(torch::kCPU);
  throw Error("runtime.device must be auto, cpu or cuda, got \"" + choice + "\"");
}

}  // namespace autoqvis
