// Internal to sim/config: the schema's message -> the typed, range-checked Scenario.
#pragma once

#include "sim/config/scenario.h"
#include "sim/config/scenario.pb.h"
#include "sim/config/yaml_mapping.h"

namespace gwsim::config::detail {

// Checks every value once (presence of required fields, units, ranges, consistency between fields)
// and returns the typed scenario; `source` is left for the caller to fill. Errors are InputErrors
// located through `sources`.
Scenario build_scenario(const pb::Scenario& message, const SourceMap& sources);

}  // namespace gwsim::config::detail
