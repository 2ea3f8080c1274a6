// Tests of the toy world generator: determinism, masks that agree with the drawn pixels, pseudo-mask error
// rates, video dynamics, and the written layout loading through the dataset readers.
#include <QtTest>

#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "core/toyworld/toy_world.h"
#include "core/toyworld/toy_world_writer.h"
#include "core/dataset/coco_json.h"
#include "core/video/image_io.h"
#include "core/dataset/ytvis_json.h"
#include "core/util/atomic_file.h"
#include "core/util/log.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

ToyWorldOptions smallOptions() {
  ToyWorldOptions o;
  o.num_images = 6;
  o.image_width = 96;
  o.image_height = 72;
  o.num_unlabeled_videos = 3;
  o.num_val_videos = 2;
  o.video_frames = 6;
  o.video_width = 96;
  o.video_height = 72;
  return o;
}

bool sameMat(const cv::Mat& a, const cv::Mat& b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  if (a.size() != b.size() || a.type() != b.type()) return false;
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  return cv::countNonZero(diff.reshape(1)) == 0;
}

bool sameStill(const ToyStill& a, const ToyStill& b) {
  if (!sameMat(a.image, b.image) || !sameMat(a.ids, b.ids)) return false;
  if (a.true_masks.size() != b.true_masks.size() || a.pseudo_masks.size() != b.pseudo_masks.size())
    return false;
  for (size_t k = 0; k < a.true_masks.size(); ++k) {
    if (!sameMat(a.true_masks[k], b.true_masks[k])) return false;
  }
  for (size_t k = 0; k < a.pseudo_masks.size(); ++k) {
    if (!sameMat(a.pseudo_masks[k].mask, b.pseudo_masks[k].mask)) return false;
    if (a.pseudo_masks[k].kind != b.pseudo_masks[k].kind) return false;
  }
  return a.missed == b.missed;
}

bool sameVideo(const ToyVideo& a, const ToyVideo& b) {
  if (a.frames.size() != b.frames.size() || a.tracks.size() != b.tracks.size()) return false;
  for (size_t f = 0; f < a.frames.size(); ++f) {
    if (!sameMat(a.frames[f], b.frames[f]) || !sameMat(a.ids[f], b.ids[f])) return false;
  }
  for (size_t k = 0; k < a.tracks.size(); ++k) {
    for (size_t f = 0; f < a.frames.size(); ++f) {
      if (!sameMat(a.tracks[k].masks[f], b.tracks[k].masks[f])) return false;
    }
  }
  return true;
}

// Every pixel of a FlatIds image must have exactly the colour of the id drawn there.
bool imageMatchesIds(const cv::Mat& image, const cv::Mat& ids) {
  for (int y = 0; y < ids.rows; ++y) {
    for (int x = 0; x < ids.cols; ++x) {
      if (image.at<cv::Vec3b>(y, x) != flatIdColour(ids.at<uint8_t>(y, x))) return false;
    }
  }
  return true;
}

double iou(const cv::Mat& a, const cv::Mat& b) {
  const int inter = cv::countNonZero(a & b), uni = cv::countNonZero(a | b);
  return uni == 0 ? 0.0 : static_cast<double>(inter) / uni;
}

cv::Point2d centroid(const cv::Mat& mask) {
  const cv::Moments m = cv::moments(mask, true);
  return {m.m10 / m.m00, m.m01 / m.m00};
}

// Mean colour distance between the pixels just inside and just outside a mask.
double edgeContrast(const cv::Mat& image, const cv::Mat& mask) {
  const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 7));
  cv::Mat inner, outer;
  cv::erode(mask, inner, kernel);
  cv::dilate(mask, outer, kernel);
  outer = outer & ~mask & 1;
  if (cv::countNonZero(inner) == 0 || cv::countNonZero(outer) == 0) return -1;
  const cv::Scalar a = cv::mean(image, inner), b = cv::mean(image, outer);
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                   (a[2] - b[2]) * (a[2] - b[2]));
}

std::string readAll(const fs::path& path) { return readFile(path); }

}  // namespace

class TestToyWorld : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { setLogLevel(LogLevel::Warning); }

  void generationIsDeterministic() {
    const ToyWorldOptions o = smallOptions();
    QVERIFY(sameStill(generateToyStill(o, 4), generateToyStill(o, 4)));
    QVERIFY(sameVideo(generateToyVideo(o, ToySplit::Val, 1), generateToyVideo(o, ToySplit::Val, 1)));
    ToyWorldOptions other = o;
    other.seed = o.seed + 1;
    QVERIFY(!sameStill(generateToyStill(o, 4), generateToyStill(other, 4)));
    QVERIFY(!sameVideo(generateToyVideo(o, ToySplit::Val, 1), generateToyVideo(other, ToySplit::Val, 1)));
    // Items are independent of each other and the splits never share a video.
    QVERIFY(!sameStill(generateToyStill(o, 4), generateToyStill(o, 5)));
    QVERIFY(!sameVideo(generateToyVideo(o, ToySplit::Unlabeled, 1), generateToyVideo(o, ToySplit::Val, 1)));
  }

  void stillMasksMatchDrawnPixels() {
    const ToyWorldOptions o = smallOptions();
    int contrasted = 0, measured = 0;
    for (int i = 0; i < 16; ++i) {
      const ToyStill textured = generateToyStill(o, i);
      const ToyStill flat = generateToyStill(o, i, ToyRenderMode::FlatIds);
      // Same geometry and pseudo-masks in both modes: the flat pixels vouch for the textured item's masks.
      QVERIFY(sameMat(textured.ids, flat.ids));
      QCOMPARE(textured.pseudo_masks.size(), flat.pseudo_masks.size());
      QVERIFY(imageMatchesIds(flat.image, flat.ids));
      QVERIFY(!textured.true_masks.empty());
      cv::Mat coverage(flat.ids.size(), CV_8U, cv::Scalar(0));
      for (size_t k = 0; k < flat.true_masks.size(); ++k) {
        const cv::Mat& mask = flat.true_masks[k];
        QVERIFY(cv::countNonZero(mask) >= o.min_visible_px);
        cv::Mat painted = flat.ids == static_cast<int>(k + 1);
        QVERIFY(sameMat(mask, painted & 1));
        coverage += mask;
        const double contrast = edgeContrast(textured.image, textured.true_masks[k]);
        if (contrast >= 0) {
          ++measured;
          contrasted += contrast > 12;
        }
      }
      double max_cover = 0;
      cv::minMaxLoc(coverage, nullptr, &max_cover);
      QVERIFY(max_cover <= 1);                                           // disjoint
      QCOMPARE(cv::countNonZero(coverage), cv::countNonZero(flat.ids));  // and cover every drawn pixel
    }
    // Contrast varies on purpose, but most objects must stand out from their surroundings.
    QVERIFY2(contrasted >= 0.7 * measured, qPrintable(QString("%1 of %2").arg(contrasted).arg(measured)));
  }

  void videoMasksMatchDrawnPixels() {
    const ToyWorldOptions o = smallOptions();
    for (int v = 0; v < 3; ++v) {
      const ToyVideo textured = generateToyVideo(o, ToySplit::Unlabeled, v);
      const ToyVideo flat = generateToyVideo(o, ToySplit::Unlabeled, v, ToyRenderMode::FlatIds);
      QCOMPARE(static_cast<int>(flat.frames.size()), o.video_frames);
      for (int f = 0; f < o.video_frames; ++f) {
        QVERIFY(sameMat(textured.ids[f], flat.ids[f]));
        QVERIFY(imageMatchesIds(flat.frames[f], flat.ids[f]));
        for (const ToyTrack& track : flat.tracks) {
          const cv::Mat painted = flat.ids[f] == track.id;
          QCOMPARE(track.visible_areas[f], cv::countNonZero(painted));
          QVERIFY(track.visible_areas[f] <= track.unoccluded_areas[f]);
          QVERIFY(track.unoccluded_areas[f] <= track.full_areas[f]);
          if (track.visible_areas[f] >= o.min_visible_px)
            QVERIFY(sameMat(track.masks[f], painted & 1));
          else
            QVERIFY(track.masks[f].empty());
        }
      }
    }
  }

  void pseudoMaskErrorsFollowRates() {
    ToyWorldOptions o = smallOptions();
    o.image_width = 80;
    o.image_height = 60;
    o.min_objects_per_image = 2;
    o.touching_pair_prob = 0.6;
    o.pseudo_miss_prob = 0.2;
    o.pseudo_boundary_prob = 0.4;
    o.pseudo_merge_prob = 0.5;
    o.pseudo_spurious_prob = 0.3;
    const int n = 200;
    int objects = 0, missed = 0, singles = 0, boundary = 0, merged = 0, spurious = 0;
    for (int i = 0; i < n; ++i) {
      const ToyStill s = generateToyStill(o, i);
      objects += static_cast<int>(s.true_masks.size());
      missed += static_cast<int>(s.missed.size());
      for (const ToyPseudoMask& p : s.pseudo_masks) {
        checkPseudoMask(s, p, o.min_visible_px);
        singles += p.objects.size() == 1;
        boundary += p.kind == PseudoMaskKind::Eroded || p.kind == PseudoMaskKind::Dilated;
        merged += p.kind == PseudoMaskKind::Merged;
        spurious += p.kind == PseudoMaskKind::Spurious;
      }
    }
    const double miss_rate = static_cast<double>(missed) / objects;
    const double boundary_rate = static_cast<double>(boundary) / singles;
    const double spurious_rate = static_cast<double>(spurious) / n;
    qInfo("objects %d: missed %.3f, boundary %.3f, merged %d, spurious/image %.3f", objects, miss_rate,
          boundary_rate, merged, spurious_rate);
    QVERIFY(std::abs(miss_rate - 0.2) < 0.06);
    QVERIFY(std::abs(boundary_rate - 0.4) < 0.08);  // thin objects that would vanish stay faithful
    QVERIFY(merged >= 20);
    QVERIFY(std::abs(spurious_rate - 0.3) < 0.1);
  }

  void pseudoMasksWithoutErrorsAreFaithful() {
    ToyWorldOptions o = smallOptions();
    o.pseudo_miss_prob = o.pseudo_boundary_prob = o.pseudo_merge_prob = o.pseudo_spurious_prob = 0;
    for (int i = 0; i < 10; ++i) {
      const ToyStill s = generateToyStill(o, i);
      QCOMPARE(s.pseudo_masks.size() + s.missed.size(), s.true_masks.size());
      for (const ToyPseudoMask& p : s.pseudo_masks) QCOMPARE(p.kind, PseudoMaskKind::Faithful);
    }
  }

  void videosHaveMotionOcclusionAndExits() {
    ToyWorldOptions o = smallOptions();
    o.video_frames = 10;
    int moving = 0, tracks = 0, occlusions = 0, exits = 0, camera_moves = 0;
    for (int v = 0; v < 8; ++v) {
      const ToyVideo video = generateToyVideo(o, ToySplit::Unlabeled, v);
      cv::Mat diff;
      cv::absdiff(video.frames.front(), video.frames.back(), diff);
      camera_moves += cv::mean(diff)[0] > 3;
      for (const ToyTrack& track : video.tracks) {
        if (!track.visible()) continue;
        ++tracks;
        occlusions += occlusionEvents(track, o.min_visible_px);
        exits += leavesFrame(track) || entersFrame(track);
        moving += trackMoves(track);
      }
    }
    qInfo("tracks %d: moving %d, occlusions %d, exits %d, camera/light changes %d", tracks, moving,
          occlusions, exits, camera_moves);
    QVERIFY(moving >= 0.8 * tracks);
    QVERIFY(occlusions >= 1);
    QVERIFY(exits >= 1);
    QVERIFY(camera_moves >= 6);
  }

  void writerProducesLoadableLayout() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path root = dir.path().toStdString();
    const ToyWorldOptions o = smallOptions();
    ToyWorldWriter writer(o, root);
    std::vector<Progress> reports;
    writer.setProgressCallback([&](const Progress& p) { reports.push_back(p); });
    writer.run();
    QVERIFY(!reports.empty());
    QCOMPARE(QString::fromStdString(reports.front().job), QString("make-toy-data"));
    const ToyWorldStats& stats = writer.stats();

    const CocoDataset pseudo = loadCocoDataset(root / "synthetic/pseudo_masks.json");
    const CocoDataset truth = loadCocoDataset(root / "synthetic/true_masks.json");
    QCOMPARE(static_cast<int>(pseudo.images.size()), o.num_images);
    QCOMPARE(static_cast<int>(pseudo.annotations.size()), stats.pseudo_masks);
    QCOMPARE(static_cast<int>(truth.annotations.size()), stats.objects);
    for (const CocoImage& image : pseudo.images) {
      QVERIFY(fs::exists(root / "synthetic/images" / image.file_name));
      QCOMPARE(image.width, o.image_width);
    }
    QCOMPARE(QString::fromStdString(pseudo.images[0].file_name), QString("000000.jpg"));
    QCOMPARE(pseudo.images[0].id, int64_t{1});
    for (const CocoAnnotation& a : pseudo.annotations) {
      QCOMPARE(a.area, static_cast<double>(rleArea(decompress(a.segmentation))));
      QCOMPARE(a.category_id, int64_t{1});
    }

    const YtvisDataset unlabeled = loadYtvisDataset(root / "unlabeled/videos.json");
    const YtvisDataset unlabeled_gt = loadYtvisDataset(root / "unlabeled/videos_gt.json");
    const YtvisDataset val = loadYtvisDataset(root / "val/videos.json");
    QVERIFY(unlabeled.annotations.empty());
    QCOMPARE(static_cast<int>(unlabeled.videos.size()), o.num_unlabeled_videos);
    QCOMPARE(static_cast<int>(val.videos.size()), o.num_val_videos);
    QCOMPARE(static_cast<int>(unlabeled_gt.annotations.size() + val.annotations.size()), stats.tracks);
    QVERIFY(!val.annotations.empty());
    QCOMPARE(QString::fromStdString(unlabeled.videos[0].file_names[0]), QString("toy_0001/00000.jpg"));
    checkFramesExist(unlabeled, root / "unlabeled/JPEGImages");
    checkFramesExist(val, root / "val/JPEGImages");
    compareWithMemory(val.annotations.front(), generateToyVideo(o, ToySplit::Val, 0));
    const cv::Mat frame = readImageRgb(root / "val/JPEGImages" / val.videos[0].file_names[0]);
    QCOMPARE(frame.cols, o.video_width);
    QCOMPARE(frame.rows, o.video_height);
  }

  void writerIsByteIdenticalPerSeed() {
    QTemporaryDir a, b, c;
    ToyWorldOptions o = smallOptions();
    o.num_images = 3;
    o.num_unlabeled_videos = 2;
    o.num_val_videos = 1;
    ToyWorldWriter(o, a.path().toStdString()).run();
    ToyWorldWriter(o, b.path().toStdString()).run();
    ToyWorldOptions other = o;
    other.seed = 99;
    ToyWorldWriter(other, c.path().toStdString()).run();
    for (const char* file : {"synthetic/pseudo_masks.json", "synthetic/true_masks.json",
                             "unlabeled/videos.json", "unlabeled/videos_gt.json", "val/videos.json",
                             "synthetic/images/000002.jpg", "unlabeled/JPEGImages/toy_0002/00005.jpg"}) {
      const fs::path pa = fs::path(a.path().toStdString()) / file,
                     pb = fs::path(b.path().toStdString()) / file;
      QVERIFY2(readAll(pa) == readAll(pb), file);
    }
    const std::string gt_a = readAll(fs::path(a.path().toStdString()) / "val/videos.json");
    const std::string gt_c = readAll(fs::path(c.path().toStdString()) / "val/videos.json");
    QVERIFY(gt_a != gt_c);
  }

  void writerStopsBeforeCommitting() {
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    ToyWorldWriter writer(smallOptions(), root);
    StopToken stop;
    writer.setStopToken(stop);
    int steps = 0;
    writer.setProgressCallback([&](const Progress& p) {
      if (p.done > 0 && ++steps == 2) stop.requestStop();
    });
    QVERIFY_THROWS_EXCEPTION(StoppedError, writer.run());
    QVERIFY(!fs::exists(root / "synthetic/pseudo_masks.json"));
    QVERIFY(!fs::exists(root / "val/videos.json"));
  }

  void contradictoryOptionsAreRejected() {
    ToyWorldOptions o = smallOptions();
    o.min_objects_per_image = 3;
    o.max_objects_per_image = 2;
    QVERIFY_THROWS_EXCEPTION(Error, generateToyStill(o, 0));
    try {
      checkToyWorldOptions(o);
    } catch (const Error& e) {
      QCOMPARE(QString::fromStdString(e.context().key), QString("toy_world.max_objects_per_image"));
    }
  }

 private:
  static void checkPseudoMask(const ToyStill& s, const ToyPseudoMask& p, int min_px) {
    const int area = cv::countNonZero(p.mask);
    QVERIFY(area >= min_px);
    switch (p.kind) {
      case PseudoMaskKind::Faithful:
        QVERIFY(iou(p.mask, s.true_masks[p.objects[0]]) > 0.8);
        break;
      case PseudoMaskKind::Eroded:
        QVERIFY(area < cv::countNonZero(s.true_masks[p.objects[0]]));
        QVERIFY(cv::countNonZero(p.mask & ~s.true_masks[p.objects[0]] & 1) <= area / 10);
        break;
      case PseudoMaskKind::Dilated:
        QVERIFY(area > cv::countNonZero(s.true_masks[p.objects[0]]));
        break;
      case PseudoMaskKind::Merged:
        QCOMPARE(p.objects.size(), size_t{2});
        for (int k : p.objects) {
          const cv::Mat& truth = s.true_masks[k];
          QVERIFY(cv::countNonZero(p.mask & truth) >= 0.9 * cv::countNonZero(truth));
        }
        break;
      case PseudoMaskKind::Spurious:
        for (const cv::Mat& truth : s.true_masks) QCOMPARE(cv::countNonZero(p.mask & truth), 0);
        break;
    }
  }

  static bool trackMoves(const ToyTrack& track) {
    int first = -1, last = -1;
    for (int f = 0; f < static_cast<int>(track.masks.size()); ++f) {
      if (track.masks[f].empty()) continue;
      if (first < 0) first = f;
      last = f;
    }
    if (first == last) return true;  // seen in one frame only: it came and went
    const cv::Mat& a = track.masks[first];
    const cv::Mat& b = track.masks[last];
    return cv::norm(centroid(a) - centroid(b)) > 2 || iou(a, b) < 0.8;
  }

  static void checkFramesExist(const YtvisDataset& dataset, const fs::path& frames_root) {
    for (const YtvisVideo& video : dataset.videos) {
      for (const std::string& name : video.file_names) QVERIFY2(fs::exists(frames_root / name), name.c_str());
    }
  }

  static void compareWithMemory(const YtvisTrack& written, const ToyVideo& video) {
    const ToyTrack* source = nullptr;
    for (const ToyTrack& t : video.tracks) {
      if (t.visible()) {
        source = &t;
        break;
      }
    }
    QVERIFY(source);
    QCOMPARE(written.video_id, int64_t{1});
    for (size_t f = 0; f < source->masks.size(); ++f) {
      QCOMPARE(written.segmentations[f].has_value(), !source->masks[f].empty());
      QCOMPARE(written.areas[f].has_value(), !source->masks[f].empty());
      if (!written.segmentations[f]) continue;
      cv::Mat decoded(video.frames[f].size(), CV_8U);
      rleDecode(decompress(*written.segmentations[f]), decoded.data, decoded.step);
      QVERIFY(sameMat(decoded, source->masks[f]));
    }
  }
};

QTEST_APPLESS_MAIN(TestToyWorld)
#include "test_toy_world.moc"
