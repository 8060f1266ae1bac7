// Writes a job-resolution run (sim/run/run_site.h) in gwsim's HDF5 layout (docs/output.md): root
// attributes, /jobs (one row per job of the stream), /power/site and /facility.
#pragma once

#include <filesystem>

#include "sim/config/scenario.h"
#include "sim/run/run_site.h"

namespace gwsim::output {

// Writes and closes `path` (normally AtomicOutputPath::temp_path()); the caller renames it when
// complete.
void write_site_results(const std::filesystem::path& path, const config::Scenario& scenario,
                        const run::SiteRunResult& result);

}  // namespace gwsim::output
