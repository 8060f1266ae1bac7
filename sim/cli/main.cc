// gwsim: the command-line entry point. Dispatches to one subcommand per verb.
#include <cstring>
#include <iostream>

#include <boost/program_options/errors.hpp>

#include "sim/cli/commands.h"
#include "sim/core/error.h"
#include "sim/core/version.h"
#include "sim/engine/simulation.h"

namespace gwsim::cli {
namespace {

constexpr const char* kUsage =
    "usage: gwsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO -o OUT.h5 [--seed N] [--set field.path=value ...] [--quiet]\n"
    "                 simulate a scenario and write its results to OUT.h5\n"
    "  check SCENARIO [--seed N] [--set field.path=value ...]\n"
    "                 load and validate a scenario, run nothing\n"
    "  platform SCENARIO [--json] [--set field.path=value ...]\n"
    "                 build the scenario's platform and describe it (counts, bisection, peak, "
    "power)\n"
    "  collective SCENARIO [--op OP] [--ranks N] [--group-shape LxM] [--algo auto|ALGORITHM]\n"
    "             [--fidelity step|fluid] [--sizes 1KiB:1GiB:x4] [--json]\n"
    "                 simulate one collective over sizes; a table like nccl-tests'\n"
    "  step SCENARIO [--job NAME] [--json] [--set field.path=value ...]\n"
    "                 simulate one step of a transformer job and print where its time goes\n"
    "  chakra SCENARIO -o DIR [--job NAME] [--set field.path=value ...]\n"
    "                 write a transformer job's rank DAGs as Chakra traces, one per rank\n"
    "  sweep SWEEP.yaml [--executor local|slurm] [-j N] [--emit-only] [--force] ...\n"
    "                 run a parameter study, resumably, and merge it into sweep.h5\n"
    "  report OUT.h5 -o DIR [--zoom START:END]\n"
    "                 write an HTML report with figures of one run (DIR/report.html)\n"
    "  compare A.h5 B.h5 ... -o DIR\n"
    "                 compare runs or sweep.h5 points side by side (DIR/compare.html)\n"
    "  --version      print the version, git revision and SimGrid version\n"
    "\n"
    "exit codes: 0 success, 2 bad input (scenario, flags), 1 internal error,\n"
    "            3 some sweep points failed\n"
    "`gwsim <command> --help` lists a command's options.\n";

}  // namespace

int guarded(const char* name, int (*command)(const Args&), const Args& args) {
  try {
    return command(args);
  } catch (const InputError& e) {
    std::cerr << "gwsim " << name << ": error: " << e.what() << "\n";
    return 2;
  } catch (const boost::program_options::error& e) {
    std::cerr << "gwsim " << name << ": " << e.what() << "\n(see `gwsim " << name << " --help`)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gwsim " << name << ": internal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace gwsim::cli

int main(int argc, char** argv) {
  using namespace gwsim::cli;
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string verb = argv[1];
  const Args args(argv + 2, argv + argc);
  if (verb == "--version" || verb == "version") {
    std::cout << "gwsim " << gwsim::kVersion << " (git " << gwsim::kGitRevision << ", SimGrid "
              << gwsim::engine::Simulation::simgrid_version() << ")\n";
    return 0;
  }
  if (verb == "--help" || verb == "-h" || verb == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (verb == "run") return guarded("run", run_command, args);
  if (verb == "check") return guarded("check", check_command, args);
  if (verb == "platform") return guarded("platform", platform_command, args);
  if (verb == "collective") return guarded("collective", collective_command, args);
  if (verb == "step") return guarded("step", step_command, args);
  if (verb == "chakra") return guarded("chakra", chakra_command, args);
  if (verb == "sweep") return guarded("sweep", sweep_command, args);
  if (verb == "report") return guarded("report", report_command, args);
  if (verb == "compare") return guarded("compare", compare_command, args);
  std::cerr << "gwsim: unknown command \"" << verb << "\"\n" << kUsage;
  return 2;
}
