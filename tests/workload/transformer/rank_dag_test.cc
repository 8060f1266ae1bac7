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

// Which tensor-parallel overlap a DAG is built with (RankDagOptions).
enum class Overlap { kNone, kBesideGemms, kBackward };

std::string overlap_name(Overlap o) {
  return o == Overlap::kNone          ? ""
         : o == Overlap::kBesideGemms ? " overlap_tp_comm"
                                      : " overlap_tp_backward";
}

RankDagOptions options_for(const ParallelLayout& l, Overlap overlap = Overlap::kNone) {
  RankDagOptions o;
  o.schedule = l.virtual_stages > 1 ? PipelineSchedule::kInterleaved : PipelineSchedule::kOneFOneB;
  o.overlap_tp_comm = overlap == Overlap::kBesideGemms;
  o.overlap_tp_backward = overlap == Overlap::kBackward;
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

// Each case without overlap, with overlap_tp_comm where it has sequence parallelism, and with
// overlap_tp_backward where it has tensor parallelism.
std::vector<std::pair<testing::Case, Overlap>> with_overlap(
    const std::vector<testing::Case>& cases) {
  std::vector<std::pair<testing::Case, Overlap>> out;
  for (const auto& c : cases) {
    out.emplace_back(c, Overlap::kNone);
    if (c.layout.sequence_parallel && c.layout.tp > 1) out.emplace_back(c, Overlap::kBesideGemms);
    if (c.layout.tp > 1) out.emplace_back(c, Overlap::kBackward);
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
        const std::string what = c.name + overlap_name(overlap) + " stage " + std::to_string(rank) +
                                 " " + std::string(op_class_name(static_cast<OpClass>(i)));
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
      if (overlap == Overlap::kBesideGemms) continue;
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
    if (op.pass == Pass::kBackward) {
      // Backward, the block's input is gathered again after its output gradient.
      EXPECT_EQ(before.name, op.name + ".tp_all_gather_input");
      ASSERT_EQ(before.data_deps.size(), 1u);
      EXPECT_EQ(dag.ops[before.data_deps[0]].name, op.name + ".tp_all_gather");
    }
    const DagOp& after = dag.ops[i + 1];
    EXPECT_EQ(after.collective, CollectiveKind::kReduceScatter) << op.name;
    ASSERT_EQ(after.data_deps.size(), 1u);
    EXPECT_EQ(after.data_deps[0], i);
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

size_t count_named(const RankDag& dag, const std::string& suffix) {
  return static_cast<size_t>(std::count_if(dag.ops.begin(), dag.ops.end(), [&](const DagOp& op) {
    return op.name.size() >= suffix.size() &&
           op.name.compare(op.name.size() - suffix.size(), suffix.size(), suffix) == 0;
  }));
}

TEST(RankDag, SequenceParallelGathersColumnParallelInputsAgainBackward) {
  // Korthikanti et al. 2022, section 4.2.2: with SP a column-parallel GEMM keeps only its input's
  // sequence shard and gathers it again for its weight gradient. DeepSeek-V3 on one stage: dense
  // and MoE layers, the embedding and the output layer.
  const auto all = cases();
  const auto& c = all[4];  // deepseek_v3_ep4_full: sequence parallel, one pipeline stage
  ASSERT_TRUE(c.layout.sequence_parallel);
  const config::ModelSpec m = model(c.model);
  const RankDag dag = build_rank_dag(m, c.layout, 0, options_for(c.layout));
  const size_t mbs = static_cast<size_t>(c.layout.micro_batches());
  const StagePlacement& stage = dag.stage;
  ASSERT_GT(stage.dense_layers, 0);
  ASSERT_GT(stage.moe_layers, 0);
  EXPECT_EQ(count_named(dag, "attention.backward.tp_all_gather_input"), mbs * stage.layers.size());
  EXPECT_EQ(count_named(dag, "mlp.backward.tp_all_gather_input"),
            mbs * static_cast<size_t>(stage.dense_layers));
  EXPECT_EQ(count_named(dag, "moe.backward.tp_all_gather_input"), 0u);  // experts keep theirs
  // The output layer gathers its input forward and again backward; the embedding output's
  // reduce-scatter has an all-gather for its backward.
  EXPECT_EQ(count_named(dag, "head.forward.tp_all_gather"), mbs);
  EXPECT_EQ(count_named(dag, "head.backward.tp_all_gather_input"), mbs);
  EXPECT_EQ(count_named(dag, "embedding.backward.tp_all_gather"), mbs);
  for (size_t i = 0; i < dag.ops.size(); ++i) {
    const DagOp& op = dag.ops[i];
    if (op.kind != OpKind::kCompute || op.layer >= 0 || op.name.find("optimizer") == 0) continue;
    if (op.name.find("embedding.forward") != std::string::npos) continue;
    // head.forward, head.backward and embedding.backward each wait for their all-gather.
    ASSERT_FALSE(op.data_deps.empty()) << op.name;
    const DagOp& gather = dag.ops[op.data_deps.front()];
    EXPECT_EQ(gather.collective, CollectiveKind::kAllGather) << op.name;
    EXPECT_EQ(gather.group, Group::kTensor) << op.name;
    EXPECT_EQ(gather.name.rfind(op.name + ".tp_all_gather", 0), 0u) << op.name;
  }
  // Without SP none of these exist.
  const auto& plain = all[5];
  ASSERT_FALSE(plain.layout.sequence_parallel);
  const RankDag no_sp =
      build_rank_dag(model(plain.model), plain.layout, 0, options_for(plain.layout));
  EXPECT_EQ(count_named(no_sp, ".tp_all_gather_input"), 0u);
  EXPECT_EQ(count_named(no_sp, ".tp_all_gather"), 0u);
}

bool depends_on(const DagOp& op, size_t other) {
  return std::find(op.data_deps.begin(), op.data_deps.end(), other) != op.data_deps.end();
}

TEST(RankDag, TensorCollectivesBesideGemms) {
  const auto all = cases();
  const auto& c = all[1];  // sequence parallel, selective recomputation, interleaved
  const config::ModelSpec m = model(c.model);
  const RankDag dag = build_rank_dag(m, c.layout, 1, options_for(c.layout, Overlap::kBesideGemms));
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
    // The reduce-scatter runs beside the scatter GEMM: both after the rest of the block (backward:
    // after the first GEMM's input gradient, which runs beside the all-gather of its input).
    size_t before_scatter = middle;
    if (backward) {
      before_scatter = index.at(block + ".gemm_beside_input_all_gather");
      const size_t regather = index.at(block + ".tp_all_gather_input");
      EXPECT_EQ(dag.ops[regather].collective, CollectiveKind::kAllGather);
      EXPECT_EQ(dag.ops[regather].bytes, dag.ops[gather].bytes);
      ASSERT_EQ(dag.ops[regather].data_deps.size(), 1u);
      EXPECT_EQ(dag.ops[regather].data_deps[0], dag.ops[before_scatter].data_deps[0]);
      EXPECT_FALSE(depends_on(dag.ops[before_scatter], regather));
      EXPECT_TRUE(depends_on(dag.ops[scatter_gemm], regather));  // the weight gradient needs it
      EXPECT_FALSE(depends_on(dag.ops[scatter], regather));
      EXPECT_GT(dag.works[static_cast<size_t>(dag.ops[before_scatter].work)].flops().value(), 0);
    }
    EXPECT_TRUE(depends_on(dag.ops[scatter_gemm], before_scatter));
    EXPECT_TRUE(depends_on(dag.ops[scatter], before_scatter));
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

TEST(RankDag, BackwardTensorCollectivesBesideFirstGemm) {
  // overlap_tp_backward (Megatron-LM's asynchronous backward): with SP the first GEMM's input
  // gradient runs beside the all-gather of its input and its weight gradient beside the
  // reduce-scatter; without SP the weight gradient runs beside the all-reduce.
  const auto all = cases();
  for (const size_t which : {size_t{0}, size_t{1}}) {  // plain tp 8; SP, selective, interleaved
    const auto& c = all[which];
    SCOPED_TRACE(c.name);
    const bool sp = c.layout.sequence_parallel;
    const config::ModelSpec m = model(c.model);
    const RankDag dag = build_rank_dag(m, c.layout, 1, options_for(c.layout, Overlap::kBackward));
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < dag.ops.size(); ++i) index[dag.ops[i].name] = i;
    const std::string reduction = sp ? "reduce_scatter" : "all_reduce";
    int blocks = 0;
    for (size_t i = 0; i < dag.ops.size(); ++i) {
      const DagOp& op = dag.ops[i];
      const std::string suffix = ".gemm_beside_" + reduction;
      if (op.name.size() < suffix.size() ||
          op.name.compare(op.name.size() - suffix.size(), suffix.size(), suffix) != 0)
        continue;
      const std::string block = op.name.substr(0, op.name.size() - suffix.size());
      SCOPED_TRACE(block);
      EXPECT_NE(block.find(".backward"), std::string::npos);
      const size_t weight = i;
      const size_t rest = index.at(block);
      const size_t reduce = index.at(block + ".tp_" + reduction);
      EXPECT_EQ(dag.ops[reduce].collective,
                sp ? CollectiveKind::kReduceScatter : CollectiveKind::kAllReduce);
      EXPECT_FALSE(depends_on(dag.ops[reduce], weight));
      size_t input_gradient = rest;
      if (sp) {
        input_gradient = index.at(block + ".gemm_beside_input_all_gather");
        const size_t regather = index.at(block + ".tp_all_gather_input");
        EXPECT_TRUE(depends_on(dag.ops[input_gradient], rest));
        ASSERT_EQ(dag.ops[regather].data_deps.size(), 1u);
        EXPECT_EQ(dag.ops[regather].data_deps[0], rest);
        EXPECT_FALSE(depends_on(dag.ops[input_gradient], regather));
        EXPECT_TRUE(depends_on(dag.ops[weight], regather));
        EXPECT_FALSE(depends_on(dag.ops[reduce], regather));
      } else {
        EXPECT_EQ(index.count(block + ".tp_all_gather_input"), 0u);
      }
      // Both the weight gradient and the reduction follow the input gradient, not each other.
      EXPECT_TRUE(depends_on(dag.ops[weight], input_gradient));
      ASSERT_EQ(dag.ops[reduce].data_deps.size(), 1u);
      EXPECT_EQ(dag.ops[reduce].data_deps[0], input_gradient);
      EXPECT_GT(dag.works[static_cast<size_t>(dag.ops[weight].work)].flops().value(), 0);
      // The next compute op waits for the weight gradient and the reduction.
      for (size_t j = reduce + 1; j < dag.ops.size(); ++j) {
        if (dag.ops[j].kind != OpKind::kCompute) continue;
        EXPECT_TRUE(depends_on(dag.ops[j], weight)) << dag.ops[j].name;
        break;
      }
      ++blocks;
    }
    // Every backward attention and MLP block of the stage's micro-batches.
    const auto layers = static_cast<int>(dag.stage.layers.size());
    EXPECT_EQ(blocks, 2 * layers * c.layout.micro_batches());
    EXPECT_EQ(count_named(dag, ".forward.gemm_beside_" + reduction), 0u);  // forward unchanged
  }
}

TEST(RankDag, OverlappedTensorCollectivesNeedSequenceParallelism) {
  // Without sequence parallelism (all-reduces) the option changes nothing.
  const auto all = cases();
  const auto& c = all[0];
  ASSERT_FALSE(c.layout.sequence_parallel);
  const config::ModelSpec m = model(c.model);
  const RankDag plain = build_rank_dag(m, c.layout, 0, options_for(c.layout));
  const RankDag asked =
      build_rank_dag(m, c.layout, 0, options_for(c.layout, Overlap::kBesideGemms));
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
  // Per layer and micro-batch: two blocks x (all-gather, compute, reduce-scatter) x 2 passes, and
  // backward the all-gather of each block's input again.
  EXPECT_EQ(dag_totals(dag).compute_ops, 14u * 16 * 4 + 1);
  EXPECT_LT(dag.ops.size(), 3500u);
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
