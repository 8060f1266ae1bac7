// What the tests that run the gwsim binary share: where the binary is, a fresh folder per test,
// running a shell command with its output captured, and reading a file back whole.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gwsim::testing {

// $GWSIM if set (to test an installed binary), else the one this build made.
inline std::string gwsim_binary() {
  const char* path = std::getenv("GWSIM");
  return path != nullptr ? path : std::string(GWSIM_BINARY_DIR) + "/sim/cli/gwsim";
}

// The file's bytes ("" if it cannot be read).
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CommandOutcome {
  int exit_code;  // -1 when the command did not exit normally
  std::string out;
  std::string err;
};

// A fresh folder under the system's temporary folder for each test, named after the suite's
// `prefix` and the test, removed at the end (kept when the test failed, to look at).
class CommandTest : public ::testing::Test {
 protected:
  explicit CommandTest(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (prefix_ + "-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // Runs `command` through the shell from the test's folder; stdout and stderr are captured in
  // stdout.txt and stderr.txt there.
  CommandOutcome shell(const std::string& command) const {
    const std::filesystem::path out = dir_ / "stdout.txt", err = dir_ / "stderr.txt";
    const std::string full = "cd '" + dir_.string() + "' && " + command + " > '" + out.string() +
                             "' 2> '" + err.string() + "'";
    const int status = std::system(full.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(out), read_text(err)};
  }
  CommandOutcome gwsim(const std::string& args) const { return shell(gwsim_binary() + " " + args); }

  std::filesystem::path dir_;

 private:
  std::string prefix_;
};

}  // namespace gwsim::testing
