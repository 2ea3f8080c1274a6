// Tests of the per-clip data path: frame sampling, the augmentation chain (sizes, per-clip vs per-frame
// draws, masks moving with the pixels, emptied instances), the Pillow-compatible resize and the numpy-
// compatible blends (checked against hashes computed with Pillow 9.4 / numpy 1.24), and ImageCut2Video.
#include <torch/torch.h>

#include <QtTest>

#include <opencv2/imgproc.hpp>
#include <set>

#include "core/data/clip_augmentation.h"
#include "core/data/clip_sampling.h"
#include "core/data/image_cut2video.h"
#include "core/video/pil_resize.h"
#include "core/util/error.h"

using namespace autoqvis;

namespace {

// The pattern the Python reference used: value = (x*37 + y*91 + c*53 + x*y*7) % 256, HWC RGB.
cv::Mat pattern(int w, int h) {
  cv::Mat img(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c) img.at<cv::Vec3b>(y, x)[c] = static_cast<uint8_t>((x * 37 + y * 91 + c * 53 + x * y * 7) % 256);
  return img;
}

uint64_t fnv(const cv::Mat& m) {
  cv::Mat c = m.isContinuous() ? m : m.clone();
  uint64_t h = 0xcbf29ce484222325ull;
  const size_t n = c.total() * c.elemSize();
  for (size_t i = 0; i < n; ++i) h = (h ^ c.data[i]) * 0x100000001b3ull;
  return h;
}

FrameAugmentation identity(cv::Size size) {
  FrameAugmentation p;
  p.crop = {0, 0, size.width, size.height};
  p.resized = size;
  return p;
}

// A still with a red square (the object) on grey, and its mask.
struct Scene {
  cv::Mat image;
  InstancePlanes masks;
};
Scene squareScene(cv::Size size, cv::Rect square) {
  Scene s;
  s.image = cv::Mat(size, CV_8UC3, cv::Scalar(90, 90, 90));
  s.image(square).setTo(cv::Scalar(220, 20, 20));
  s.masks = InstancePlanes(size, 1);
  cv::Mat m = cv::Mat::zeros(size, CV_8UC1);
  m(square).setTo(1);
  s.masks.set(0, m);
  return s;
}

bool reddish(const cv::Vec3b& p) { return p[0] > 140 && p[1] < 70 && p[2] < 70; }

// A clip of `frames` frames of one colour with one object each (a filled rect), for copy-paste tests.
TrainingClip flatClip(int frames, cv::Size size, cv::Scalar background, std::vector<cv::Rect> objects,
                      cv::Scalar object_colour, int64_t first_id) {
  TrainingClip clip;
  clip.source = "synthetic";
  for (int f = 0; f < frames; ++f) {
    cv::Mat image(size, CV_8UC3, background);
    InstancePlanes masks(size, static_cast<int>(objects.size()));
    std::vector<int64_t> ids, classes;
    for (size_t k = 0; k < objects.size(); ++k) {
      image(objects[k]).setTo(object_colour);
      cv::Mat m = cv::Mat::zeros(size, CV_8UC1);
      m(objects[k]).setTo(1);
      masks.set(static_cast<int>(k), m);
      ids.push_back(first_id + static_cast<int64_t>(k));
      classes.push_back(0);
    }
    clip.frames.push_back(makeClipFrame(image, masks, ids, classes, "still.jpg"));
  }
  return clip;
}

CopyPasteOptions fixedScale(double ratio) {
  CopyPasteOptions o;
  o.min_ratio = o.max_ratio = ratio;
  return o;
}

}  // namespace

class TestClipAugmentation : public QObject {
  Q_OBJECT
 private slots:
  void samplingRangeAndOrder() {
    Rng rng(3);
    ClipSamplingOptions o;  // 3 frames, range 20
    int with_duplicates = 0;
    for (int i = 0; i < 3000; ++i) {
      const std::vector<int> f = sampleClipFrames(100, o, rng);
      QCOMPARE(f.size(), size_t(3));
      QVERIFY(std::is_sorted(f.begin(), f.end()));
      QVERIFY(f.front() >= 0 && f.back() < 100);
      QVERIFY(!(f[0] == f[1] && f[1] == f[2]));  // the others never equal the reference
      // Some element (the reference) has every other one within the range.
      bool found = false;
      for (int r : f) {
        if (std::count(f.begin(), f.end(), r) != 1) continue;
        found |= std::all_of(f.begin(), f.end(), [&](int x) { return std::abs(x - r) <= 20; });
      }
      QVERIFY(found);
      with_duplicates += f[0] == f[1] || f[1] == f[2];
    }
    QVERIFY(with_duplicates > 0);  // drawn with replacement
  }

  void samplingWithReplacementStatistics() {
    // Length 3: each reference leaves 2 candidates, so the two others coincide half of the time.
    Rng rng(11);
    ClipSamplingOptions o;
    int equal = 0;
    const int n = 4000;
    for (int i = 0; i < n; ++i) {
      const std::vector<int> f = sampleClipFrames(3, o, rng);
      equal += (f[0] == f[1]) || (f[1] == f[2]);
    }
    QVERIFY2(std::abs(equal / double(n) - 0.5) < 0.04, qPrintable(QString::number(equal)));
    // Length 2: both frames always appear; the duplicate is frame 0 or 1 with equal chance.
    int zeros = 0;
    for (int i = 0; i < n; ++i) {
      const std::vector<int> f = sampleClipFrames(2, o, rng);
      QVERIFY(std::set<int>(f.begin(), f.end()) == (std::set<int>{0, 1}));
      zeros += f[1] == 0;
    }
    QVERIFY(std::abs(zeros / double(n) - 0.5) < 0.04);
    // Range 1: the others are neighbours of the reference.
    o.frame_range = 1;
    for (int i = 0; i < 500; ++i) {
      const std::vector<int> f = sampleClipFrames(50, o, rng);
      QVERIFY(f.back() - f.front() <= 2);
    }
  }

  void samplingShortVideos() {
    Rng rng(1);
    ClipSamplingOptions o;
    QVERIFY_THROWS_EXCEPTION(Error, sampleClipFrames(1, o, rng));
    QVERIFY_THROWS_EXCEPTION(Error, sampleClipFrames(0, o, rng));
    o.num_frames = 1;
    QCOMPARE(sampleClipFrames(1, o, rng), std::vector<int>{0});
    o.num_frames = 3;
    o.frame_range = 0;
    QVERIFY_THROWS_EXCEPTION(Error, sampleClipFrames(10, o, rng));
  }

  void shortestEdgeSizes() {
    QCOMPARE(shortestEdgeSize({640, 480}, 360, 1333), cv::Size(480, 360));
    QCOMPARE(shortestEdgeSize({1280, 720}, 360, 1333), cv::Size(640, 360));
    QCOMPARE(shortestEdgeSize({500, 375}, 480, 1333), cv::Size(640, 480));
    QCOMPARE(shortestEdgeSize({333, 500}, 360, 1333), cv::Size(360, 541));  // 540.54 rounds up
    QCOMPARE(shortestEdgeSize({4000, 100}, 360, 1333), cv::Size(1333, 33));  // long side capped
  }

  void pilResizeMatchesPillow() {
    struct Case { int w, h, nw, nh; uint64_t bilinear, nearest; };
    const Case cases[] = {
        {37, 23, 16, 10, 0xb5df977e0660ba4dull, 0xed8735e51a7ad50dull},
        {37, 23, 80, 50, 0xeae3ccb538f3b8ebull, 0x093755e04efe07bdull},
        {37, 23, 37, 11, 0xad88e60317c5bb84ull, 0x653328f816e1c6daull},
        {37, 23, 20, 23, 0x207e5233c1cc20d5ull, 0x269368ec3e39823dull},
        {160, 120, 480, 360, 0xc46b9018f1c2c693ull, 0x4a2e5741a58553a5ull},
        {97, 61, 33, 200, 0x1c37a4ba9f7b23c7ull, 0x8ff5109b6c49b17dull},
    };
    for (const Case& c : cases) {
      const cv::Mat img = pattern(c.w, c.h);
      QCOMPARE(fnv(pilResizeBilinear(img, {c.nw, c.nh})), c.bilinear);
      cv::Mat red;
      cv::extractChannel(img, red, 0);
      QCOMPARE(fnv(pilResizeNearest(red, {c.nw, c.nh})), c.nearest);
    }
  }

  void blendsMatchNumpy() {
    // brightness then contrast with the same factor, as numpy computes BlendTransform
    const std::pair<double, uint64_t> cases[] = {{0.93, 0xbb300bf582afa1adull}, {1.07, 0xc5a08dd536fa1373ull}};
    for (const auto& [w, hash] : cases) {
      cv::Mat img = pattern(37, 23);
      InstancePlanes none(img.size(), 0);
      FrameAugmentation p = identity(img.size());
      p.brightness = p.contrast = w;
      applyFrameAugmentation(p, img, none);
      QCOMPARE(fnv(img), hash);
    }
  }

  void cropSizesWithinRange() {
    ClipAugmentationOptions o;
    Rng rng(5);
    for (int i = 0; i < 300; ++i) {
      ClipAugmenter aug(o);
      const FrameAugmentation big = aug.drawFrame({1000, 800}, rng);
      QVERIFY(big.crop.width >= 600 && big.crop.width <= 720);
      QVERIFY(big.crop.height >= 600 && big.crop.height <= 720);
      QVERIFY(big.crop.x >= 0 && big.crop.x + big.crop.width <= 1000);
      QVERIFY(big.crop.y >= 0 && big.crop.y + big.crop.height <= 800);
      // ImageNet-sized: shorter than 600 on both sides, so not cropped; 650 tall: height cropped to <= 650
      QCOMPARE(aug.drawFrame({500, 375}, rng).crop, cv::Rect(0, 0, 500, 375));
      const cv::Rect mid = aug.drawFrame({500, 650}, rng).crop;
      QVERIFY(mid.width == 500 && mid.height >= 600 && mid.height <= 650);
    }
  }

  void perClipAndPerFrameDraws() {
    ClipAugmentationOptions o;
    Rng rng(8);
    std::set<int> sides;
    int flips = 0, clips = 400;
    for (int c = 0; c < clips; ++c) {
      ClipAugmenter aug(o);
      std::vector<FrameAugmentation> f;
      for (int i = 0; i < 3; ++i) f.push_back(aug.drawFrame({1000, 800}, rng));
      const int side = std::min(f[0].resized.width, f[0].resized.height);
      sides.insert(side);
      QVERIFY(side == 360 || side == 480);
      for (const FrameAugmentation& p : f) {
        QCOMPARE(std::min(p.resized.width, p.resized.height), side);  // by clip
        QCOMPARE(p.flip, f[0].flip);                                     // by clip
        QVERIFY(p.brightness >= 0.9 && p.brightness <= 1.1);
        QVERIFY(p.contrast >= 0.9 && p.contrast <= 1.1);
        QVERIFY(p.angle_deg >= -15 && p.angle_deg <= 15);
        QVERIFY(p.center_x >= 0.4 && p.center_x <= 0.6 && p.center_y >= 0.4 && p.center_y <= 0.6);
      }
      QVERIFY(f[0].brightness != f[1].brightness && f[0].angle_deg != f[2].angle_deg);  // per frame
      QVERIFY(f[0].crop != f[1].crop || f[1].crop != f[2].crop);
      flips += f[0].flip;
    }
    QCOMPARE(sides, (std::set<int>{360, 480}));
    QVERIFY(std::abs(flips / double(clips) - 0.5) < 0.1);
    // Per-frame resize when asked
    o.resize_by_clip = false;
    std::set<int> within;
    for (int c = 0; c < 50; ++c) {
      ClipAugmenter aug(o);
      std::set<int> s;
      for (int i = 0; i < 3; ++i) {
        const FrameAugmentation p = aug.drawFrame({1000, 800}, rng);
        s.insert(std::min(p.resized.width, p.resized.height));
      }
      within.insert(static_cast<int>(s.size()));
    }
    QVERIFY(within.count(2) > 0);
  }

  void squareMovesWithItsMask() {
    ClipAugmentationOptions o;
    o.short_sides = {360};
    Rng rng(21);
    for (int trial = 0; trial < 40; ++trial) {
      Scene s = squareScene({200, 150}, {40, 30, 50, 40});
      ClipAugmenter aug(o);
      const FrameAugmentation p = aug.drawFrame(s.image.size(), rng);
      applyFrameAugmentation(p, s.image, s.masks);
      QCOMPARE(s.image.size(), cv::Size(480, 360));
      const cv::Mat mask = s.masks.mask(0);
      cv::Mat inner;
      cv::erode(mask, inner, cv::Mat::ones(7, 7, CV_8U));
      cv::Mat outer;
      cv::dilate(mask, outer, cv::Mat::ones(7, 7, CV_8U));
      int inside = 0, inside_red = 0, outside_red = 0;
      for (int y = 0; y < mask.rows; ++y)
        for (int x = 0; x < mask.cols; ++x) {
          const bool red = reddish(s.image.at<cv::Vec3b>(y, x));
          if (inner.at<uint8_t>(y, x)) {
            ++inside;
            inside_red += red;
          } else if (!outer.at<uint8_t>(y, x)) {
            outside_red += red;
          }
        }
      QVERIFY(inside > 1000);
      QCOMPARE(inside_red, inside);  // away from the edge, the mask covers only object pixels
      QCOMPARE(outside_red, 0);      // and no object pixel lies outside it
    }
  }

  void flipMirrorsMaskAndImage() {
    Scene s = squareScene({200, 150}, {10, 30, 40, 40});
    FrameAugmentation p = identity(s.image.size());
    p.flip = true;
    applyFrameAugmentation(p, s.image, s.masks);
    const cv::Rect box = cv::boundingRect(s.masks.mask(0));
    QCOMPARE(box, cv::Rect(150, 30, 40, 40));
    QVERIFY(reddish(s.image.at<cv::Vec3b>(50, 170)));
    QVERIFY(!reddish(s.image.at<cv::Vec3b>(50, 20)));
  }

  void emptiedInstancesGetMinusOne() {
    Scene s = squareScene({1000, 1000}, {0, 0, 20, 20});
    InstancePlanes masks(s.image.size(), 2);
    masks.set(0, s.masks.mask(0));
    cv::Mat centre = cv::Mat::zeros(s.image.size(), CV_8UC1);
    centre(cv::Rect(600, 600, 50, 50)).setTo(1);
    masks.set(1, centre);
    FrameAugmentation p = identity(s.image.size());
    p.crop = {400, 400, 600, 600};  // leaves the corner object out
    p.resized = {360, 360};
    applyFrameAugmentation(p, s.image, masks);
    const ClipFrame frame = makeClipFrame(s.image, masks, {7, 8}, {0, 0}, "x.jpg");
    QCOMPARE(frame.ids[0].item<int64_t>(), int64_t(-1));
    QCOMPARE(frame.ids[1].item<int64_t>(), int64_t(8));
    QVERIFY(frame.masks.sizes().vec() == (std::vector<int64_t>{2, 360, 360}));
    QVERIFY(frame.masks.scalar_type() == torch::kBool);
    QVERIFY(frame.image.sizes().vec() == (std::vector<int64_t>{3, 360, 360}));
    QVERIFY(!frame.masks[0].any().item<bool>());
    QCOMPARE(frame.masks[1].sum().item<int64_t>(), int64_t(30 * 30));  // 50 px at 0.6 scale
  }

  void copyPasteComposite() {
    const cv::Size size(64, 48);
    // target: grey with a small object that the paste covers by a quarter (below the 0.5 guard)
    const TrainingClip target = flatClip(3, size, {50, 50, 50}, {{30, 10, 10, 10}}, {10, 200, 10}, 5);
    const TrainingClip source = flatClip(3, size, {0, 0, 200}, {{36, 5, 20, 20}}, {200, 0, 0}, 1);
    Rng rng(4);
    const TrainingClip out = pasteObjects(target, source, fixedScale(1.0), rng);
    QCOMPARE(out.frames.size(), size_t(3));
    for (const ClipFrame& f : out.frames) {
      QCOMPARE(f.ids.size(0), int64_t(2));
      QCOMPARE(f.ids[0].item<int64_t>(), int64_t(5));  // the target keeps its slot
      QVERIFY(f.ids[1].item<int64_t>() > 5);           // the pasted object is a new slot
      const torch::Tensor pasted = f.masks[1];
      QCOMPARE(pasted.sum().item<int64_t>(), int64_t(400));
      // pixels under the pasted mask come from the source object, the rest from the target
      const torch::Tensor src = source.frames[0].image, tgt = target.frames[0].image;
      QVERIFY(f.image.index({torch::indexing::Slice(), pasted}).equal(src.index({torch::indexing::Slice(), pasted})));
      QVERIFY(f.image.index({torch::indexing::Slice(), ~pasted}).equal(tgt.index({torch::indexing::Slice(), ~pasted})));
      // the covered part of the target object leaves its mask: 100 px - 40 px under the paste
      QCOMPARE(f.masks[0].sum().item<int64_t>(), int64_t(60));
      QVERIFY(!(f.masks[0] & pasted).any().item<bool>());
    }
    QVERIFY(target.frames[0].masks[0].sum().item<int64_t>() == 100);  // inputs untouched
  }

  void copyPasteScalesAndShiftsPerFrame() {
    const cv::Size size(96, 72);
    const TrainingClip target = flatClip(3, size, {50, 50, 50}, {}, {}, 1);
    const TrainingClip source = flatClip(3, size, {0, 0, 200}, {{20, 20, 40, 30}}, {200, 0, 0}, 1);
    Rng rng(9);
    CopyPasteOptions o;
    o.min_ratio = 0.5;
    o.max_ratio = 0.9;
    const TrainingClip out = pasteObjects(target, source, o, rng);
    std::set<int64_t> areas;
    for (const ClipFrame& f : out.frames) {
      const torch::Tensor m = f.masks[0];
      const int64_t area = m.sum().item<int64_t>();
      areas.insert(area);
      QVERIFY(area > 0.2 * 1200 && area < 1.0 * 1200);
      // under the mask: the (resized) red object, blended with blue only at its edge
      const torch::Tensor under = f.image.index({torch::indexing::Slice(), m}).to(torch::kInt32);
      QVERIFY((under[0] > 0).all().item<bool>());
      QVERIFY((under[0] == 200).sum().item<int64_t>() > area / 2);
      QVERIFY((f.image.index({torch::indexing::Slice(), ~m}) == 50).all().item<bool>());  // the target elsewhere
    }
    QVERIFY(areas.size() > 1);  // a new scale per frame
  }

  void copyPasteOverlapGuard() {
    const cv::Size size(64, 48);
    const TrainingClip target = flatClip(2, size, {50, 50, 50}, {{40, 10, 8, 8}}, {10, 200, 10}, 5);
    const TrainingClip source = flatClip(2, size, {0, 0, 200}, {{30, 0, 30, 30}}, {200, 0, 0}, 1);
    Rng rng(2);
    const TrainingClip out = pasteObjects(target, source, fixedScale(1.0), rng);
    QCOMPARE(out.frames[0].ids.size(0), int64_t(1));  // target fully covered in frame 0: no paste at all
    QVERIFY(out.frames[1].image.equal(target.frames[1].image));
  }

  void copyPasteCoveredLaterFrame() {
    const cv::Size size(64, 48);
    TrainingClip target = flatClip(2, size, {50, 50, 50}, {{2, 30, 8, 8}}, {10, 200, 10}, 5);
    const TrainingClip moved = flatClip(1, size, {50, 50, 50}, {{40, 10, 8, 8}}, {10, 200, 10}, 5);
    target.frames[1] = moved.frames[0];  // the object moves under the paste in frame 1
    const TrainingClip source = flatClip(2, size, {0, 0, 200}, {{30, 0, 30, 30}}, {200, 0, 0}, 1);
    Rng rng(2);
    const TrainingClip fixed = pasteObjects(target, source, fixedScale(1.0), rng);
    QCOMPARE(fixed.frames[1].ids.size(0), int64_t(2));
    QCOMPARE(fixed.frames[0].ids[0].item<int64_t>(), int64_t(5));
    QCOMPARE(fixed.frames[1].ids[0].item<int64_t>(), int64_t(-1));  // covered here: emptied, slot kept
    CopyPasteOptions official = fixedScale(1.0);
    official.official_instance_lists = true;
    Rng rng2(2);
    const TrainingClip reverted = pasteObjects(target, source, official, rng2);
    QCOMPARE(reverted.frames[1].ids.size(0), int64_t(1));  // counts would differ: the official code reverts
    QVERIFY(reverted.frames[1].image.equal(target.frames[1].image));
  }

  void officialMaskRescalingCompounds() {
    const cv::Size size(128, 96);
    const TrainingClip target = flatClip(3, size, {50, 50, 50}, {}, {}, 1);
    const TrainingClip source = flatClip(3, size, {0, 0, 200}, {{30, 20, 60, 50}}, {200, 0, 0}, 1);
    CopyPasteOptions corrected = fixedScale(0.5), official = fixedScale(0.5);
    official.official_mask_rescaling = true;
    Rng a(6), b(6);
    const TrainingClip good = pasteObjects(target, source, corrected, a);
    const TrainingClip bad = pasteObjects(target, source, official, b);
    const int64_t quarter = 3000 / 4;
    for (int f = 0; f < 3; ++f) QVERIFY(std::abs(good.frames[f].masks[0].sum().item<int64_t>() - quarter) < 120);
    QCOMPARE(bad.frames[0].masks[0].sum().item<int64_t>(), good.frames[0].masks[0].sum().item<int64_t>());
    // frame 1 rescales frame 0's placed canvas: a quarter of a quarter, and over the wrong pixels
    QVERIFY(bad.frames[1].masks[0].sum().item<int64_t>() < quarter / 2);
    QVERIFY(bad.frames[2].masks[0].sum().item<int64_t>() < quarter / 8);
  }

  void batchRuleSwapsObjects() {
    const cv::Size size(64, 48);
    std::vector<TrainingClip> batch = {flatClip(2, size, {50, 50, 50}, {{5, 5, 10, 10}}, {10, 200, 10}, 1),
                                       flatClip(2, size, {0, 0, 200}, {{40, 30, 12, 12}}, {200, 0, 0}, 1)};
    const std::vector<TrainingClip> before = batch;
    Rng rng(12);
    imageCut2VideoBatch(batch, fixedScale(1.0), rng);
    QCOMPARE(batch[0].frames[0].ids.size(0), int64_t(2));
    QCOMPARE(batch[1].frames[0].ids.size(0), int64_t(2));
    // clip 0 received clip 1's red object, clip 1 received clip 0's green one
    QVERIFY(batch[0].frames[0].masks[1].equal(before[1].frames[0].masks[0]));
    QVERIFY(batch[1].frames[0].masks[1].equal(before[0].frames[0].masks[0]));
    QCOMPARE(batch[0].frames[0].image[0][35][45].item<uint8_t>(), uint8_t(200));
    QCOMPARE(batch[1].frames[0].image[1][8][8].item<uint8_t>(), uint8_t(200));
  }
};

QTEST_GUILESS_MAIN(TestClipAugmentation)
#include "test_clip_augmentation.moc"
