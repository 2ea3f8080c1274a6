#include "core/util/process_memory.h"

#include <unistd.h>

#include <fstream>

namespace autoqvis {

int64_t processResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace autoqvis
