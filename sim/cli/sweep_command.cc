// gwsim sweep SWEEP.yaml [--executor local|slurm] [-j N] [slurm options] [--emit-only]
//   [--merge-only] [--force] [--quiet]
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <thread>

#include "sim/cli/commands.h"
#include "sim/cli/scenario_options.h"
#include "sim/core/error.h"
#include "sim/sweep/local_executor.h"
#include "sim/sweep/run_sweep.h"

namespace gwsim::cli {
namespace po = boost::program_options;

int sweep_command(const Args& args) {
  std::string sweep_file;
  std::string executor = "local";
  sweep::SweepOptions options;
  options.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  po::options_description description("gwsim sweep SWEEP.yaml [options]");
  description.add_options()("sweep", po::value(&sweep_file)->required(), "sweep file (.yaml)")(
      "executor", po::value(&executor), "where points run: local (default) or slurm")(
      "jobs,j", po::value(&options.jobs),
      "local: points run at once (default: the number of cores)")(
      "partition", po::value(&options.slurm.partition), "slurm: partition (#SBATCH --partition)")(
      "account", po::value(&options.slurm.account), "slurm: account (#SBATCH --account)")(
      "time", po::value(&options.slurm.time), "slurm: time limit per point, e.g. 01:00:00")(
      "max-parallel", po::value(&options.slurm.max_parallel),
      "slurm: array tasks running at once (--array=...%K; default no limit)")(
      "sbatch-arg", po::value(&options.slurm.sbatch_args)->composing(),
      "slurm: an extra #SBATCH line, e.g. --sbatch-arg=--mem=4G (repeatable)")(
      "poll-interval", po::value(&options.slurm.poll_interval_s),
      "slurm: seconds between squeue calls (default 1)")(
      "emit-only", "slurm: write the job script and the point list, submit nothing")(
      "merge-only", "run nothing; merge the points the folder holds into sweep.h5")(
      "force", "use an output folder that holds results of a changed sweep file")(
      "quiet,q", "no progress on stderr")("help,h", "show this help");
  po::positional_options_description positional;
  positional.add("sweep", 1);
  if (std::find(args.begin(), args.end(), "--help") != args.end() ||
      std::find(args.begin(), args.end(), "-h") != args.end()) {
    std::cout << description << "\n";
    return 0;
  }
  po::variables_map vm;
  parse_args(args, description, positional, vm);

  if (executor == "local") {
    options.executor = sweep::Executor::kLocal;
  } else if (executor == "slurm") {
    options.executor = sweep::Executor::kSlurm;
  } else {
    throw InputError({"--executor", 0}, "", "expected local or slurm, got \"" + executor + "\"");
  }
  if (options.jobs < 1) {
    throw InputError({"--jobs", 0}, "",
                     "expected a whole number >= 1, got " + std::to_string(options.jobs));
  }
  if (options.slurm.max_parallel < 0) {
    throw InputError(
        {"--max-parallel", 0}, "",
        "expected a whole number >= 0, got " + std::to_string(options.slurm.max_parallel));
  }
  if (!(options.slurm.poll_interval_s > 0)) {
    throw InputError({"--poll-interval", 0}, "", "expected a number of seconds > 0");
  }
  if (options.executor == sweep::Executor::kLocal) {
    for (const char* name :
         {"partition", "account", "time", "max-parallel", "sbatch-arg", "emit-only"}) {
      if (vm.count(name)) {
        throw InputError({std::string("--") + name, 0}, "", "applies to --executor slurm only");
      }
    }
  }
  options.emit_only = vm.count("emit-only") > 0;
  options.merge_only = vm.count("merge-only") > 0;
  options.force = vm.count("force") > 0;
  options.quiet = vm.count("quiet") > 0;
  options.gwsim = sweep::self_executable();
  std::fflush(stdout);
  return sweep::run_sweep(sweep_file, options, stdout, stderr);
}

}  // namespace gwsim::cli
