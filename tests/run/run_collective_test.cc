// gwsim collective's run layer: a group's levels follow the platform (nodes, then sites), and the
// hierarchical all-reduce across sites matches its closed form.
#include "sim/run/run_collective.h"

#include <gtest/gtest.h>

#include "sim/config/loader.h"
#include "tests/in_child.h"

namespace gwsim::run {
namespace {

config::Scenario two_sites() {
  return config::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/tests/run/two_sites.yaml");
}

TEST(RunCollective, GroupsAcrossSitesHaveASiteLevel) {
  const config::Scenario s = two_sites();
  CollectiveRequest r;
  r.ranks = 16;
  EXPECT_EQ(group_levels(s.platform, r), (std::vector<int>{4, 2, 2}));
  r.ranks = 8;  // one site
  EXPECT_EQ(group_levels(s.platform, r), (std::vector<int>{4, 2}));
  r.ranks = 16;
  r.ranks_per_node = 2;
  EXPECT_THROW(group_levels(s.platform, r), InputError);  // 8 nodes of 2: the platform has 4
}

TEST(RunCollective, HierarchicalAcrossSitesMatchesItsClosedForm) {
  const std::vector<double> t = testing::in_child(4, [] {
    CollectiveRequest r;
    r.ranks = 16;
    r.algorithm = network::Algorithm::kHierarchical;
    r.fidelity = network::Fidelity::kStep;
    r.sizes = {Bytes(1 << 20), Bytes(1 << 30)};
    std::vector<double> out;
    for (const CollectiveRow& row : run_collective(two_sites(), r)) {
      out.push_back(row.time.value());
      out.push_back(row.predicted.value());
    }
    return out;
  });
  EXPECT_NEAR(t[0], t[1], 0.005 * t[1]);
  EXPECT_NEAR(t[2], t[3], 0.005 * t[3]);
  // The 1 ms between sites is paid on both passes of the sites' ring (2 x (2 - 1) steps).
  EXPECT_GT(t[0], 2e-3);
}

}  // namespace
}  // namespace gwsim::run
