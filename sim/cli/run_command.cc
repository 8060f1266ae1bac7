// gwsim run SCENARIO -o OUT.h5 [--seed N] [--set field=value ...] [--quiet]
#include <algorithm>
#include <iostream>
#include <optional>

#include "sim/cli/commands.h"
#include "sim/cli/progress_printer.h"
#include "sim/cli/scenario_options.h"
#include "sim/cli/summary.h"
#include "sim/output/atomic_file.h"
#include "sim/output/results_writer.h"
#include "sim/output/site_writer.h"
#include "sim/run/run_scenario.h"
#include "sim/run/run_site.h"

namespace gwsim::cli {
namespace po = boost::program_options;

int run_command(const Args& args) {
  ScenarioOptions scenario_options;
  std::string output;
  po::options_description options("gwsim run SCENARIO -o OUT.h5 [options]");
  po::positional_options_description positional;
  scenario_options.add_to(options, positional);
  options.add_options()("output,o", po::value(&output)->required(),
                        "HDF5 file to write (replaced only when the run completes)")(
      "quiet,q", "no progress on stderr")("help,h", "show this help");
  if (print_help_if_asked(args, options)) return 0;
  po::variables_map vm;
  parse_args(args, options, positional, vm);

  // Everything that can be wrong with the input is found before the simulation starts.
  const config::Scenario scenario = scenario_options.load();
  output::AtomicOutputPath out(output);
  output::install_cleanup_signal_handlers();

  if (scenario.platform.resolution == config::Resolution::kJob) {
    const run::SiteRunResult result = run::run_site(scenario);
    output::write_site_results(out.temp_path(), scenario, result);
    out.commit();
    std::cout << summarize_site(scenario, result) << "wrote     " << output << "\n";
    return 0;
  }
  std::optional<ProgressPrinter> progress;
  if (!vm.count("quiet")) progress.emplace(stderr);
  const run::RunResult result = run::run_scenario(scenario, progress ? &*progress : nullptr);

  output::write_results(out.temp_path(), scenario, result);
  out.commit();
  std::cout << summarize(scenario, result) << "wrote     " << output << "\n";
  return 0;
}

}  // namespace gwsim::cli
