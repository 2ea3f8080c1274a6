#include "core/video/image_io.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace autoqvis {

cv::Mat readImageRgb(const std::filesystem::path& path) {
  // Decode from memory so that "missing" and "corrupt" can be told apart in the message.
  const std::string bytes = readFile(path);
  if (bytes.empty()) throw Error("image file is empty", inFile(path.string()));
  cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
  cv::Mat bgr;
  try {
    bgr = cv::imdecode(encoded, cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    throw Error(std::string("cannot decode image: ") + e.what(), inFile(path.string()));
  }
  if (bgr.empty()) throw Error("cannot decode image (corrupt or not an image)", inFile(path.string()));
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  return rgb;
}

void writeImageRgb(const std::filesystem::path& path, const cv::Mat& image, int jpeg_quality) {
  if (image.empty() || image.depth() != CV_8U || (image.channels() != 3 && image.channels() != 1)) {
    throw Error("can only write non-empty 8-bit RGB or grey images", inFile(path.string()));
  }
  cv::Mat out = image;
  if (image.channels() == 3) cv::cvtColor(image, out, cv::COLOR_RGB2BGR);
  std::string ext = path.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::vector<int> params;
  if (ext == ".jpg" || ext == ".jpeg") params = {cv::IMWRITE_JPEG_QUALITY, jpeg_quality};
  std::vector<uchar> bytes;
  bool ok = false;
  try {
    ok = cv::imencode(ext, out, bytes, params);
  } catch (const cv::Exception& e) {
    throw Error(std::string("cannot encode image: ") + e.what(), inFile(path.string()));
  }
  if (!ok) throw Error("cannot encode image as " + ext, inFile(path.string()));
  writeFileAtomically(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace autoqvis
