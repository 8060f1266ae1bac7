// The typed scenario: what the rest of gwsim sees once a scenario file has been loaded and
// validated.
//
// Every quantity carries its unit in its type and every value has been range-checked by the loader
// (sim/config/loader.h), so code below this layer never parses strings or re-checks input.
// The meaning and unit of each field is documented once, in scenario.proto.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/units.h"

namespace gwsim::config {

enum class Resolution { kAccelerator, kDomain };

struct AcceleratorSpec {
  std::string name;
  FlopsPerSecond peak_flop_rate;
  Watts idle_power;
  Watts peak_power;
};

// One kind of link: bandwidth per direction and latency per traversal.
struct LinkSpec {
  BytesPerSecond bandwidth;
  Seconds latency;
};

struct PlatformSpec {
  Resolution resolution = Resolution::kAccelerator;
  AcceleratorSpec accelerator;
  int nodes = 0;
  int accelerators_per_node = 0;
  std::optional<LinkSpec>
      scale_up;  // each accelerator to its node's switch; set when accelerators_per_node > 1
  std::optional<LinkSpec>
      scale_out;  // each accelerator's NIC to the fabric switch; set when nodes > 1

  int accelerator_count() const { return nodes * accelerators_per_node; }
};

struct DataParallelJobSpec {
  int first_accelerator =
      0;  // ranks occupy accelerators first_accelerator .. first_accelerator + ranks - 1
  int ranks = 0;
  int steps = 0;
  double parameters = 0;
  double tokens_per_step = 0;
  int gradient_bytes_per_parameter = 2;
  double compute_efficiency = 0;
  double compute_jitter_cv = 0;
  Seconds start_time;

  // 6 * N * D for one step, split evenly over the ranks (see scenario.proto).
  Flops flops_per_rank_per_step() const {
    return Flops(6.0 * parameters * tokens_per_step / ranks);
  }
  Bytes gradient_size() const { return Bytes(parameters * gradient_bytes_per_parameter); }
};

struct JobSpec {
  std::string name;
  std::variant<DataParallelJobSpec> kind;
};

struct RecordSpec {
  std::optional<Seconds> power_interval;
};

// Where the scenario came from, kept for the output's provenance attributes.
struct ScenarioSource {
  std::string path;                    // as the user named it
  std::string file_text;               // the file exactly as read
  std::vector<std::string> overrides;  // the --set arguments, in order
  std::string canonical_json;  // the effective scenario (file + overrides + seed) as proto3 JSON
  std::string sha256;          // of canonical_json: equal hashes mean equal scenarios
};

struct Scenario {
  std::string name;
  uint64_t seed = 1;
  PlatformSpec platform;
  std::vector<JobSpec> jobs;
  RecordSpec record;
  ScenarioSource source;
};

}  // namespace gwsim::config
