// Data-parallel training building blocks (issue #4): one process per device, a c10d TCP store for the
// rendezvous, Gloo on CPU and NCCL on CUDA. The trainer runs the same steps in every process on its
// share of the batch and calls allReduceGradients() between backward() and the optimiser step, so
// every process applies the same update to the same parameters (what DDP does, without its hooks).
//
// A world of one process creates no store and no process group: every call returns at once, so the
// trainer calls these unconditionally.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

namespace autoqvis {

struct DistributedOptions {
  int rank = 0;                          ///< this process, 0 .. world_size - 1; rank 0 serves the store
  int world_size = 1;                    ///< processes in the job; 1 = no process group
  int local_rank = 0;                    ///< this process on its machine: the CUDA device it uses
  std::string master_addr = "127.0.0.1"; ///< address of rank 0's machine (the TCP store)
  int master_port = 29500;               ///< port of the TCP store
  std::string backend = "auto";          ///< auto (NCCL where built and CUDA exists, else Gloo) | gloo | nccl
  int timeout_s = 300;                   ///< rendezvous and collective timeout
};

/// `defaults` overridden by the torchrun variables RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and
/// MASTER_PORT where they are set. Throws Error naming the variable for a malformed or out-of-range value.
DistributedOptions distributedOptionsFromEnvironment(DistributedOptions defaults);

/// Whether this build has the Gloo (CPU) and NCCL (CUDA) process groups. Gloo needs LibTorch's gloo
/// headers at configure time (Debian: libgloo-dev); NCCL a CUDA LibTorch and nccl.h.
bool glooBuilt();
bool ncclBuilt();

class DistributedContext {
 public:
  /// Joins the job: rank 0 starts the TCP store at master_addr:master_port and waits for the others,
  /// then all create the process group. Throws Error (naming master address, port and rank) on bad
  /// options, a backend this build lacks, or a rendezvous that does not complete within timeout_s.
  explicit DistributedContext(DistributedOptions options);
  /// Leaves without a collective (it could hang when another rank failed); call barrier() first at a
  /// normal end so rank 0's store outlives the others' last use of it.
  ~DistributedContext();
  DistributedContext(const DistributedContext&) = delete;
  DistributedContext& operator=(const DistributedContext&) = delete;

  int rank() const { return options_.rank; }
  int worldSize() const { return options_.world_size; }
  int localRank() const { return options_.local_rank; }
  bool isMain() const { return options_.rank == 0; }
  bool active() const { return options_.world_size > 1; }
  /// "gloo" or "nccl" once resolved; "none" for a world of one.
  const std::string& backend() const { return backend_; }

  /// Replaces every gradient by its mean over the processes. Parameters without a gradient on some
  /// ranks take part with zeros there (as DDP's find_unused_parameters); those without one on every
  /// rank keep none. One collective per dtype (plus one small one for which parameters have gradients).
  void allReduceGradients(const std::vector<at::Tensor>& params);
  /// Sum over the processes of each one's `value`.
  double allReduceSum(double value);
  /// allReduceSum(value) / worldSize(): the criterion's num_masks, which the official code all-reduces
  /// and divides by the world size (torch.clamp(num_masks / get_world_size(), min=1); the clamp is done
  /// by VideoSetCriterion itself).
  double allReduceMean(double value);
  /// For CriterionOptions::reduce_num_masks: allReduceMean bound to this context.
  std::function<double(double)> numMasksReducer();
  /// Copies rank 0's values of `params` into every process, so all start from the same weights.
  void broadcastParameters(const std::vector<at::Tensor>& params);
  /// Returns once every process has called it.
  void barrier();

 private:
  struct Impl;
  std::string where() const;  ///< "rank R of W, master ADDR:PORT, BACKEND" for error messages
  [[noreturn]] void fail(const std::string& what, const std::exception& cause) const;

  DistributedOptions options_;
  std::string backend_ = "none";
  std::unique_ptr<Impl> impl_;
};

}  // namespace autoqvis
