// The memory this process holds, for the GUI's status bar and logs.
#pragma once

#include <cstdint>

namespace autoqvis {

/// Resident set size in bytes (Linux /proc/self/statm); 0 where it cannot be read.
int64_t processResidentBytes();

}  // namespace autoqvis
