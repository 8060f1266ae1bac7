// Writes the facility's series and metrics (/facility, docs/output.md) when the run has a facility.
#pragma once

#include "sim/config/scenario.h"
#include "sim/output/hdf5_writer.h"
#include "sim/run/run_result.h"

namespace gwsim::output {

// The /facility group with its attributes and series (no per-job table): shared by both
// resolutions.
void write_facility_chain(Hdf5Writer& file, const facility::FacilityResult& facility);

// Does nothing when result.facility is empty.
void write_facility(Hdf5Writer& file, const config::Scenario& scenario,
                    const run::RunResult& result);

}  // namespace gwsim::output
