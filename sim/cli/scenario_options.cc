#include "sim/cli/scenario_options.h"

#include "sim/workload/transformer/layout.h"

#include <algorithm>
#include <charconv>
#include <iostream>

#include "sim/core/error.h"
#include "sim/network/algorithms.h"

namespace gwsim::cli {
namespace po = boost::program_options;

void ScenarioOptions::add_to(po::options_description& options,
                             po::positional_options_description& positional) {
  options.add_options()("scenario", po::value(&scenario)->required(),
                        "scenario file (.yaml, .yml, .json, .textproto, .pbtxt)")(
      "set", po::value(&overrides)->composing(),
      "override a field: --set field.path=value (repeatable), e.g. --set platform.nodes=4")(
      "seed", po::value(&seed_text), "master seed, replaces the scenario's seed");
  positional.add("scenario", 1);
}

config::LoadOptions ScenarioOptions::load_options() const {
  config::LoadOptions load;
  load.overrides = overrides;
  if (!seed_text.empty()) {
    uint64_t seed = 0;
    auto [end, ec] = std::from_chars(seed_text.data(), seed_text.data() + seed_text.size(), seed);
    if (ec != std::errc() || end != seed_text.data() + seed_text.size()) {
      throw InputError({"--seed", 0}, "",
                       "expected a whole number >= 0, got \"" + seed_text + "\"");
    }
    load.seed = seed;
  }
  return load;
}

config::Scenario ScenarioOptions::load() const {
  config::Scenario loaded = config::load_scenario(scenario, load_options());
  // A transformer layout is checked against its model by the workload layer, which the config
  // layer below it cannot call: every command that loads a scenario checks it here.
  for (const config::JobSpec& job : loaded.jobs) {
    if (const auto* t = std::get_if<config::TransformerJobSpec>(&job.kind))
      workload::transformer::validate_layout(t->model, t->layout, t->layout_at, t->layout_path);
    // So is a data-parallel job's algorithm name, against sim/network's (whether it suits the
    // group is known once the platform is built).
    const auto* d = std::get_if<config::DataParallelJobSpec>(&job.kind);
    if (d && d->algorithm != "auto" && !network::parse_algorithm(d->algorithm)) {
      throw InputError(d->algorithm_at, d->algorithm_path,
                       "expected auto or one of " + network::algorithm_names() + ", got \"" +
                           d->algorithm + "\"");
    }
  }
  return loaded;
}

bool print_help_if_asked(const Args& args, const po::options_description& options) {
  if (std::find(args.begin(), args.end(), "--help") == args.end() &&
      std::find(args.begin(), args.end(), "-h") == args.end()) {
    return false;
  }
  std::cout << options << "\n";
  return true;
}

void parse_args(const Args& args, const po::options_description& options,
                const po::positional_options_description& positional, po::variables_map& vm) {
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
}

}  // namespace gwsim::cli
