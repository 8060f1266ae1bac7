// The process's own resource use, for reports and benchmarks (never for anything that schedules
// events).
#pragma once

#include <cstdint>

namespace gwsim {

// Peak resident set size of this process so far, in bytes (getrusage's ru_maxrss).
int64_t peak_rss_bytes();

}  // namespace gwsim
