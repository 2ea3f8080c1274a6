// Atomic file writes: content goes to a temporary file in the same directory, is flushed to disk and
// then renamed over the target, so a crash or a full disk never leaves a half-written result behind.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace autoqvis {

/// Writes `bytes` to `path` atomically. Creates missing parent directories. Throws Error on failure,
/// in which case an existing file at `path` is left untouched.
void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

/// RAII form for writers that stream: write into tempPath(), then commit(). Without commit() the
/// temporary file is removed in the destructor and the target is untouched.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::filesystem::path& tempPath() const { return temp_; }
  const std::filesystem::path& target() const { return target_; }
  /// Flushes the temporary file to disk and renames it over the target.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool committed_ = false;
};

/// Reads a whole file; throws Error naming the file if it cannot be read.
std::string readFile(const std::filesystem::path& path);
/// Copies a file so that `to` is either its old content or the whole copy, never half of it.
void copyFileAtomically(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace autoqvis
