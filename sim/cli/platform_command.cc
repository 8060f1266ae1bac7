// gwsim platform SCENARIO [--json] [--set ...]: builds the scenario's platform in SimGrid and
// describes it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "sim/cli/commands.h"
#include "sim/cli/scenario_options.h"
#include "sim/core/quantity_parse.h"
#include "sim/core/resource_usage.h"
#include "sim/engine/simulation.h"
#include "sim/platform/description.h"
#include "sim/platform/zone_builder.h"

namespace gwsim::cli {
namespace po = boost::program_options;

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// The stable JSON form documented in docs/platforms.md.
std::string to_json(const platform::Description& d, double build_s, int64_t rss) {
  std::ostringstream out;
  out << "{\"accelerators\": " << d.accelerators << ", \"nodes\": " << d.nodes
      << ", \"hosts\": " << d.hosts << ", \"links\": " << d.links << ", \"switches\": {";
  for (size_t i = 0; i < d.tiers.size(); ++i)
    out << (i ? ", " : "") << '"' << d.tiers[i].tier << "\": " << d.tiers[i].switches;
  out << "}, \"cables\": {";
  for (size_t i = 0; i < d.tiers.size(); ++i)
    out << (i ? ", " : "") << '"' << d.tiers[i].tier << "\": " << d.tiers[i].cables;
  out << "}, \"bisection_bytes_per_s\": " << number(d.bisection.value())
      << ", \"peak_flops_per_s\": {";
  bool first = true;
  for (const auto& [precision, rate] : d.peak_flop_rate) {
    out << (first ? "" : ", ") << '"' << precision << "\": " << number(rate.value());
    first = false;
  }
  out << R"(}, "it_power_w": {"idle": )" << number(d.idle_power.value())
      << ", \"peak\": " << number(d.peak_power.value()) << "}, \"build_s\": " << number(build_s)
      << ", \"peak_rss_bytes\": " << rss << "}\n";
  return out.str();
}

std::string to_text(const platform::Description& d, double build_s, int64_t rss) {
  std::ostringstream out;
  out << "accelerators  " << d.accelerators << " in " << d.nodes << " nodes\n";
  out << "simgrid       " << d.hosts << " hosts, " << d.links << " links\n";
  for (const platform::TierCount& t : d.tiers) {
    out << "tier          " << t.tier << ": " << t.switches << " switches, " << t.cables
        << " cables\n";
  }
  out << "bisection     " << format_bandwidth(d.bisection) << " per direction\n";
  for (const auto& [precision, rate] : d.peak_flop_rate) {
    out << "peak          " << format_flop_rate(rate) << " (" << precision << ")\n";
  }
  out << "IT power      " << format_power(d.idle_power) << " idle, " << format_power(d.peak_power)
      << " at full load (accelerators and node overhead)\n";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.2f s, peak RSS %.0f MB", build_s,
                static_cast<double>(rss) / 1e6);
  out << "built in      " << buf << "\n";
  return out.str();
}

}  // namespace

int platform_command(const Args& args) {
  ScenarioOptions scenario_options;
  po::options_description options("gwsim platform SCENARIO [options]");
  po::positional_options_description positional;
  scenario_options.add_to(options, positional);
  options.add_options()("json", "print one JSON object (keys in docs/platforms.md)")(
      "help,h", "show this help");
  if (print_help_if_asked(args, options)) return 0;
  po::variables_map vm;
  parse_args(args, options, positional, vm);
  const config::Scenario scenario = scenario_options.load();

  const auto start = std::chrono::steady_clock::now();
  engine::Simulation simulation(engine::Simulation::Options{.host_energy = false});
  const platform::Topology topology(scenario.platform);
  platform::build_zones(topology, scenario.platform.accelerator, /*host_energy=*/false);
  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const platform::Description description = platform::describe(scenario.platform, topology);
  const int64_t rss = peak_rss_bytes();
  std::cout << (vm.count("json") ? to_json(description, build_s, rss)
                                 : to_text(description, build_s, rss));
  return 0;
}

}  // namespace gwsim::cli
