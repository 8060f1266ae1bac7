// The process's own resource use, for reports and benchmarks (never for anything that schedules
// events).
#pragma once

#include <cstdint>

namespace gwsim {

// Peak resident set size of this process so far, in bytes (getrusage's ru_maxrss).
int64_t peak_rss_bytes();

// Raises this process's soft limit on open files to `wanted`, as far as the hard limit allows (it
// never lowers it), and returns the soft limit in force afterwards. Linux starts processes with a
// soft limit of 1,024 for the sake of select(), which gwsim does not use; the hard limit is the
// administrator's real bound.
uint64_t raise_open_file_limit(uint64_t wanted);

}  // namespace gwsim
