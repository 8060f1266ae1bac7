#include "sim/workload/transformer/pipeline_schedule.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace gwsim::workload::transformer {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("pipeline schedule: " + what);
}

// Megatron-LM's mapping of the k-th forward (or backward) unit of a stage to its micro-batch and
// chunk: micro-batches go through the chunks in groups of pp.
ScheduleStep interleaved_unit(int k, Pass pass, int pp, int v) {
  const int group = pp * v;
  const int in_group = k % group;
  int chunk = in_group / pp;
  if (pass == Pass::kBackward) chunk = v - 1 - chunk;
  return {pass, (k / group) * pp + in_group % pp, chunk};
}

}  // namespace

std::string_view schedule_name(PipelineSchedule schedule) {
  switch (schedule) {
    case PipelineSchedule::kGpipe:
      return "gpipe";
    case PipelineSchedule::kOneFOneB:
      return "1f1b";
    case PipelineSchedule::kInterleaved:
      return "interleaved-1f1b";
  }
  return "?";
}

std::vector<ScheduleStep> stage_schedule(PipelineSchedule schedule, int pp, int m, int v,
                                         int stage) {
  require(pp >= 1 && m >= 1 && v >= 1, "pp, m and v must be >= 1");
  require(stage >= 0 && stage < pp, "stage out of range");
  std::vector<ScheduleStep> out;
  out.reserve(2 * static_cast<size_t>(m) * static_cast<size_t>(v));
  switch (schedule) {
    case PipelineSchedule::kGpipe:
      require(v == 1, "GPipe runs one chunk per stage (v = 1)");
      for (int i = 0; i < m; ++i) out.push_back({Pass::kForward, i, 0});
      for (int i = 0; i < m; ++i) out.push_back({Pass::kBackward, i, 0});
      break;
    case PipelineSchedule::kOneFOneB: {
      require(v == 1, "1F1B runs one chunk per stage (v = 1); use the interleaved schedule");
      const int warmup = std::min(pp - stage - 1, m);
      for (int i = 0; i < warmup; ++i) out.push_back({Pass::kForward, i, 0});
      for (int i = 0; i < m - warmup; ++i) {
        out.push_back({Pass::kForward, warmup + i, 0});
        out.push_back({Pass::kBackward, i, 0});
      }
      for (int i = m - warmup; i < m; ++i) out.push_back({Pass::kBackward, i, 0});
      break;
    }
    case PipelineSchedule::kInterleaved: {
      require(m % pp == 0, "the interleaved schedule needs a multiple of pp micro-batches");
      const int total = m * v;
      const int warmup = std::min(2 * (pp - stage - 1) + (v - 1) * pp, total);
      for (int k = 0; k < warmup; ++k) out.push_back(interleaved_unit(k, Pass::kForward, pp, v));
      for (int k = 0; k < total - warmup; ++k) {
        out.push_back(interleaved_unit(warmup + k, Pass::kForward, pp, v));
        out.push_back(interleaved_unit(k, Pass::kBackward, pp, v));
      }
      for (int k = total - warmup; k < total; ++k)
        out.push_back(interleaved_unit(k, Pass::kBackward, pp, v));
      break;
    }
  }
  return out;
}

std::vector<std::vector<ScheduleStep>> pipeline_schedule(PipelineSchedule schedule, int pp, int m,
                                                         int v) {
  std::vector<std::vector<ScheduleStep>> out;
  out.reserve(static_cast<size_t>(pp));
  for (int stage = 0; stage < pp; ++stage) out.push_back(stage_schedule(schedule, pp, m, v, stage));
  return out;
}

ScheduleTiming simulate_schedule(const std::vector<std::vector<ScheduleStep>>& schedule, int pp,
                                 int v, double forward, double backward) {
  require(static_cast<int>(schedule.size()) == pp, "one step list per stage");
  const int chunks = pp * v;
  int m = 0;
  for (const auto& steps : schedule)
    for (const ScheduleStep& s : steps) m = std::max(m, s.micro_batch + 1);
  // Finish times by (pass, micro-batch, model chunk); < 0 while not run.
  const auto index = [&](Pass pass, int mb, int j) {
    return (static_cast<size_t>(pass == Pass::kBackward) * static_cast<size_t>(m) +
            static_cast<size_t>(mb)) *
               static_cast<size_t>(chunks) +
           static_cast<size_t>(j);
  };
  std::vector<double> finish(2 * static_cast<size_t>(m) * static_cast<size_t>(chunks), -1.0);
  std::vector<size_t> next(static_cast<size_t>(pp), 0);
  std::vector<double> free_at(static_cast<size_t>(pp), 0.0);
  size_t remaining = 0;
  for (const auto& steps : schedule) remaining += steps.size();
  while (remaining > 0) {
    bool progress = false;
    for (int r = 0; r < pp; ++r) {
      const auto ur = static_cast<size_t>(r);
      while (next[ur] < schedule[ur].size()) {
        const ScheduleStep& s = schedule[ur][next[ur]];
        const int j = model_chunk(pp, r, s.chunk);
        double ready = 0;
        bool ok = true;
        const auto need = [&](Pass pass, int mb, int chunk) {
          const double t = finish[index(pass, mb, chunk)];
          if (t < 0) ok = false;
          ready = std::max(ready, t);
        };
        if (s.pass == Pass::kForward) {
          if (j > 0) need(Pass::kForward, s.micro_batch, j - 1);
        } else {
          need(Pass::kForward, s.micro_batch, j);
          if (j < chunks - 1) need(Pass::kBackward, s.micro_batch, j + 1);
        }
        if (!ok) break;
        const double start = std::max(ready, free_at[ur]);
        const double end = start + (s.pass == Pass::kForward ? forward : backward);
        finish[index(s.pass, s.micro_batch, j)] = end;
        free_at[ur] = end;
        ++next[ur];
        --remaining;
        progress = true;
      }
    }
    if (!progress) throw std::logic_error("pipeline schedule deadlocks: a step waits forever");
  }
  ScheduleTiming t;
  t.makespan = *std::max_element(free_at.begin(), free_at.end());
  t.busy = static_cast<double>(m) * v * (forward + backward);
  return t;
}

}  // namespace gwsim::workload::transformer
