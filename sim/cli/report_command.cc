// gwsim report OUT.h5 -o DIR [--zoom START:END]: an HTML report of one run, by analysis/report.py.
#include "sim/cli/analysis_script.h"
#include "sim/cli/commands.h"

namespace gwsim::cli {

int report_command(const Args& args) { exec_analysis_script("report.py", "report", args); }

}  // namespace gwsim::cli
