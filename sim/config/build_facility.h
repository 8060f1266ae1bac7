// Internal to sim/config: the schema's Facility message -> the typed, range-checked FacilitySpec.
#pragma once

#include <optional>

#include "sim/config/facility_spec.h"
#include "sim/config/scenario.h"
#include "sim/config/scenario.pb.h"
#include "sim/config/yaml_mapping.h"

namespace gwsim::config::detail {

// The scenario's facility, or nothing when it has none. `scenario` is the part built so far (its
// record is read: the facility runs on the site power series, so record.power_interval is
// required). Built-in weather profiles are read from platforms/facility/climate/, hourly CSV files
// relative to the scenario file. Errors are InputErrors located through `sources`.
std::optional<FacilitySpec> build_facility(const pb::Scenario& message, const Scenario& scenario,
                                           const SourceMap& sources);

}  // namespace gwsim::config::detail
