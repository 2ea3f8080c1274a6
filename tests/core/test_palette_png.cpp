// Palette PNGs: the palette is DAVIS's, indices survive a write/read, bad files are refused by name.
#include <QtTest>
#include <filesystem>

#include "core/export/palette_png.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"

using namespace autoqvis;
namespace fs = std::filesystem;

class TestPalettePng : public QObject {
  Q_OBJECT

 private slots:
  void paletteIsDavis() {
    const Palette& p = davisPalette();
    // The first entries of the DAVIS / VOC palette.
    QCOMPARE(int(p[0][0]), 0);
    QCOMPARE((std::array<int, 3>{p[1][0], p[1][1], p[1][2]}), (std::array<int, 3>{128, 0, 0}));
    QCOMPARE((std::array<int, 3>{p[2][0], p[2][1], p[2][2]}), (std::array<int, 3>{0, 128, 0}));
    QCOMPARE((std::array<int, 3>{p[3][0], p[3][1], p[3][2]}), (std::array<int, 3>{128, 128, 0}));
    QCOMPARE((std::array<int, 3>{p[4][0], p[4][1], p[4][2]}), (std::array<int, 3>{0, 0, 128}));
    QCOMPARE((std::array<int, 3>{p[8][0], p[8][1], p[8][2]}), (std::array<int, 3>{64, 0, 0}));
    QCOMPARE((std::array<int, 3>{p[255][0], p[255][1], p[255][2]}), (std::array<int, 3>{224, 224, 192}));
  }

  void indexedPngRoundTrips() {
    QTemporaryDir dir;
    const fs::path path = fs::path(dir.path().toStdString()) / "x.png";
    cv::Mat indices(7, 9, CV_8UC1);
    for (int y = 0; y < 7; ++y) {
      for (int x = 0; x < 9; ++x) indices.at<uint8_t>(y, x) = static_cast<uint8_t>((x * 31 + y * 7) % 256);
    }
    writePalettePng(path, indices);
    Palette palette;
    const cv::Mat back = readPalettePng(path, &palette);
    QCOMPARE(cv::countNonZero(back != indices), 0);
    QVERIFY(palette == davisPalette());
    // An ordinary RGB PNG is refused with the file named.
    std::string bytes = readFile(path);
    writeFileAtomically(fs::path(dir.path().toStdString()) / "corrupt.png", bytes.substr(0, bytes.size() / 2));
    QVERIFY_THROWS_EXCEPTION(Error, readPalettePng(fs::path(dir.path().toStdString()) / "corrupt.png"));
    QVERIFY_THROWS_EXCEPTION(Error, readPalettePng(fs::path(dir.path().toStdString()) / "missing.png"));
  }
};

QTEST_APPLESS_MAIN(TestPalettePng)
#include "test_palette_png.moc"
