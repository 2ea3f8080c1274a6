// SHA-256 (FIPS 180-4) of a byte string or a file, as lowercase hex: the checksum a shipped model's
// sidecar records, so a user can tell the file they have is the one that was measured.
#pragma once

#include <filesystem>
#include <string>

namespace autoqvis {

std::string sha256Hex(const std::string& bytes);
/// Reads the file in chunks; throws Error naming it when it cannot be read.
std::string sha256OfFile(const std::filesystem::path& path);

}  // namespace autoqvis
