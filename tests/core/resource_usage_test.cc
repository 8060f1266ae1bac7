#include "sim/core/resource_usage.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include "tests/in_child.h"

namespace gwsim {
namespace {

// Limits are per process, so each case runs in a child with soft 64 and hard 256 open files.
std::vector<double> in_child_with_limits(const std::function<std::vector<double>()>& body,
                                         size_t count) {
  return testing::in_child(count, [&] {
    const rlimit start{64, 256};
    if (setrlimit(RLIMIT_NOFILE, &start) != 0) return std::vector<double>{};
    return body();
  });
}

double soft_limit() {
  rlimit now{};
  getrlimit(RLIMIT_NOFILE, &now);
  return static_cast<double>(now.rlim_cur);
}

TEST(OpenFileLimit, RaisesTheSoftLimitToWhatIsWanted) {
  const std::vector<double> r = in_child_with_limits(
      [] {
        return std::vector<double>{static_cast<double>(raise_open_file_limit(100)), soft_limit()};
      },
      2);
  EXPECT_EQ(r[0], 100);
  EXPECT_EQ(r[1], 100);
}

TEST(OpenFileLimit, StopsAtTheHardLimit) {
  const std::vector<double> r = in_child_with_limits(
      [] {
        return std::vector<double>{static_cast<double>(raise_open_file_limit(1000)), soft_limit()};
      },
      2);
  EXPECT_EQ(r[0], 256);
  EXPECT_EQ(r[1], 256);
}

TEST(OpenFileLimit, NeverLowersIt) {
  const std::vector<double> r = in_child_with_limits(
      [] {
        return std::vector<double>{static_cast<double>(raise_open_file_limit(10)), soft_limit()};
      },
      2);
  EXPECT_EQ(r[0], 64);
  EXPECT_EQ(r[1], 64);
}

}  // namespace
}  // namespace gwsim
