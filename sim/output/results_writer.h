// Writes one run's results to an HDF5 file in the layout documented in docs/output.md (format
// version 1).
#pragma once

#include <filesystem>

#include "sim/config/scenario.h"
#include "sim/output/hdf5_writer.h"
#include "sim/run/run_result.h"

namespace gwsim::output {

inline constexpr int64_t kFormatVersion = 1;

// What the root attributes record about how a run went.
struct RunProvenance {
  std::string simgrid_version;  // empty when no SimGrid engine ran (job resolution)
  Seconds simulated_time;
  double wall_s = 0;
  uint64_t events = 0;
};

// The root attributes (docs/output.md): format, versions, the scenario and its hash, the seed.
void write_root_attributes(Hdf5Writer& file, const config::Scenario& scenario,
                           const RunProvenance& result);

// The group /power/site: the site's IT power series (docs/output.md), at either resolution.
void write_site_power(Hdf5Writer& file, const power::PowerSeries& series);

// Writes and closes `path` (normally AtomicOutputPath::temp_path()); the caller renames it when
// complete.
void write_results(const std::filesystem::path& path, const config::Scenario& scenario,
                   const run::RunResult& result);

}  // namespace gwsim::output
