// Rank DAGs: totals agree with compute.h and communication.h, the order is topological, sends
// match receives across stages, the critical path and overlap are as documented, the size stays
// small, and memory is reported.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "sim/workload/transformer/rank_dag.h"
#include "tests/workload/transformer/test_models.h"

namespace gwsim::workload::transformer {
namespace {

using testing::cases;
using testing::model;

RankDagOptions options_for(const ParallelLayout& l, bool overlap_tp_comm = false) {
  RankDagOptions o;
  o.schedule = l.virtual_stages > 1 ? PipelineSchedule::kInterleaved : PipelineSchedule::kOneFOneB;
  o.overlap_tp_comm = overlap_tp_comm;
  return o;
}

// cases() plus uneven pipeline stages (placement.h): Llama 3 405B's 126 layers on 16 stages (7,
// 8 x 14, 7) with fp32 gradient reductions, the same interleaved with one layer per chunk (the
// first and last chunks empty), and GPT-3's 96 layers on 5 stages x 2 chunks.
std::vector<testing::Case> with_uneven() {
  std::vector<testing::Case> out = cases();
  ParallelLayout l;
  l.tp = 8;
  l.pp = 16;
  l.dp = 2;
  l.micro_batch = 1;
  l.global_batch = 32;
  l.sequence_parallel = true;
  l.sharding = Sharding::kZero1;
  l.grad_reduce_in_fp32 = true;  // as Meta trained it
  out.push_back({"llama405b_pp16_uneven", "llama3-405b", l});
  l.virtual_stages = 8;
  l.recompute = Recompute::kFull;
  l.sharding = Sharding::kZero3;
  out.push_back({"llama405b_pp16_v8_uneven_zero3", "llama3-405b", l});
  ParallelLayout g;
  g.tp = 8;
  g.pp = 5;
  g.dp = 1;
  g.cp = 2;
  g.micro_batch = 1;
  g.global_batch = 10;
  g.virtual_stages = 2;
  g.recompute = Recompute::kSelective;
  out.push_back({"gpt3_pp5_v2_uneven_cp2", "gpt3-175b", g});
  return out;
}

// Each case without and, where it has sequence parallelism, with overlap_tp_comm.
std::vector<std::pair<testing::Case, bool>> with_overlap(const std::vector<testing::Case>& cases) {
  std::vector<std::pair<testing::Case, bool>> out;
  for (const auto& c : cases) {
    out.emplace_back(c, false);
    if (c.layout.sequence_parallel && c.layout.tp > 1) out.emplace_back(c, true);
  }
  return out;
}

void expect_rel(double got, double want, const std::string& what) {
  EXPECT_NEAR(got, want, 1e-9 * std::max(1.0, std::abs(want))) << what;
}

TEST(RankDag, ComputeTotalsEqualStageComputeTimesMicroBatches) {
  // Also with the tensor-parallel collectives beside GEMMs, which split GEMMs into chunks.
  for (const auto& [c, overlap] : with_overlap(with_uneven())) {
    const config::ModelSpec m = model(c.model);
    for (int rank = 0; rank < c.layout.pp; ++rank) {
      const RankDag dag = build_rank_dag(m, c.layout, rank, options_for(c.layout, overlap));
      const DagTotals t = dag_totals(dag);
      const StageCompute want = stage_compute(m, c.layout, dag.stage);
      const double mb = c.layout.micro_batches();
      for (size_t i = 0; i < want.ops.size(); ++i) {
        const std::string what = c.name + (overlap ? " overlapped" : "") + " stage " +
                                 std::to_string(rank) + " " +
                                 std::string(op_class_name(static_cast<OpClass>(i)));
        expect_rel(t.compute.ops[i].forward.value(), mb * want.ops[i].forward.value(), what);
        expect_rel(t.compute.ops[i].backward.value(), mb * want.ops[i].backward.value(), what);
        expect_rel(t.compute.ops[i].recompute.value(), mb * want.ops[i].recompute.value(), what);
        expect_rel(t.compute.ops[i].bytes().value(), mb * want.ops[i].bytes().value(), what);
      }
      const OptimizerCost o = optimizer_cost(m, c.layout, dag.stage);
      expect_rel(t.optimizer_flops.value(), o.flops.value(), c.name + " optimizer");
      expect_rel(t.optimizer_bytes.value(), o.bytes.value(), c.name + " optimizer bytes");
    }
  }
}

TEST(RankDag, CommunicationPerGroupEqualsStageCommunication) {
  for (const auto& [c, overlap] : with_overlap(with_uneven())) {
    const config::ModelSpec m = model(c.model);
    for (int rank = 0; rank < c.layout.pp; ++rank) {
      const RankDag dag = build_rank_dag(m, c.layout, rank, options_for(c.layout, overlap));
      const DagTotals t = dag_totals(dag);
      const auto volumes = stage_communication(m, c.layout, dag.stage);
      for (Group g : {Group::kTensor, Group::kPipeline, Group::kData, Group::kContext,
                      Group::kExpert, Group::kExpertData}) {
        expect_rel(t.group_bytes(g).value(), iteration_bytes(volumes, c.layout, g).value(),
                   c.name + " stage " + std::to_string(rank) + " group " + group_name(g));
      }
      // The count of collectives of each (group, kind) matches too (overlapped forward
      // reduce-scatters are two ops: TensorCollectivesBesideGemms).
      if (overlap) continue;
      std::map<std::pair<Group, CollectiveKind>, double> calls;
      for (const DagOp& op : dag.ops)
        if (op.kind == OpKind::kCollective) calls[{op.group, op.collective}] += 1;
      std::map<std::pair<Group, CollectiveKind>, double> want;
      for (const CollectiveVolume& v : volumes) {
        if (v.group == Group::kPipeline || v.group == Group::kData || v.group == Group::kExpertData)
          continue;  // sends are ops of their own; DP collectives are split per layer
        want[{v.group, v.kind}] +=
            v.calls * (v.frequency == Frequency::kPerMicroBatch ? c.layout.micro_batches() : 1);
      }
      for (const auto& [key, n] : want)
        EXPECT_NEAR(calls[key], n, 1e-9)
            << c.name << " " << group_name(key.first) << " " << collective_kind_name(key.second);
    }
  }
}

TEST(RankDag, OpsAreInTopologicalOrder) {
  for (const auto& [c, overlap] : with_overlap(with_uneven())) {
    const config::ModelSpec m = model(c.model);
    const RankDag dag = build_rank_dag(m, c.layout, 0, options_for(c.layout, overlap));
    for (size_t i = 0; i < dag.ops.size(); ++i) {
      for (uint32_t d : dag.ops[i].data_deps) ASSERT_LT(d, i) << c.name << " " << dag.ops[i].name;
      for (uint32_t d : dag.ops[i].ctrl_deps) ASSERT_LT(d, i) << c.name << " " << dag.ops[i].name;
      if (dag.ops[i].kind == OpKind::kCompute) {
        ASSERT_GE(dag.ops[i].work, 0);
        ASSERT_LT(static_cast<size_t>(dag.ops[i].work), dag.works.size());
      }
    }
  }
}

TEST(RankDag, SendsMatchReceivesAcrossStages) {
  for (const auto& c : with_uneven()) {
    if (c.layout.pp < 2) continue;
    const config::ModelSpec m = model(c.model);
    // (from stage, to stage, tag) -> bytes
    std::map<std::tuple<int, int, int>, double> sends, recvs;
    for (int rank = 0; rank < c.layout.pp; ++rank) {
      const RankDag dag = build_rank_dag(m, c.layout, rank, options_for(c.layout));
      for (const DagOp& op : dag.ops) {
        if (op.kind == OpKind::kSend) {
          EXPECT_TRUE(sends.insert({{rank, op.peer_stage, op.tag}, op.bytes.value()}).second);
        } else if (op.kind == OpKind::kRecv) {
          EXPECT_TRUE(recvs.insert({{op.peer_stage, rank, op.tag}, op.bytes.value()}).second);
        }
      }
    }
    EXPECT_EQ(sends, recvs) << c.name;
    EXPECT_EQ(static_cast<int>(sends.size()),
              2 * c.layout.micro_batches() * (c.layout.pp * c.layout.virtual_stages - 1))
        << c.name;
  }
}

TEST(RankDag, TensorCollectivesAreOnTheCriticalPath) {
  const auto all = cases();
  const auto& c = all[1];  // sequence parallel, selective recomputation, interleaved
  const config::ModelSpec m = model(c.model);
  const RankDag dag = build_rank_dag(m, c.layout, 1, options_for(c.layout));
  int checked = 0;
  for (size_t i = 0; i < dag.ops.size(); ++i) {
    const DagOp& op = dag.ops[i];
    if (op.kind != OpKind::kCompute || op.layer < 0) continue;
    // Every layer block's compute waits for the TP all-gather before it, and the TP
    // reduce-scatter after it waits for the compute.
    ASSERT_FALSE(op.data_deps.empty()) << op.name;
    const DagOp& before = dag.ops[op.data_deps.front()];
    EXPECT_EQ(before.group, Group::kTensor) << op.name;
    EXPECT_EQ(before.collective, CollectiveKind::kAllGather) << op.name;
    EXPECT_EQ(before.stream, Stream::kLayerComm);
    const DagOp& after = dag.ops[i + 1];
    EXPECT_EQ(after.collective, CollectiveKind::kReduceScatter) << op.name;
    ASSERT_EQ(after.data_deps.size(), 1u);
    EXPECT_EQ(after.data_deps[0], i);
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

bool depends_on(const DagOp& op, size_t other) {
  return std::find(op.data_deps.begin(), op.data_deps.end(), other) != op.data_deps.end();
}

TEST(RankDag, TensorCollectivesBesideGemms) {
  const auto all = cases();
  const auto& c = all[1];  // sequence parallel, selective recomputation, interleaved
  const config::ModelSpec m = model(c.model);
  const RankDag dag = build_rank_dag(m, c.layout, 1, options_for(c.layout, true));
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < dag.ops.size(); ++i) index[dag.ops[i].name] = i;
  const double tp = c.layout.tp;
  int blocks = 0;
  for (size_t i = 0; i < dag.ops.size(); ++i) {
    const DagOp& op = dag.ops[i];
    const std::string suffix = ".gemm_beside_all_gather";
    if (op.name.size() < suffix.size() ||
        op.name.compare(op.name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string block = op.name.substr(0, op.name.size() - suffix.size());
    const bool backward = block.find(".backward") != std::string::npos;
    SCOPED_TRACE(block);
    const size_t gather_gemm = i;
    const size_t gather = index.at(block + ".tp_all_gather");
    const size_t middle = index.at(block);
    const size_t scatter_gemm = index.at(block + ".gemm_beside_reduce_scatter");
    const size_t scatter = index.at(block + ".tp_reduce_scatter");
    // The GEMM and the all-gather wait for the same op (the GEMM also for parameter gathers) and
    // not for each other; the rest of the block waits for both.
    ASSERT_EQ(dag.ops[gather].data_deps.size(), 1u);
    EXPECT_TRUE(depends_on(dag.ops[gather_gemm], dag.ops[gather].data_deps[0]));
    EXPECT_FALSE(depends_on(dag.ops[gather_gemm], gather));
    EXPECT_FALSE(depends_on(dag.ops[gather], gather_gemm));
    EXPECT_TRUE(depends_on(dag.ops[middle], gather_gemm));
    EXPECT_TRUE(depends_on(dag.ops[middle], gather));
    // The reduce-scatter runs beside the scatter GEMM: both after the rest of the block.
    EXPECT_TRUE(depends_on(dag.ops[scatter_gemm], middle));
    EXPECT_TRUE(depends_on(dag.ops[scatter], middle));
    EXPECT_FALSE(depends_on(dag.ops[scatter], scatter_gemm));
    const Flops gather_flops = dag.works[static_cast<size_t>(dag.ops[gather_gemm].work)].flops();
    const Flops scatter_flops = dag.works[static_cast<size_t>(dag.ops[scatter_gemm].work)].flops();
    EXPECT_GT(gather_flops.value(), 0);
    if (!backward) {
      // Forward: the reduce-scatter's last chunk follows the GEMM's last chunks; the first GEMM
      // chunk of each of the two overlapped GEMMs stays in the block's middle.
      const size_t last = index.at(block + ".tp_reduce_scatter_last_chunk");
      EXPECT_TRUE(depends_on(dag.ops[last], scatter_gemm));
      EXPECT_NEAR(dag.ops[scatter].bytes.value() + dag.ops[last].bytes.value(),
                  tp * dag.ops[last].bytes.value(), 1e-6 * dag.ops[scatter].bytes.value());
    } else {
      // Backward: the whole input gradient is reduce-scattered beside the weight gradient, and the
      // next compute waits for that GEMM.
      EXPECT_EQ(index.count(block + ".tp_reduce_scatter_last_chunk"), 0u);
      bool waited = false;
      for (size_t j = scatter + 1; j < dag.ops.size() && !waited; ++j)
        if (dag.ops[j].kind == OpKind::kCompute) waited = depends_on(dag.ops[j], scatter_gemm);
      EXPECT_TRUE(waited || scatter + 1 == dag.ops.size() ||
                  dag.ops.back().name.find("optimizer") != std::string::npos);
    }
    EXPECT_GT(scatter_flops.value(), 0);
    ++blocks;
  }
  EXPECT_GT(blocks, 100);
}

TEST(RankDag, OverlappedTensorCollectivesNeedSequenceParallelism) {
  // Without sequence parallelism (all-reduces) the option changes nothing.
  const auto all = cases();
  const auto& c = all[0];
  ASSERT_FALSE(c.layout.sequence_parallel);
  const config::ModelSpec m = model(c.model);
  const RankDag plain = build_rank_dag(m, c.layout, 0, options_for(c.layout));
  const RankDag asked = build_rank_dag(m, c.layout, 0, options_for(c.layout, true));
  ASSERT_EQ(plain.ops.size(), asked.ops.size());
  for (size_t i = 0; i < plain.ops.size(); ++i) EXPECT_EQ(plain.ops[i].name, asked.ops[i].name);
}

TEST(RankDag, GradientReductionsOverlapTheBackwardPass) {
  const config::ModelSpec m = model("gpt3-175b");
  ParallelLayout l = cases()[0].layout;  // ZeRO-0: one all-reduce per layer bucket
  const auto last_backward = [](const RankDag& dag) {
    uint32_t last = 0;
    for (size_t i = 0; i < dag.ops.size(); ++i)
      if (dag.ops[i].kind == OpKind::kCompute && dag.ops[i].name != "optimizer")
        last = static_cast<uint32_t>(i);
    return last;
  };
  for (bool overlap : {true, false}) {
    RankDagOptions o;
    o.overlap_grad_reduce = overlap;
    const RankDag dag = build_rank_dag(m, l, 1, o);
    const uint32_t last = last_backward(dag);
    int reductions = 0, early = 0;
    for (const DagOp& op : dag.ops) {
      if (op.group != Group::kData || op.kind != OpKind::kCollective) continue;
      ++reductions;
      EXPECT_EQ(op.stream, Stream::kDataComm);
      EXPECT_EQ(op.collective, CollectiveKind::kAllReduce);
      ASSERT_EQ(op.data_deps.size(), 1u);
      if (op.data_deps[0] < last) ++early;
    }
    EXPECT_EQ(reductions, 24);  // one per layer of the stage
    // Overlapped: all but the stage's first layer (whose backward ends the pass) start earlier.
    EXPECT_EQ(early, overlap ? 23 : 0);
  }
}

TEST(RankDag, ZeroThreeGathersParametersOneLayerAhead) {
  const auto all = cases();
  const auto& c = all[2];  // ZeRO-3
  const config::ModelSpec m = model(c.model);
  const RankDag dag = build_rank_dag(m, c.layout, 1, options_for(c.layout));
  int gathers = 0;
  for (size_t i = 0; i < dag.ops.size(); ++i) {
    const DagOp& op = dag.ops[i];
    if (op.group != Group::kData || op.collective != CollectiveKind::kAllGather) continue;
    ++gathers;
    EXPECT_EQ(op.stream, Stream::kDataComm);
    // The compute that needs the parameters comes later and depends on the gather.
    bool consumed = false;
    for (size_t j = i + 1; j < dag.ops.size() && !consumed; ++j)
      for (uint32_t d : dag.ops[j].data_deps)
        consumed |= d == i && dag.ops[j].kind == OpKind::kCompute;
    EXPECT_TRUE(consumed) << op.name;
  }
  // Forward and backward, per layer and micro-batch.
  EXPECT_EQ(gathers, 2 * 24 * c.layout.micro_batches());
}

TEST(RankDag, ZeroTwoGathersUpdatedParametersBeforeFirstUseOrAfterTheOptimizer) {
  const auto all = cases();
  const auto& c = all[3];  // Llama 3 70B, ZeRO-2
  ASSERT_EQ(c.layout.sharding, Sharding::kZero2);
  const config::ModelSpec m = model(c.model);
  for (bool overlap : {true, false}) {
    RankDagOptions o = options_for(c.layout);
    o.overlap_param_gather = overlap;
    const RankDag dag = build_rank_dag(m, c.layout, 0, o);
    size_t optimizer = 0;
    for (size_t i = 0; i < dag.ops.size(); ++i)
      if (dag.ops[i].name == "optimizer") optimizer = i;
    int gathers = 0, before_optimizer = 0, consumed_by_compute = 0;
    for (size_t i = 0; i < dag.ops.size(); ++i) {
      const DagOp& op = dag.ops[i];
      if (op.group != Group::kData || op.collective != CollectiveKind::kAllGather) continue;
      ++gathers;
      if (i < optimizer) ++before_optimizer;
      for (size_t j = i + 1; j < dag.ops.size(); ++j) {
        const auto& deps = dag.ops[j].data_deps;
        if (dag.ops[j].kind == OpKind::kCompute && std::count(deps.begin(), deps.end(), i) > 0) {
          ++consumed_by_compute;
          break;
        }
      }
    }
    // Once per iteration per bucket (the stage's layers and the embedding) either way.
    EXPECT_EQ(gathers, static_cast<int>(dag.stage.layers.size()) + 1) << overlap;
    EXPECT_EQ(before_optimizer, overlap ? gathers : 0) << overlap;
    EXPECT_EQ(consumed_by_compute, overlap ? gathers : 0) << overlap;
  }
}

TEST(RankDag, GradientsReduceInFp32WhenAsked) {
  const auto all = cases();
  ParallelLayout l = all[3].layout;  // ZeRO-2: a reduce-scatter and an all-gather per bucket
  const config::ModelSpec m = model(all[3].model);
  const auto bytes = [&](CollectiveKind kind) {
    double sum = 0;
    for (const DagOp& op : build_rank_dag(m, l, 0, options_for(l)).ops)
      if (op.group == Group::kData && op.collective == kind) sum += op.bytes.value();
    return sum;
  };
  const double rs16 = bytes(CollectiveKind::kReduceScatter);
  const double ag16 = bytes(CollectiveKind::kAllGather);
  l.grad_reduce_in_fp32 = true;
  EXPECT_GT(rs16, 0);
  EXPECT_DOUBLE_EQ(bytes(CollectiveKind::kReduceScatter), 2 * rs16);  // bf16 model: 4 / 2 bytes
  EXPECT_DOUBLE_EQ(bytes(CollectiveKind::kAllGather), ag16);          // parameters stay 16-bit
}

TEST(RankDag, StaysSmallForA126LayerModel) {
  const config::ModelSpec m = model("llama3-405b");
  ParallelLayout l;
  l.tp = 8;
  l.pp = 9;  // 14 layers per stage
  l.dp = 4;
  l.micro_batch = 1;
  l.global_batch = 64;  // 16 micro-batches
  l.sequence_parallel = true;
  l.sharding = Sharding::kZero1;
  ASSERT_NO_THROW(validate_layout(m, l, {"test", 0}, ""));
  const RankDag dag = build_rank_dag(m, l, 4);
  // Per layer and micro-batch: two blocks x (all-gather, compute, reduce-scatter) x 2 passes.
  EXPECT_EQ(dag_totals(dag).compute_ops, 14u * 16 * 4 + 1);
  EXPECT_LT(dag.ops.size(), 3000u);
  EXPECT_GT(dag.ops.size(), 2000u);
  EXPECT_LT(dag.works.size(), 10u);  // the blocks share their kernel bundles
}

TEST(RankDag, UnevenStagesRunThePlacementsLayers) {
  const config::ModelSpec m = model("llama3-405b");
  for (const auto& c : with_uneven()) {
    if (c.model != "llama3-405b") continue;
    int layers = 0;
    for (int rank = 0; rank < c.layout.pp; ++rank) {
      const RankDag dag = build_rank_dag(m, c.layout, rank, options_for(c.layout));
      // Each layer's forward attention block once per micro-batch.
      std::set<int> seen;
      size_t forward_attention = 0;
      for (const DagOp& op : dag.ops) {
        if (op.kind != OpKind::kCompute || op.layer < 0 || op.pass != Pass::kForward) continue;
        if (dag.works[static_cast<size_t>(op.work)].name != "attention.forward") continue;
        seen.insert(op.layer);
        ++forward_attention;
      }
      const size_t held = dag.stage.layers.size();
      EXPECT_EQ(seen.size(), held) << c.name << " stage " << rank;
      EXPECT_EQ(forward_attention, held * static_cast<size_t>(c.layout.micro_batches()));
      EXPECT_EQ(held, rank == 0 || rank == 15 ? 7u : 8u) << c.name << " stage " << rank;
      layers += static_cast<int>(held);
    }
    EXPECT_EQ(layers, m.layers) << c.name;
  }
}

TEST(RankDag, ReportsMemoryAndWhetherItFits) {
  const config::ModelSpec m = model("gpt3-175b");
  ParallelLayout l = cases()[0].layout;
  RankDagOptions o;
  EXPECT_FALSE(build_rank_dag(m, l, 0, o).fits_hbm().has_value());
  o.hbm_capacity = Bytes(80e9);
  const RankDag dag = build_rank_dag(m, l, 0, o);
  EXPECT_EQ(dag.memory_per_rank_bytes(),
            stage_memory(m, l, dag.stage, AttentionCore::kFused).total());
  EXPECT_GT(dag.memory_per_rank_bytes().value(), 1e9);
  EXPECT_EQ(dag.fits_hbm(), dag.memory_per_rank_bytes() <= Bytes(80e9));
  o.hbm_capacity = Bytes(1e9);
  EXPECT_EQ(build_rank_dag(m, l, 0, o).fits_hbm(), false);
}

TEST(RankDag, RejectsAScheduleThatDoesNotFit) {
  const config::ModelSpec m = model("gpt3-175b");
  ParallelLayout l = cases()[1].layout;  // virtual_stages = 2
  RankDagOptions o;
  o.schedule = PipelineSchedule::kOneFOneB;
  EXPECT_THROW(build_rank_dag(m, l, 0, o), std::invalid_argument);
}

}  // namespace
}  // namespace gwsim::workload::transformer
