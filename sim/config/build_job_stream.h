// Internal to sim/config: the schema's JobStream message -> the typed, range-checked JobStreamSpec.
#pragma once

#include <optional>

#include "sim/config/scenario.h"
#include "sim/config/scenario.pb.h"
#include "sim/config/yaml_mapping.h"

namespace gwsim::config::detail {

// The scenario's job stream (workload.job_stream), or nothing when it has none. `platform` is the
// platform built so far (jobs take whole nodes of it). The shape file and the trace are read
// relative to the scenario file; their errors name the file, the line and the column or key.
std::optional<JobStreamSpec> build_job_stream(const pb::Scenario& message,
                                              const PlatformSpec& platform,
                                              const SourceMap& sources);

}  // namespace gwsim::config::detail
