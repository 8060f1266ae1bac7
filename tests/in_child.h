// Runs a simulation in a forked child and returns what it measured: SimGrid allows one engine per
// process, and comparisons need several runs.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <vector>

namespace gwsim::testing {

// `count` doubles from `simulate`, run in a child process; -1 each if the child failed.
inline std::vector<double> in_child(size_t count,
                                    const std::function<std::vector<double>()>& simulate) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    const std::vector<double> values = simulate();
    const auto bytes = static_cast<ssize_t>(values.size() * sizeof(double));
    _exit(values.size() == count &&
                  write(fds[1], values.data(), static_cast<size_t>(bytes)) == bytes
              ? 0
              : 1);
  }
  close(fds[1]);
  std::vector<double> values(count, -1.0);
  const auto expected = static_cast<ssize_t>(count * sizeof(double));
  EXPECT_EQ(read(fds[0], values.data(), static_cast<size_t>(expected)), expected);
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  return values;
}

}  // namespace gwsim::testing
