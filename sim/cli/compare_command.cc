// gwsim compare A.h5 B.h5 ... -o DIR: several runs (or sweeps' points) side by side, by
// analysis/compare.py.
#include "sim/cli/analysis_script.h"
#include "sim/cli/commands.h"

namespace gwsim::cli {

int compare_command(const Args& args) { exec_analysis_script("compare.py", "compare", args); }

}  // namespace gwsim::cli
