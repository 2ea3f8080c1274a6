// Version and build facts shown by `autoqvis --version`, at start-up and in the GUI's About box.
#pragma once

#include <string>

namespace autoqvis {

std::string versionString();
/// Multi-line report: version, LibTorch (and CUDA devices), OpenCV, FFmpeg, the BLAS in use.
std::string buildReport();

}  // namespace autoqvis
