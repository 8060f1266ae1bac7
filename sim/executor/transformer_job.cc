#include "sim/executor/transformer_job.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <map>
#include <tuple>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Mailbox.hpp>
#include <simgrid/s4u/Semaphore.hpp>

#include "sim/engine/modelled_activity.h"
#include "sim/executor/rank_grid.h"
#include "sim/executor/stream_plan.h"
#include "sim/network/collective_runner.h"
#include "sim/network/cost_model.h"
#include "sim/network/group_costs.h"
#include "sim/workload/transformer/compute.h"
#include "sim/workload/transformer/rank_dag.h"

namespace gwsim::executor {
namespace sg4 = simgrid::s4u;
namespace tf = workload::transformer;

namespace {

network::CollectiveOp op_of(tf::CollectiveKind kind) {
  switch (kind) {
    case tf::CollectiveKind::kAllReduce:
      return network::CollectiveOp::kAllReduce;
    case tf::CollectiveKind::kReduceScatter:
      return network::CollectiveOp::kReduceScatter;
    case tf::CollectiveKind::kAllGather:
      return network::CollectiveOp::kAllGather;
    case tf::CollectiveKind::kAllToAll:
      return network::CollectiveOp::kAllToAll;
    case tf::CollectiveKind::kSendRecv:
      return network::CollectiveOp::kSendRecv;
  }
  return network::CollectiveOp::kAllReduce;
}

// Waiters beside the streams (whose index is their Stream's).
constexpr int kSender = 4;
constexpr int kReceiver = 5;

// Per rank and iteration: what its compute stream did.
struct IterationTimes {
  double start = -1;  // first op started
  double end = 0;     // last op (any stream) ended
  double compute = 0;
  double bubble = 0;  // compute stream waiting on a pipeline receive
};

}  // namespace

tf::RankDagOptions rank_dag_options(const config::TransformerJobSpec& job) {
  tf::RankDagOptions options;
  options.schedule =
      job.schedule.value_or(job.layout.virtual_stages > 1 ? tf::PipelineSchedule::kInterleaved
                                                          : tf::PipelineSchedule::kOneFOneB);
  options.overlap_grad_reduce = job.overlap_grad_reduce;
  options.overlap_param_gather = job.overlap_param_gather;
  options.overlap_tp_comm = job.overlap_tp_comm;
  options.overlap_tp_backward = job.overlap_tp_backward;
  options.attention_core =
      job.fused_attention ? tf::AttentionCore::kFused : tf::AttentionCore::kUnfused;
  return options;
}

bool symmetric_ranks_possible(const config::TransformerJobSpec& job,
                              const config::PlatformSpec& platform, size_t jobs) {
  const bool dragonfly =
      platform.scale_out && platform.scale_out->kind == config::ScaleOutKind::kDragonfly;
  // A representative stands for its tensor-parallel group only when the group is consecutive ranks:
  // no dimension of degree > 1 is numbered inside tensor parallelism.
  bool tensor_innermost = true;
  for (config::RankDimension d : job.layout.rank_order) {
    if (d == config::RankDimension::kTensor) break;
    if (job.layout.degree(d) > 1) tensor_innermost = false;
  }
  return jobs == 1 && job.symmetric_ranks && job.layout.tp >= 2 && tensor_innermost &&
         job.layout.tp == platform.accelerators_per_node && job.first_accelerator == 0 &&
         platform.resolution == config::Resolution::kAccelerator && !dragonfly;
}

struct TransformerJob::JobState {
  int job_index;
  std::string name;
  config::TransformerJobSpec spec;
  tf::Roofline roofline;
  TransformerEnvironment env;
  engine::WorkCounter* work;
  RankGrid grid;
  bool symmetric = false;
  std::vector<tf::RankDag> dags;  // by pipeline stage
  std::vector<StreamPlan> plans;  // by pipeline stage: who plays each op
  // By pipeline stage, per op: its index among the stage's receives (Rank::received_at); -1: none.
  std::vector<std::vector<int32_t>> receive_slots;
  // One FIFO mailbox per pair of ranks serves their pipeline messages (stream_plan.h,
  // pipeline_messages_in_order), not one mailbox per message: a million mailbox objects for
  // Llama 3 405B on 16,384 ranks, 256 messages each.
  bool p2p_in_order = false;
  // Symmetric ranks: each distinct (kind, bytes) of the tensor-parallel collectives, and the slot
  // of every op's ([stage][op]; -1 for other ops), so that a closed form is looked up by index.
  std::map<std::pair<int, double>, int> closed_form_keys;
  std::vector<std::vector<int>> closed_form_slots;
  std::vector<std::vector<double>> work_flops;  // [stage][work]: host FLOPs of each compute work

  // A group of ranks that runs collectives together.
  struct Communicator {
    std::vector<int> members;  // world ranks
    std::vector<int> levels;
    std::function<network::EdgeCost(int, int)> edge;
    network::GroupCosts costs;
    std::map<std::pair<int, double>, std::unique_ptr<network::CollectiveRunner>> runners;
    std::vector<double> closed_forms;  // seconds, by closed_form_slots; < 0: not yet computed
  };
  std::map<std::pair<int, int>, std::unique_ptr<Communicator>> communicators;  // (group, first)

  struct Rank {
    int world = 0;
    int stage = 0;
    sg4::Host* host = nullptr;
    std::vector<int> finished;        // per op: iterations in which it finished
    std::vector<int> delivered;       // per send op: iterations whose send its receiver has taken
    std::vector<double> received_at;  // per receive (receive_slots): when it last finished
    std::vector<std::pair<std::pair<int, int>, sg4::Mailbox*>> p2p_boxes;  // (from, to) -> mailbox
    // One waiter per actor of the rank (its streams, then sends, then receives): the op it waits on
    // (-1: none) and the semaphore it blocks on, so that finishing an op wakes only who waits on
    // it.
    static constexpr int kWaiters = 6;
    std::array<int64_t, kWaiters> waiting_on{};
    std::array<sg4::SemaphorePtr, kWaiters> wake;
    std::vector<IterationTimes> times;
    // By group: this rank's communicator and its position there (looked up once).
    std::array<Communicator*, 6> communicators{};
    std::array<int, 6> positions{};
  };
  std::vector<std::unique_ptr<Rank>> ranks;  // simulated ranks only

  JobState(int index, std::string job_name, config::TransformerJobSpec s, tf::Roofline r,
           TransformerEnvironment e, engine::WorkCounter* w)
      : job_index(index),
        name(std::move(job_name)),
        spec(std::move(s)),
        roofline(std::move(r)),
        env(std::move(e)),
        work(w),
        grid(spec.layout) {}

  int64_t accelerator_of(int world) const { return spec.first_accelerator + world; }

  Communicator& communicator(tf::Group group, int world) {
    const std::vector<int> members = grid.members(group, world);
    auto& slot = communicators[{static_cast<int>(group), members.front()}];
    if (slot) return *slot;
    slot = std::make_unique<Communicator>();
    Communicator& c = *slot;
    c.members = members;
    std::vector<int64_t> hosts;
    hosts.reserve(members.size());
    for (int m : members) hosts.push_back(accelerator_of(m));
    network::TopologyGroup g = network::topology_group(
        *env.topology, std::move(hosts), env.scale_up_in_network, env.scale_out_in_network);
    c.levels = std::move(g.levels);
    c.costs = std::move(g.costs);
    c.edge = std::move(g.edge);
    return c;
  }

  network::CollectiveSpec collective_spec(const Communicator& c, const tf::DagOp& op) const {
    network::CollectiveSpec s;
    s.op = op_of(op.collective);
    s.size = op.bytes;
    s.ranks = static_cast<int>(c.members.size());
    s.levels = c.levels;
    s.chunk = env.library.chunk;
    return s;
  }

  network::CollectiveRunner& runner(Communicator& c, tf::Group group, const tf::DagOp& op) {
    auto& slot = c.runners[{static_cast<int>(op.collective), op.bytes.value()}];
    if (slot) return *slot;
    network::CollectiveSpec s = collective_spec(c, op);
    const network::Choice choice = network::choose(s, env.library, c.costs);
    s.algorithm = choice.algorithm;
    const network::Fidelity fidelity = spec.collective_fidelity == config::CollectiveFidelity::kStep
                                           ? network::Fidelity::kStep
                                           : network::Fidelity::kFluid;
    slot = std::make_unique<network::CollectiveRunner>(
        "job/" + name + "/g" + std::to_string(static_cast<int>(group)) + "/" +
            std::to_string(c.members.front()) + "/" + std::to_string(c.runners.size()),
        s, fidelity, choice.protocol, env.library, c.edge);
    return *slot;
  }

  // The closed form of a tensor-parallel collective (symmetric ranks), waited as communication
  // (engine/modelled_activity.h tells the power tracker).
  void closed_form_collective(Rank& rank, const tf::DagOp& op) {
    Communicator& c = *rank.communicators[static_cast<size_t>(tf::Group::kTensor)];
    const tf::RankDag& dag = dags[static_cast<size_t>(rank.stage)];
    const int slot = closed_form_slots[static_cast<size_t>(rank.stage)]
                                      [static_cast<size_t>(&op - dag.ops.data())];
    if (c.closed_forms.empty()) c.closed_forms.assign(closed_form_keys.size(), -1.0);
    double& time = c.closed_forms[static_cast<size_t>(slot)];
    if (time <= 0)
      time = network::choose(collective_spec(c, op), env.library, c.costs).predicted.value();
    engine::on_modelled_communication(rank.host, true);
    sg4::this_actor::sleep_for(time);
    engine::on_modelled_communication(rank.host, false);
  }

  // The op `op` must follow besides its dependencies (StreamPlan::serial_after); -1: none.
  int32_t serial_after(const Rank& rank, const tf::DagOp& op) const {
    const tf::RankDag& dag = dags[static_cast<size_t>(rank.stage)];
    return plans[static_cast<size_t>(rank.stage)]
        .serial_after[static_cast<size_t>(&op - dag.ops.data())];
  }

  // The first dependency of `op` not yet finished in `iteration`; -1: none.
  int64_t pending_dependency(const Rank& rank, const tf::DagOp& op, int iteration) const {
    for (const auto* deps : {&op.data_deps, &op.ctrl_deps})
      for (uint32_t d : *deps)
        if (rank.finished[d] <= iteration) return d;
    const int32_t serial = serial_after(rank, op);
    if (serial >= 0 && rank.finished[static_cast<size_t>(serial)] <= iteration) return serial;
    return -1;
  }

  // Whether a pipeline receive among the dependencies of `op`, or of those within `depth` steps
  // back, finished after `since` (when `op`'s wait began): with sequence parallelism a layer's
  // first compute waits on all-gathers that wait on the receive, and that wait is the pipeline's,
  // not communication's. Judged by finish times once the wait is over, so a receive that finishes
  // at the very instant the wait begins counts the same whichever actor SimGrid runs first.
  bool received_after(const Rank& rank, const tf::RankDag& dag, const tf::DagOp& op, double since,
                      int depth) const {
    const std::vector<int32_t>& slots = receive_slots[static_cast<size_t>(rank.stage)];
    for (const auto* deps : {&op.data_deps, &op.ctrl_deps}) {
      for (uint32_t d : *deps) {
        if (dag.ops[d].kind == tf::OpKind::kRecv) {
          if (rank.received_at[static_cast<size_t>(slots[d])] > since) return true;
        } else if (depth > 1 && received_after(rank, dag, dag.ops[d], since, depth - 1)) {
          return true;
        }
      }
    }
    return false;
  }

  // Waits until `op`'s dependencies are done.
  // `who`: the waiting actor (Rank::waiting_on).
  //
  // Actors run cooperatively: no other actor runs between two simcalls of this one, so `finished`
  // and `waiting_on` need no lock. Setting waiting_on and blocking on the semaphore happen with no
  // simcall between them, so a finish() of the awaited op either came before (and the loop saw it)
  // or sees this waiter and releases the semaphore once. A blocking wait costs two simcalls, the
  // acquire and the release; a mutex and condition variable cost four.
  void wait_ready(Rank& rank, const tf::DagOp& op, int iteration, int who) {
    int64_t pending = pending_dependency(rank, op, iteration);
    while (pending >= 0) {
      rank.waiting_on[static_cast<size_t>(who)] = pending;
      rank.wake[static_cast<size_t>(who)]->acquire();
      pending = pending_dependency(rank, op, iteration);
    }
  }

  // Wakes whoever waits on `op`, as wait_ready explains.
  void finish(Rank& rank, size_t op) {
    ++rank.finished[op];
    for (int w = 0; w < Rank::kWaiters; ++w) {
      if (rank.waiting_on[static_cast<size_t>(w)] == static_cast<int64_t>(op)) {
        rank.waiting_on[static_cast<size_t>(w)] = -1;
        rank.wake[static_cast<size_t>(w)]->release();
      }
    }
  }

  void note_start(Rank& rank, int iteration) {
    IterationTimes& t = rank.times[static_cast<size_t>(iteration)];
    if (t.start < 0) t.start = sg4::Engine::get_clock();
  }
  void note_end(Rank& rank, int iteration) {
    IterationTimes& t = rank.times[static_cast<size_t>(iteration)];
    t.end = std::max(t.end, sg4::Engine::get_clock());
  }

  void play_op(Rank& rank, size_t index) {
    const tf::RankDag& dag = dags[static_cast<size_t>(rank.stage)];
    const tf::DagOp& op = dag.ops[index];
    switch (op.kind) {
      case tf::OpKind::kCompute:
        sg4::this_actor::execute(
            work_flops[static_cast<size_t>(rank.stage)][static_cast<size_t>(op.work)]);
        break;
      case tf::OpKind::kCollective: {
        if (symmetric && op.group == tf::Group::kTensor) {
          const auto g = static_cast<size_t>(tf::Group::kTensor);
          if (rank.communicators[g] == nullptr)
            rank.communicators[g] = &communicator(tf::Group::kTensor, rank.world);
          closed_form_collective(rank, op);
          break;
        }
        const auto g = static_cast<size_t>(op.group);
        if (rank.communicators[g] == nullptr) {
          rank.communicators[g] = &communicator(op.group, rank.world);
          rank.positions[g] = grid.position_in(op.group, rank.world);
        }
        Communicator& c = *rank.communicators[g];
        if (c.members.size() < 2) break;
        runner(c, op.group, op).run(rank.positions[g]);
        break;
      }
      case tf::OpKind::kSend:
      case tf::OpKind::kRecv:
        break;  // played by the pipeline actors
    }
  }

  // One serialized stream: the ops its actor plays (StreamPlan), in DAG order, each after its
  // dependencies.
  void run_stream(Rank& rank, tf::Stream stream) {
    const tf::RankDag& dag = dags[static_cast<size_t>(rank.stage)];
    const StreamPlan& plan = plans[static_cast<size_t>(rank.stage)];
    sg4::this_actor::sleep_until(spec.start_time.value());
    for (int it = 0; it < spec.steps; ++it) {
      double last_end = sg4::Engine::get_clock();
      // Where layer collectives moved here fill the start of a compute op's wait: when that wait
      // began, as the layer stream would have left it.
      double gap_start = -1;
      for (size_t i = 0; i < dag.ops.size(); ++i) {
        if (plan.player[i] != stream) continue;
        double wait_start = sg4::Engine::get_clock();
        if (plan.moved(i)) {
          if (gap_start < 0) gap_start = wait_start;
          wait_ready(rank, dag.ops[i], it, static_cast<int>(stream));
          note_start(rank, it);
          play_op(rank, i);
          note_end(rank, it);
          finish(rank, i);
          continue;
        }
        wait_ready(rank, dag.ops[i], it, static_cast<int>(stream));
        if (gap_start >= 0) {
          wait_start = gap_start;
          gap_start = -1;
        }
        const double start = sg4::Engine::get_clock();
        note_start(rank, it);
        play_op(rank, i);
        const double end = sg4::Engine::get_clock();
        if (stream == tf::Stream::kCompute) {
          IterationTimes& t = rank.times[static_cast<size_t>(it)];
          t.compute += end - start;
          // The idle gap before this op is a pipeline bubble when it waited on a receive.
          const double gap = start - std::max(wait_start, last_end);
          if (gap > 0 && received_after(rank, dag, dag.ops[i], wait_start, kPipelineWaitDepth))
            t.bubble += gap;
        }
        last_end = end;
        note_end(rank, it);
        finish(rank, i);
      }
      if (stream == tf::Stream::kCompute && rank.world == ranks.front()->world && work != nullptr)
        ++work->completed;
    }
  }

  // The mailbox of a pipeline message from world rank `from` to `to`. One per pair of ranks when
  // p2p_in_order, else one per message (its tag).
  sg4::Mailbox* p2p_mailbox(Rank& rank, int from, int to, int tag) const {
    if (p2p_in_order) {
      for (const auto& [pair_ranks, box] : rank.p2p_boxes)
        if (pair_ranks == std::make_pair(from, to)) return box;
    }
    const std::string pair =
        "job/" + name + "/p2p/" + std::to_string(from) + ">" + std::to_string(to);
    if (!p2p_in_order) return sg4::Mailbox::by_name(pair + "/" + std::to_string(tag));
    return rank.p2p_boxes.emplace_back(std::make_pair(from, to), sg4::Mailbox::by_name(pair))
        .second;
  }

  // Sends start when their data is ready and complete in the background; receives wait in DAG
  // order (a rank consumes them in that order).
  //
  // Delivered sends are waited on as soon as the sender next runs, not all at the end of the step:
  // SimGrid 3.32 keeps an actor's unwaited activities in a list that every completion searches
  // whole (ActorImpl::activities_), so a step's worth of them cost quadratic time. The wait is the
  // same simcall either way and returns at once on a delivered comm, so times do not change. The
  // payload points at the send's `delivered` count, which the receiver raises.
  void run_sends(Rank& rank) {
    const tf::RankDag& dag = dags[static_cast<size_t>(rank.stage)];
    sg4::this_actor::sleep_until(spec.start_time.value());
    for (int it = 0; it < spec.steps; ++it) {
      std::vector<std::pair<size_t, sg4::CommPtr>> pending;  // (send op, its comm)
      for (size_t i = 0; i < dag.ops.size(); ++i) {
        const tf::DagOp& op = dag.ops[i];
        if (op.kind != tf::OpKind::kSend) continue;
        wait_ready(rank, op, it, kSender);
        std::erase_if(pending, [&](const std::pair<size_t, sg4::CommPtr>& send) {
          if (rank.delivered[send.first] <= it) return false;
          send.second->wait();
          return true;
        });
        const int peer = grid.in_stage(rank.world, op.peer_stage);
        pending.emplace_back(
            i, p2p_mailbox(rank, rank.world, peer, op.tag)
                   ->put_async(&rank.delivered[i], static_cast<uint64_t>(op.bytes.value())));
        finish(rank, i);
      }
      for (const auto& send : pending) send.second->wait();
      note_end(rank, it);
    }
  }

  void run_receives(Rank& rank) {
    const tf::RankDag& dag = dags[static_cast<size_t>(rank.stage)];
    sg4::this_actor::sleep_until(spec.start_time.value());
    for (int it = 0; it < spec.steps; ++it) {
      for (size_t i = 0; i < dag.ops.size(); ++i) {
        const tf::DagOp& op = dag.ops[i];
        if (op.kind != tf::OpKind::kRecv) continue;
        wait_ready(rank, op, it, kReceiver);
        const int peer = grid.in_stage(rank.world, op.peer_stage);
        void* received = nullptr;
        p2p_mailbox(rank, peer, rank.world, op.tag)->get_async(&received)->wait();
        ++*static_cast<int*>(received);  // the sender's delivered count (run_sends)
        rank.received_at[static_cast<size_t>(receive_slots[static_cast<size_t>(rank.stage)][i])] =
            sg4::Engine::get_clock();
        finish(rank, i);
        note_end(rank, it);
      }
    }
  }
};

TransformerJob::TransformerJob(int job_index, const std::string& name,
                               const config::TransformerJobSpec& spec, const tf::Roofline& roofline,
                               TransformerEnvironment environment, engine::WorkCounter* work)
    : state_(std::make_shared<JobState>(job_index, name, spec, roofline, std::move(environment),
                                        work)) {
  JobState& s = *state_;
  tf::RankDagOptions options = rank_dag_options(spec);
  options.hbm_capacity = s.env.hbm_capacity;
  const double host_speed = s.env.hosts.front()->get_speed();
  for (int stage = 0; stage < spec.layout.pp; ++stage) {
    s.dags.push_back(tf::build_rank_dag(spec.model, spec.layout, stage, options));
    std::vector<double> flops;
    for (const tf::ComputeWork& w : s.dags.back().works)
      flops.push_back(s.roofline.time(w.kernels).value() * host_speed / s.env.compute_speed);
    s.work_flops.push_back(std::move(flops));
    s.plans.push_back(plan_streams(s.dags.back(), spec.inline_blocking_collectives));
    std::vector<int32_t>& receives = s.receive_slots.emplace_back();
    int32_t next_receive = 0;
    for (const tf::DagOp& op : s.dags.back().ops)
      receives.push_back(op.kind == tf::OpKind::kRecv ? next_receive++ : -1);
    std::vector<int>& slots = s.closed_form_slots.emplace_back();
    for (const tf::DagOp& op : s.dags.back().ops) {
      slots.push_back(-1);
      if (op.kind != tf::OpKind::kCollective || op.group != tf::Group::kTensor) continue;
      const auto key = std::make_pair(static_cast<int>(op.collective), op.bytes.value());
      slots.back() = s.closed_form_keys.emplace(key, static_cast<int>(s.closed_form_keys.size()))
                         .first->second;
    }
  }
  s.p2p_in_order = pipeline_messages_in_order(s.dags);
  s.symmetric = s.env.symmetric_ranks;
  for (int w = 0; w < s.grid.world(); ++w) {
    if (s.symmetric && s.grid.coordinates(w).t != 0) continue;
    auto rank = std::make_unique<JobState::Rank>();
    rank->world = w;
    rank->stage = s.grid.coordinates(w).p;
    rank->host = s.env.hosts[static_cast<size_t>(s.accelerator_of(w))];
    rank->finished.assign(s.dags[static_cast<size_t>(rank->stage)].ops.size(), 0);
    rank->delivered.assign(rank->finished.size(), 0);
    const std::vector<int32_t>& receives = s.receive_slots[static_cast<size_t>(rank->stage)];
    rank->received_at.assign(
        static_cast<size_t>(std::count_if(receives.begin(), receives.end(),
                                          [](int32_t slot) { return slot >= 0; })),
        -1.0);
    rank->waiting_on.fill(-1);
    for (auto& wake : rank->wake) wake = sg4::Semaphore::create(0);
    rank->times.assign(static_cast<size_t>(spec.steps), IterationTimes{});
    s.ranks.push_back(std::move(rank));
  }
  if (work != nullptr) work->total += static_cast<uint64_t>(spec.steps);
}

TransformerJob::~TransformerJob() = default;

void TransformerJob::start() {
  const std::shared_ptr<JobState> s = state_;
  for (const auto& owned : s->ranks) {
    JobState::Rank* rank = owned.get();
    const std::string prefix = "job/" + s->name + "/r" + std::to_string(rank->world);
    for (tf::Stream stream :
         {tf::Stream::kCompute, tf::Stream::kLayerComm, tf::Stream::kDataComm}) {
      sg4::Actor::create(prefix + "/" + std::string(tf::stream_name(stream)), rank->host,
                         [s, rank, stream] { s->run_stream(*rank, stream); });
    }
    sg4::Actor::create(prefix + "/send", rank->host, [s, rank] { s->run_sends(*rank); });
    sg4::Actor::create(prefix + "/recv", rank->host, [s, rank] { s->run_receives(*rank); });
  }
}

std::vector<std::pair<sg4::Host*, sg4::Host*>> TransformerJob::mirrored_hosts() const {
  const JobState& s = *state_;
  std::vector<std::pair<sg4::Host*, sg4::Host*>> pairs;
  if (!s.symmetric) return pairs;
  for (int w = 0; w < s.grid.world(); ++w) {
    RankCoordinates c = s.grid.coordinates(w);
    if (c.t == 0) continue;
    const int representative = w - c.t;
    pairs.emplace_back(s.env.hosts[static_cast<size_t>(s.accelerator_of(w))],
                       s.env.hosts[static_cast<size_t>(s.accelerator_of(representative))]);
  }
  return pairs;
}

std::vector<StepRecord> TransformerJob::step_records() const {
  const JobState& s = *state_;
  std::vector<StepRecord> out;
  for (int it = 0; it < s.spec.steps; ++it) {
    StepRecord r;
    r.job = s.job_index;
    r.step = it;
    double start = -1, end = -1;
    const IterationTimes* last = nullptr;
    for (const auto& rank : s.ranks) {
      const IterationTimes& t = rank->times[static_cast<size_t>(it)];
      if (start < 0 || t.start < start) start = t.start;
      if (t.end > end) {
        end = t.end;
        last = &t;
      }
    }
    // An iteration starts where the previous one ended (the job's own steps never overlap in the
    // record).
    if (it > 0) start = out.back().end.value();
    r.start = Seconds(start);
    r.end = Seconds(end);
    r.compute = Seconds(last != nullptr ? last->compute : 0);
    r.bubble = Seconds(last != nullptr ? std::min(last->bubble, end - start - last->compute) : 0);
    r.exposed_comm = Seconds(end - start) - r.compute - r.bubble;
    // What is left of rounding when compute and bubble fill the step is no communication.
    if (r.exposed_comm.value() < 1e-9 * (end - start)) {
      r.exposed_comm = Seconds(0);
      r.compute = Seconds(end - start) - r.bubble;
    }
    r.tokens =
        static_cast<double>(s.spec.layout.global_batch) * s.spec.layout.sequence(s.spec.model);
    r.model_flops = tf::iteration_model_flops(s.spec.model, s.spec.layout);
    r.ranks = s.grid.world();
    r.peak = s.roofline.peak();
    out.push_back(r);
  }
  return out;
}

StepBreakdown TransformerJob::breakdown(int step) const {
  const JobState& s = *state_;
  const StepRecord r = step_records().at(static_cast<size_t>(step));
  StepBreakdown b;
  b.step_time = r.end - r.start;
  b.compute = r.compute;
  b.exposed_comm = r.exposed_comm;
  b.bubble = r.bubble;
  b.tflops_per_gpu = r.tflops_per_gpu();
  b.mfu = r.mfu();
  b.tokens_per_s = r.tokens_per_s();
  for (const tf::RankDag& dag : s.dags) {
    b.memory_per_rank = std::max(b.memory_per_rank, dag.memory_per_rank_bytes());
    if (dag.fits_hbm().has_value() && !*dag.fits_hbm()) b.fits_hbm = false;
  }
  b.simulated_ranks = static_cast<int>(s.ranks.size());
  return b;
}

JobRecord TransformerJob::job_record() const {
  const JobState& s = *state_;
  const std::vector<StepRecord> steps = step_records();
  JobRecord j;
  j.job = s.job_index;
  j.name = s.name;
  j.ranks = s.grid.world();
  j.first_accelerator = s.spec.first_accelerator;
  j.steps = s.spec.steps;
  j.start = steps.empty() ? s.spec.start_time : steps.front().start;
  j.end = steps.empty() ? s.spec.start_time : steps.back().end;
  j.tokens = static_cast<double>(s.spec.steps) * s.spec.layout.global_batch *
             s.spec.layout.sequence(s.spec.model);
  j.work =
      tf::iteration_model_flops(s.spec.model, s.spec.layout) * static_cast<double>(s.spec.steps);
  return j;
}

}  // namespace gwsim::executor
