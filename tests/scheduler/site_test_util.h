// Scenario files for the job-resolution tests: a small platform (4 nodes of 8 accelerators, 100 W
// idle, 700 W peak, 300 W communicating, 1 kW per node) with an inline shape of 2 s per step (1 s
// compute, 0.8 s exposed communication, 0.2 s bubble) and, with a cap, the s^3 cap curve of
// docs/power.md.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/config/loader.h"

namespace gwsim::scheduler::testing {

// The cap curve (ideal DVFS, docs/power.md), for scenarios with a cap.
inline std::string cap_curve() {
  return "  cap_curve_speed: [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]\n"
         "  cap_curve_power: [0.125, 0.216, 0.343, 0.512, 0.729, 1.0]\n";
}

// `power` is added to the power section (caps and their curve); `extra` after the scenario.
inline std::string site_yaml(const std::string& stream, const std::string& extra = "",
                             const std::string& power = "") {
  return R"(name: site test
platform:
  resolution: job
  accelerator: {name: X, peak_flop_rate: 1000TFLOP/s, idle_power: 100W, peak_power: 700W}
  nodes: 4
  accelerators_per_node: 8
  scale_up: {kind: switch, link_bandwidth: 450GB/s, link_latency: 1us}
  scale_out: {kind: single_switch, nic_bandwidth: 400Gbps, link_latency: 1us}
workload:
  job_stream:
)" + stream +
         R"(
power:
  communicating_power: 300W
  node_overhead_power: 1kW
)" + power +
         "record: {power_interval: 1s}\n" + extra;
}

inline std::string shape_lines() {
  return "    shapes: [{name: s, step_time: 2s, compute_fraction: 0.5, bubble_fraction: 0.1}]\n";
}

// A folder of its own under the build tree for one test's files.
inline std::filesystem::path test_dir(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::path(GWSIM_BINARY_DIR) / "tests" / "scheduler" / "files" / name;
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::filesystem::path write_file(const std::filesystem::path& path,
                                        const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

// Writes the scenario (and the trace, when given) into the test's folder and loads it.
inline config::Scenario load_site(const std::string& name, const std::string& yaml,
                                  const std::string& trace_csv = "") {
  const std::filesystem::path dir = test_dir(name);
  if (!trace_csv.empty()) write_file(dir / "trace.csv", trace_csv);
  return config::load_scenario(write_file(dir / "scenario.yaml", yaml));
}

inline std::string trace_stream(const std::string& duration = "1d") {
  return "    duration: " + duration + "\n" + shape_lines() + "    trace_csv: trace.csv\n";
}

}  // namespace gwsim::scheduler::testing
