#include "core/util/blas_info.h"

#include <dlfcn.h>
#include <link.h>

#include <filesystem>
#include <vector>

namespace autoqvis {
namespace {

std::vector<std::string> loadedLibraries() {
  std::vector<std::string> names;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        if (info->dlpi_name && info->dlpi_name[0]) static_cast<std::vector<std::string>*>(data)->push_back(info->dlpi_name);
        return 0;
      },
      &names);
  return names;
}

std::string resolve(const std::string& path) {
  std::error_code ec;
  auto canonical = std::filesystem::canonical(path, ec);
  return ec ? path : canonical.string();
}

bool contains(const std::string& text, const char* needle) { return text.find(needle) != std::string::npos; }

void classify(BlasInfo& info) {
  const std::string& p = info.path;
  if (contains(p, "openblas")) {
    info.name = "OpenBLAS";
  } else if (contains(p, "blis")) {
    info.name = "BLIS";
  } else if (contains(p, "mkl")) {
    info.name = "MKL";
  } else if (contains(p, "atlas")) {
    info.name = "ATLAS";
  } else if (contains(p, "/blas/libblas")) {
    info.name = "reference BLAS";
  } else {
    info.name = "unknown";
  }
  info.optimized = info.name != "reference BLAS" && info.name != "unknown";
}

// OpenBLAS reports its version and the kernel it picked; worth showing when debugging speed.
void queryOpenBlasConfig(BlasInfo& info, void* handle) {
  using ConfigFn = char* (*)();
  auto fn = reinterpret_cast<ConfigFn>(dlsym(handle, "openblas_get_config"));
  if (fn) info.detail = fn();
}

}  // namespace

BlasInfo detectBlas() {
  BlasInfo info;
  for (const auto& name : loadedLibraries()) {
    auto file = std::filesystem::path(name).filename().string();
    if (contains(file, "blas") && !contains(file, "cublas")) {
      info.path = resolve(name);
      info.loaded = true;
      break;
    }
  }
  void* handle = nullptr;
  if (info.loaded) {
    handle = dlopen(info.path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
  } else {
    handle = dlopen("libblas.so.3", RTLD_LAZY | RTLD_LOCAL);
    if (handle) {
      link_map* map = nullptr;
      if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name) info.path = resolve(map->l_name);
    }
  }
  if (info.path.empty()) {
    info.name = "none found";
    return info;
  }
  classify(info);
  if (handle) {
    queryOpenBlasConfig(info, handle);
    dlclose(handle);
  }
  return info;
}

std::string describeBlas(const BlasInfo& info) {
  std::string text = info.name;
  if (!info.detail.empty()) text += " [" + info.detail + "]";
  if (!info.path.empty()) text += " (" + info.path + (info.loaded ? "" : ", not loaded yet") + ")";
  if (!info.optimized) text += " -- slow: install libopenblas0-openmp (packaging/install-deps.sh)";
  return text;
}

}  // namespace autoqvis
