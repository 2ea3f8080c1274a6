#include "core/util/version.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}
#include <opencv2/core/version.hpp>
#include <sstream>

#include "core/util/blas_info.h"
#include "core/util/torch_runtime.h"
#include "core/util/version_config.h"

namespace autoqvis {

std::string versionString() { return AUTOQVIS_VERSION_STRING; }

std::string buildReport() {
  const TorchRuntimeInfo torch = torchRuntimeInfo();
  std::ostringstream out;
  out << "autoqvis " << versionString() << "\n";
  out << "LibTorch " << torch.version << ", "
      << (torch.cuda_available ? "CUDA with " + std::to_string(torch.cuda_devices) + " device(s)" : "CPU only")
      << ", " << torch.intra_op_threads << " intra-op threads\n";
  out << "OpenCV " << CV_VERSION << ", FFmpeg libavformat " << LIBAVFORMAT_IDENT << ", " << LIBAVCODEC_IDENT << "\n";
  out << "BLAS: " << describeBlas(detectBlas()) << "\n";
  return out.str();
}

}  // namespace autoqvis
