#include "core/util/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/util/error.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

fs::path uniqueTempName(const fs::path& target) {
  static std::atomic<unsigned> counter{0};
  std::ostringstream name;
  name << "." << target.filename().string() << ".tmp-" << ::getpid() << "-" << counter++;
  return target.parent_path() / name.str();
}

// fsync so that the rename cannot be persisted before the data (ext4 delayed allocation).
void syncFile(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw Error(std::string("cannot reopen for sync: ") + std::strerror(errno), inFile(path.string()));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw Error(std::string("fsync failed: ") + std::strerror(errno), inFile(path.string()));
}

// The rename itself is durable only once the directory entry is on disk. Best effort: some file
// systems cannot sync directories, and the data is already safe at this point.
void syncDirectory(const fs::path& directory) {
  int fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

AtomicFile::AtomicFile(fs::path target) : target_(std::move(target)) {
  std::error_code ec;
  if (target_.has_parent_path()) fs::create_directories(target_.parent_path(), ec);
  if (ec) throw Error("cannot create directory: " + ec.message(), inFile(target_.parent_path().string()));
  temp_ = uniqueTempName(target_);
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove(temp_, ignored);
  }
}

void AtomicFile::commit() {
  if (!fs::exists(temp_)) throw Error("nothing was written to the temporary file", inFile(target_.string()));
  syncFile(temp_);
  std::error_code ec;
  fs::rename(temp_, target_, ec);
  if (ec) throw Error("cannot rename temporary file into place: " + ec.message(), inFile(target_.string()));
  committed_ = true;
  syncDirectory(target_.parent_path());
}

void writeFileAtomically(const fs::path& path, std::string_view bytes) {
  AtomicFile file(path);
  {
    std::ofstream out(file.tempPath(), std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot open for writing", inFile(file.tempPath().string()));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (out.fail()) throw Error("write failed (disk full?)", inFile(path.string()));
  }
  file.commit();
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(fs::exists(path) ? "cannot open for reading" : "file does not exist", inFile(path.string()));
  }
  std::string bytes;
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size < 0) throw Error("cannot determine file size", inFile(path.string()));
  bytes.resize(static_cast<size_t>(size));
  in.seekg(0, std::ios::beg);
  in.read(bytes.data(), size);
  if (!in) throw Error("read failed", inFile(path.string()));
  return bytes;
}

void copyFileAtomically(const fs::path& from, const fs::path& to) { writeFileAtomically(to, readFile(from)); }

}  // namespace autoqvis
