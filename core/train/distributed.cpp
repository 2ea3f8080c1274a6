#include "core/train/distributed.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <utility>

// A backend needs LibTorch built with it (USE_C10D_*, from LibTorch's CMake targets) and its headers
// (AUTOQVIS_HAVE_*_HEADERS, from core/CMakeLists.txt).
#if defined(USE_C10D_GLOO) && defined(AUTOQVIS_HAVE_GLOO_HEADERS)
#define AUTOQVIS_GLOO 1
#endif
#if defined(USE_C10D_NCCL) && defined(AUTOQVIS_HAVE_NCCL_HEADERS)
#define AUTOQVIS_NCCL 1
#endif

#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/Types.hpp>
#ifdef AUTOQVIS_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef AUTOQVIS_NCCL
#include <c10/cuda/CUDAFunctions.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include "core/util/error.h"

namespace autoqvis {

namespace {

// Parses an environment value as a whole integer in [low, high]; anything else names the variable.
int environmentInt(const char* name, int fallback, int low, int high) {
  const char* text = std::getenv(name);
  if (!text) return fallback;
  const std::string value(text);
  size_t used = 0;
  long parsed = 0;
  try {
    parsed = std::stol(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (value.empty() || used != value.size() || parsed < low || parsed > high)
    throw Error("environment variable " + std::string(name) + "='" + value + "' is not an integer in [" +
                std::to_string(low) + ", " + std::to_string(high) + "]");
  return int(parsed);
}

void validate(const DistributedOptions& o) {
  const std::string at = " (master " + o.master_addr + ":" + std::to_string(o.master_port) + ")";
  if (o.world_size < 1) throw Error("distributed world size " + std::to_string(o.world_size) + " < 1" + at);
  if (o.rank < 0 || o.rank >= o.world_size)
    throw Error("distributed rank " + std::to_string(o.rank) + " outside [0, " + std::to_string(o.world_size) +
                ")" + at);
  if (o.master_port < 1 || o.master_port > 65535)
    throw Error("distributed master port " + std::to_string(o.master_port) + " outside [1, 65535]");
  if (o.backend != "auto" && o.backend != "gloo" && o.backend != "nccl")
    throw Error("unknown distributed backend '" + o.backend + "' (auto, gloo or nccl)");
  if (o.timeout_s < 1) throw Error("distributed timeout must be at least 1 s");
}

// The collectives this file needs, over either process group. A template rather than the c10d base
// class because LibTorch 1.13's groups derive from c10d::ProcessGroup and 2.x's from c10d::Backend.
struct Collectives {
  virtual ~Collectives() = default;
  virtual void allReduceSum(std::vector<at::Tensor>& tensors) = 0;
  virtual void broadcastFrom0(std::vector<at::Tensor>& tensors) = 0;
  virtual void barrier() = 0;
};

template <class Group>
struct GroupCollectives final : Collectives {
  GroupCollectives(c10::intrusive_ptr<Group> g, std::vector<int64_t> devices)
      : group(std::move(g)), barrier_devices(std::move(devices)) {}
  void allReduceSum(std::vector<at::Tensor>& tensors) override { group->allreduce(tensors)->wait(); }
  void broadcastFrom0(std::vector<at::Tensor>& tensors) override {
    c10d::BroadcastOptions options;
    options.rootRank = 0;
    group->broadcast(tensors, options)->wait();
  }
  void barrier() override {
    c10d::BarrierOptions options;
    options.device_ids = barrier_devices;  // NCCL would otherwise guess the device from the rank
    group->barrier(options)->wait();
  }
  c10::intrusive_ptr<Group> group;
  std::vector<int64_t> barrier_devices;
};

// Tensors grouped by dtype and device, each group flattened into one contiguous buffer so that a
// whole group costs one collective instead of one per parameter.
struct FlatBuckets {
  explicit FlatBuckets(const std::vector<at::Tensor>& tensors) {
    for (const at::Tensor& t : tensors) {
      const std::string key = std::string(c10::toString(t.scalar_type())) + "@" + t.device().str();
      auto [it, inserted] = index.emplace(key, members.size());
      if (inserted) members.emplace_back();
      members[it->second].push_back(t);
    }
  }
  std::vector<at::Tensor> flatten() const {
    std::vector<at::Tensor> flat;
    for (const auto& group : members) {
      std::vector<at::Tensor> views;
      for (const at::Tensor& t : group) views.push_back(t.detach().reshape({-1}));
      flat.push_back(torch::cat(views));
    }
    return flat;
  }
  // Copies the buffers back into the tensors they were made from.
  void unflatten(const std::vector<at::Tensor>& flat) const {
    torch::NoGradGuard no_grad;
    for (size_t g = 0; g < members.size(); ++g) {
      int64_t offset = 0;
      for (const at::Tensor& t : members[g]) {
        t.copy_(flat[g].narrow(0, offset, t.numel()).view(t.sizes()));
        offset += t.numel();
      }
    }
  }
  std::map<std::string, size_t> index;
  std::vector<std::vector<at::Tensor>> members;
};

// Gloo's transport device: loopback for a job on one machine, else the address this machine's
// hostname resolves to; GLOO_SOCKET_IFNAME picks an interface, as in PyTorch.
#ifdef AUTOQVIS_GLOO
std::shared_ptr<::gloo::transport::Device> glooDevice(const std::string& master_addr) {
  if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"))
    return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
  if (master_addr == "localhost" || master_addr.rfind("127.", 0) == 0)
    return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}
#endif

}  // namespace

DistributedOptions distributedOptionsFromEnvironment(DistributedOptions o) {
  o.world_size = environmentInt("WORLD_SIZE", o.world_size, 1, 1 << 20);
  o.rank = environmentInt("RANK", o.rank, 0, o.world_size - 1);
  o.local_rank = environmentInt("LOCAL_RANK", o.local_rank, 0, 1 << 20);
  o.master_port = environmentInt("MASTER_PORT", o.master_port, 1, 65535);
  if (const char* addr = std::getenv("MASTER_ADDR")) {
    if (!*addr) throw Error("environment variable MASTER_ADDR is empty");
    o.master_addr = addr;
  }
  return o;
}

#ifdef AUTOQVIS_GLOO
bool glooBuilt() { return true; }
#else
bool glooBuilt() { return false; }
#endif
#ifdef AUTOQVIS_NCCL
bool ncclBuilt() { return true; }
#else
bool ncclBuilt() { return false; }
#endif

struct DistributedContext::Impl {
  c10::intrusive_ptr<c10d::Store> store;     // declared first: destroyed after the group that uses it
  std::unique_ptr<Collectives> collectives;
  torch::Device device = torch::kCPU;         // where scalars for the collectives are made
};

DistributedContext::DistributedContext(DistributedOptions options) : options_(std::move(options)) {
  validate(options_);
  if (options_.world_size == 1) return;
  backend_ = options_.backend;
  if (backend_ == "auto") backend_ = ncclBuilt() && torch::cuda::is_available() ? "nccl" : "gloo";
  if (backend_ == "gloo" && !glooBuilt())
    throw Error("this build has no Gloo process group (LibTorch's gloo headers were missing at configure "
                "time), " + where());
  if (backend_ == "nccl" && !ncclBuilt())
    throw Error("this build has no NCCL process group (a CUDA LibTorch with nccl.h is needed), " + where());

  impl_ = std::make_unique<Impl>();
  const std::chrono::milliseconds timeout(int64_t(options_.timeout_s) * 1000);
  try {
    c10d::TCPStoreOptions store_options;
    store_options.port = uint16_t(options_.master_port);
    store_options.isServer = options_.rank == 0;
    store_options.numWorkers = size_t(options_.world_size);
    store_options.waitWorkers = true;  // rank 0 returns once every rank has connected
    store_options.timeout = timeout;
    impl_->store = c10::make_intrusive<c10d::TCPStore>(options_.master_addr, store_options);
  } catch (const std::exception& e) {
    fail("cannot join the TCP store", e);
  }
  try {
#ifdef AUTOQVIS_GLOO
    if (backend_ == "gloo") {
      auto group_options = c10d::ProcessGroupGloo::Options::create(timeout);
      group_options->devices.push_back(glooDevice(options_.master_addr));
      auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, options_.rank, options_.world_size,
                                                               group_options);
      impl_->collectives = std::make_unique<GroupCollectives<c10d::ProcessGroupGloo>>(group, std::vector<int64_t>{});
    }
#endif
#ifdef AUTOQVIS_NCCL
    if (backend_ == "nccl") {
      c10::cuda::set_device(c10::DeviceIndex(options_.local_rank));
      impl_->device = torch::Device(torch::kCUDA, c10::DeviceIndex(options_.local_rank));
      auto group_options = c10d::ProcessGroupNCCL::Options::create();
      group_options->timeout = timeout;
      auto group = c10::make_intrusive<c10d::ProcessGroupNCCL>(impl_->store, options_.rank, options_.world_size,
                                                               group_options);
      impl_->collectives = std::make_unique<GroupCollectives<c10d::ProcessGroupNCCL>>(
          group, std::vector<int64_t>{options_.local_rank});
    }
#endif
  } catch (const std::exception& e) {
    fail("cannot create the " + backend_ + " process group", e);
  }
}

DistributedContext::~DistributedContext() = default;

std::string DistributedContext::where() const {
  return "rank " + std::to_string(options_.rank) + " of " + std::to_string(options_.world_size) + ", master " +
         options_.master_addr + ":" + std::to_string(options_.master_port) + ", backend " + backend_;
}

void DistributedContext::fail(const std::string& what, const std::exception& cause) const {
  throw Error(what + " (" + where() + "): " + cause.what());
}

void DistributedContext::allReduceGradients(const std::vector<at::Tensor>& params) {
  if (!active()) return;
  torch::NoGradGuard no_grad;
  try {
    // First agree on which parameters have a gradient anywhere, so that every rank flattens the same
    // layout; a mismatch would otherwise fail or, worse, mix up parameters.
    at::Tensor mask = torch::zeros({int64_t(params.size())}, torch::kInt);
    auto mine = mask.accessor<int, 1>();
    for (size_t i = 0; i < params.size(); ++i) mine[int64_t(i)] = int(params[i].grad().defined());
    std::vector<at::Tensor> has_grad{mask.to(impl_->device)};
    impl_->collectives->allReduceSum(has_grad);
    const at::Tensor used = has_grad[0].cpu();
    const auto ranks_with_grad = used.accessor<int, 1>();
    std::vector<at::Tensor> grads;
    for (size_t i = 0; i < params.size(); ++i) {
      if (ranks_with_grad[int64_t(i)] == 0) continue;
      at::Tensor param = params[i];
      if (!param.grad().defined()) param.mutable_grad() = torch::zeros_like(param);
      if (param.grad().is_sparse()) throw Error("sparse gradients are not supported");
      grads.push_back(param.grad());
    }
    if (grads.empty()) return;
    FlatBuckets buckets(grads);
    std::vector<at::Tensor> flat = buckets.flatten();
    for (at::Tensor& buffer : flat) {
      std::vector<at::Tensor> one{buffer};  // one tensor per call: a group with several is multi-device
      impl_->collectives->allReduceSum(one);
      buffer.div_(options_.world_size);
    }
    buckets.unflatten(flat);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    fail("gradient all-reduce failed", e);
  }
}

double DistributedContext::allReduceSum(double value) {
  if (!active()) return value;
  try {
    std::vector<at::Tensor> one{torch::full({1}, value, torch::kDouble).to(impl_->device)};
    impl_->collectives->allReduceSum(one);
    return one[0].item<double>();
  } catch (const std::exception& e) {
    fail("all-reduce of a value failed", e);
  }
}

double DistributedContext::allReduceMean(double value) { return allReduceSum(value) / options_.world_size; }

std::function<double(double)> DistributedContext::numMasksReducer() {
  return [this](double local) { return allReduceMean(local); };
}

void DistributedContext::broadcastParameters(const std::vector<at::Tensor>& params) {
  if (!active() || params.empty()) return;
  try {
    FlatBuckets buckets(params);
    std::vector<at::Tensor> flat = buckets.flatten();
    for (at::Tensor& buffer : flat) {
      std::vector<at::Tensor> one{buffer};
      impl_->collectives->broadcastFrom0(one);
    }
    buckets.unflatten(flat);
  } catch (const std::exception& e) {
    fail("parameter broadcast from rank 0 failed", e);
  }
}

void DistributedContext::barrier() {
  if (!active()) return;
  try {
    impl_->collectives->barrier();
  } catch (const std::exception& e) {
    fail("barrier failed", e);
  }
}

}  // namespace autoqvis
