// gwsim check SCENARIO [--set field=value ...] [--seed N]: loads and validates, runs nothing.
#include <algorithm>
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/scenario_options.h"

namespace gwsim::cli {
namespace po = boost::program_options;

int check_command(const Args& args) {
  ScenarioOptions scenario_options;
  po::options_description options("gwsim check SCENARIO [options]");
  po::positional_options_description positional;
  scenario_options.add_to(options, positional);
  options.add_options()("help,h", "show this help");
  po::variables_map vm;
  if (std::find(args.begin(), args.end(), "--help") != args.end() ||
      std::find(args.begin(), args.end(), "-h") != args.end()) {
    std::cout << options << "\n";
    return 0;
  }
  parse_args(args, options, positional, vm);
  const config::Scenario scenario =
      config::load_scenario(scenario_options.scenario, scenario_options.load_options());
  std::cout << scenario_options.scenario << ": ok (" << scenario.name << "; "
            << scenario.platform.accelerator_count() << " accelerators, " << scenario.jobs.size()
            << " job" << (scenario.jobs.size() == 1 ? "" : "s") << "; sha256 "
            << scenario.source.sha256 << ")\n";
  return 0;
}

}  // namespace gwsim::cli
