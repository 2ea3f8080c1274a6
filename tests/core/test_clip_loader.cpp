// Tests of the training sources and the background clip loader on tiny generated data: stills with masks of
// both orientations (synthetic source) and a toy world's labelled videos (pseudo-label source). Checks
// source mixing, aspect-ratio grouping, copy-paste on synthetic batches only, determinism across worker
// counts, exact resume, the bounded queue, clean stops and errors that name the broken file.
#include <torch/torch.h>

#include <QtTest>

#include <chrono>
#include <fstream>
#include <set>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "core/data/clip_loader.h"
#include "core/data/clip_pipeline_options.h"
#include "core/toyworld/toy_world_writer.h"
#include "core/video/image_io.h"
#include "core/dataset/rle.h"
#include "core/util/error.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

ClipMapperOptions smallMapper() {
  ClipMapperOptions o;
  o.augmentation.short_sides = {64, 80};  // keeps the tests fast; the chain is the paper's otherwise
  return o;
}

// Stills alternating landscape (64x48) and portrait (48x64), each with 1-3 coloured squares (pure red on
// dark grey) and their RLE pseudo-masks.
struct Stills {
  fs::path root;
  CocoDataset dataset;
};
Stills writeStills(const fs::path& root, int count) {
  Stills s;
  s.root = root / "images";
  fs::create_directories(s.root);
  int64_t ann_id = 1;
  for (int i = 0; i < count; ++i) {
    const cv::Size size = i % 2 == 0 ? cv::Size(64, 48) : cv::Size(48, 64);
    cv::Mat image(size, CV_8UC3, cv::Scalar(40, 40, 40));
    const std::string name = "still_" + std::to_string(i) + ".png";
    s.dataset.images.push_back({i + 1, name, size.width, size.height});
    for (int k = 0; k < 1 + i % 3; ++k) {
      const cv::Rect square(4 + 14 * k, 6 + 5 * k, 10, 10);
      image(square).setTo(cv::Scalar(230, 10, 10));
      cv::Mat mask = cv::Mat::zeros(size, CV_8UC1);
      mask(square).setTo(1);
      CocoAnnotation ann;
      ann.id = ann_id++;
      ann.image_id = i + 1;
      ann.segmentation = compress(rleEncode(mask.data, size.height, size.width, mask.step));
      s.dataset.annotations.push_back(ann);
    }
    writeImageRgb(s.root / name, image);
  }
  return s;
}

ToyWorldOptions tinyWorld() {
  ToyWorldOptions o;
  o.num_images = 2;
  o.image_width = 64;
  o.image_height = 48;
  o.num_unlabeled_videos = 4;
  o.num_val_videos = 0;
  o.video_frames = 6;
  o.video_width = 64;
  o.video_height = 48;
  return o;
}

bool sameBatch(const ClipBatch& a, const ClipBatch& b) {
  if (a.index != b.index || a.source != b.source || a.items != b.items || a.clips.size() != b.clips.size()) return false;
  for (size_t c = 0; c < a.clips.size(); ++c) {
    if (a.clips[c].frames.size() != b.clips[c].frames.size()) return false;
    for (size_t f = 0; f < a.clips[c].frames.size(); ++f) {
      const ClipFrame& x = a.clips[c].frames[f];
      const ClipFrame& y = b.clips[c].frames[f];
      if (!x.image.equal(y.image) || !x.masks.equal(y.masks) || !x.ids.equal(y.ids) || x.file_name != y.file_name)
        return false;
    }
  }
  return true;
}

}  // namespace

class TestClipLoader : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  Stills stills_;
  std::shared_ptr<SyntheticStillSource> synthetic_;
  std::shared_ptr<PseudoLabelSource> pseudo_;
  std::vector<std::set<int64_t>> track_ids_;  // per pseudo video

  std::vector<std::shared_ptr<const ClipSource>> bothSources() const { return {pseudo_, synthetic_}; }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const fs::path root = dir_.path().toStdString();
    stills_ = writeStills(root / "stills", 12);
    synthetic_ = std::make_shared<SyntheticStillSource>(stills_.dataset, stills_.root, smallMapper());
    ToyWorldWriter writer(tinyWorld(), root / "world");
    writer.run();
    pseudo_ = PseudoLabelSource::load(root / "world/unlabeled/videos_gt.json", root / "world/unlabeled/JPEGImages",
                                      smallMapper());
    const YtvisDataset gt = loadYtvisDataset(root / "world/unlabeled/videos_gt.json");
    for (const YtvisVideo& v : gt.videos) {
      std::set<int64_t> ids;
      for (const YtvisTrack& t : gt.annotations) {
        if (t.video_id == v.id) ids.insert(t.id);
      }
      track_ids_.push_back(ids);
    }
  }

  void syntheticClipsRepeatTheStill() {
    Rng rng(1);
    for (int64_t i = 0; i < synthetic_->size(); ++i) {
      const TrainingClip clip = synthetic_->clip(i, rng);
      QCOMPARE(clip.source, std::string("synthetic"));
      QCOMPARE(clip.frames.size(), size_t(3));
      const int objects = 1 + static_cast<int>(i) % 3;
      for (const ClipFrame& f : clip.frames) {
        QVERIFY(QString::fromStdString(f.file_name).endsWith(QString("still_%1.png").arg(i)));
        QCOMPARE(f.ids.size(0), int64_t(objects));
        QCOMPARE(f.masks.size(1), f.image.size(1));
        QCOMPARE(f.masks.size(2), f.image.size(2));
        QVERIFY((f.classes == 0).all().item<bool>());
        QVERIFY(std::min(f.image.size(1), f.image.size(2)) == 64 || std::min(f.image.size(1), f.image.size(2)) == 80);
        for (int k = 0; k < objects; ++k) {
          if (f.ids[k].item<int64_t>() == -1) {
            QVERIFY(!f.masks[k].any().item<bool>());
            continue;
          }
          // the mask sits on the red square: most of its pixels are red after the jitter
          const torch::Tensor red = f.image[0].gt(150).logical_and(f.image[1].lt(70));
          const int64_t area = f.masks[k].sum().item<int64_t>();
          QVERIFY(f.masks[k].logical_and(red).sum().item<int64_t>() >= area * 8 / 10);
        }
      }
    }
  }

  void pseudoClipsFollowTheTracks() {
    Rng rng(2);
    const YtvisDataset gt = loadYtvisDataset(fs::path(dir_.path().toStdString()) / "world/unlabeled/videos_gt.json");
    for (int rep = 0; rep < 5; ++rep) {
      for (int64_t v = 0; v < pseudo_->size(); ++v) {
        const TrainingClip clip = pseudo_->clip(v, rng);
        QCOMPARE(clip.source, std::string("pseudo"));
        QCOMPARE(clip.frames.size(), size_t(3));
        QVERIFY(clip.frames[0].file_name <= clip.frames[1].file_name);
        QVERIFY(clip.frames[1].file_name <= clip.frames[2].file_name);
        const int64_t slot_count = clip.frames[0].ids.size(0);
        std::vector<int64_t> slot_id(static_cast<size_t>(slot_count), -1);
        for (const ClipFrame& f : clip.frames) {
          QCOMPARE(f.ids.size(0), slot_count);
          for (int64_t k = 0; k < slot_count; ++k) {
            const int64_t id = f.ids[k].item<int64_t>();
            const int64_t cls = f.classes[k].item<int64_t>();
            QVERIFY(cls == 0 || (cls == 1 && id == -1));  // dummies have class num_classes = 1
            if (id == -1) continue;
            if (slot_id[k] == -1) slot_id[k] = id;
            QCOMPARE(id, slot_id[k]);  // one track per slot across frames
            bool known = false;
            for (const YtvisTrack& t : gt.annotations) known |= t.id == id && t.video_id == gt.videos[v].id;
            QVERIFY(known);
          }
        }
      }
    }
  }

  void shortVideosAreRejectedAtStart() {
    YtvisDataset d;
    YtvisVideo v;
    v.id = 42;
    v.width = 64;
    v.height = 48;
    v.file_names = {"only.jpg"};
    d.videos.push_back(v);
    try {
      PseudoLabelSource source(d, "/nowhere", smallMapper(), "pseudo.json");
      QFAIL("a 1-frame video was accepted");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("video 42"), e.what());
    }
  }

  void batchesMixSourcesAndGroupByAspect() {
    ClipLoaderOptions o;
    o.batch_size = 2;
    o.workers = 2;
    o.seed = 5;
    ClipLoader loader(bothSources(), o);
    int from_pseudo = 0, pasted = 0;
    const int batches = 40;
    for (int b = 0; b < batches; ++b) {
      const ClipBatch batch = loader.next();
      QCOMPARE(batch.index, int64_t(b));
      QCOMPARE(batch.clips.size(), size_t(2));
      const ClipSource& source = *bothSources()[static_cast<size_t>(batch.source)];
      from_pseudo += batch.source == 0;
      const bool landscape = source.isLandscape(batch.items[0]);
      for (size_t c = 0; c < batch.clips.size(); ++c) {
        QCOMPARE(batch.clips[c].source, source.name());  // never mixed
        QCOMPARE(source.isLandscape(batch.items[c]), landscape);  // grouped by orientation
        const torch::Tensor& image = batch.clips[c].frames[0].image;
        QCOMPARE(image.size(2) > image.size(1), landscape);
        const int64_t slot_count = batch.clips[c].frames[0].ids.size(0);
        if (batch.source == 1) {
          pasted += slot_count > 1 + batch.items[c] % 3;  // more slots than the still's own objects
        } else {
          const std::set<int64_t>& known = track_ids_[static_cast<size_t>(batch.items[c])];
          for (const ClipFrame& f : batch.clips[c].frames) {
            for (int64_t k = 0; k < f.ids.size(0); ++k) {
              const int64_t id = f.ids[k].item<int64_t>();
              QVERIFY(id == -1 || known.count(id));  // no pasted objects in pseudo-label batches
            }
          }
        }
      }
    }
    QVERIFY(from_pseudo > batches * 0.25 && from_pseudo < batches * 0.75);
    QVERIFY(pasted > 0);  // copy-paste ran on synthetic batches
  }

  void deterministicAcrossWorkerCounts() {
    std::vector<std::vector<ClipBatch>> runs;
    for (int workers : {0, 1, 3}) {
      ClipLoaderOptions o;
      o.workers = workers;
      o.seed = 77;
      ClipLoader loader(bothSources(), o);
      std::vector<ClipBatch> batches;
      for (int b = 0; b < 8; ++b) batches.push_back(loader.next());
      runs.push_back(std::move(batches));
    }
    for (int b = 0; b < 8; ++b) {
      QVERIFY(sameBatch(runs[0][b], runs[1][b]));
      QVERIFY(sameBatch(runs[0][b], runs[2][b]));
    }
    ClipLoaderOptions other;
    other.seed = 78;
    other.workers = 1;
    ClipLoader different(bothSources(), other);
    bool any_difference = false;
    for (int b = 0; b < 8; ++b) any_difference |= !sameBatch(runs[0][b], different.next());
    QVERIFY(any_difference);
  }

  void resumeContinuesExactly() {
    ClipLoaderOptions o;
    o.seed = 9;
    o.workers = 2;
    ClipLoader full(bothSources(), o);
    std::vector<ClipBatch> reference;
    for (int b = 0; b < 12; ++b) reference.push_back(full.next());
    ClipLoader first(bothSources(), o);
    for (int b = 0; b < 7; ++b) first.next();
    const ClipLoaderState state = first.state();
    QCOMPARE(state.next_batch, int64_t(7));
    first.close();
    o.seed = state.seed;
    ClipLoader resumed(bothSources(), o, {}, state.next_batch);
    for (int b = 7; b < 12; ++b) QVERIFY(sameBatch(resumed.next(), reference[static_cast<size_t>(b)]));
  }

  void queueIsBounded() {
    ClipLoaderOptions o;
    o.workers = 3;
    o.prefetch_batches = 2;
    ClipLoader loader(bothSources(), o);
    // It runs ahead up to the bound without being asked, then stops there.
    QTRY_COMPARE_WITH_TIMEOUT(loader.stats().produced, int64_t(2), 10000);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ClipLoaderStats s = loader.stats();
    QCOMPARE(s.produced, int64_t(2));
    QCOMPARE(s.ready, int64_t(2));
    QCOMPARE(s.in_progress, int64_t(0));
    loader.next();  // frees one place
    QTRY_COMPARE_WITH_TIMEOUT(loader.stats().produced, int64_t(3), 10000);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    s = loader.stats();
    QCOMPARE(s.produced, int64_t(3));
    QCOMPARE(s.ready, int64_t(2));
  }

  void closeStopsPromptly() {
    ClipLoaderOptions o;
    o.workers = 3;
    o.prefetch_batches = 8;
    auto loader = std::make_unique<ClipLoader>(bothSources(), o);
    loader->next();
    const auto start = std::chrono::steady_clock::now();
    loader->close();
    QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    QVERIFY_THROWS_EXCEPTION(Error, loader->next());
    loader->close();  // idempotent
    loader.reset();
    // destroying a busy loader joins its threads too
    { ClipLoader busy(bothSources(), o); }
  }

  void configDefaultsAreThePapers() {
    TrainOptions round;
    round.batch_size = 4;
    const ClipPipelineOptions p = clipPipelineOptions(round, AugmentationOptions{}, 3);
    QCOMPARE(p.mapper.sampling.num_frames, 3);
    QCOMPARE(p.mapper.sampling.frame_range, 20);
    const ClipAugmentationOptions& a = p.mapper.augmentation;
    QVERIFY(a.crop && a.crop_min == 600 && a.crop_max == 720);
    QVERIFY(a.short_sides == (std::vector<int>{360, 480}) && a.resize_by_clip && a.max_size == 1333);
    QVERIFY(a.flip_prob == 0.5 && a.flip_by_clip);
    QVERIFY(std::abs(a.brightness_min - 0.9) < 1e-12 && std::abs(a.brightness_max - 1.1) < 1e-12);
    QVERIFY(std::abs(a.contrast_min - 0.9) < 1e-12 && std::abs(a.contrast_max - 1.1) < 1e-12);
    QVERIFY(a.rotation_min_deg == -15 && a.rotation_max_deg == 15);
    QVERIFY(a.rotation_center_min == 0.4 && a.rotation_center_max == 0.6);
    QVERIFY(p.copy_paste.enabled && p.copy_paste.rate == 1.0 && !p.copy_paste.random_num);
    QVERIFY(p.copy_paste.min_ratio == 0.8 && p.copy_paste.max_ratio == 1.0 && p.copy_paste.max_overlap == 0.5);
    QVERIFY(!p.copy_paste.official_mask_rescaling && !p.copy_paste.official_instance_lists);
    QVERIFY(p.loader.batch_size == 4 && p.loader.first_source_prob == 0.5 && p.loader.aspect_ratio_grouping);
    QCOMPARE(p.loader.seed, uint64_t(3));
  }

  void workerErrorsNameTheFile() {
    const fs::path root = fs::path(dir_.path().toStdString()) / "corrupt";
    Stills broken = writeStills(root, 2);
    const fs::path bad = broken.root / broken.dataset.images[1].file_name;
    std::ofstream(bad, std::ios::binary | std::ios::trunc) << "not an image at all";
    broken.dataset.images[0] = broken.dataset.images[1];  // every item is the broken file
    auto& anns = broken.dataset.annotations;
    anns.erase(std::remove_if(anns.begin(), anns.end(), [](const CocoAnnotation& a) { return a.image_id == 1; }),
               anns.end());
    auto source = std::make_shared<SyntheticStillSource>(broken.dataset, broken.root, smallMapper());
    ClipLoaderOptions o;
    o.workers = 2;
    o.aspect_ratio_grouping = false;
    ClipLoader loader({source}, o);
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        loader.next();
        QFAIL("a corrupt image loaded");
      } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(QString::fromStdString(bad.filename().string())), e.what());
      }
    }
    QCOMPARE(loader.state().next_batch, int64_t(2));  // each failure used up its batch; no hang
  }
};

QTEST_GUILESS_MAIN(TestClipLoader)
#include "test_clip_loader.moc"
