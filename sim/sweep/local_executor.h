// Runs sweep points as parallel `gwsim run` processes on this machine.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sim/sweep/points.h"
#include "sim/sweep/sweep_folder.h"

namespace gwsim::sweep {

// The `gwsim run` command of one point: BASE -o points/<index>.h5 --quiet --set ... (argv, with the
// binary first).
std::vector<std::string> point_command(const std::filesystem::path& gwsim,
                                       const std::filesystem::path& base, const SweepFolder& folder,
                                       const Point& point);

// Called after every change: points running now, points finished done, finished failed.
using LocalProgress = std::function<void(size_t running, size_t done, size_t failed)>;

// Runs `todo` with at most `jobs` processes at once; each writes its stdout, stderr and exit code
// under logs/. Returns 0 when every point has run (whatever its exit code), or 128 + the signal
// when SIGINT or SIGTERM stopped the sweep (install_stop_handlers() must have been called): running
// points are then sent SIGTERM (which removes their partial files) and waited for.
// REQUIRES: jobs >= 1.
int run_local(const std::vector<const Point*>& todo, const std::filesystem::path& gwsim,
              const std::filesystem::path& base, const SweepFolder& folder, int jobs,
              const LocalProgress& progress);

// The running binary (/proc/self/exe): the points run with the same gwsim as the sweep.
std::filesystem::path self_executable();

}  // namespace gwsim::sweep
