// Data-parallel building blocks (core/train/distributed.h, process_launcher.h) on CPU with Gloo.
// The main check: 2 processes, each on half of every batch with gradients all-reduced, end K AdamW
// steps (with gradient clipping, as the trainer) on the same parameters as 1 process on whole batches.
// The worker ranks are this test binary run again with --distributed-worker DIR by launchLocalProcesses,
// so they start with fresh LibTorch thread pools (no fork of a threaded process) and exercise the
// launcher and the environment variables as `--nproc` does; they leave their results in DIR.
// LibTorch first: Qt's `slots` keyword macro would break its headers.
#include <torch/torch.h>

#include <QtTest>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <thread>

#include <signal.h>
#include <unistd.h>

#include "core/train/distributed.h"
#include "core/train/process_launcher.h"
#include "core/util/error.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

constexpr int kSteps = 5;
constexpr int64_t kSamples = 8;
constexpr int64_t kBatch = 4;  // the total batch of one step, over all processes

// A few thousand parameters; no batch norm, whose batch statistics would differ per process.
struct NetImpl : torch::nn::Module {
  NetImpl()
      : conv(register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 8, 3).padding(1)))),
        hidden(register_module("hidden", torch::nn::Linear(8 * 4 * 4, 16))),
        out(register_module("out", torch::nn::Linear(16, 3))) {}
  torch::Tensor forward(torch::Tensor x) {
    x = torch::adaptive_avg_pool2d(torch::relu(conv(x)), {4, 4}).flatten(1);
    return out(torch::relu(hidden(x)));
  }
  torch::nn::Conv2d conv;
  torch::nn::Linear hidden, out;
};
TORCH_MODULE(Net);

Net makeNet(uint64_t seed) {
  torch::manual_seed(seed);
  return Net();
}

struct Samples {
  torch::Tensor images, labels;
};
Samples dataset() {
  torch::manual_seed(42);
  return {torch::randn({kSamples, 3, 8, 8}), torch::randint(0, 3, {kSamples})};
}

// K steps of the trainer's recipe; this process takes its kBatch / world samples of each batch.
void train(Net& net, DistributedContext& context) {
  const Samples data = dataset();
  torch::optim::AdamW optimiser(net->parameters(), torch::optim::AdamWOptions(1e-2).weight_decay(0.05));
  const int64_t share = kBatch / context.worldSize();
  for (int step = 0; step < kSteps; ++step) {
    const int64_t first = (step * kBatch) % kSamples + context.rank() * share;
    optimiser.zero_grad();
    torch::Tensor logits = net(data.images.narrow(0, first, share));
    torch::nn::functional::cross_entropy(logits, data.labels.narrow(0, first, share)).backward();
    context.allReduceGradients(net->parameters());
    torch::nn::utils::clip_grad_norm_(net->parameters(), 0.5);
    optimiser.step();
  }
}

// Gradients of parameters used by every rank (a), by rank 0 only (b, double) and by none (c).
void unevenGradients(DistributedContext& context, std::ostream& values) {
  auto a = torch::ones({3}, torch::requires_grad());
  auto b = torch::ones({2}, torch::dtype(torch::kDouble).requires_grad(true));
  auto c = torch::ones({1}, torch::requires_grad());
  torch::Tensor loss = double(context.rank() + 1) * a.sum();
  if (context.rank() == 0) loss = loss + 4.0 * b.sum().to(torch::kFloat);
  loss.backward();
  context.allReduceGradients({a, b, c});
  values << a.grad()[0].item<double>() << ' ' << b.grad()[1].item<double>() << ' ' << c.grad().defined() << '\n';
}

int runWorker(const fs::path& dir) {
  torch::set_num_threads(1);
  DistributedOptions defaults;
  defaults.backend = "gloo";
  defaults.timeout_s = 20;
  DistributedContext context(distributedOptionsFromEnvironment(defaults));
  const std::string r = std::to_string(context.rank());
  std::ofstream values(dir / ("values" + r + ".txt"));
  values << std::setprecision(17) << context.allReduceSum(context.rank() + 1.25) << ' '
         << context.numMasksReducer()(3.0 * context.rank()) << ' ' << context.worldSize() << ' '
         << std::getenv("LOCAL_RANK") << '\n';
  unevenGradients(context, values);

  Net different = makeNet(100 + uint64_t(context.rank()));
  context.broadcastParameters(different->parameters());
  torch::save(different->parameters(), (dir / ("broadcast" + r + ".pt")).string());

  Net net = makeNet(7);
  train(net, context);
  torch::save(net->parameters(), (dir / ("trained" + r + ".pt")).string());
  context.barrier();  // rank 0 keeps the store up until the other rank is done with it
  return 0;
}

std::vector<torch::Tensor> loadTensors(const fs::path& path) {
  std::vector<torch::Tensor> tensors;
  torch::load(tensors, path.string());
  return tensors;
}

// Largest over tensors of max|a - b| / max|b|.
double maxRelativeDifference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double worst = 0.0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, ((a[i] - b[i]).abs().max() / b[i].abs().max()).item<double>());
  return worst;
}

bool identical(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!torch::equal(a[i], b[i])) return false;
  return true;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Sets an environment variable for one scope.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~ScopedEnv() { unsetenv(name_); }
  const char* name_;
};

}  // namespace

class TestDistributed : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { torch::set_num_threads(1); }

  void environmentVariables() {
    ScopedEnv world("WORLD_SIZE", "4"), rank("RANK", "3"), port("MASTER_PORT", "1234"), addr("MASTER_ADDR", "trainer-0.example");
    const DistributedOptions o = distributedOptionsFromEnvironment({});
    QCOMPARE(o.world_size, 4);
    QCOMPARE(o.rank, 3);
    QCOMPARE(o.master_port, 1234);
    QCOMPARE(QString::fromStdString(o.master_addr), QString("trainer-0.example"));
    for (const char* bad : {"abc", "12x", "70000", ""}) {
      ScopedEnv bad_port("MASTER_PORT", bad);
      try {
        distributedOptionsFromEnvironment({});
        QFAIL(qPrintable(QString("MASTER_PORT='%1' was accepted").arg(bad)));
      } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find("MASTER_PORT") != std::string::npos, e.what());
      }
    }
    ScopedEnv bad_rank("RANK", "4");  // not below WORLD_SIZE
    QVERIFY_THROWS_EXCEPTION(Error, distributedOptionsFromEnvironment({}));
  }

  void singleProcessIsNoOp() {
    DistributedContext context({});
    QVERIFY(!context.active());
    QVERIFY(context.isMain());
    QCOMPARE(context.allReduceSum(3.5), 3.5);
    QCOMPARE(context.numMasksReducer()(0.25), 0.25);  // the criterion clamps at 1 itself
    auto p = torch::ones({2}, torch::requires_grad());
    (3.0 * p.sum()).backward();
    context.allReduceGradients({p});
    context.broadcastParameters({p});
    context.barrier();
    QVERIFY(torch::equal(p.grad(), torch::full({2}, 3.0f)));
    DistributedOptions outside;
    outside.world_size = 2;
    outside.rank = 2;
    QVERIFY_THROWS_EXCEPTION(Error, DistributedContext{outside});
  }

  void rendezvousTimeoutNamesTheMaster() {
    DistributedOptions o;
    o.world_size = 2;
    o.rank = 1;  // a client: nobody serves the store on this port
    o.master_port = freeLocalPort();
    o.timeout_s = 1;
    o.backend = "gloo";
    try {
      DistributedContext context(o);
      QFAIL("joined a store that does not exist");
    } catch (const Error& e) {
      qInfo("%s", e.what());
      const std::string message = e.what();
      QVERIFY2(message.find("127.0.0.1:" + std::to_string(o.master_port)) != std::string::npos, e.what());
      QVERIFY2(message.find("rank 1 of 2") != std::string::npos, e.what());
    }
  }

  void launcherReportsFailures() {
    QCOMPARE(launchLocalProcesses(2, {"true"}, 29500), 0);
    QCOMPARE(launchLocalProcesses(2, {"/bin/sh", "-c", "exit 3"}, 29500), 3);
    QCOMPARE(launchLocalProcesses(1, {"/nonexistent/program"}, 29500), 127);
    // Rank 0 fails at once: rank 1 must be stopped instead of sleeping on.
    const auto start = std::chrono::steady_clock::now();
    QCOMPARE(launchLocalProcesses(2, {"/bin/sh", "-c", "[ \"$RANK\" = 1 ] && sleep 30; exit 5"}, 29500), 5);
    QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }

  void launcherForwardsSigterm() {
    // SIGTERM to the launcher (this process) while the ranks sleep: they must get it and stop.
    std::thread sender([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      kill(getpid(), SIGTERM);
    });
    const auto start = std::chrono::steady_clock::now();
    const int code = launchLocalProcesses(2, {"/bin/sh", "-c", "sleep 30"}, 29500);
    sender.join();
    QCOMPARE(code, 128 + SIGTERM);
    QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }

  void launcherSetsRendezvousVariables() {
    QTemporaryDir dir;
    const std::string script = "echo $RANK $LOCAL_RANK $WORLD_SIZE $MASTER_ADDR $MASTER_PORT > '" +
                               dir.path().toStdString() + "'/env$RANK";
    ScopedEnv stale("RANK", "9");  // inherited values are replaced
    QCOMPARE(launchLocalProcesses(3, {"/bin/sh", "-c", script}, 23456), 0);
    for (int r = 0; r < 3; ++r) {
      const std::string expected = std::to_string(r) + " " + std::to_string(r) + " 3 127.0.0.1 23456\n";
      QCOMPARE(readFile(fs::path(dir.path().toStdString()) / ("env" + std::to_string(r))), expected);
    }
  }

  void twoProcessesMatchOneProcess() {
    if (!glooBuilt()) QSKIP("built without Gloo (libgloo-dev missing at configure time)");
    QTemporaryDir dir;
    const fs::path out = dir.path().toStdString();
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    const auto start = std::chrono::steady_clock::now();
    QCOMPARE(launchLocalProcesses(2, {self, "--distributed-worker", out.string()}, freeLocalPort()), 0);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    // allReduceSum of 1.25 and 2.25; the mean of 0 and 3; uneven gradients averaged over both ranks.
    for (int r = 0; r < 2; ++r)
      QCOMPARE(readFile(out / ("values" + std::to_string(r) + ".txt")),
               "3.5 1.5 2 " + std::to_string(r) + "\n1.5 2 0\n");

    Net reference = makeNet(100);
    QVERIFY(identical(loadTensors(out / "broadcast0.pt"), reference->parameters()));
    QVERIFY(identical(loadTensors(out / "broadcast1.pt"), reference->parameters()));

    DistributedContext single({});
    Net net = makeNet(7);
    train(net, single);
    const auto rank0 = loadTensors(out / "trained0.pt"), rank1 = loadTensors(out / "trained1.pt");
    QVERIFY(identical(rank0, rank1));
    QVERIFY(!identical(rank0, makeNet(7)->parameters()));  // the steps did move the parameters
    const double difference = maxRelativeDifference(rank0, net->parameters());
    qInfo("2 Gloo processes vs 1 process after %d AdamW steps: max relative parameter difference %.3g "
          "(workers took %.2f s)", kSteps, difference, seconds);
    QVERIFY2(difference < 1e-5, qPrintable(QString::number(difference)));
  }
};

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--distributed-worker") {
    try {
      return runWorker(argv[2]);
    } catch (const std::exception& e) {
      std::cerr << "distributed worker: " << e.what() << std::endl;
      return 1;
    }
  }
  TestDistributed test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_distributed.moc"
