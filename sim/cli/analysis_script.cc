#include "sim/cli/analysis_script.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <vector>

namespace gwsim::cli {

void exec_analysis_script(const std::string& script, const std::string& command, const Args& args) {
  const std::string python = GWSIM_PYTHON;
  const std::filesystem::path path = std::filesystem::path(GWSIM_ANALYSIS_DIR) / script;
  if (!std::filesystem::is_regular_file(path)) {
    throw std::runtime_error(
        "the analysis script " + path.string() +
        " is missing (gwsim runs analysis/ of the source tree it was built from)");
  }
  const std::string prog = "gwsim " + command;
  if (setenv("GWSIM_PROG", prog.c_str(), 1) != 0) {
    throw std::runtime_error(std::string("cannot set GWSIM_PROG: ") + std::strerror(errno));
  }
  // -B: write no __pycache__ into the source tree.
  std::vector<std::string> words = {python, "-B", path.string()};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(words.size() + 1);
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  execv(python.c_str(), argv.data());
  throw std::runtime_error("cannot run the analysis interpreter " + python + ": " +
                           std::strerror(errno) + " (reconfigure with -DGWSIM_PYTHON=...)");
}

}  // namespace gwsim::cli
