// Reading and writing single images (JPEG/PNG) through OpenCV, in RGB order (the model's order),
// with errors that name the file and atomic writes.
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>

namespace autoqvis {

/// Reads an image as 8-bit RGB (3 channels). Throws Error for a missing, unreadable or corrupt file.
cv::Mat readImageRgb(const std::filesystem::path& path);
/// Writes an 8-bit RGB (or single-channel) image; the format follows the extension (.jpg, .png).
/// `jpeg_quality` applies to JPEG only. Atomic: a failure leaves an existing file untouched.
void writeImageRgb(const std::filesystem::path& path, const cv::Mat& image, int jpeg_quality = 95);

}  // namespace autoqvis
