// Benchmark figures of the transformer calculator (no timing): for each row of Narayanan et al.
// SC'21 Table 1 (/work/shared/validation/megatron_sc21_table1.csv layouts) and a few other catalog
// models, the counted parameters, the model FLOPs per iteration (closed form of docs/workloads.md),
// the worst rank's memory against 80 GB, and the bytes one first-stage rank sends per iteration per
// group. Usage: transformer_table_bench
#include <cstdio>

#include "sim/workload/transformer/communication.h"
#include "sim/workload/transformer/compute.h"
#include "sim/workload/transformer/memory.h"
#include "sim/workload/transformer/parameters.h"

namespace {

using namespace gwsim::workload::transformer;

struct Row {
  const char* id;
  int tp, pp, dp, cp, ep, micro_batch, global_batch, virtual_stages;
  Recompute recompute;
  bool sp;
  Sharding sharding;
};

void print(const Row& r) {
  const gwsim::config::ModelSpec m = gwsim::config::load_model(r.id, {"bench", 0}, "model");
  ParallelLayout l;
  l.tp = r.tp;
  l.pp = r.pp;
  l.dp = r.dp;
  l.cp = r.cp;
  l.ep = r.ep;
  l.micro_batch = r.micro_batch;
  l.global_batch = r.global_batch;
  l.virtual_stages = r.virtual_stages;
  l.recompute = r.recompute;
  l.sequence_parallel = r.sp;
  l.sharding = r.sharding;
  validate_layout(m, l, {"bench", 0}, r.id);
  const ParameterCounts p = count_parameters(m);
  const MemoryVerdict v = check_memory(m, l, gwsim::Bytes(80e9));
  const auto comm = stage_communication(m, l, place_stage(m, l, 0));
  std::printf("%-14s %5d %9.2f %9.2f %10.4g %7.1f %6.1f %6.1f %5s %9.2f %9.2f %9.2f %9.2f\n", r.id,
              l.world(), p.total / 1e9, p.active / 1e9, iteration_model_flops(m, l).value(),
              v.worst.total().value() / 1e9, v.worst.activations.value() / 1e9,
              v.worst.optimizer.value() / 1e9, v.fits ? "yes" : "NO",
              iteration_bytes(comm, l, Group::kTensor).value() / 1e9,
              iteration_bytes(comm, l, Group::kPipeline).value() / 1e9,
              iteration_bytes(comm, l, Group::kData).value() / 1e9,
              iteration_bytes(comm, l, Group::kExpert).value() / 1e9);
}

}  // namespace

int main() {
  std::printf("%-14s %5s %9s %9s %10s %7s %6s %6s %5s %9s %9s %9s %9s\n", "model", "ranks",
              "params_B", "active_B", "flops/iter", "mem_GB", "act_GB", "opt_GB", "fits",
              "tp_GB/it", "pp_GB/it", "dp_GB/it", "ep_GB/it");
  const auto full = Recompute::kFull;
  const auto z0 = Sharding::kZero0;
  const Row rows[] = {
      {"megatron-1.7b", 1, 1, 32, 1, 1, 16, 512, 1, full, false, z0},
      {"megatron-3.6b", 2, 1, 32, 1, 1, 16, 512, 1, full, false, z0},
      {"megatron-7.5b", 4, 1, 32, 1, 1, 16, 512, 1, full, false, z0},
      {"megatron-18b", 8, 1, 32, 1, 1, 8, 1024, 1, full, false, z0},
      {"megatron-39b", 8, 2, 32, 1, 1, 4, 1536, 1, full, false, z0},
      {"megatron-76b", 8, 4, 32, 1, 1, 2, 1792, 3, full, false, z0},
      {"megatron-145b", 8, 8, 24, 1, 1, 2, 2304, 2, full, false, z0},
      {"megatron-310b", 8, 16, 15, 1, 1, 1, 2160, 2, full, false, z0},
      {"megatron-530b", 8, 35, 9, 1, 1, 1, 2520, 3, full, false, z0},
      {"megatron-1t", 8, 64, 6, 1, 1, 1, 3072, 1, full, false, z0},
      // Illustrative layouts, not published ones (Llama 3 used pp 16 with uneven first and last
      // stages, DeepSeek-V3 pp 16 over 61 layers; placement.h places both, these rows predate it).
      // Llama 3 trains without checkpointing but with FlashAttention, which stores no s x s
      // tensors: counted as selective recomputation.
      {"llama3-405b", 8, 14, 64, 1, 1, 1, 2048, 1, Recompute::kSelective, true, Sharding::kFsdp},
      {"deepseek-v3", 1, 1, 128, 1, 64, 1, 4096, 1, Recompute::kFull, false, Sharding::kZero1},
  };
  for (const Row& r : rows) print(r);
  return 0;
}
