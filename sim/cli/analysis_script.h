// Running the Python analysis scripts (analysis/*.py) for `gwsim report` and `gwsim compare`.
//
// The interpreter is the one CMake found at configure time (GWSIM_PYTHON: it imports Debian's h5py,
// numpy and matplotlib, which the `python3` first on PATH may not), and the scripts are those of
// the source tree gwsim was built from (GWSIM_ANALYSIS_DIR); both paths are compiled into the
// binary.
#pragma once

#include <string>

#include "sim/cli/commands.h"

namespace gwsim::cli {

// Replaces this process by `GWSIM_PYTHON -B GWSIM_ANALYSIS_DIR/<script> args...`, with GWSIM_PROG
// set to "gwsim <command>" so that the script's messages and --help name the command the user
// typed. The script's exit code (0 success, 2 bad input, 1 internal error), output and signals
// become gwsim's own. Returns only on failure, by throwing std::runtime_error (an installation
// problem: exit code 1).
[[noreturn]] void exec_analysis_script(const std::string& script, const std::string& command,
                                       const Args& args);

}  // namespace gwsim::cli
