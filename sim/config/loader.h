// Loading a scenario: file -> validated, typed Scenario.
//
// YAML (.yaml/.yml), JSON (.json) and protobuf text format (.textproto/.pbtxt) are accepted. Every
// problem is reported once, as a gwsim::InputError whose message names the file, the line where
// known, the field path and what was expected, e.g.
//   configs/bad.yaml:12: platform.scale_out.nic_bandwidth: expected a bandwidth such as "400Gbps",
//   got "fast"
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/scenario.h"

namespace gwsim::config {

enum class Format { kYaml, kJson, kTextProto };

struct LoadOptions {
  // "field.path=value" assignments applied on top of the file, in order (`--set`). The value is
  // YAML: "workload.jobs[0].data_parallel.steps=10", "platform.scale_out.nic_bandwidth=800Gbps".
  std::vector<std::string> overrides;
  // Replaces the scenario's seed (`--seed`).
  std::optional<uint64_t> seed;
};

// Reads and validates a scenario file; the format follows the file's extension.
Scenario load_scenario(const std::filesystem::path& file, const LoadOptions& options = {});

// The same from text in memory; display_name stands for the file in error messages.
Scenario load_scenario_text(std::string_view text, Format format, const std::string& display_name,
                            const LoadOptions& options = {});

}  // namespace gwsim::config
