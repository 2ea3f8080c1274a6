// Turns CUDA autocast (mixed precision) on or off for a scope, restoring the previous state after, with
// the API of whichever LibTorch we are built against (1.13's global switch, 2.x's per-device one).
#pragma once

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace autoqvis {

class CudaAutocastGuard {
 public:
  explicit CudaAutocastGuard(bool enabled) : previous_(isEnabled()) { setEnabled(enabled); }
  ~CudaAutocastGuard() {
    setEnabled(previous_);
    if (!previous_) at::autocast::clear_cache();
  }
  CudaAutocastGuard(const CudaAutocastGuard&) = delete;
  CudaAutocastGuard& operator=(const CudaAutocastGuard&) = delete;

 private:
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  static bool isEnabled() { return at::autocast::is_autocast_enabled(at::kCUDA); }
  static void setEnabled(bool on) { at::autocast::set_autocast_enabled(at::kCUDA, on); }
#else
  static bool isEnabled() { return at::autocast::is_enabled(); }
  static void setEnabled(bool on) { at::autocast::set_enabled(on); }
#endif
  bool previous_;
};

}  // namespace autoqvis
