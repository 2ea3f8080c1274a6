// The device a model runs on, from the runtime.device option ("auto", "cpu", "cuda").
#pragma once

#include <c10/core/Device.h>

#include <string>

namespace autoqvis {

/// "auto" picks CUDA when LibTorch sees a GPU, else the CPU; "cuda" without a GPU is an Error.
c10::Device selectDevice(const std::string& choice);

}  // namespace autoqvis
