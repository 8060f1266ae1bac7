// The transformer executor on SimGrid: symmetric ranks against every rank, and the pipeline bubble
// against the schedule's closed form. Each run in a child process (one engine per process).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/config/loader.h"
#include "sim/run/run_scenario.h"
#include "tests/in_child.h"

namespace gwsim::executor {
namespace {

config::Scenario load(const std::string& file, std::vector<std::string> overrides = {}) {
  config::LoadOptions options;
  options.overrides = std::move(overrides);
  return config::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/tests/executor/" + file, options);
}

// Step durations, then the simulated rank count, then every accelerator's energy.
std::vector<double> run_in_child(const config::Scenario& scenario, size_t steps,
                                 size_t accelerators) {
  return testing::in_child(steps + 1 + accelerators, [&] {
    const run::RunResult r = run::run_scenario(scenario, nullptr);
    std::vector<double> out;
    for (const StepRecord& s : r.steps) out.push_back(s.duration().value());
    out.push_back(r.transformer_steps.at(0).simulated_ranks);
    for (const auto& a : r.accelerators) out.push_back(a.energy.value());
    return out;
  });
}

TEST(TransformerJob, SymmetricRanksGiveWhatEveryRankGives) {
  // Communicating draws its own power, so the mirrored accelerators' tensor-parallel collectives
  // (waited in closed form) must count as communication for the energies to agree.
  const std::string flag = "workload.jobs[0].transformer.symmetric_ranks=";
  const std::string power = "power.communicating_power=300W";
  const auto some = run_in_child(load("small_transformer.yaml", {flag + "true", power}), 2, 32);
  const auto all = run_in_child(load("small_transformer.yaml", {flag + "false", power}), 2, 32);
  EXPECT_EQ(some[2], 4);  // one rank per tensor-parallel group
  EXPECT_EQ(all[2], 32);
  for (size_t i : {0, 1}) EXPECT_NEAR(some[i], all[i], 1e-8 * all[i]) << "step " << i;
  for (size_t a = 3; a < all.size(); ++a) EXPECT_NEAR(some[a], all[a], 1e-6 * all[a]) << a;
}

TEST(TransformerJob, SymmetricRanksHoldWhereNodesShareOversubscribedUplinks) {
  // Not rail-optimized and 4:1 oversubscribed: every node's eight NICs share their leaf group's
  // uplinks, which the data-parallel traffic crosses. The symmetric run gives its one simulated
  // rank per node an eighth of each shared link, the share each of the eight copies gets.
  const std::vector<std::string> fabric = {"platform.scale_out.fat_tree.rail_optimized=false",
                                           "platform.scale_out.fat_tree.scalable_unit=1",
                                           "platform.scale_out.fat_tree.oversubscription=[4]"};
  auto with = [&](const std::string& flag) {
    std::vector<std::string> o = fabric;
    o.push_back("workload.jobs[0].transformer.symmetric_ranks=" + flag);
    return load("small_transformer.yaml", o);
  };
  const auto some = run_in_child(with("true"), 2, 32);
  const auto all = run_in_child(with("false"), 2, 32);
  EXPECT_EQ(some[2], 4);
  for (size_t i : {0, 1}) EXPECT_NEAR(some[i], all[i], 1e-8 * all[i]) << "step " << i;
  // And the oversubscription shows: slower than the rail-optimized fabric.
  const auto apart = run_in_child(load("small_transformer.yaml"), 2, 32);
  EXPECT_GT(all[0], apart[0]);
}

double bubble_share(const config::Scenario& scenario) {
  return testing::in_child(1, [&] {
    const run::RunResult r = run::run_scenario(scenario, nullptr);
    const StepBreakdown& b = r.transformer_steps.at(0);
    return std::vector<double>{b.bubble.value() / b.step_time.value()};
  })[0];
}

TEST(TransformerJob, PipelineBubbleFollowsTheSchedule) {
  // 1F1B with pp = 4 and m = 8 equal micro-batches idles (pp - 1) / (m + pp - 1) = 3/11 of the
  // step on every stage. Stages differ a little (the first holds the embedding, the last the output
  // layer) and transfers take time: within 4 percentage points.
  const double one_f_one_b = bubble_share(load("pipeline.yaml"));
  EXPECT_NEAR(one_f_one_b, 3.0 / 11.0, 0.04);
  // Interleaving two chunks per stage: (pp - 1) / (v m + pp - 1) = 3/19.
  const double interleaved =
      bubble_share(load("pipeline.yaml", {"workload.jobs[0].transformer.layout.virtual_stages=2"}));
  EXPECT_NEAR(interleaved, 3.0 / 19.0, 0.04);
  // GPipe idles as long as 1F1B (the same (pp - 1) fills), only holding more activations.
  const double gpipe =
      bubble_share(load("pipeline.yaml", {"workload.jobs[0].transformer.layout.schedule=gpipe"}));
  EXPECT_NEAR(gpipe, one_f_one_b, 0.02);
}

}  // namespace
}  // namespace gwsim::executor
