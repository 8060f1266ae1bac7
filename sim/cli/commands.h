// The gwsim subcommands. Each takes the arguments after its name and returns the process exit code:
// 0 success, 2 bad input (scenario, flags), 1 internal error.
#pragma once

#include <string>
#include <vector>

namespace gwsim::cli {

using Args = std::vector<std::string>;

int run_command(const Args& args);
int check_command(const Args& args);
int platform_command(const Args& args);
int collective_command(const Args& args);
int step_command(const Args& args);
int chakra_command(const Args& args);
int sweep_command(const Args& args);
int report_command(const Args& args);
int compare_command(const Args& args);

// Runs `command` and maps exceptions to exit codes and messages on stderr.
int guarded(const char* name, int (*command)(const Args&), const Args& args);

}  // namespace gwsim::cli
