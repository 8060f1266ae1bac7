// Pipeline schedules: the order in which one pipeline stage runs the forward and backward passes of
// its micro-batches and model chunks in one iteration.
//
// - GPipe (Huang et al. 2019): every forward, then every backward.
// - 1F1B (PipeDream-Flush; Narayanan et al. 2021, "Memory-efficient pipeline-parallel DNN
//   training"): stage r runs min(pp - r - 1, m) warm-up forwards, then alternates one forward and
//   one backward, then the remaining backwards.
// - Interleaved 1F1B (Narayanan et al. SC'21, section 2.2.2): each stage holds v model chunks
//   (chunk c of stage r is model chunk c pp + r); micro-batches go through the chunks in groups of
//   pp; warm-up of 2 (pp - r - 1) + (v - 1) pp forwards (capped at m v), then 1F1B over
//   (micro-batch, chunk) units, as Megatron-LM's forward_backward_pipelining_with_interleaving.
//
// With equal forward and backward times (each t_f = t_b on every chunk), the bubble fraction of
// 1F1B is (pp - 1) / m and of the interleaved schedule (pp - 1) / (v m) (Narayanan et al. SC'21,
// section 2.2); simulate_schedule() computes the makespan of any schedule with a simple list
// scheduler so that tests can check it.
#pragma once

#include <string_view>
#include <vector>

#include "sim/config/parallel_layout.h"
#include "sim/workload/transformer/kernels.h"

namespace gwsim::workload::transformer {

using config::PipelineSchedule;  // sim/config/parallel_layout.h
std::string_view schedule_name(PipelineSchedule schedule);

// One step of a stage's schedule: the forward or backward pass of one micro-batch through one of
// the stage's model chunks (0 .. v - 1, the stage's own numbering).
struct ScheduleStep {
  Pass pass = Pass::kForward;  // kForward or kBackward
  int micro_batch = 0;
  int chunk = 0;
  bool operator==(const ScheduleStep&) const = default;
};

// The schedule of `stage` (0 .. pp - 1) for m micro-batches and v chunks per stage. GPipe and 1F1B
// need v = 1; interleaved needs m a multiple of pp (Megatron's condition). Throws
// std::invalid_argument otherwise (layouts are validated before: validate_layout).
std::vector<ScheduleStep> stage_schedule(PipelineSchedule schedule, int pp, int m, int v,
                                         int stage);

// Every stage's schedule.
std::vector<std::vector<ScheduleStep>> pipeline_schedule(PipelineSchedule schedule, int pp, int m,
                                                         int v);

// Model chunk (0 .. pp v - 1) of a stage's chunk: c pp + stage.
inline int model_chunk(int pp, int stage, int chunk) { return chunk * pp + stage; }

// Makespan of a schedule when every forward takes `forward` and every backward `backward` (per
// stage chunk), transfers are instantaneous, and each stage runs its steps in order, each as soon
// as the stage is free and its input is ready: the forward of model chunk j after the forward of
// j - 1 (same micro-batch), the backward of j after the backward of j + 1 and after its own
// forward.
struct ScheduleTiming {
  double makespan = 0;
  double busy = 0;  // per stage: m v (forward + backward)
  // (makespan - busy) / makespan: the idle fraction of every stage (equal for all stages).
  double bubble_fraction() const { return (makespan - busy) / makespan; }
  // Idle time over busy time, the definition of Narayanan et al.: (pp - 1) / m for 1F1B.
  double bubble_ratio() const { return (makespan - busy) / busy; }
};
ScheduleTiming simulate_schedule(const std::vector<std::vector<ScheduleStep>>& schedule, int pp,
                                 int v, double forward, double backward);

}  // namespace gwsim::workload::transformer
