// Writes one run's results to an HDF5 file in the layout documented in docs/output.md (format
// version 1).
#pragma once

#include <filesystem>

#include "sim/config/scenario.h"
#include "sim/run/run_result.h"

namespace gwsim::output {

inline constexpr int64_t kFormatVersion = 1;

// Writes and closes `path` (normally AtomicOutputPath::temp_path()); the caller renames it when
// complete.
void write_results(const std::filesystem::path& path, const config::Scenario& scenario,
                   const run::RunResult& result);

}  // namespace gwsim::output
