// Files that ship with autoqvis (resources/ in the source tree, share/autoqvis/ when installed), named in
// a config as "builtin:RELATIVE/PATH" -- e.g. the demo's `data.initial_weights:
// builtin:toy_videocutler/toy_videocutler_r50.pth`, the shipped toy VideoCutLER.
#pragma once

#include <filesystem>
#include <string>

namespace autoqvis {

inline constexpr const char* kBuiltinPrefix = "builtin:";

bool isBuiltinPath(const std::string& text);
/// The shipped file a "builtin:" path names: $AUTOQVIS_RESOURCES first, then share/autoqvis beside the
/// installed executable, then the source tree this binary was built from. Throws Error naming the path
/// and the folders searched when none holds it.
std::filesystem::path builtinResource(const std::string& text);

}  // namespace autoqvis
