// Test helper for the viewer: writes a tiny YouTube-VIS dataset (two videos of PNG frames with
// rectangle masks) and a matching results file into a folder, so that tests open real files.
#pragma once

#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "core/video/image_io.h"
#include "core/dataset/rle.h"
#include "core/dataset/ytvis_json.h"
#include "widgets/document/viewer_document.h"

namespace autoqvis::testing {

struct ViewerFixture {
  static constexpr int kWidth = 64;
  static constexpr int kHeight = 48;
  static constexpr int kFrames = 12;
  std::filesystem::path dataset;  ///< <root>/videos.json
  std::filesystem::path frames;   ///< <root>/JPEGImages
  std::filesystem::path results;  ///< <root>/results.json
};

/// The rectangle of track `track` (0 or 1) at `frame`: it moves right one pixel per frame.
inline cv::Rect fixtureBox(int track, int frame) {
  return cv::Rect(4 + frame + 20 * track, 6 + 10 * track, 12, 10);
}

inline CompressedRle fixtureMask(int track, int frame) {
  cv::Mat mask = cv::Mat::zeros(ViewerFixture::kHeight, ViewerFixture::kWidth, CV_8U);
  mask(fixtureBox(track, frame)).setTo(1);
  return compress(rleEncode(mask.data, mask.rows, mask.cols));
}

/// Video 1 "clip_a" has two tracks (ids 1 and 2; track 2 is absent on frames 4..6), video 2
/// "clip_b" has none. Frames are PNG so that pixel values survive exactly.
inline ViewerFixture writeViewerFixture(const std::filesystem::path& root) {
  ViewerFixture fixture;
  fixture.dataset = root / "videos.json";
  fixture.frames = root / "JPEGImages";
  fixture.results = root / "results.json";
  YtvisDataset dataset;
  std::vector<YtvisTrack> results;
  for (int v = 0; v < 2; ++v) {
    YtvisVideo video;
    video.id = v + 1;
    video.width = ViewerFixture::kWidth;
    video.height = ViewerFixture::kHeight;
    const std::string name = v == 0 ? "clip_a" : "clip_b";
    for (int f = 0; f < ViewerFixture::kFrames; ++f) {
      const std::string file = name + "/" + std::to_string(10000 + f).substr(1) + ".png";
      cv::Mat image(ViewerFixture::kHeight, ViewerFixture::kWidth, CV_8UC3, cv::Scalar(10 * f, 100, 200));
      std::filesystem::create_directories(fixture.frames / name);
      writeImageRgb(fixture.frames / file, image);
      video.file_names.push_back(file);
    }
    dataset.videos.push_back(video);
  }
  for (int t = 0; t < 2; ++t) {
    YtvisTrack track;
    track.id = t + 1;
    track.video_id = 1;
    std::vector<std::optional<double>> quality;
    for (int f = 0; f < ViewerFixture::kFrames; ++f) {
      const bool present = !(t == 1 && f >= 4 && f <= 6);
      track.segmentations.push_back(present ? std::optional<CompressedRle>(fixtureMask(t, f)) : std::nullopt);
      quality.push_back(present ? std::optional<double>(0.5 + 0.04 * f) : std::nullopt);
    }
    track.computeAreasAndBoxes();
    YtvisTrack result = track;
    result.id = 0;
    result.score = 0.9 - 0.2 * t;
    result.frame_values["quality"] = quality;
    result.frame_values["pred_iou"] = quality;
    dataset.annotations.push_back(track);
    results.push_back(result);
  }
  dataset.reindex();
  saveYtvisDataset(dataset, fixture.dataset);
  saveYtvisResults(results, fixture.results);
  return fixture;
}

/// Opens the fixture's dataset with its results, as the viewer does.
inline std::shared_ptr<const widgets::ViewerDocument> openViewerFixture(const ViewerFixture& fixture) {
  widgets::OpenRequest request;
  request.dataset = fixture.dataset;
  request.results = fixture.results;
  return widgets::loadViewerDocument(request);
}

}  // namespace autoqvis::testing
