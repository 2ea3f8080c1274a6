// `--nproc N` on one machine: starts N copies of a program as the ranks of a data-parallel job, the way
// torchrun does, and supervises them. No LibTorch here: the launcher process never trains.
#pragma once

#include <string>
#include <vector>

namespace autoqvis {

/// Runs `argv` (argv[0] is looked up in PATH when it has no '/') `nproc` times, each child with
/// RANK = LOCAL_RANK = i, WORLD_SIZE = LOCAL_WORLD_SIZE = nproc, MASTER_ADDR = 127.0.0.1 and
/// MASTER_PORT = master_port added to this process's environment. The caller passes its own command
/// line minus `--nproc`, so that the children join the job instead of launching again.
///
/// Each child leads its own process group; SIGINT and SIGTERM sent to the launcher are forwarded to
/// every group. As soon as one child fails, the others get SIGTERM (SIGKILL after 10 s).
/// Returns 0 when all exited with 0; else the first failure's exit code, or 128 + its signal.
/// Throws Error for nproc < 1, an empty argv or a failed fork().
int launchLocalProcesses(int nproc, const std::vector<std::string>& argv, int master_port);

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0 and released), for a
/// single-machine job that was given no port.
int freeLocalPort();

}  // namespace autoqvis
