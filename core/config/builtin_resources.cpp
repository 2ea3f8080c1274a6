#include "core/config/builtin_resources.h"

#include <cstdlib>
#include <vector>

#include "core/util/error.h"

#ifndef AUTOQVIS_SOURCE_RESOURCES
#define AUTOQVIS_SOURCE_RESOURCES ""
#endif

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> resourceFolders() {
  std::vector<fs::path> folders;
  if (const char* env = std::getenv("AUTOQVIS_RESOURCES"); env && *env) folders.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) folders.push_back(exe.parent_path().parent_path() / "share" / "autoqvis");
  if (*AUTOQVIS_SOURCE_RESOURCES) folders.emplace_back(AUTOQVIS_SOURCE_RESOURCES);
  return folders;
}

}  // namespace

bool isBuiltinPath(const std::string& text) { return text.rfind(kBuiltinPrefix, 0) == 0; }

fs::path builtinResource(const std::string& text) {
  const fs::path relative = text.substr(std::string(kBuiltinPrefix).size());
  std::string searched;
  for (const fs::path& folder : resourceFolders()) {
    if (fs::is_regular_file(folder / relative)) return folder / relative;
    searched += (searched.empty() ? "" : ", ") + folder.string();
  }
  throw Error("no shipped file " + relative.string() + " (searched " + searched +
                  "; set AUTOQVIS_RESOURCES to the resources folder)",
              inFile(text));
}

}  // namespace autoqvis
