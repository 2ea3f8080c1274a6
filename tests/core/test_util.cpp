// core/util: error context formatting, atomic writes that never leave half files, progress
// throttling and ETA, stop tokens, log sinks, reproducible random streams, and SHA-256 (FIPS 180-4
// test vectors).
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <thread>

#include "core/util/atomic_file.h"
#include "core/util/blas_info.h"
#include "core/util/error.h"
#include "core/util/log.h"
#include "core/util/progress.h"
#include "core/util/rng.h"
#include "core/util/sha256.h"

using namespace autoqvis;
namespace fs = std::filesystem;

class TestUtil : public QObject {
  Q_OBJECT

 private slots:
  void errorNamesItsContext() {
    ErrorContext context = inFile("data/train.json");
    context.video_id = 12;
    context.annotation_id = 7;
    context.frame = 3;
    const Error e("bad counts", context);
    QCOMPARE(QString(e.what()), QString("data/train.json: video 12, annotation 7, frame 3: bad counts"));
    QCOMPARE(QString::fromStdString(e.message()), QString("bad counts"));
    ErrorContext outer = inFile("outer.json");
    outer.frame = 9;
    const Error merged = Error("x", atKey("", "train.base_lr")).withContext(outer);
    QCOMPARE(QString(merged.what()), QString("outer.json: 'train.base_lr', frame 9: x"));
  }

  void atomicWriteReplacesWholeFile() {
    QTemporaryDir dir;
    const fs::path path = fs::path(dir.path().toStdString()) / "sub" / "out.json";
    writeFileAtomically(path, "first");
    QCOMPARE(QString::fromStdString(readFile(path)), QString("first"));
    writeFileAtomically(path, "second, longer");
    QCOMPARE(QString::fromStdString(readFile(path)), QString("second, longer"));
    // No temporary files remain next to it.
    int entries = 0;
    for (const auto& e : fs::directory_iterator(path.parent_path())) entries += e.is_regular_file();
    QCOMPARE(entries, 1);
  }

  void uncommittedAtomicFileLeavesTargetUntouched() {
    QTemporaryDir dir;
    const fs::path path = fs::path(dir.path().toStdString()) / "results.json";
    writeFileAtomically(path, "good results");
    {
      AtomicFile file(path);
      std::ofstream(file.tempPath()) << "half-writ";
      // Destroyed without commit(), as when an exception unwinds a writer.
    }
    QCOMPARE(QString::fromStdString(readFile(path)), QString("good results"));
    QCOMPARE(std::distance(fs::directory_iterator(path.parent_path()), fs::directory_iterator()), 1);
  }

  void readFileNamesMissingFile() {
    try {
      readFile("/nonexistent/dir/file.json");
      QFAIL("expected an Error");
    } catch (const Error& e) {
      QVERIFY(QString(e.what()).contains("/nonexistent/dir/file.json"));
      QVERIFY(QString(e.what()).contains("does not exist"));
    }
  }

  void writeIntoUnwritableDirectoryFailsCleanly() {
    if (::geteuid() == 0) QSKIP("root can write anywhere");
    QVERIFY_THROWS_EXCEPTION(Error, writeFileAtomically("/proc/forbidden/x.json", "x"));
  }

  void progressReportsRateEtaAndThrottles() {
    std::vector<Progress> seen;
    ProgressReporter reporter([&](const Progress& p) { seen.push_back(p); }, "job", "stage", 1000,
                              std::chrono::milliseconds(1000));
    for (int i = 0; i < 1000; ++i) reporter.step();
    // First and last step always reported; the interval suppresses everything between.
    QCOMPARE(int(seen.size()), 2);
    QCOMPARE(seen.front().done, int64_t{1});
    QCOMPARE(seen.back().done, int64_t{1000});
    QCOMPARE(seen.back().total, int64_t{1000});
    QCOMPARE(seen.back().eta_s, 0.0);
    QVERIFY(seen.back().rate > 0);
    QCOMPARE(QString::fromStdString(seen.back().job), QString("job"));
  }

  void stopTokenIsSharedByCopies() {
    StopToken token;
    StopToken copy = token;
    QVERIFY(!copy.stopRequested());
    std::thread([token]() mutable { token.requestStop(); }).join();
    QVERIFY(copy.stopRequested());
    QVERIFY_THROWS_EXCEPTION(StoppedError, copy.throwIfStopped());
  }

  void logSinksReceiveMessagesAtOrAboveLevel() {
    std::vector<std::string> received;
    setStderrLogging(false);
    const int handle = addLogSink([&](LogLevel level, const std::string& m) { received.push_back(logLevelName(level) + (": " + m)); });
    setLogLevel(LogLevel::Info);
    logDebug("hidden");
    logInfo("shown");
    logError("bad");
    removeLogSink(handle);
    logInfo("after removal");
    setStderrLogging(true);
    QCOMPARE(int(received.size()), 2);
    QCOMPARE(QString::fromStdString(received[0]), QString("info: shown"));
    QCOMPARE(QString::fromStdString(received[1]), QString("error: bad"));
    QVERIFY_THROWS_EXCEPTION(Error, parseLogLevel("loud"));
  }

  void sinksMayLogAndThrowWithoutHarm() {
    setStderrLogging(false);
    int calls = 0;
    const int echo = addLogSink([&](LogLevel, const std::string& m) {
      ++calls;
      if (m == "outer") logInfo("inner");  // re-entrant: must not deadlock
    });
    const int thrower = addLogSink([](LogLevel, const std::string&) { throw std::runtime_error("sink failed"); });
    logInfo("outer");
    removeLogSink(echo);
    removeLogSink(thrower);
    setStderrLogging(true);
    QCOMPARE(calls, 2);
  }

  void rngStreamsAreReproducibleAndIndependent() {
    Rng a = Rng::forStream(42, 3), b = Rng::forStream(42, 3), c = Rng::forStream(42, 4);
    int differ = 0;
    for (int i = 0; i < 100; ++i) {
      const uint64_t x = a.next();
      QCOMPARE(x, b.next());
      differ += x != c.next();
    }
    QVERIFY(differ > 95);
    Rng r(1);
    double sum = 0;
    for (int i = 0; i < 20000; ++i) {
      const int64_t k = r.uniformInt(-2, 2);
      QVERIFY(k >= -2 && k <= 2);
      const double u = r.uniform();
      QVERIFY(u >= 0 && u < 1);
      sum += r.normal();
    }
    QVERIFY(std::abs(sum / 20000) < 0.05);
  }

  void sha256MatchesTheStandardVectors() {
    QCOMPARE(QString::fromStdString(sha256Hex("")),
             QString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(QString::fromStdString(sha256Hex("abc")),
             QString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    // Two blocks: the padding does not fit after 56 bytes of message.
    QCOMPARE(QString::fromStdString(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
             QString("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    // A file read in chunks gives the same digest as the bytes: one million 'a'.
    const fs::path file = fs::temp_directory_path() / ("sha256-" + std::to_string(::getpid()));
    std::ofstream(file, std::ios::binary) << std::string(1000000, 'a');
    QCOMPARE(QString::fromStdString(sha256OfFile(file)),
             QString("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    fs::remove(file);
    QVERIFY_THROWS_EXCEPTION(Error, sha256OfFile(file));
  }

  void blasIsDetected() {
    const BlasInfo info = detectBlas();
    QVERIFY(!info.name.empty());
    QVERIFY(!describeBlas(info).empty());
    // The installer selects OpenBLAS; a machine set up by packaging/install-deps.sh must report it.
    if (fs::exists("/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3")) {
      QCOMPARE(QString::fromStdString(info.name), QString("OpenBLAS"));
      QVERIFY(info.optimized);
    }
  }
};

QTEST_APPLESS_MAIN(TestUtil)
#include "test_util.moc"
