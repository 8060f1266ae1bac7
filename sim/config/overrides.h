// Internal to sim/config: `--set field.path=value` applied to a YAML tree before it is mapped onto
// the schema, so an override is checked exactly like a value written in the file.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "sim/config/yaml_mapping.h"

namespace gwsim::config::detail {

// Applies one "a.b[2].c=value" assignment (value parsed as YAML) to `root`, creating missing
// mappings on the way, and records the path in `sources` as set on the command line. Throws
// InputError naming "--set" for a malformed assignment or an index past the end of a list.
void apply_override(YAML::Node& root, const std::string& assignment, SourceMap& sources);

}  // namespace gwsim::config::detail
