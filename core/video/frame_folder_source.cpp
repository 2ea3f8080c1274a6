#include "core/video/frame_folder_source.h"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "core/video/image_io.h"
#include "core/util/error.h"

namespace autoqvis {

namespace {

ErrorContext atFrame(const std::filesystem::path& file, int index) {
  ErrorContext context = inFile(file.string());
  context.frame = index;
  return context;
}

// Hidden files are skipped: macOS leaves "._00001.jpg" resource forks next to real frames.
bool isImageFile(const std::filesystem::path& path) {
  if (path.filename().string().rfind('.', 0) == 0) return false;
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

}  // namespace

bool naturalLess(const std::string& a, const std::string& b) {
  auto is_digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      // Compare digit runs by value without parsing (runs may exceed any integer type): skip leading
      // zeros, then the longer run is larger, then the first differing digit decides.
      size_t ai = i, bj = j;
      while (ai < a.size() && a[ai] == '0') ++ai;
      while (bj < b.size() && b[bj] == '0') ++bj;
      size_t ae = ai, be = bj;
      while (ae < a.size() && is_digit(a[ae])) ++ae;
      while (be < b.size() && is_digit(b[be])) ++be;
      if (ae - ai != be - bj) return ae - ai < be - bj;
      for (; ai < ae; ++ai, ++bj) {
        if (a[ai] != b[bj]) return a[ai] < b[bj];
      }
      // Equal values: fewer leading zeros first, so the order stays total ("1" < "01").
      if (ae - i != be - j) return ae - i < be - j;
      i = ae;
      j = be;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

std::vector<std::filesystem::path> FrameFolderSource::listFrames(const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error);
  if (error) throw Error("cannot list frame folder: " + error.message(), inFile(directory.string()));
  std::vector<std::filesystem::path> files;
  for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (error) throw Error("cannot list frame folder: " + error.message(), inFile(directory.string()));
    if (it->is_regular_file(error) && isImageFile(it->path())) files.push_back(it->path());
  }
  if (files.empty())
    throw Error("frame folder holds no .jpg, .jpeg or .png files", inFile(directory.string()));
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return naturalLess(a.filename().string(), b.filename().string());
  });
  return files;
}

FrameFolderSource::FrameFolderSource(std::vector<std::filesystem::path> files, double fps)
    : files_(std::move(files)), fps_(fps) {
  if (files_.empty()) throw Error("a frame list needs at least one file");
  path_ = files_.front().parent_path().string();
  if (!(fps_ > 0))
    throw Error("frame folder fps must be positive, got " + std::to_string(fps_), inFile(path_));
  size_ = frame(0).size();
}

cv::Mat FrameFolderSource::frame(int index) {
  if (index < 0 || index >= frameCount()) {
    ErrorContext context = inFile(path_);
    context.frame = index;
    throw Error("frame index out of range [0, " + std::to_string(frameCount()) + ")", context);
  }
  const std::filesystem::path& file = files_[index];
  cv::Mat image;
  try {
    image = readImageRgb(file);
  } catch (const Error& e) {
    throw e.withContext(atFrame(file, index));
  }
  // size_ is still empty while the constructor reads frame 0.
  if (!size_.empty() && image.size() != size_) {
    throw Error("frame is " + std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                    " but frame 0 is " + std::to_string(size_.width) + "x" + std::to_string(size_.height),
                atFrame(file, index));
  }
  return image;
}

}  // namespace autoqvis
