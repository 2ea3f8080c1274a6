#include "core/train/process_launcher.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/util/error.h"

extern char** environ;

namespace autoqvis {

namespace {

// The children of the running launch, read by the signal handler: a fixed array because a handler
// must not allocate or take locks.
constexpr int kMaxChildren = 1024;
pid_t g_children[kMaxChildren];
volatile sig_atomic_t g_child_count = 0;

void forwardSignal(int signal_number) {
  for (int i = 0; i < g_child_count; ++i)
    if (g_children[i] > 0) kill(-g_children[i], signal_number);
}

// Installs the forwarding handler for SIGINT and SIGTERM for the lifetime of one launch.
class SignalForwarding {
 public:
  SignalForwarding() {
    struct sigaction action {};
    action.sa_handler = forwardSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~SignalForwarding() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    g_child_count = 0;
  }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

bool isLaunchVariable(const char* entry) {
  static const char* const kNames[] = {"RANK=", "LOCAL_RANK=", "WORLD_SIZE=", "LOCAL_WORLD_SIZE=", "MASTER_ADDR=",
                                       "MASTER_PORT="};
  for (const char* name : kNames)
    if (std::strncmp(entry, name, std::strlen(name)) == 0) return true;
  return false;
}

// This process's environment with the rendezvous variables of `rank` replacing any inherited ones.
std::vector<std::string> childEnvironment(int rank, int nproc, int master_port) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry)
    if (!isLaunchVariable(*entry)) env.emplace_back(*entry);
  const std::string r = std::to_string(rank), n = std::to_string(nproc);
  for (const std::string& own : {"RANK=" + r, "LOCAL_RANK=" + r, "WORLD_SIZE=" + n, "LOCAL_WORLD_SIZE=" + n,
                                 std::string("MASTER_ADDR=127.0.0.1"), "MASTER_PORT=" + std::to_string(master_port)})
    env.push_back(own);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

// Everything is prepared before fork(): between fork and exec a child of a threaded process may only
// make async-signal-safe calls.
pid_t startChild(std::vector<char*>& argv, std::vector<char*>& envp) {
  const pid_t parent = getpid();
  // A stop that reaches the child before exec would run the launcher's forwarding handler there and be lost
  // (the child then runs on until SIGKILL): hold SIGINT/SIGTERM across fork, and let the child take them
  // with the default action once it no longer has that handler.
  sigset_t stop_signals, previous;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  const pid_t pid = fork();
  if (pid != 0) {
    if (pid > 0) setpgid(pid, pid);  // also in the parent, so a signal right after fork reaches it
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return pid;
  }
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  sigprocmask(SIG_SETMASK, &previous, nullptr);
  setpgid(0, 0);
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGTERM);  // do not outlive a launcher that was killed outright
  if (getppid() != parent) _exit(128 + SIGTERM);
#endif
  execvpe(argv[0], argv.data(), envp.data());
  _exit(127);  // exec failed: the shell's "command not found"
}

int statusCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

void signalAll(const std::vector<pid_t>& pids, const std::vector<bool>& running, int signal_number) {
  for (size_t i = 0; i < pids.size(); ++i)
    if (running[i]) kill(-pids[i], signal_number);
}

// Reaps the children; on the first failure stops the others. Polls rather than waitpid(-1) so that
// other children of the calling process (it may be a test or a GUI) are left alone.
int superviseChildren(const std::vector<pid_t>& pids) {
  using Clock = std::chrono::steady_clock;
  std::vector<bool> running(pids.size(), true);
  size_t left = pids.size();
  int failure = 0;
  Clock::time_point kill_at{};
  while (left > 0) {
    for (size_t i = 0; i < pids.size(); ++i) {
      int status = 0;
      if (!running[i] || waitpid(pids[i], &status, WNOHANG) != pids[i]) continue;
      running[i] = false;
      --left;
      const int code = statusCode(status);
      if (code != 0 && failure == 0) {
        failure = code;
        signalAll(pids, running, SIGTERM);
        kill_at = Clock::now() + std::chrono::seconds(10);
      }
    }
    if (failure != 0 && Clock::now() > kill_at) signalAll(pids, running, SIGKILL);
    if (left > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return failure;
}

}  // namespace

int launchLocalProcesses(int nproc, const std::vector<std::string>& argv, int master_port) {
  if (nproc < 1 || nproc > kMaxChildren)
    throw Error("--nproc " + std::to_string(nproc) + " outside [1, " + std::to_string(kMaxChildren) + "]");
  if (argv.empty()) throw Error("no program to launch");
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers = pointers(args);
  std::vector<std::vector<std::string>> envs;
  for (int rank = 0; rank < nproc; ++rank) envs.push_back(childEnvironment(rank, nproc, master_port));

  SignalForwarding forwarding;
  std::vector<pid_t> pids;
  for (int rank = 0; rank < nproc; ++rank) {
    std::vector<char*> env_pointers = pointers(envs[size_t(rank)]);
    const pid_t pid = startChild(arg_pointers, env_pointers);
    if (pid < 0) {
      const std::string reason = std::strerror(errno);
      signalAll(pids, std::vector<bool>(pids.size(), true), SIGKILL);
      superviseChildren(pids);
      throw Error("cannot start rank " + std::to_string(rank) + " of " + argv[0] + ": fork failed: " + reason);
    }
    pids.push_back(pid);
    g_children[rank] = pid;
    g_child_count = rank + 1;
  }
  return superviseChildren(pids);
}

int freeLocalPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw Error(std::string("cannot open a socket to find a free port: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  const std::string reason = ok ? "" : std::strerror(errno);
  close(fd);
  if (!ok) throw Error("cannot find a free port on 127.0.0.1: " + reason);
  return ntohs(address.sin_port);
}

}  // namespace autoqvis
