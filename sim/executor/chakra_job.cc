#include "sim/executor/chakra_job.h"

#include <algorithm>
#include <deque>
#include <map>
#include <stdexcept>
#include <tuple>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/ConditionVariable.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Mailbox.hpp>
#include <simgrid/s4u/Mutex.hpp>

#include "sim/core/error.h"
#include "sim/core/resource_usage.h"
#include "sim/executor/chakra_window.h"
#include "sim/executor/rank_grid.h"
#include "sim/network/collective_runner.h"
#include "sim/network/cost_model.h"
#include "sim/network/group_costs.h"
#include "sim/workload/chakra/reader.h"

namespace gwsim::executor {
namespace sg4 = simgrid::s4u;
namespace ck = chakra;
namespace tf = workload::transformer;

namespace {

int token = 0;  // never read: the simulated size is what costs time

// The window's in-order queues; process groups take kFirstGroupQueue and up.
constexpr int kComputeQueue = 0;
constexpr int kReceiveQueue = 1;
constexpr int kSendQueue = 2;
constexpr int kFirstGroupQueue = 3;
constexpr uint64_t kMailboxSlots = 64;
// Messages one rank may have in flight; the next send waits for the oldest to be delivered. Real
// transports bound them too (NCCL and MPI hold a finite number of outstanding operations), and it
// keeps both memory and SimGrid's cost bounded: SimGrid 3.32 keeps an actor's unfinished
// activities in a list scanned at each completion, so 100,000 outstanding sends took minutes.
constexpr size_t kMaxSendsInFlight = 128;

// Files the process keeps open besides the traces: standard streams, SimGrid's, the HDF5 output.
constexpr uint64_t kFilesBesideTraces = 64;

// Every Chakra collective, with its comm_size as the network's size (network/collective.h): the
// gathered output of a gather and the root's input of a scatter, as for all-gather and
// reduce-scatter. Chakra has no root attribute: rooted collectives take the group's first rank.
network::CollectiveOp op_of(ck::CollectiveKind kind) {
  switch (kind) {
    case ck::CollectiveKind::kAllReduce:
      return network::CollectiveOp::kAllReduce;
    case ck::CollectiveKind::kAllGather:
      return network::CollectiveOp::kAllGather;
    case ck::CollectiveKind::kReduceScatter:
    case ck::CollectiveKind::kReduceScatterBlock:
      return network::CollectiveOp::kReduceScatter;
    case ck::CollectiveKind::kAllToAll:
      return network::CollectiveOp::kAllToAll;
    case ck::CollectiveKind::kBroadcast:
      return network::CollectiveOp::kBroadcast;
    case ck::CollectiveKind::kReduce:
      return network::CollectiveOp::kReduce;
    case ck::CollectiveKind::kBarrier:
      return network::CollectiveOp::kBarrier;
    case ck::CollectiveKind::kGather:
      return network::CollectiveOp::kGather;
    case ck::CollectiveKind::kScatter:
      return network::CollectiveOp::kScatter;
  }
  throw std::logic_error("unhandled chakra::CollectiveKind");
}

// The generator's group names (communication.h, group_name) and their long forms.
std::optional<tf::Group> layout_group(const std::string& name) {
  static const std::map<std::string, tf::Group> groups = {{"tp", tf::Group::kTensor},
                                                          {"tensor", tf::Group::kTensor},
                                                          {"pp", tf::Group::kPipeline},
                                                          {"pipeline", tf::Group::kPipeline},
                                                          {"dp", tf::Group::kData},
                                                          {"data", tf::Group::kData},
                                                          {"cp", tf::Group::kContext},
                                                          {"context", tf::Group::kContext},
                                                          {"ep", tf::Group::kExpert},
                                                          {"expert", tf::Group::kExpert},
                                                          {"expert_dp", tf::Group::kExpertData},
                                                          {"expert_data", tf::Group::kExpertData}};
  const auto it = groups.find(name);
  if (it == groups.end()) return std::nullopt;
  return it->second;
}

// Per rank and iteration.
struct IterationTimes {
  double start = -1;   // first node started
  double end = 0;      // last node ended (sends: delivered)
  double compute = 0;  // busy time of the compute stream
  double bubble = 0;   // the compute stream's waits for nodes that waited on a pipeline receive
  Flops flops;         // num_ops of its compute nodes
};

}  // namespace

struct ChakraJob::JobState {
  int job_index;
  std::string name;
  config::ChakraJobSpec spec;
  ChakraEnvironment env;
  engine::WorkCounter* work;
  std::optional<RankGrid> grid;
  double host_speed = 1;
  std::string error;                // the first error met while replaying
  std::vector<int> job_dimensions;  // dimensions(), once needed

  struct Communicator {
    std::vector<int> members;  // ranks of the job
    std::vector<int> levels;
    std::function<network::EdgeCost(int, int)> edge;
    network::GroupCosts costs;
    int index = 0;
    std::map<std::pair<int, double>, std::unique_ptr<network::CollectiveRunner>> runners;
  };
  std::map<std::vector<int>, std::unique_ptr<Communicator>> communicators;

  // A node handed to a lane, and when the receive that held it finished (NodeWindow's
  // receive_on_chain within kPipelineWaitDepth nodes, records.h; -1: none). A compute node's wait
  // counts as bubble when that receive finished during the wait: the transformer executor's rule (a
  // receive among its dependencies that finished after the wait began), so that an exported job
  // replays with its bubble.
  struct Queued {
    const ck::TraceNode* node = nullptr;
    double receive_finished = -1;
  };

  // An in-order stream of one rank, played by its own actor.
  struct Lane {
    std::deque<Queued> queue;
    double last_end = 0;  // when its previous node ended
    sg4::ConditionVariablePtr wake;
    bool closed = false;
    Communicator* communicator = nullptr;  // process-group lanes
    int position = 0;                      // the rank's index among the communicator's members
    int queue_id = 0;
  };

  struct Rank {
    int world = 0;
    sg4::Host* host = nullptr;
    std::string file;
    sg4::MutexPtr mutex;
    sg4::ConditionVariablePtr wake;  // the dispatcher's
    std::vector<uint64_t> done;      // finished on a lane, not yet told to the window
    std::unique_ptr<Lane> compute, receive;
    std::map<std::string, std::unique_ptr<Lane>> groups;  // by pg name (group_key)
    std::deque<const ck::TraceNode*> unposted;            // sends waiting for room in flight
    std::deque<sg4::CommPtr> sends;                       // posted, not known delivered
    bool delivered = false;  // a receiver took one of this rank's messages: prune and post more
    // Messages so far by (sending, peer, tag): one entry per distinct pair, not per message.
    std::map<std::tuple<bool, int, int>, uint64_t> messages;
    std::vector<IterationTimes> times;
    int iteration = 0;
    bool finished = false;
    size_t peak_window = 0;
    std::string waiting;  // what the dispatcher waits on, for a deadlock report
  };
  std::vector<std::unique_ptr<Rank>> ranks;

  JobState(int index, std::string job_name, config::ChakraJobSpec s, ChakraEnvironment e,
           engine::WorkCounter* w)
      : job_index(index),
        name(std::move(job_name)),
        spec(std::move(s)),
        env(std::move(e)),
        work(w) {
    if (spec.layout) grid.emplace(*spec.layout);
  }

  [[noreturn]] void fail(const Rank& rank, const ck::TraceNode& node,
                         const std::string& what) const {
    throw InputError(rank.file + ": node " + std::to_string(node.id) + " (" + node.name +
                     "): " + what);
  }

  int64_t accelerator_of(int rank) const { return spec.first_accelerator + rank; }

  Communicator& communicator(const std::vector<int>& members) {
    auto& slot = communicators[members];
    if (slot) return *slot;
    slot = std::make_unique<Communicator>();
    Communicator& c = *slot;
    c.members = members;
    c.index = static_cast<int>(communicators.size()) - 1;
    std::vector<int64_t> hosts;
    hosts.reserve(members.size());
    for (int m : members) hosts.push_back(accelerator_of(m));
    network::TopologyGroup g = network::topology_group(
        *env.topology, std::move(hosts), env.scale_up_in_network, env.scale_out_in_network);
    c.edge = std::move(g.edge);
    c.levels = std::move(g.levels);
    c.costs = std::move(g.costs);
    return c;
  }

  network::CollectiveRunner& runner(Communicator& c, network::CollectiveOp op, Bytes bytes) {
    auto& slot = c.runners[{static_cast<int>(op), bytes.value()}];
    if (slot) return *slot;
    network::CollectiveSpec s;
    s.op = op;
    s.size = bytes;
    s.ranks = static_cast<int>(c.members.size());
    s.levels = c.levels;
    s.chunk = env.library.chunk;
    const network::Choice choice = network::choose(s, env.library, c.costs);
    s.algorithm = choice.algorithm;
    const network::Fidelity fidelity = spec.collective_fidelity == config::CollectiveFidelity::kStep
                                           ? network::Fidelity::kStep
                                           : network::Fidelity::kFluid;
    slot = std::make_unique<network::CollectiveRunner>(
        "job/" + name + "/pg" + std::to_string(c.index) + "/" + std::to_string(c.runners.size()), s,
        fidelity, choice.protocol, env.library, c.edge);
    return *slot;
  }

  // The job's network dimensions, innermost first, as involved_dim counts them: a node's ranks,
  // then the nodes (network::topology_group's levels over every rank of the job; one dimension
  // when the nodes do not hold the same number of the job's ranks in a row).
  const std::vector<int>& dimensions() {
    if (job_dimensions.empty()) {
      std::vector<int64_t> hosts;
      hosts.reserve(static_cast<size_t>(spec.ranks));
      for (int r = 0; r < spec.ranks; ++r) hosts.push_back(accelerator_of(r));
      job_dimensions =
          network::topology_group(*env.topology, std::move(hosts), false, false).levels;
    }
    return job_dimensions;
  }

  // The ranks that differ from `rank` only along the dimensions `involved` marks, in rank order.
  std::vector<int> dimension_members(const Rank& rank, const ck::TraceNode& node) {
    const std::vector<int>& dims = dimensions();
    if (node.involved_dim.size() != dims.size()) {
      std::string sizes;
      for (int d : dims) sizes += (sizes.empty() ? "" : ", ") + std::to_string(d);
      fail(rank, node,
           "involved_dim has " + std::to_string(node.involved_dim.size()) +
               " entries but the job spans " + std::to_string(dims.size()) +
               " network dimensions [" + sizes +
               "] (a node's ranks, then the nodes); give pg_name and " + spec.path +
               ".process_groups instead");
    }
    std::vector<int> members;
    for (int r = 0; r < spec.ranks; ++r) {
      bool same = true;
      int a = r, b = rank.world;
      for (size_t d = 0; d < dims.size(); ++d) {
        if (!node.involved_dim[d] && a % dims[d] != b % dims[d]) same = false;
        a /= dims[d];
        b /= dims[d];
      }
      if (same) members.push_back(r);
    }
    return members;
  }

  static std::string group_key(const ck::TraceNode& node) {
    if (node.pg_name) return *node.pg_name;
    std::string key = "dims:";
    for (const bool involved : node.involved_dim) key += involved ? '1' : '0';
    return key;
  }

  // The members of process group `pg` as seen from `rank` (explicit groups first, then the
  // layout's names; no pg_name: the dimensions involved_dim marks, else every rank of the job).
  std::vector<int> group_members(const Rank& rank, const ck::TraceNode& node) {
    if (!node.pg_name && !node.involved_dim.empty()) return dimension_members(rank, node);
    if (!node.pg_name) {
      std::vector<int> all(static_cast<size_t>(spec.ranks));
      for (int r = 0; r < spec.ranks; ++r) all[static_cast<size_t>(r)] = r;
      return all;
    }
    const std::string& pg = *node.pg_name;
    for (const config::ChakraProcessGroup& g : spec.process_groups) {
      if (g.name != pg) continue;
      if (std::find(g.ranks.begin(), g.ranks.end(), rank.world) == g.ranks.end())
        fail(rank, node,
             "process group \"" + pg + "\" (" + spec.path + ".process_groups) does not hold rank " +
                 std::to_string(rank.world));
      return g.ranks;
    }
    if (grid) {
      if (const std::optional<tf::Group> g = layout_group(pg)) return grid->members(*g, rank.world);
    }
    fail(rank, node,
         "unknown process group pg_name \"" + pg + "\": name it in " + spec.path +
             ".process_groups" + (grid ? "" : " or give " + spec.path + ".layout"));
  }

  Lane& group_lane(Rank& rank, const ck::TraceNode& node) {
    const std::string key = group_key(node);
    const auto found = rank.groups.find(key);
    if (found != rank.groups.end()) return *found->second;
    const std::vector<int> members = group_members(rank, node);
    auto& slot = rank.groups[key];
    slot = std::make_unique<Lane>();
    slot->communicator = &communicator(members);
    slot->position =
        static_cast<int>(std::find(members.begin(), members.end(), rank.world) - members.begin());
    slot->queue_id = kFirstGroupQueue + static_cast<int>(rank.groups.size()) - 1;
    start_lane(rank, *slot, "pg:" + key);
    return *slot;
  }

  void start_lane(Rank& rank, Lane& lane, const std::string& label) {
    lane.wake = sg4::ConditionVariable::create();
    Rank* r = &rank;
    Lane* l = &lane;
    sg4::Actor::create("job/" + name + "/r" + std::to_string(rank.world) + "/" + label, rank.host,
                       [this, r, l] { run_lane(*r, *l); });
  }

  // Seconds of a compute node: recorded, or the roofline of one GEMM of num_ops and tensor_size
  // (the kernel class a bare COMP_NODE is charged as).
  double compute_seconds(const Rank& rank, const ck::TraceNode& node) const {
    const bool recorded = spec.timing == config::ChakraTiming::kRecorded || !node.flops;
    if (recorded && node.recorded_duration) return node.recorded_duration->value();
    if (!env.roofline) {
      fail(rank, node,
           "has no duration_micros and the platform names no catalog accelerator to "
           "time it by roofline (platform.accelerator_id)");
    }
    tf::Kernel k;
    k.kind = tf::KernelClass::kGemm;
    k.flops = node.flops.value_or(Flops(0));
    k.bytes = node.tensor_bytes.value_or(Bytes(0));
    return env.roofline->time(std::vector<tf::Kernel>{k}).value();
  }

  // Seconds of a memory node: recorded, else tensor_size at the HBM's streaming rate.
  double memory_seconds(const Rank& rank, const ck::TraceNode& node) const {
    if (spec.timing == config::ChakraTiming::kRecorded && node.recorded_duration)
      return node.recorded_duration->value();
    if (!env.roofline) {
      fail(rank, node,
           "a memory node needs the HBM bandwidth of a catalog accelerator "
           "(platform.accelerator_id) or a recorded duration");
    }
    tf::Kernel k;
    k.kind = tf::KernelClass::kElementwise;
    k.bytes = node.tensor_bytes.value_or(Bytes(0));
    return env.roofline->time(std::vector<tf::Kernel>{k}).value();
  }

  // The mailbox of the next message from `from` to `to` with `tag`. Messages of one (from, to,
  // tag) are spread round-robin over kMailboxSlots mailboxes, both sides counting in trace order,
  // so the n-th send still meets the n-th receive while no mailbox holds a long queue: SimGrid
  // scans a mailbox's whole queue of unmatched sends at every send, which made a sender far ahead
  // of its receiver quadratic (100,000 messages: minutes).
  sg4::Mailbox* p2p_mailbox(Rank& rank, bool send, int peer, int tag) const {
    const int from = send ? rank.world : peer, to = send ? peer : rank.world;
    uint64_t& count = rank.messages[{send, peer, tag}];
    const uint64_t slot = count++ % kMailboxSlots;
    return sg4::Mailbox::by_name("job/" + name + "/p2p/" + std::to_string(from) + ">" +
                                 std::to_string(to) + "/" + std::to_string(tag) + "/" +
                                 std::to_string(slot));
  }

  void note(Rank& rank, double start, double end) {
    IterationTimes& t = rank.times[static_cast<size_t>(rank.iteration)];
    if (t.start < 0 || start < t.start) t.start = start;
    t.end = std::max(t.end, end);
  }

  // Plays one node on its lane's actor.
  void play(Rank& rank, Lane& lane, const Queued& queued) {
    const ck::TraceNode& node = *queued.node;
    const double start = sg4::Engine::get_clock();
    switch (node.kind) {
      case ck::NodeKind::kCompute: {
        const double seconds = compute_seconds(rank, node);
        if (seconds > 0) sg4::this_actor::execute(seconds * host_speed / env.compute_speed);
        IterationTimes& t = rank.times[static_cast<size_t>(rank.iteration)];
        t.compute += sg4::Engine::get_clock() - start;
        // The compute stream's idle time before a node a pipeline receive held is the bubble.
        if (queued.receive_finished > lane.last_end) t.bubble += start - lane.last_end;
        t.flops += node.flops.value_or(Flops(0));
        break;
      }
      case ck::NodeKind::kMemLoad:
      case ck::NodeKind::kMemStore: {
        const double seconds = memory_seconds(rank, node);
        // Named "memory": the power tracker counts it as memory-bound work.
        if (seconds > 0)
          sg4::this_actor::exec_init(seconds * host_speed)->set_name("memory")->start()->wait();
        rank.times[static_cast<size_t>(rank.iteration)].compute += sg4::Engine::get_clock() - start;
        break;
      }
      case ck::NodeKind::kCollective: {
        Communicator& c = *lane.communicator;
        if (c.members.size() > 1)
          runner(c, op_of(*node.collective), *node.comm_bytes).run(lane.position);
        break;
      }
      case ck::NodeKind::kRecv: {
        void* received = nullptr;
        p2p_mailbox(rank, false, *node.comm_src, node.comm_tag.value_or(0))
            ->get_async(&received)
            ->wait();
        Rank& sender = *ranks[static_cast<size_t>(*node.comm_src)];
        sender.delivered = true;  // its dispatcher may post more (kMaxSendsInFlight)
        sender.wake->notify_one();
        break;
      }
      case ck::NodeKind::kSend:
        break;  // posted by the dispatcher
    }
    lane.last_end = sg4::Engine::get_clock();
    note(rank, start, lane.last_end);
  }

  void run_lane(Rank& rank, Lane& lane) {
    std::unique_lock lock(*rank.mutex);
    for (;;) {
      while (lane.queue.empty() && !lane.closed) lane.wake->wait(lock);
      if (lane.queue.empty()) return;
      const Queued queued = lane.queue.front();
      const ck::TraceNode* node = queued.node;
      lane.queue.pop_front();
      lock.unlock();
      try {
        play(rank, lane, queued);
      } catch (const std::exception& e) {
        record_error(e.what());
        return;  // the rank stops here; check() reports it
      }
      lock.lock();
      rank.done.push_back(node->id);
      rank.wake->notify_one();
    }
  }

  void record_error(const std::string& what) {
    if (error.empty()) error = what;
  }

  void check_peer(const Rank& rank, const ck::TraceNode& node, std::optional<int32_t> self,
                  int32_t peer, const char* self_field, const char* peer_field) const {
    if (self && *self != rank.world) {
      fail(rank, node,
           std::string(self_field) + " is " + std::to_string(*self) + " in the trace of rank " +
               std::to_string(rank.world));
    }
    if (peer >= spec.ranks || peer == rank.world) {
      fail(rank, node,
           std::string(peer_field) + " " + std::to_string(peer) +
               " is not another rank of the job's " + std::to_string(spec.ranks));
    }
  }

  // Posts waiting sends, in trace order, while fewer than kMaxSendsInFlight are in flight. A send
  // is done (for its dependents) once posted.
  void post_sends(Rank& rank, NodeWindow& window) {
    while (!rank.unposted.empty() && rank.sends.size() < kMaxSendsInFlight) {
      const ck::TraceNode& node = *rank.unposted.front();
      rank.unposted.pop_front();
      note(rank, sg4::Engine::get_clock(), sg4::Engine::get_clock());
      rank.sends.push_back(
          p2p_mailbox(rank, true, *node.comm_dst, node.comm_tag.value_or(0))
              ->put_async(&token, static_cast<uint64_t>(node.comm_bytes->value())));
      window.finish(node.id, sg4::Engine::get_clock());
    }
  }

  // Forgets the rank's delivered sends, oldest first, up to the first still in flight (`all`: every
  // one). The rank's own actor tests them: a comm waited by an actor that is neither of its ends
  // leaks a timer in SimGrid 3.32. A delivery's time ends the iteration no earlier than it.
  void prune_sends(Rank& rank, bool all) {
    for (auto it = rank.sends.begin(); it != rank.sends.end();) {
      if ((*it)->test()) {
        note(rank, sg4::Engine::get_clock(), sg4::Engine::get_clock());
        it = rank.sends.erase(it);
      } else if (all) {
        ++it;
      } else {
        break;
      }
    }
  }

  // Hands a node whose turn has come to its lane; sends are posted here.
  void dispatch(Rank& rank, NodeWindow& window, const ck::TraceNode& node) {
    Lane* lane = nullptr;
    switch (node.kind) {
      case ck::NodeKind::kCompute:
      case ck::NodeKind::kMemLoad:
      case ck::NodeKind::kMemStore:
        lane = rank.compute.get();
        break;
      case ck::NodeKind::kCollective:
        lane = &group_lane(rank, node);
        break;
      case ck::NodeKind::kRecv:
        check_peer(rank, node, node.comm_dst, *node.comm_src, "comm_dst", "comm_src");
        lane = rank.receive.get();
        break;
      case ck::NodeKind::kSend:
        check_peer(rank, node, node.comm_src, *node.comm_dst, "comm_src", "comm_dst");
        rank.unposted.push_back(&node);
        post_sends(rank, window);
        return;
    }
    const NodeWindow::ReceiveOnChain chain = window.receive_on_chain(node.id);
    lane->queue.push_back({&node, chain.distance < kPipelineWaitDepth ? chain.finished : -1.0});
    lane->wake->notify_one();
  }

  int queue_of(Rank& rank, const ck::TraceNode& node) {
    switch (node.kind) {
      case ck::NodeKind::kCompute:
      case ck::NodeKind::kMemLoad:
      case ck::NodeKind::kMemStore:
        return kComputeQueue;
      case ck::NodeKind::kRecv:
        return kReceiveQueue;
      case ck::NodeKind::kSend:
        return kSendQueue;
      case ck::NodeKind::kCollective:
        return group_lane(rank, node).queue_id;
    }
    return NodeWindow::kUnordered;
  }

  std::string describe(const ck::TraceNode* node) const {
    if (node == nullptr) return "none";
    return "node " + std::to_string(node->id) + " (" + std::string(ck::to_string(node->kind)) +
           (node->name.empty() ? "" : " " + node->name) + ")";
  }

  void play_iteration(Rank& rank) {
    ck::TraceReader reader(rank.file);
    NodeWindow window(static_cast<size_t>(spec.window));
    ck::TraceNode next;
    bool end_of_file = false;
    std::unique_lock lock(*rank.mutex);
    for (;;) {
      for (uint64_t id : rank.done) window.finish(id, sg4::Engine::get_clock());
      rank.done.clear();
      if (rank.delivered) prune_sends(rank, false);
      rank.delivered = false;
      post_sends(rank, window);
      while (!end_of_file && !window.full()) {
        if (!reader.next(next)) {
          end_of_file = true;
          break;
        }
        try {
          const int queue = queue_of(rank, next);
          window.add(std::move(next), queue);
        } catch (const WindowError& e) {
          throw InputError(rank.file + ": " + e.what());
        }
      }
      if (end_of_file) {
        if (const std::optional<std::string> d = window.dangling())
          throw InputError(rank.file + ": " + *d);
      }
      rank.peak_window = std::max(rank.peak_window, window.held());
      bool handed = false;
      while (const ck::TraceNode* node = window.take()) {
        dispatch(rank, window, *node);
        handed = true;
      }
      if (end_of_file && window.empty()) break;
      if (handed && rank.done.empty()) continue;  // sends finished at once may free more nodes
      if (window.running() == 0 && rank.done.empty()) {
        throw InputError(rank.file + ": " +
                         (end_of_file ? std::string("the remaining nodes wait on each other")
                                      : "the window of " + std::to_string(spec.window) +
                                            " nodes is full and none can run") +
                         "; oldest unfinished: " + describe(window.oldest_unfinished()) +
                         (end_of_file ? "" : " (raise " + spec.path + ".window)"));
      }
      rank.waiting = describe(window.oldest_unfinished());
      while (rank.done.empty() && !rank.delivered) rank.wake->wait(lock);
    }
    // The iteration ends when the last message has arrived.
    rank.waiting = "its sends of iteration " + std::to_string(rank.iteration) + " being received";
    for (;;) {
      rank.delivered = false;
      prune_sends(rank, true);
      if (rank.sends.empty()) break;
      while (!rank.delivered) rank.wake->wait(lock);
    }
  }

  void run_rank(Rank& rank) {
    rank.compute = std::make_unique<Lane>();
    rank.compute->queue_id = kComputeQueue;
    rank.compute->last_end = spec.start_time.value();
    start_lane(rank, *rank.compute, "compute");
    rank.receive = std::make_unique<Lane>();
    rank.receive->queue_id = kReceiveQueue;
    start_lane(rank, *rank.receive, "recv");
    sg4::this_actor::sleep_until(spec.start_time.value());
    try {
      for (int it = 0; it < spec.steps; ++it) {
        rank.iteration = it;
        play_iteration(rank);
        if (rank.world == 0 && work != nullptr) ++work->completed;
      }
      rank.finished = true;
    } catch (const std::exception& e) {
      record_error(e.what());
    }
    std::unique_lock lock(*rank.mutex);
    for (Lane* lane : {rank.compute.get(), rank.receive.get()}) {
      lane->closed = true;
      lane->wake->notify_all();
    }
    for (auto& [pg, lane] : rank.groups) {
      lane->closed = true;
      lane->wake->notify_all();
    }
  }
};

ChakraJob::ChakraJob(int job_index, const std::string& name, const config::ChakraJobSpec& spec,
                     ChakraEnvironment environment, engine::WorkCounter* work)
    : state_(std::make_shared<JobState>(job_index, name, spec, std::move(environment), work)) {
  JobState& s = *state_;
  // Each rank streams its own file, so a replay holds one open file per rank for the whole run;
  // finding out before the first rank opens its file gives one clear error instead of a failure
  // deep in the run.
  const uint64_t files_wanted = static_cast<uint64_t>(spec.ranks) + kFilesBesideTraces;
  if (const uint64_t allowed = raise_open_file_limit(files_wanted); allowed < files_wanted) {
    throw InputError(spec.path + ": replaying " + std::to_string(spec.ranks) +
                     " ranks keeps one trace file open per rank, but this process may open only " +
                     std::to_string(allowed) + " files (its hard limit, `ulimit -Hn`); it needs " +
                     std::to_string(files_wanted) +
                     ": raise the hard limit (limits.conf nofile, or the batch system's setting)");
  }
  s.host_speed = s.env.hosts.at(static_cast<size_t>(spec.first_accelerator))->get_speed();
  for (int r = 0; r < spec.ranks; ++r) {
    auto rank = std::make_unique<JobState::Rank>();
    rank->world = r;
    rank->host = s.env.hosts.at(static_cast<size_t>(s.accelerator_of(r)));
    rank->file = spec.file(r);
    rank->mutex = sg4::Mutex::create();
    rank->wake = sg4::ConditionVariable::create();
    rank->times.assign(static_cast<size_t>(spec.steps), IterationTimes{});
    s.ranks.push_back(std::move(rank));
  }
  if (work != nullptr) work->total += static_cast<uint64_t>(spec.steps);
}

ChakraJob::~ChakraJob() = default;

void ChakraJob::start() {
  const std::shared_ptr<JobState> s = state_;
  for (const auto& owned : s->ranks) {
    JobState::Rank* rank = owned.get();
    sg4::Actor::create("job/" + s->name + "/r" + std::to_string(rank->world), rank->host,
                       [s, rank] { s->run_rank(*rank); });
  }
}

void ChakraJob::check() const {
  const JobState& s = *state_;
  if (!s.error.empty()) throw InputError("job " + s.name + ": " + s.error);
  for (const auto& rank : s.ranks) {
    if (rank->finished) continue;
    throw InputError("job " + s.name + ": rank " + std::to_string(rank->world) + " (" + rank->file +
                     ") never finished iteration " + std::to_string(rank->iteration) +
                     ": the simulation ended with it waiting on " + rank->waiting +
                     " (a send without its receive, a receive without its send, or a collective "
                     "that some members of its group never reach)");
  }
}

size_t ChakraJob::peak_window() const {
  size_t peak = 0;
  for (const auto& rank : state_->ranks) peak = std::max(peak, rank->peak_window);
  return peak;
}

std::vector<StepRecord> ChakraJob::step_records() const {
  const JobState& s = *state_;
  std::vector<StepRecord> out;
  for (int it = 0; it < s.spec.steps; ++it) {
    StepRecord r;
    r.job = s.job_index;
    r.step = it;
    double start = -1, end = -1;
    const IterationTimes* last = nullptr;
    Flops flops;
    for (const auto& rank : s.ranks) {
      const IterationTimes& t = rank->times[static_cast<size_t>(it)];
      if (t.start >= 0 && (start < 0 || t.start < start)) start = t.start;
      if (t.end > end) {
        end = t.end;
        last = &t;
      }
      flops += t.flops;
    }
    if (it > 0) start = out.back().end.value();
    if (start < 0) start = s.spec.start_time.value();
    r.start = Seconds(start);
    r.end = Seconds(std::max(end, start));
    r.compute = Seconds(last != nullptr ? std::min(last->compute, end - start) : 0);
    r.bubble =
        Seconds(last != nullptr ? std::min(last->bubble, end - start - r.compute.value()) : 0);
    r.exposed_comm = r.end - r.start - r.compute - r.bubble;
    if (r.exposed_comm.value() < 1e-9 * (end - start)) {
      r.exposed_comm = Seconds(0);
      r.compute = r.end - r.start - r.bubble;
    }
    r.model_flops = flops;
    r.ranks = s.spec.ranks;
    r.peak = s.env.peak;
    r.tokens = s.spec.tokens_per_step;
    out.push_back(r);
  }
  return out;
}

StepBreakdown ChakraJob::breakdown(int step) const {
  const StepRecord r = step_records().at(static_cast<size_t>(step));
  StepBreakdown b;
  b.step_time = r.end - r.start;
  b.compute = r.compute;
  b.exposed_comm = r.exposed_comm;
  b.bubble = r.bubble;
  b.tokens_per_s = b.step_time > Seconds(0) ? r.tokens / b.step_time.value() : 0;
  if (b.step_time > Seconds(0)) {
    b.tflops_per_gpu = r.tflops_per_gpu();
    if (r.peak > FlopsPerSecond(0)) b.mfu = r.mfu();
  }
  b.simulated_ranks = state_->spec.ranks;
  return b;
}

JobRecord ChakraJob::job_record() const {
  const JobState& s = *state_;
  const std::vector<StepRecord> steps = step_records();
  JobRecord j;
  j.job = s.job_index;
  j.name = s.name;
  j.ranks = s.spec.ranks;
  j.first_accelerator = s.spec.first_accelerator;
  j.steps = s.spec.steps;
  j.start = steps.empty() ? s.spec.start_time : steps.front().start;
  j.end = steps.empty() ? s.spec.start_time : steps.back().end;
  for (const StepRecord& r : steps) {
    j.work += r.model_flops;
    j.tokens += r.tokens;
  }
  return j;
}

}  // namespace gwsim::executor
