// Chakra replay on SimGrid: a round trip through the exporter against the transformer executor,
// closed forms on hand-written traces, roofline against recorded timing, the streaming bound and
// the errors. Each simulation runs in a child process (one engine per process).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "sim/config/catalog.h"
#include "sim/config/loader.h"
#include "sim/core/error.h"
#include "sim/executor/transformer_job.h"
#include "sim/network/cost_model.h"
#include "sim/network/group_costs.h"
#include "sim/platform/topology.h"
#include "sim/run/run_scenario.h"
#include "sim/workload/chakra/writer.h"
#include "sim/workload/transformer/chakra_export.h"
#include "sim/workload/transformer/rank_dag.h"
#include "tests/in_child.h"

namespace gwsim::executor {
namespace {

namespace fs = std::filesystem;
namespace ck = chakra;
namespace tf = workload::transformer;

// Two single-H100 nodes under one switch: rank r on node r.
constexpr const char* kTwoNodes = R"(
platform:
  accelerator_id: h100-sxm
  nodes: 2
  accelerators_per_node: 1
  scale_out: {kind: single_switch, link_latency: 1us}
)";

class ChakraJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("gwsim_chakra_job_test-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "traces");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_trace(int rank, const std::vector<ck::TraceNode>& nodes) const {
    ck::TraceWriter writer(dir_ / "traces" / ("replay." + std::to_string(rank) + ".et"),
                           {.version = "0.0.4"});
    for (const ck::TraceNode& n : nodes) writer.write(n);
    writer.close();
  }

  // A scenario file in the test's folder; `job` is the chakra mapping's body.
  config::Scenario scenario(const std::string& job, const std::string& platform = kTwoNodes,
                            std::vector<std::string> overrides = {}) const {
    const fs::path file = dir_ / "scenario.yaml";
    std::ofstream(file) << "name: chakra replay test\n"
                        << platform << "workload:\n  jobs:\n    - name: replay\n      chakra:\n"
                        << job;
    config::LoadOptions options;
    options.overrides = std::move(overrides);
    return config::load_scenario(file, options);
  }

 public:
  // The replay of small_transformer.yaml's export, on the same four DGX nodes.
  config::Scenario replay_of_small_transformer() const {
    return scenario(
        "        traces: traces\n        file_prefix: train.\n        layout: {tp: 8, pp: 2, dp: "
        "2}\n",
        R"(
platform:
  domain_id: dgx-h100
  nodes: 4
  scale_out:
    kind: fat_tree
    link_latency: 0.6us
    fat_tree: {tiers: 2, scalable_unit: 4, switch_radix: 64, rail_optimized: true}
)");
  }

 protected:
  fs::path dir_;
};

ck::TraceNode compute(uint64_t id, double micros, std::vector<uint64_t> deps = {}) {
  ck::TraceNode n;
  n.id = id;
  n.name = "gemm" + std::to_string(id);
  n.kind = ck::NodeKind::kCompute;
  n.flops = Flops(1e12);
  n.tensor_bytes = Bytes(1e6);
  n.recorded_duration = Seconds(micros * 1e-6);
  n.data_deps = std::move(deps);
  return n;
}

ck::TraceNode collective(uint64_t id, ck::CollectiveKind kind, Bytes bytes, std::string pg,
                         std::vector<uint64_t> deps) {
  ck::TraceNode n;
  n.id = id;
  n.kind = ck::NodeKind::kCollective;
  n.collective = kind;
  n.comm_bytes = bytes;
  n.pg_name = std::move(pg);
  n.data_deps = std::move(deps);
  return n;
}

ck::TraceNode p2p(uint64_t id, bool send, int src, int dst, int tag, Bytes bytes,
                  std::vector<uint64_t> deps) {
  ck::TraceNode n;
  n.id = id;
  n.kind = send ? ck::NodeKind::kSend : ck::NodeKind::kRecv;
  n.comm_src = src;
  n.comm_dst = dst;
  n.comm_tag = tag;
  n.comm_bytes = bytes;
  n.ctrl_deps = std::move(deps);
  return n;
}

// The first step's duration, compute and exposed communication, the largest window held, the
// step's bubble and its tokens/s.
std::vector<double> replay_in_child(const config::Scenario& s) {
  return testing::in_child(6, [&] {
    const run::RunResult r = run::run_scenario(s, nullptr);
    const StepRecord& step = r.steps.at(0);
    return std::vector<double>{
        step.duration().value(),   step.compute.value(),
        step.exposed_comm.value(), static_cast<double>(r.chakra_peak_window.at(0)),
        step.bubble.value(),       step.tokens_per_s()};
  });
}

// The InputError a run gives, from a child process ("" if none); `prepare` runs in the child first.
std::string run_error_in_child(const config::Scenario& s,
                               const std::function<void()>& prepare = {}) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    std::string message;
    try {
      if (prepare) prepare();
      run::run_scenario(s, nullptr);
    } catch (const InputError& e) {
      message = e.what();
    }
    const auto n = static_cast<ssize_t>(message.size());
    _exit(write(fds[1], message.data(), message.size()) == n ? 0 : 1);
  }
  close(fds[1]);
  std::string message;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
    message.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  return message;
}

TEST_F(ChakraJobTest, ComputeThenAllReduceThenSendTakesTheSumOfItsParts) {
  const Bytes reduced(64e6), message(16e6);
  write_trace(
      0, {compute(0, 1000), collective(1, ck::CollectiveKind::kAllReduce, reduced, "world", {0}),
          p2p(2, true, 0, 1, 7, message, {1})});
  write_trace(
      1, {compute(0, 1000), collective(1, ck::CollectiveKind::kAllReduce, reduced, "world", {0}),
          p2p(2, false, 0, 1, 7, message, {1})});
  const config::Scenario s =
      scenario("        traces: traces\n        process_groups: [{name: world, ranks: [0, 1]}]\n");
  // The parts: the recorded 1 ms; the all-reduce as the cost model predicts it on the idle switch
  // (the runner's closed form at fluid fidelity); the message over two links.
  const platform::Topology topology(s.platform);
  network::CollectiveSpec spec;
  spec.op = network::CollectiveOp::kAllReduce;
  spec.size = reduced;
  spec.ranks = 2;
  spec.levels = {1, 2};
  spec.chunk = s.platform.collectives.chunk;
  const Seconds all_reduce =
      network::choose(spec, s.platform.collectives,
                      network::group_costs(topology, {0, 1}, spec.levels, false, false))
          .predicted;
  const Seconds transfer = topology.route_latency(0, 1) + message / s.platform.scale_out->bandwidth;
  const double expected = 1e-3 + all_reduce.value() + transfer.value();
  const std::vector<double> r = replay_in_child(s);
  EXPECT_NEAR(r[0], expected, 1e-6 * expected);
  EXPECT_NEAR(r[1], 1e-3, 1e-12);  // compute: the recorded duration
  EXPECT_NEAR(r[2], expected - 1e-3, 1e-6 * expected);
}

TEST_F(ChakraJobTest, AGatherThenAScatterTakeTheirClosedForms) {
  // Chakra's GATHER and SCATTER over the four ranks, rooted at the group's first rank: comm_size is
  // the gathered output and the scattered input, so the root's NIC takes (or gives) three shares
  // of a quarter each, one after the other collective.
  const Bytes gathered(64e6), scattered(16e6);
  for (int r = 0; r < 4; ++r) {
    write_trace(r, {collective(0, ck::CollectiveKind::kGather, gathered, "world", {}),
                    collective(1, ck::CollectiveKind::kScatter, scattered, "world", {0})});
  }
  const std::string job =
      "        traces: traces\n        process_groups: [{name: world, ranks: [0, 1, 2, 3]}]\n";
  // Four single-H100 nodes under one switch: rank r on node r.
  const config::Scenario fluid = scenario(job, kTwoNodes, {"platform.nodes=4"});
  const config::Scenario step =
      scenario(job + "        collective_fidelity: step\n", kTwoNodes, {"platform.nodes=4"});
  // The cost model's prediction on the idle switch, as the replay's runners choose it.
  const platform::Topology topology(fluid.platform);
  const network::TopologyGroup group =
      network::topology_group(topology, {0, 1, 2, 3}, false, false);
  const config::CollectiveLibrary& library = fluid.platform.collectives;
  auto predicted = [&](network::CollectiveOp op, Bytes size) {
    network::CollectiveSpec spec;
    spec.op = op;
    spec.size = size;
    spec.ranks = 4;
    spec.levels = group.levels;
    spec.chunk = library.chunk;
    const network::Choice choice = network::choose(spec, library, group.costs);
    EXPECT_EQ(choice.algorithm, network::Algorithm::kDirect);
    EXPECT_EQ(choice.protocol.name, "Simple");
    return choice.predicted.value();
  };
  const double expected = predicted(network::CollectiveOp::kGather, gathered) +
                          predicted(network::CollectiveOp::kScatter, scattered);
  // The same as alpha-beta: per collective the launch and scale-out step latencies of NCCL's
  // Simple protocol and the route's, then 3/4 of the size through the root's NIC.
  const config::Protocol& simple = library.protocols.back();
  const double nic = fluid.platform.scale_out->bandwidth.value() * library.scale_out_efficiency;
  auto alpha_beta = [&](Bytes size) {
    return simple.launch_latency.value() + simple.scale_out_step_latency.value() +
           topology.route_latency(1, 0).value() + 0.75 * size.value() / nic;
  };
  EXPECT_NEAR(expected, alpha_beta(gathered) + alpha_beta(scattered), 1e-9 * expected);
  for (const config::Scenario* s : {&fluid, &step}) {
    const std::vector<double> r = replay_in_child(*s);
    EXPECT_NEAR(r[0], expected, 1e-6 * expected);
    EXPECT_NEAR(r[2], expected, 1e-6 * expected);  // all of it exposed communication
  }
}

TEST_F(ChakraJobTest, RooflineAndRecordedTimingOfTheSameTrace) {
  ck::TraceNode gemm = compute(0, 5000);
  gemm.flops = Flops(2e15);
  gemm.tensor_bytes = Bytes(1e9);
  ck::TraceNode load;
  load.id = 1;
  load.kind = ck::NodeKind::kMemLoad;
  load.tensor_bytes = Bytes(4e9);
  load.recorded_duration = Seconds(777e-6);
  load.data_deps = {0};
  ck::TraceNode untimed = compute(2, 0, {1});  // no duration: the roofline in either mode
  untimed.recorded_duration.reset();
  untimed.flops = Flops(3e14);
  write_trace(0, {gemm, load, untimed});
  const std::string job = "        traces: traces\n        ranks: 1\n";
  const config::Scenario recorded = scenario(job);
  const config::Scenario roofline = scenario(job + "        timing: roofline\n");

  const tf::Roofline model = tf::Roofline::for_accelerator(
      config::load_catalog_accelerator("h100-sxm", {}, "test"), config::ModelPrecision::kBf16);
  auto gemm_time = [&](Flops f, Bytes b) {
    tf::Kernel k;
    k.kind = tf::KernelClass::kGemm;
    k.flops = f;
    k.bytes = b;
    return model.time(std::vector<tf::Kernel>{k}).value();
  };
  tf::Kernel stream;
  stream.bytes = Bytes(4e9);
  const double load_time = model.time(std::vector<tf::Kernel>{stream}).value();
  const double untimed_time = gemm_time(Flops(3e14), Bytes(1e6));

  const double want_recorded = 5e-3 + 777e-6 + untimed_time;
  const double want_roofline = gemm_time(Flops(2e15), Bytes(1e9)) + load_time + untimed_time;
  const std::vector<double> a = replay_in_child(recorded);
  const std::vector<double> b = replay_in_child(roofline);
  EXPECT_NEAR(a[0], want_recorded, 1e-9 * want_recorded);
  EXPECT_NEAR(b[0], want_roofline, 1e-9 * want_roofline);
  EXPECT_GT(std::abs(a[0] - b[0]), 1e-4);  // the two timings do differ on this trace
  EXPECT_NEAR(a[1], a[0], 1e-12);          // one rank, no communication: all compute
}

// The generator's jobs exported as `gwsim chakra` does, into `folder`.
void export_transformer(const config::Scenario& s, const fs::path& folder) {
  const auto& job = std::get<config::TransformerJobSpec>(s.jobs.at(0).kind);
  tf::RooflineOptions kernels;
  kernels.fused_attention = job.fused_attention;
  const tf::Roofline roofline = tf::Roofline::for_accelerator(
      config::load_catalog_accelerator(s.platform.accelerator_id, {}, "test"), job.model.precision,
      kernels);
  const tf::RankDagOptions options = rank_dag_options(job);
  const config::ParallelLayout& l = job.layout;
  for (int stage = 0; stage < l.pp; ++stage) {
    const tf::RankDag dag = tf::build_rank_dag(job.model, l, stage, options);
    for (int d = 0; d < l.dp; ++d)
      for (int c = 0; c < l.cp; ++c)
        for (int t = 0; t < l.tp; ++t) {
          const tf::RankCoordinates at{t, c, d};
          tf::write_chakra_trace(
              dag, l, at,
              folder / ("train." + std::to_string(tf::global_rank(l, stage, at)) + ".et"),
              &roofline);
        }
  }
}

// Compute ops of one rank of each stage, summed. The trace stores each compute op's time rounded
// to a whole microsecond, the same rounding on every rank of a stage, and a path through the step
// meets each op of each stage at most once: the replayed step may move by at most half a
// microsecond per op counted here.
size_t compute_nodes(const config::Scenario& s) {
  const auto& job = std::get<config::TransformerJobSpec>(s.jobs.at(0).kind);
  size_t n = 0;
  for (int stage = 0; stage < job.layout.pp; ++stage)
    n += tf::dag_totals(tf::build_rank_dag(job.model, job.layout, stage, rank_dag_options(job)))
             .compute_ops;
  return n;
}

// The generator's first step: duration, bubble and tokens/s.
std::vector<double> generated_step(const config::Scenario& s) {
  return testing::in_child(3, [&] {
    const StepRecord step = run::run_scenario(s, nullptr).steps.at(0);
    return std::vector<double>{step.duration().value(), step.bubble.value(), step.tokens_per_s()};
  });
}

// A generated job and the replay of its export: their first steps (generated_step,
// replay_in_child), checked to agree in duration and bubble up to the traces' rounding.
struct RoundTrip {
  std::vector<double> generated, replayed;
  double rounding = 0;
};
RoundTrip round_trip(const config::Scenario& generated, const config::Scenario& replay) {
  RoundTrip t{generated_step(generated), replay_in_child(replay),
              0.5e-6 * static_cast<double>(compute_nodes(generated))};
  // Same DAG, semantics and platform: only the rounding of the recorded times differs.
  EXPECT_NEAR(t.replayed[0], t.generated[0], t.rounding);
  // The bubble too: the compute stream's waits on pipeline receives.
  EXPECT_NEAR(t.replayed[4], t.generated[1], t.rounding);
  return t;
}

TEST_F(ChakraJobTest, AnExportedPipelineReplaysInTheGeneratorsStepTime) {
  const config::Scenario generated = config::load_scenario(
      std::string(GWSIM_SOURCE_DIR) + "/tests/executor/pipeline.yaml", config::LoadOptions{});
  export_transformer(generated, dir_ / "traces");
  const config::Scenario replay =
      // The job's global batch: 8 sequences of 2,048 tokens.
      scenario(
          "        traces: traces\n        file_prefix: train.\n        layout: {pp: 4}\n"
          "        tokens_per_step: 16384\n",
          R"(
platform:
  accelerator_id: h100-sxm
  nodes: 4
  accelerators_per_node: 1
  scale_out: {kind: single_switch, link_latency: 0.6us}
)");
  const RoundTrip t = round_trip(generated, replay);
  EXPECT_GT(t.generated[0], 1.0);
  EXPECT_GT(t.generated[1], 0.1 * t.generated[0]);
  // And tokens/s, given the tokens the trace does not carry.
  EXPECT_DOUBLE_EQ(t.replayed[5], 16384 / t.replayed[0]);
  EXPECT_NEAR(t.replayed[5], t.generated[2], t.generated[2] * t.rounding / t.generated[0]);
}

// tp 8, pp 2, dp 2 on four DGX nodes (small_transformer.yaml with `overrides`), exported and
// replayed: every rank simulated on both sides.
RoundTrip tensor_pipeline_data_round_trip(const ChakraJobTest& test, const fs::path& dir,
                                          std::vector<std::string> overrides) {
  overrides.push_back("workload.jobs[0].transformer.symmetric_ranks=false");
  const config::Scenario generated = config::load_scenario(
      std::string(GWSIM_SOURCE_DIR) + "/tests/executor/small_transformer.yaml",
      config::LoadOptions{.overrides = std::move(overrides), .seed = std::nullopt});
  export_transformer(generated, dir / "traces");
  const config::Scenario replay = test.replay_of_small_transformer();
  return round_trip(generated, replay);
}

TEST_F(ChakraJobTest, AnExportedTensorPipelineDataJobReplaysInTheGeneratorsStepTime) {
  // Tensor-parallel all-reduces inside nodes, data-parallel reductions across them, pipeline
  // transfers.
  const RoundTrip t = tensor_pipeline_data_round_trip(*this, dir_, {});
  EXPECT_GT(t.generated[0], 0.1);
  EXPECT_GT(t.generated[1], 0.0);
}

TEST_F(ChakraJobTest, TensorCollectivesBesideGemmsReplayAsGenerated) {
  // With overlap_tp_comm a GEMM and its collective hang off the same node: the replay's streams
  // (one per kind of node) run them side by side as the executor does.
  const std::string job = "workload.jobs[0].transformer.";
  const RoundTrip t = tensor_pipeline_data_round_trip(
      *this, dir_, {job + "layout.sequence_parallel=true", job + "overlap_tp_comm=true"});
  EXPECT_GT(t.generated[0], 0.1);
}

TEST_F(ChakraJobTest, AJobExportedInLlama3sRankOrderReplaysInThatOrder) {
  // The same job numbered tp-cp-pp-dp (pipeline peers 8 ranks apart, data-parallel peers 16) on
  // two leaves of two nodes with 4:1 oversubscribed uplinks: the pipeline stays under one leaf and
  // data parallelism crosses, the other way round from the default order.
  const std::string fabric = R"(
platform:
  domain_id: dgx-h100
  nodes: 4
  scale_out:
    kind: fat_tree
    link_latency: 0.6us
    fat_tree: {tiers: 2, scalable_unit: 2, switch_radix: 64, rail_optimized: false,
               oversubscription: [4]}
)";
  const fs::path file = dir_ / "generated.yaml";
  std::ofstream(file)
      << "name: generated\n"
      << fabric
      << "workload:\n  jobs:\n    - name: train\n      transformer:\n"
         "        model: llama3-8b\n        steps: 1\n        symmetric_ranks: false\n"
         "        layout: {tp: 8, pp: 2, dp: 2, micro_batch: 1, global_batch: 16,\n"
         "                 rank_order: tp-cp-pp-dp}\n";
  const config::Scenario generated = config::load_scenario(file, config::LoadOptions{});
  export_transformer(generated, dir_ / "traces");
  const config::Scenario replay = scenario(
      "        traces: traces\n        file_prefix: train.\n"
      "        layout: {tp: 8, pp: 2, dp: 2, rank_order: tp-cp-pp-dp}\n",
      fabric);
  const RoundTrip t = round_trip(generated, replay);
  EXPECT_GT(t.generated[1], 0.0);
  // The order shows: numbered the default way, the same job takes another time here.
  const double default_order = generated_step(config::load_scenario(
      file, config::LoadOptions{
                .overrides = {"workload.jobs[0].transformer.layout.rank_order=tp-cp-dp-pp"},
                .seed = std::nullopt}))[0];
  EXPECT_GT(std::abs(default_order - t.generated[0]), 0.01 * t.generated[0]);
}

TEST_F(ChakraJobTest, AStreamedTraceNeverHoldsMoreThanItsWindow) {
  // 100,000 compute nodes, each followed by a send on rank 0 and preceded by a receive on rank 1:
  // 200,000 nodes per rank through a window of 64.
  constexpr double kPairs = 100000;
  {
    ck::TraceWriter w0(dir_ / "traces" / "replay.0.et", {.version = "0.0.4"});
    ck::TraceWriter w1(dir_ / "traces" / "replay.1.et", {.version = "0.0.4"});
    for (uint64_t i = 0; static_cast<double>(i) < kPairs; ++i) {
      w0.write(
          compute(2 * i, 1, i > 0 ? std::vector<uint64_t>{2 * i - 2} : std::vector<uint64_t>{}));
      w0.write(p2p(2 * i + 1, true, 0, 1, 0, Bytes(64), {2 * i}));
      w1.write(p2p(2 * i, false, 0, 1, 0, Bytes(64), {}));
      w1.write(compute(2 * i + 1, 1, {2 * i}));
    }
    w0.close();
    w1.close();
  }
  const config::Scenario s = scenario("        traces: traces\n        window: 64\n");
  const std::vector<double> r = replay_in_child(s);
  EXPECT_LE(r[3], 64);
  EXPECT_GE(r[3], 2);
  // Receives are taken one at a time, each message once the previous one is in: the transfers
  // (two 1 us hops and 64 bytes) follow one another, each longer than rank 0's 1 us of compute,
  // and rank 1's last compute follows the last.
  const platform::Topology topology(s.platform);
  const double transfer =
      (topology.route_latency(0, 1) + Bytes(64) / s.platform.scale_out->bandwidth).value();
  ASSERT_GT(transfer, 1e-6);
  const double expected = 1e-6 + kPairs * transfer + 1e-6;
  EXPECT_NEAR(r[0], expected, 1e-6 * expected);
}

TEST_F(ChakraJobTest, AMissingRankFileIsNamed) {
  write_trace(0, {compute(0, 1)});
  write_trace(1, {compute(0, 1)});
  try {
    scenario("        traces: traces\n        ranks: 3\n");
    FAIL() << "loaded";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("workload.jobs[0].chakra.traces: missing the trace file "
                                         "of rank 2: "),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("replay.2.et"), std::string::npos) << e.what();
  }
}

TEST_F(ChakraJobTest, AnUnknownProcessGroupNamesTheFileAndNode) {
  write_trace(
      0, {compute(0, 1), collective(1, ck::CollectiveKind::kAllReduce, Bytes(1e6), "17", {0})});
  write_trace(
      1, {compute(0, 1), collective(1, ck::CollectiveKind::kAllReduce, Bytes(1e6), "17", {0})});
  const std::string message = run_error_in_child(scenario("        traces: traces\n"));
  EXPECT_NE(message.find("replay.0.et: node 1"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown process group pg_name \"17\""), std::string::npos) << message;
}

TEST_F(ChakraJobTest, TooFewOpenFilesForItsRanksIsOneClearError) {
  write_trace(0, {compute(0, 1)});
  write_trace(1, {compute(0, 1)});
  const std::string message = run_error_in_child(scenario("        traces: traces\n"), [] {
    const rlimit low{40, 40};  // below the 2 ranks + the files a run keeps open besides them
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  });
  EXPECT_NE(message.find("workload.jobs[0].chakra: replaying 2 ranks keeps one trace file open per "
                         "rank, but this process may open only 40 files"),
            std::string::npos)
      << message;
}

TEST_F(ChakraJobTest, ALowSoftLimitOnOpenFilesIsRaised) {
  write_trace(0, {compute(0, 1)});
  write_trace(1, {compute(0, 1)});
  const std::string message = run_error_in_child(scenario("        traces: traces\n"), [] {
    const rlimit low{40, 4096};
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  });
  EXPECT_EQ(message, "");
}

// Two DGX H100 nodes (16 ranks): involved_dim [true, false] names a node's 8 ranks, [false, true]
// the 2 ranks of the same local index across the nodes.
constexpr const char* kTwoDgxNodes = R"(
platform:
  domain_id: dgx-h100
  nodes: 2
  scale_out: {kind: single_switch, link_latency: 1us}
)";

ck::TraceNode along(uint64_t id, std::vector<bool> involved, std::vector<uint64_t> deps) {
  ck::TraceNode n =
      collective(id, ck::CollectiveKind::kAllReduce, Bytes(64e6), "", std::move(deps));
  n.pg_name.reset();
  n.involved_dim = std::move(involved);
  return n;
}

TEST_F(ChakraJobTest, InvolvedDimensionsGroupRanksAsTheNamedGroupsWould) {
  auto write_all = [&](bool by_dimension) {
    for (int r = 0; r < 16; ++r) {
      const std::string node = "node" + std::to_string(r / 8),
                        rail = "rail" + std::to_string(r % 8);
      write_trace(
          r,
          {compute(0, 100),
           by_dimension ? along(1, {true, false}, {0})
                        : collective(1, ck::CollectiveKind::kAllReduce, Bytes(64e6), node, {0}),
           by_dimension ? along(2, {false, true}, {1})
                        : collective(2, ck::CollectiveKind::kAllReduce, Bytes(64e6), rail, {1})});
    }
  };
  write_all(true);
  const std::vector<double> by_dimension =
      replay_in_child(scenario("        traces: traces\n", kTwoDgxNodes));
  write_all(false);
  std::string groups = "        traces: traces\n        process_groups:\n";
  for (int n = 0; n < 2; ++n) {
    groups += "          - {name: node" + std::to_string(n) + ", ranks: [";
    for (int l = 0; l < 8; ++l) groups += (l ? ", " : "") + std::to_string(8 * n + l);
    groups += "]}\n";
  }
  for (int l = 0; l < 8; ++l) {
    groups += "          - {name: rail" + std::to_string(l) + ", ranks: [" + std::to_string(l) +
              ", " + std::to_string(8 + l) + "]}\n";
  }
  const std::vector<double> named = replay_in_child(scenario(groups, kTwoDgxNodes));
  EXPECT_DOUBLE_EQ(by_dimension[0], named[0]);
  // Both all-reduces took time: more than the compute alone.
  EXPECT_GT(by_dimension[2], 0.0);
}

TEST_F(ChakraJobTest, InvolvedDimensionsMustMatchTheJobsDimensions) {
  for (int r = 0; r < 16; ++r) write_trace(r, {compute(0, 1), along(1, {true, false, true}, {0})});
  const std::string message =
      run_error_in_child(scenario("        traces: traces\n", kTwoDgxNodes));
  EXPECT_NE(message.find("replay.0.et: node 1"), std::string::npos) << message;
  EXPECT_NE(
      message.find("involved_dim has 3 entries but the job spans 2 network dimensions [8, 2]"),
      std::string::npos)
      << message;
}

TEST_F(ChakraJobTest, ASendWithoutItsReceiveIsReportedNotHung) {
  write_trace(0, {compute(0, 1), p2p(1, true, 0, 1, 1, Bytes(1e6), {0})});
  write_trace(1, {compute(0, 1), p2p(1, false, 0, 1, 2, Bytes(1e6), {0})});  // another tag
  const std::string message = run_error_in_child(scenario("        traces: traces\n"));
  EXPECT_NE(message.find("never finished iteration 0"), std::string::npos) << message;
  EXPECT_NE(message.find("replay."), std::string::npos) << message;
}

TEST_F(ChakraJobTest, RooflineTimingNeedsACatalogAccelerator) {
  write_trace(0, {compute(0, 5)});
  constexpr const char* kInline = R"(
platform:
  accelerator: {name: X1, peak_flop_rate: 100TFLOP/s, idle_power: 50W, peak_power: 300W}
  nodes: 1
  accelerators_per_node: 1
)";
  // Recorded durations need no catalog.
  const std::vector<double> r = replay_in_child(scenario("        traces: traces\n", kInline));
  EXPECT_NEAR(r[0], 5e-6, 1e-15);
  const std::string message =
      run_error_in_child(scenario("        traces: traces\n        timing: roofline\n", kInline));
  EXPECT_NE(message.find("workload.jobs[0].chakra.timing: roofline timing needs a catalog "
                         "accelerator"),
            std::string::npos)
      << message;
}

TEST_F(ChakraJobTest, PowerFollowsComputeAndMemoryNodes) {
  // 1 ms of compute at peak power, then 0.5 ms of memory traffic at the memory-bound load: the
  // power tracker sees the replay's activities as it sees the transformer executor's.
  ck::TraceNode load;
  load.id = 1;
  load.kind = ck::NodeKind::kMemLoad;
  load.tensor_bytes = Bytes(1e9);
  load.recorded_duration = Seconds(500e-6);
  load.data_deps = {0};
  write_trace(0, {compute(0, 1000), load});
  const config::Scenario s = scenario("        traces: traces\n", R"(
platform:
  accelerator: {name: X1, peak_flop_rate: 100TFLOP/s, idle_power: 50W, peak_power: 300W}
  nodes: 1
  accelerators_per_node: 1
power: {memory_bound_load: 0.5}
)");
  const std::vector<double> r = testing::in_child(2, [&] {
    const run::RunResult result = run::run_scenario(s, nullptr);
    return std::vector<double>{result.simulated_time.value(),
                               result.accelerators.at(0).energy.value()};
  });
  EXPECT_NEAR(r[0], 1.5e-3, 1e-12);
  const double expected_j = 300 * 1e-3 + (50 + 250 * 0.5) * 0.5e-3;  // linear curve
  EXPECT_NEAR(r[1], expected_j, 1e-9 * expected_j);
}

TEST_F(ChakraJobTest, AWindowFullOfBlockedNodesIsAnError) {
  // Node 0 depends on the last node of the file: with a window of 16 it can never be read.
  std::vector<ck::TraceNode> nodes{compute(0, 1, {40})};
  for (uint64_t i = 1; i <= 40; ++i) nodes.push_back(compute(i, 1, {i - 1}));
  nodes.back().data_deps = {};
  nodes[1].data_deps = {};
  write_trace(0, nodes);
  const std::string message = run_error_in_child(
      scenario("        traces: traces\n        ranks: 1\n        window: 16\n"));
  EXPECT_NE(message.find("the window of 16 nodes is full and none can run"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace gwsim::executor

namespace gwsim::executor {
namespace {

TEST(ChakraExample, TheBundledExampleReplaysItsTraces) {
  // configs/examples/chakra-replay.yaml with its committed traces, as a user runs it: two
  // iterations of a pipeline with data parallelism, so both compute and communication show.
  const config::Scenario s =
      config::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/configs/examples/chakra-replay.yaml",
                            config::LoadOptions{});
  const std::vector<double> r = testing::in_child(6, [&] {
    const run::RunResult result = run::run_scenario(s, nullptr);
    return std::vector<double>{
        static_cast<double>(result.steps.size()), result.steps.at(0).duration().value(),
        result.steps.at(0).compute.value(),       result.steps.at(0).exposed_comm.value(),
        result.steps.at(1).duration().value(),    result.steps.at(0).bubble.value()};
  });
  EXPECT_EQ(r[0], 2);
  EXPECT_GT(r[2], 0);
  EXPECT_GT(r[3], 0);
  EXPECT_GT(r[5], 0);  // two pipeline stages
  EXPECT_NEAR(r[2] + r[3] + r[5], r[1], 1e-12);
  EXPECT_NEAR(r[4], r[1], 1e-6 * r[1]);  // the same trace again, from an idle start
}

}  // namespace
}  // namespace gwsim::executor
