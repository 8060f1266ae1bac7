// Options shared by every subcommand that reads a scenario: SCENARIO, --set, --seed.
#pragma once

#include <boost/program_options.hpp>

#include "sim/cli/commands.h"
#include "sim/config/loader.h"

namespace gwsim::cli {

struct ScenarioOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  std::string seed_text;  // parsed by load_options(), so a bad seed is reported like any bad input

  // Adds SCENARIO (positional), --set and --seed to `options`.
  void add_to(boost::program_options::options_description& options,
              boost::program_options::positional_options_description& positional);
  config::LoadOptions load_options() const;
  // Loads and validates the scenario with the overrides and seed given (transformer layouts against
  // their models too).
  config::Scenario load() const;
};

// Prints `options` on stdout and returns true when `args` ask for help (-h or --help).
bool print_help_if_asked(const Args& args,
                         const boost::program_options::options_description& options);

// Parses `args` into `vm`; throws boost::program_options::error on unknown or missing options.
void parse_args(const Args& args, const boost::program_options::options_description& options,
                const boost::program_options::positional_options_description& positional,
                boost::program_options::variables_map& vm);

}  // namespace gwsim::cli
