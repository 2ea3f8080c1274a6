#include "core/eval/ytvis_eval_params.h"

#include "core/util/error.h"

namespace autoqvis {

const char* protocolName(EvalProtocol protocol) {
  switch (protocol) {
    case EvalProtocol::VideoCutler:
      return "videocutler";
    case EvalProtocol::AutoQ:
      return "autoq";
    case EvalProtocol::ClassAware:
      return "classaware";
  }
  return "?";
}

EvalProtocol parseEvalProtocol(const std::string& name) {
  for (EvalProtocol p : {EvalProtocol::VideoCutler, EvalProtocol::AutoQ, EvalProtocol::ClassAware}) {
    if (name == protocolName(p)) return p;
  }
  throw Error("unknown evaluation protocol '" + name + "' (choices: videocutler, autoq, classaware)");
}

namespace ytvis_params {

const std::array<double, kNumRecallThresholds>& recallThresholds() {
  static const std::array<double, kNumRecallThresholds> thresholds = [] {
    std::array<double, kNumRecallThresholds> r{};
    // NumPy: arange(101) * step + start with step = 1/100 = 0.01 and start = 0; the last is set to stop.
    const double step = 1.0 / 100.0;
    for (int k = 0; k < kNumRecallThresholds - 1; ++k) r[k] = static_cast<double>(k) * step;
    r[kNumRecallThresholds - 1] = 1.0;
    return r;
  }();
  return thresholds;
}

}  // namespace ytvis_params
}  // namespace autoqvis
