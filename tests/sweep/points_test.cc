// Expanding a sweep into points: the product's order, the hashes, and invalid combinations.
#include <gtest/gtest.h>

#include <filesystem>

#include "sim/config/loader.h"
#include "sim/config/sweep.h"
#include "sim/core/error.h"
#include "sim/sweep/points.h"
#include "sim/sweep/progress.h"

namespace gwsim::sweep {
namespace {

const std::filesystem::path kHere = std::filesystem::path(GWSIM_SOURCE_DIR) / "tests/sweep";

config::SweepSpec load(const std::string& text) {
  return config::load_sweep_text(text, "s.yaml", kHere);
}

TEST(SweepPoints, TheLastDimensionVariesFastest) {
  const auto spec = load(
      "base: tiny.yaml\noutput: o\n"
      "axes:\n  platform.accelerators_per_node: [1, 2]\n  seed: [5, 6, 7]\n"
      "zip:\n  - platform.accelerator.name: [a, b]\n    platform.accelerator.peak_power: [600W, "
      "700W]\n");
  const std::vector<Point> points = expand_points(spec);
  ASSERT_EQ(points.size(), 12u);
  const std::vector<std::string> per_node = {"1", "2"}, seeds = {"5", "6", "7"}, names = {"a", "b"},
                                 powers = {"600W", "700W"};
  for (size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE(i);
    // index = (node_choice * 3 + seed_choice) * 2 + zip_row
    const size_t zip_row = i % 2, seed_choice = i / 2 % 3, node_choice = i / 6;
    EXPECT_EQ(points[i].index, i);
    EXPECT_EQ(points[i].values, (std::vector<std::string>{per_node[node_choice], seeds[seed_choice],
                                                          names[zip_row], powers[zip_row]}));
    EXPECT_FALSE(points[i].skipped());
  }
}

TEST(SweepPoints, EachHashIsThatOfTheSameRunWithSet) {
  const auto spec = load(
      "base: tiny.yaml\noutput: o\nset:\n  workload.jobs[0].data_parallel.steps: 3\n"
      "axes:\n  platform.scale_up.link_bandwidth: [50GB/s, 200GB/s]\n");
  const std::vector<Point> points = expand_points(spec);
  ASSERT_EQ(points.size(), 2u);
  for (const Point& p : points) {
    config::LoadOptions options;
    options.overrides = {"workload.jobs[0].data_parallel.steps=3",
                         "platform.scale_up.link_bandwidth=" + p.values[0]};
    EXPECT_EQ(p.overrides, options.overrides);
    EXPECT_EQ(p.scenario_sha256, config::load_scenario(kHere / "tiny.yaml", options).source.sha256);
  }
  EXPECT_NE(points[0].scenario_sha256, points[1].scenario_sha256);
}

constexpr const char* kRanksSweep =
    "base: tiny.yaml\noutput: o\n"
    "axes:\n  platform.accelerators_per_node: [1, 2]\n"
    "  workload.jobs[0].data_parallel.ranks: [1, 2]\n";

TEST(SweepPoints, AnInvalidCombinationStopsTheSweepBeforeItRuns) {
  // Two ranks on a one-accelerator node: each value is valid alone, not together.
  const auto spec = load(kRanksSweep);
  try {
    expand_points(spec);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("s.yaml: point 1 (platform.accelerators_per_node=1, "
                         "workload.jobs[0].data_parallel.ranks=2) is not a valid scenario: ",
                         0),
              0u)
        << what;
    EXPECT_NE(what.find("skip_invalid"), std::string::npos);
  }
}

TEST(SweepPoints, SkipInvalidKeepsTheIndexesAndGivesTheReason) {
  const auto spec = load(std::string(kRanksSweep) + "skip_invalid: true\n");
  const std::vector<Point> points = expand_points(spec);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_FALSE(points[0].skipped());
  EXPECT_TRUE(points[1].skipped());
  EXPECT_NE(points[1].skip_reason.find("ranks"), std::string::npos) << points[1].skip_reason;
  EXPECT_TRUE(points[1].scenario_sha256.empty());
  EXPECT_FALSE(points[2].skipped());
  EXPECT_FALSE(points[3].skipped());
}

TEST(SweepPoints, AValueNoCombinationAcceptsIsAnErrorAtItsLineEvenWithSkipInvalid) {
  const auto spec = load(
      "base: tiny.yaml\noutput: o\nskip_invalid: true\naxes:\n  seed: [1, 2]\n"
      "  platform.scale_out.nic_bandwidth:\n    - 100Gbps\n    - fast\n");
  try {
    expand_points(spec);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "s.yaml:8: platform.scale_out.nic_bandwidth: expected a bandwidth such as "
              "\"400Gbps\", got \"fast\" (no point with platform.scale_out.nic_bandwidth=fast is "
              "a valid scenario)");
  }
}

TEST(SweepProgress, EstimatesTheTimeLeftFromThisInvocationsRate) {
  Counts c;
  c.total = 100;
  c.done = 30;  // 10 of them done before this invocation
  c.failed = 2;
  c.running = 2;
  c.skipped = 8;
  // 22 finished here in 44 s: 2 s per point; 60 remain -> 120 s.
  EXPECT_EQ(format_progress(c, 22, 44.0),
            "30/100 done, 2 failed, 2 running, 8 skipped, 0:44 elapsed, ~2:00 left");
  c.skipped = 0;
  EXPECT_EQ(format_progress(c, 0, 3725.0), "30/100 done, 2 failed, 2 running, 1:02:05 elapsed");
}

}  // namespace
}  // namespace gwsim::sweep
