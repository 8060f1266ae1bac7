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
  if (print_help_if_asked(args, options)) return 0;
  parse_args(args, options, positional, vm);
  const config::Scenario scenario = scenario_options.load();
  std::cout << scenario_options.scenario << ": ok (" << scenario.name << "; "
            << scenario.platform.accelerator_count() << " accelerators, " << scenario.jobs.size()
            << " job" << (scenario.jobs.size() == 1 ? "" : "s") << "; sha256 "
            << scenario.source.sha256 << ")\n";
  return 0;
}

}  // namespace gwsim::cli
