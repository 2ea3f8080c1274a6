// Options of the process itself: device, threads, seed, logging. Shared by every stage.
//
// How options structs work (every *_options.h follows this): fields with defaults, each commented,
// and one visit() that names every field for the YAML loader/writer, check() and --set overrides:
//   v.field("key", member, "help text", lo, hi)   numbers (int, int64_t, double): inclusive range
//   v.field("key", member, "help text")           bool or std::string
//   v.choice("key", member, "help text", {"a", "b"})  a string from a fixed set
//   v.list("key", member, "help text", lo, hi)    std::vector<int> / std::vector<double>, range per element
#pragma once

#include <cstdint>
#include <string>

namespace autoqvis {

struct RuntimeOptions {
  std::string device = "auto";  ///< "auto" (CUDA when present), "cpu" or "cuda"
  int threads = 0;              ///< LibTorch intra-op threads; 0 = all cores
  int64_t seed = 1;             ///< seed of every random choice of a run
  std::string log_level = "info";

  template <class V>
  void visit(V& v) {
    v.choice("device", device, "where models run: auto = CUDA if available, else CPU", {"auto", "cpu", "cuda"});
    v.field("threads", threads, "LibTorch intra-op threads (0 = all cores)", 0, 1024);
    v.field("seed", seed, "seed for every random choice of a run", int64_t{0}, int64_t{1} << 62);
    v.choice("log_level", log_level, "messages below this level are hidden", {"debug", "info", "warning", "error"});
  }
};

}  // namespace autoqvis
