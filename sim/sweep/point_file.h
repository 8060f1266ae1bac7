// Reading back what the sweep needs from one point's result file (docs/output.md): the scenario
// hash that tells whether the point is done, and the headline figures of the merged table.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace gwsim::sweep {

// The headline figures of one run. Job figures are those of job 0 (the first job of the scenario).
struct PointMetrics {
  std::string scenario_sha256;
  double simulated_time_s = 0;
  double wall_time_s = 0;
  double mean_step_duration_s = 0;  // mean of /steps:duration_s over job 0's steps
  double tokens_per_s = 0;          // /jobs:tokens_per_s of job 0
  double energy_j = 0;              // /jobs:energy_j of job 0
};

// The root attribute scenario_sha256 of a gwsim result file, or nothing when the file is missing or
// is not a readable gwsim file. Never throws.
std::optional<std::string> read_scenario_sha256(const std::filesystem::path& file);

// The headline figures. Throws std::runtime_error naming the file and the object that could not be
// read.
PointMetrics read_point_metrics(const std::filesystem::path& file);

}  // namespace gwsim::sweep
