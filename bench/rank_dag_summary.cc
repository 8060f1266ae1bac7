// Prints, for one model and layout, what each pipeline stage's rank DAG holds and its roofline
// compute time: a quick look at the generator's output (not a timed test).
//
//   build/tests/workload/transformer/rank_dag_summary_bench MODEL ACCELERATOR TP PP DP MB GB [V
//   [RECOMPUTE]] e.g. rank_dag_summary_bench megatron-145b a100-sxm 8 8 24 2 2304 2 full
// RECOMPUTE: none (default), selective or full. Sequence parallelism is on when TP > 1.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/config/catalog.h"
#include "sim/workload/transformer/rank_dag.h"
#include "sim/workload/transformer/roofline.h"

using namespace gwsim;
using namespace gwsim::workload::transformer;

int main(int argc, char** argv) {
  if (argc < 8) {
    std::fprintf(stderr,
                 "usage: %s MODEL ACCELERATOR TP PP DP MICRO_BATCH GLOBAL_BATCH [V [RECOMPUTE]]\n",
                 argv[0]);
    return 2;
  }
  try {
    const config::ModelSpec model = config::load_model(argv[1], {"argv", 1}, "model");
    const config::CatalogAccelerator acc =
        config::load_catalog_accelerator(argv[2], {"argv", 2}, "accelerator");
    ParallelLayout l;
    l.tp = std::atoi(argv[3]);
    l.pp = std::atoi(argv[4]);
    l.dp = std::atoi(argv[5]);
    l.micro_batch = std::atoi(argv[6]);
    l.global_batch = std::atoi(argv[7]);
    l.virtual_stages = argc > 8 ? std::atoi(argv[8]) : 1;
    l.sequence_parallel = l.tp > 1;
    const std::string recompute = argc > 9 ? argv[9] : "none";
    if (recompute == "full") {
      l.recompute = Recompute::kFull;
    } else if (recompute == "selective") {
      l.recompute = Recompute::kSelective;
    } else if (recompute != "none") {
      throw InputError({"argv", 9}, "recompute", "expected none, selective or full");
    }
    validate_layout(model, l, {"argv", 0}, "layout");
    const Roofline roofline = Roofline::for_accelerator(acc, model.precision);
    RankDagOptions o;
    o.schedule =
        l.virtual_stages > 1 ? PipelineSchedule::kInterleaved : PipelineSchedule::kOneFOneB;
    o.hbm_capacity = acc.hbm_capacity;
    std::printf("%s on %s: tp %d pp %d dp %d v %d, %d micro-batches\n", model.name.c_str(),
                acc.name.c_str(), l.tp, l.pp, l.dp, l.virtual_stages, l.micro_batches());
    std::printf("stage  ops  works  build_ms  compute_s  tflops_per_gpu  memory_GB  fits\n");
    for (int stage = 0; stage < l.pp; ++stage) {
      const auto t0 = std::chrono::steady_clock::now();
      const RankDag dag = build_rank_dag(model, l, stage, o);
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      Seconds compute;
      Flops flops;
      for (const DagOp& op : dag.ops) {
        if (op.kind != OpKind::kCompute) continue;
        const ComputeWork& w = dag.works[static_cast<size_t>(op.work)];
        compute += roofline.time(w.kernels);
        flops += w.flops();
      }
      std::printf("%5d %5zu %5zu %9.1f %10.3f %15.1f %10.2f  %s\n", stage, dag.ops.size(),
                  dag.works.size(), ms, compute.value(), flops.value() / compute.value() / 1e12,
                  dag.memory_per_rank_bytes().value() / 1e9,
                  dag.fits_hbm().value_or(false) ? "yes" : "no");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  return 0;
}
