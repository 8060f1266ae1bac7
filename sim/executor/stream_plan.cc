#include "sim/executor/stream_plan.h"

#include <algorithm>
#include <array>
#include <map>

namespace gwsim::executor {

namespace tf = workload::transformer;

namespace {

bool depends_on(const tf::DagOp& op, size_t dep) {
  const auto is_dep = [dep](uint32_t d) { return d == dep; };
  return std::any_of(op.data_deps.begin(), op.data_deps.end(), is_dep) ||
         std::any_of(op.ctrl_deps.begin(), op.ctrl_deps.end(), is_dep);
}

// Moves to the compute actor the part T_a .. T_j of `run` (layer collectives between compute ops
// `before` and `after`) with T_a the first that depends on `before` and T_j the last that `after`
// depends on; the rest stays on the layer stream.
void move_run(const tf::RankDag& dag, const std::vector<uint32_t>& run, size_t before, size_t after,
              StreamPlan& plan) {
  const auto first = std::find_if(run.begin(), run.end(),
                                  [&](uint32_t t) { return depends_on(dag.ops[t], before); });
  const auto last = std::find_if(run.rbegin(), run.rend(),
                                 [&](uint32_t t) { return depends_on(dag.ops[after], t); });
  if (first == run.end() || last == run.rend()) return;
  const auto end = last.base();  // one past T_j
  if (first >= end) return;
  for (auto t = first; t != end; ++t) {
    plan.player[*t] = tf::Stream::kCompute;
    plan.gap_closed_by[*t] = static_cast<int32_t>(after);
  }
}

}  // namespace

StreamPlan plan_streams(const tf::RankDag& dag, bool fuse) {
  const size_t n = dag.ops.size();
  StreamPlan plan;
  plan.player.reserve(n);
  for (const tf::DagOp& op : dag.ops) plan.player.push_back(op.stream);
  plan.serial_after.assign(n, -1);
  plan.gap_closed_by.assign(n, -1);

  if (fuse) {
    int64_t previous_compute = -1;
    std::vector<uint32_t> run;  // layer collectives since previous_compute
    for (size_t i = 0; i < n; ++i) {
      const tf::DagOp& op = dag.ops[i];
      if (op.stream == tf::Stream::kLayerComm && op.kind == tf::OpKind::kCollective) {
        run.push_back(static_cast<uint32_t>(i));
      } else if (op.stream == tf::Stream::kCompute) {
        if (previous_compute >= 0 && !run.empty())
          move_run(dag, run, static_cast<size_t>(previous_compute), i, plan);
        run.clear();
        previous_compute = static_cast<int64_t>(i);
      }
    }
  }

  // A serialized stream's order, where consecutive ops of it are played by different actors.
  std::array<int64_t, 4> previous{-1, -1, -1, -1};
  for (size_t i = 0; i < n; ++i) {
    const tf::Stream stream = dag.ops[i].stream;
    if (!tf::is_serialized(stream)) continue;
    int64_t& p = previous[static_cast<size_t>(stream)];
    if (p >= 0 && plan.player[static_cast<size_t>(p)] != plan.player[i])
      plan.serial_after[i] = static_cast<int32_t>(p);
    p = static_cast<int64_t>(i);
  }
  return plan;
}

bool pipeline_messages_in_order(const std::vector<tf::RankDag>& dags) {
  std::map<std::pair<int, int>, std::vector<int>> sent, received;  // (from, to) stage -> tags
  for (size_t stage = 0; stage < dags.size(); ++stage) {
    const int from_or_to = static_cast<int>(stage);
    for (const tf::DagOp& op : dags[stage].ops) {
      if (op.kind == tf::OpKind::kSend) sent[{from_or_to, op.peer_stage}].push_back(op.tag);
      if (op.kind == tf::OpKind::kRecv) received[{op.peer_stage, from_or_to}].push_back(op.tag);
    }
  }
  return sent == received;
}

}  // namespace gwsim::executor
