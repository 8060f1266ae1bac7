// The transformer executor on SimGrid: symmetric ranks against every rank, rank orders, and the
// pipeline bubble against the schedule's closed form. Each run in a child process (one engine per
// process).
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

// The small job with `overrides` where nodes share oversubscribed uplinks, not rail-optimized and
// 4:1: every node's eight NICs share their leaf group's uplinks, which the data-parallel traffic
// crosses. Run with one simulated rank per node (`some`) and with every rank (`all`).
struct SymmetricAndEveryRank {
  std::vector<double> some, all;
};
SymmetricAndEveryRank on_shared_uplinks(const std::vector<std::string>& overrides = {}) {
  auto with = [&](const std::string& flag) {
    std::vector<std::string> o = {"platform.scale_out.fat_tree.rail_optimized=false",
                                  "platform.scale_out.fat_tree.scalable_unit=1",
                                  "platform.scale_out.fat_tree.oversubscription=[4]",
                                  "workload.jobs[0].transformer.symmetric_ranks=" + flag};
    o.insert(o.end(), overrides.begin(), overrides.end());
    return load("small_transformer.yaml", o);
  };
  return {run_in_child(with("true"), 2, 32), run_in_child(with("false"), 2, 32)};
}

TEST(TransformerJob, SymmetricRanksHoldWhereNodesShareOversubscribedUplinks) {
  // The symmetric run gives its one simulated rank per node an eighth of each shared link, the
  // share each of the eight copies gets.
  const auto [some, all] = on_shared_uplinks();
  EXPECT_EQ(some[2], 4);
  for (size_t i : {0, 1}) EXPECT_NEAR(some[i], all[i], 1e-8 * all[i]) << "step " << i;
  // And the oversubscription shows: slower than the rail-optimized fabric.
  const auto apart = run_in_child(load("small_transformer.yaml"), 2, 32);
  EXPECT_GT(all[0], apart[0]);
}

TEST(TransformerJob, RankOrderPlacesRanksAndSymmetryFollowsIt) {
  const std::string order = "workload.jobs[0].transformer.layout.rank_order=";
  // Llama 3's order keeps tensor parallelism innermost: still one rank per node, and on this
  // non-blocking rail-optimized fabric every node pair is alike, so the step does not move.
  const auto megatron = run_in_child(load("small_transformer.yaml"), 2, 32);
  const auto llama = run_in_child(load("small_transformer.yaml", {order + "tp-cp-pp-dp"}), 2, 32);
  EXPECT_EQ(llama[2], 4);
  for (size_t i : {0, 1}) EXPECT_NEAR(llama[i], megatron[i], 1e-9 * megatron[i]) << "step " << i;
  // Where it matters, the representatives still give what every rank gives: nodes sharing
  // oversubscribed uplinks, pipeline neighbours now on consecutive nodes.
  const auto [some, all] = on_shared_uplinks({order + "tp-cp-pp-dp"});
  EXPECT_EQ(some[2], 4);
  EXPECT_EQ(all[2], 32);
  for (size_t i : {0, 1}) EXPECT_NEAR(some[i], all[i], 1e-8 * all[i]) << "step " << i;
  // A degree-1 dimension inside tensor parallelism numbers nothing: still symmetric.
  EXPECT_EQ(run_in_child(load("small_transformer.yaml", {order + "cp-tp-dp-pp"}), 2, 32)[2], 4);
  // Data parallelism innermost splits each tensor-parallel group over two nodes: every rank is
  // simulated, and its collectives cross the scale-out network, so the step is slower.
  const auto split = run_in_child(load("small_transformer.yaml", {order + "dp-tp-cp-pp"}), 2, 32);
  EXPECT_EQ(split[2], 32);
  EXPECT_GT(split[0], 1.05 * megatron[0]);
}

// The first step's time, compute and exposed communication.
std::vector<double> breakdown(const config::Scenario& scenario) {
  return testing::in_child(3, [&] {
    const run::RunResult r = run::run_scenario(scenario, nullptr);
    const StepBreakdown& b = r.transformer_steps.at(0);
    return std::vector<double>{b.step_time.value(), b.compute.value(), b.exposed_comm.value()};
  });
}

TEST(TransformerJob, TensorCollectivesBesideGemmsHideMostOfTheirTime) {
  // One node, tp 8 with sequence parallelism: the only communication is tensor-parallel.
  const std::vector<std::string> one_node = {
      "workload.jobs[0].transformer.layout.pp=1", "workload.jobs[0].transformer.layout.dp=1",
      "workload.jobs[0].transformer.layout.global_batch=4",
      "workload.jobs[0].transformer.layout.sequence_parallel=true"};
  std::vector<std::string> overlapped = one_node;
  overlapped.push_back("workload.jobs[0].transformer.overlap_tp_comm=true");
  const auto plain = breakdown(load("small_transformer.yaml", one_node));
  const auto beside = breakdown(load("small_transformer.yaml", overlapped));
  ASSERT_GT(plain[2], 0.05 * plain[0]);  // the collectives matter here
  // Faster, with most of the communication hidden...
  EXPECT_LT(beside[0], plain[0]);
  EXPECT_LT(beside[2], 0.5 * plain[2]);
  // ...but never below the compute, which the collectives slow where they overlap it (NCCL's
  // overlapped_compute_slowdown) and chunked GEMMs slow further.
  EXPECT_GT(beside[1], plain[1]);
  EXPECT_GE(beside[0], plain[1]);
  // At most all of the communication is hidden, less the compute's slowdown.
  EXPECT_GE(beside[0], plain[0] - plain[2]);
}

TEST(TransformerJob, BackwardTensorCollectivesBesideGemmsHideSomeOfTheirTime) {
  // One node, tp 8: the only communication is tensor-parallel. Megatron-LM's asynchronous backward
  // (overlap_tp_backward) hides the first GEMM's reduction behind its weight gradient and, with
  // SP, the all-gather of its input behind its input gradient; the forward's and the output
  // gradient's collectives stay exposed.
  const std::string job = "workload.jobs[0].transformer.";
  for (const bool sp : {false, true}) {
    SCOPED_TRACE(sp ? "sequence parallel" : "all-reduces");
    const std::vector<std::string> one_node = {
        job + "layout.pp=1", job + "layout.dp=1", job + "layout.global_batch=4",
        job + "layout.sequence_parallel=" + std::string(sp ? "true" : "false")};
    std::vector<std::string> asynchronous = one_node;
    asynchronous.push_back(job + "overlap_tp_backward=true");
    const auto plain = breakdown(load("small_transformer.yaml", one_node));
    const auto overlapped = breakdown(load("small_transformer.yaml", asynchronous));
    EXPECT_LT(overlapped[0], plain[0]);
    EXPECT_LT(overlapped[2], plain[2]);
    // Only the collectives beside the first GEMMs can hide: per layer 4 of 10 with SP (the input
    // all-gathers and the reduce-scatters), 2 of 4 all-reduces without. The forward's and the
    // output gradients' stay exposed (with margin: all-gathers and reduce-scatters of one size
    // need not take the same time).
    EXPECT_GT(overlapped[2], (sp ? 0.5 : 0.4) * plain[2]);
    // The overlapped compute is slowed (NCCL's overlapped_compute_slowdown), never sped up.
    EXPECT_GT(overlapped[1], plain[1]);
  }
}

// Per step: start, end, compute, exposed communication and bubble; then every accelerator's energy.
std::vector<double> timeline_in_child(const config::Scenario& scenario, size_t steps,
                                      size_t accelerators) {
  return testing::in_child(5 * steps + accelerators, [&] {
    const run::RunResult r = run::run_scenario(scenario, nullptr);
    std::vector<double> out;
    for (const StepRecord& s : r.steps) {
      for (Seconds t : {s.start, s.end, s.compute, s.exposed_comm, s.bubble})
        out.push_back(t.value());
    }
    for (const auto& a : r.accelerators) out.push_back(a.energy.value());
    return out;
  });
}

TEST(TransformerJob, ComputeActorPlayingBlockingCollectivesChangesNoTime) {
  // executor/stream_plan.h: the layer collectives the compute stream waits on, played by its own
  // actor, start and end when the layer stream's actor would have played them. Pipelines with
  // their bubbles, sequence parallelism (collectives that wait on receives), interleaving, context
  // parallelism, overlap beside GEMMs (fewer collectives move), every rank simulated.
  const std::string job = "workload.jobs[0].transformer.";
  const std::vector<std::vector<std::string>> variants = {
      {},
      {job + "layout.sequence_parallel=true", job + "layout.virtual_stages=2"},
      {job + "layout.sequence_parallel=true", job + "layout.cp=2", job + "layout.dp=1"},
      {job + "layout.sequence_parallel=true", job + "overlap_tp_comm=true"},
      {job + "layout.sequence_parallel=true", job + "overlap_tp_backward=true",
       job + "layout.virtual_stages=2"},
      {job + "layout.sequence_parallel=true", job + "symmetric_ranks=false"},
  };
  for (const auto& variant : variants) {
    auto with = [&](bool inline_collectives) {
      std::vector<std::string> o = variant;
      o.push_back("power.communicating_power=300W");
      o.push_back(job + "inline_blocking_collectives=" + (inline_collectives ? "true" : "false"));
      return timeline_in_child(load("small_transformer.yaml", o), 2, 32);
    };
    const std::vector<double> inlined = with(true);
    const std::vector<double> apart = with(false);
    ASSERT_EQ(inlined.size(), apart.size());
    std::string name;
    for (const std::string& o : variant) name += o + " ";
    for (size_t i = 0; i < 10; ++i) EXPECT_DOUBLE_EQ(inlined[i], apart[i]) << name << "field " << i;
    for (size_t a = 10; a < apart.size(); ++a)
      EXPECT_NEAR(inlined[a], apart[a], 1e-12 * apart[a]) << name << "accelerator " << a - 10;
  }
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
