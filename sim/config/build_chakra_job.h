// Internal to sim/config: a ChakraJob message -> the typed, checked ChakraJobSpec.
#pragma once

#include <string>

#include "sim/config/scenario.h"
#include "sim/config/scenario.pb.h"
#include "sim/config/yaml_mapping.h"

namespace gwsim::config::detail {

// `path` is the job's field path ("workload.jobs[2].chakra"); ranks start at `first_free`. The
// trace folder is resolved against the scenario file's folder and every rank's file must exist
// (checked here, so that `gwsim check` finds a missing one). Errors are InputErrors located through
// `sources`.
ChakraJobSpec build_chakra_job(const pb::ChakraJob& m, const SourceMap& sources,
                               const std::string& path, const std::string& job_name, int first_free,
                               int accelerator_count);

}  // namespace gwsim::config::detail
