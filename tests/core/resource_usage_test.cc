#include "sim/core/resource_usage.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include "tests/in_child.h"

namespace gwsim {
namespace {

// What raise_open_file_limit(wanted) returns and the soft limit afterwards, in a child that starts
// with soft 64 and hard 256 open files (limits are per process).
std::vector<double> raised(uint64_t wanted) {
  return testing::in_child(2, [wanted] {
    const rlimit start{64, 256};
    if (setrlimit(RLIMIT_NOFILE, &start) != 0) return std::vector<double>{};
    const auto returned = static_cast<double>(raise_open_file_limit(wanted));
    rlimit now{};
    getrlimit(RLIMIT_NOFILE, &now);
    return std::vector<double>{returned, static_cast<double>(now.rlim_cur)};
  });
}

TEST(OpenFileLimit, RaisesTheSoftLimitToWhatIsWanted) {
  EXPECT_EQ(raised(100), (std::vector<double>{100, 100}));
}

TEST(OpenFileLimit, StopsAtTheHardLimit) {
  EXPECT_EQ(raised(1000), (std::vector<double>{256, 256}));
}

TEST(OpenFileLimit, NeverLowersIt) { EXPECT_EQ(raised(10), (std::vector<double>{64, 64})); }

}  // namespace
}  // namespace gwsim
