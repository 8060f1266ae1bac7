#include "sim/network/collective_runner.h"

#include "sim/engine/modelled_activity.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>

namespace gwsim::network {
namespace sg4 = simgrid::s4u;

namespace {
int token = 0;  // never read: the simulated size is what costs time
}

CollectiveRunner::CollectiveRunner(std::string name, CollectiveSpec spec, Fidelity fidelity,
                                   config::Protocol protocol, config::CollectiveLibrary library,
                                   std::function<EdgeCost(int, int)> edge)
    : name_(std::move(name)),
      spec_(std::move(spec)),
      fidelity_(fidelity),
      protocol_(std::move(protocol)),
      library_(std::move(library)),
      edge_(std::move(edge)) {
  if (fidelity_ == Fidelity::kFluid && spec_.ranks > 1)
    all_done_ = sg4::Barrier::create(static_cast<unsigned>(spec_.ranks));
}

sg4::Mailbox* CollectiveRunner::mailbox(int channel, int from, int to) const {
  return sg4::Mailbox::by_name(name_ + "/c" + std::to_string(channel) + "/" + std::to_string(from) +
                               ">" + std::to_string(to));
}

double CollectiveRunner::wire_bytes(int from, int to, Bytes bytes, bool in_network) const {
  double share = 1.0;
  if (in_network) {
    share = edge_(from, to).scale_out
                ? library_.scale_out_efficiency * library_.scale_out_in_network_efficiency
                : library_.scale_up_efficiency * library_.in_network_efficiency;
  } else {
    const bool out = edge_(from, to).scale_out;
    share = (out ? library_.scale_out_efficiency : library_.scale_up_efficiency) *
            protocol_.bandwidth_factor;
  }
  return bytes.value() / share;
}

Seconds CollectiveRunner::step_latency(int rank, const Step& step) const {
  if (step.in_network) return Seconds(0);
  bool out = false;
  for (const Peer& p : step.sends) out = out || edge_(rank, p.rank).scale_out;
  for (const Peer& p : step.receives) out = out || edge_(p.rank, rank).scale_out;
  return out ? protocol_.scale_out_step_latency : protocol_.scale_up_step_latency;
}

void CollectiveRunner::run(int rank) const {
  // The rank communicates from the call to the end, latencies and waits included, as NCCL's
  // kernels spin (engine/modelled_activity.h tells the power tracker).
  engine::on_modelled_communication(sg4::this_actor::get_host(), true);
  // Fluid fidelity plays the rank's planned blocks; step fidelity its program's steps.
  const bool fluid = fidelity_ == Fidelity::kFluid;
  const RankProgram program = fluid ? RankProgram{} : rank_program(spec_, rank);
  const std::vector<FluidLane>* fluid_lanes = fluid ? &fluid_plan(rank) : nullptr;
  const size_t lanes = fluid ? fluid_lanes->size() : program.size();
  auto play = [this, rank, &program, fluid_lanes](size_t l) {
    if (fluid_lanes != nullptr)
      play_fluid_lane((*fluid_lanes)[l]);
    else
      play_lane(rank, program[l]);
  };
  Seconds launch = protocol_.launch_latency;
  if (spec_.algorithm == Algorithm::kInNetwork && spec_.ranks > 1) {
    // The outermost level's edge says which switches reduce.
    int stride = 1;
    for (size_t i = 0; i + 1 < spec_.levels.size(); ++i)
      stride *= spec_.levels[i] > 1 ? spec_.levels[i] : 1;
    const bool between_nodes = stride < spec_.ranks && edge_(0, stride).scale_out;
    launch = between_nodes ? library_.scale_out_in_network_latency : library_.in_network_latency;
  }
  if (launch > Seconds(0)) sg4::this_actor::sleep_for(launch.value());
  std::vector<sg4::ActorPtr> helpers;
  for (size_t l = 1; l < lanes; ++l) {
    helpers.push_back(
        sg4::Actor::create(name_ + "/r" + std::to_string(rank) + "/lane" + std::to_string(l),
                           sg4::this_actor::get_host(), [&play, l] { play(l); }));
  }
  if (lanes > 0) play(0);
  for (const sg4::ActorPtr& helper : helpers) helper->join();
  if (all_done_) all_done_->wait();
  engine::on_modelled_communication(sg4::this_actor::get_host(), false);
}

const std::vector<CollectiveRunner::FluidLane>& CollectiveRunner::fluid_plan(int rank) const {
  if (plans_.empty()) plans_.resize(static_cast<size_t>(spec_.ranks));
  std::optional<std::vector<FluidLane>>& plan = plans_[static_cast<size_t>(rank)];
  if (plan) return *plan;
  plan.emplace();
  for (const Lane& lane : rank_program(spec_, rank)) {
    const std::vector<Step>& steps = lane.steps;
    FluidLane& blocks = plan->emplace_back();
    for (size_t first = 0; first < steps.size();) {
      size_t end = first;
      while (end < steps.size() && steps[end].block == steps[first].block) ++end;
      blocks.push_back(plan_block_fluid(rank, steps, first, end));
      first = end;
    }
  }
  return *plan;
}

void CollectiveRunner::play_lane(int rank, const Lane& lane) const {
  const std::vector<Step>& steps = lane.steps;
  for (const Step& step : steps)
    for (int64_t r = 0; r < step.repeats; ++r) play_step(rank, step);
}

void CollectiveRunner::play_step(int rank, const Step& step) const {
  const Seconds latency = step_latency(rank, step);
  if (latency > Seconds(0)) sg4::this_actor::sleep_for(latency.value());
  std::vector<sg4::CommPtr> comms;
  std::vector<void*> received(step.receives.size(), nullptr);
  for (const Peer& p : step.sends) {
    const double bytes = wire_bytes(rank, p.rank, p.bytes, step.in_network);
    comms.push_back(mailbox(p.channel, rank, p.rank)
                        ->put_async(&token, static_cast<uint64_t>(std::llround(bytes))));
  }
  for (size_t i = 0; i < step.receives.size(); ++i) {
    const Peer& p = step.receives[i];
    comms.push_back(mailbox(p.channel, p.rank, rank)->get_async(&received[i]));
  }
  sg4::Comm::wait_all(comms);
}

CollectiveRunner::FluidBlock CollectiveRunner::plan_block_fluid(int rank,
                                                                const std::vector<Step>& steps,
                                                                size_t first, size_t end) const {
  // One comm per (peer, channel) and direction, carrying every step's bytes.
  std::map<std::pair<int, int>, double> sends, receives;  // (peer, channel) -> wire bytes
  // A pipeline stage receives and sends one chunk behind: its steps are as many as its sends or its
  // receives, not their sum.
  int64_t sending_steps = 0, receiving_steps = 0;
  Seconds per_step_latency(0), route_latency(0);
  for (size_t s = first; s < end; ++s) {
    const Step& step = steps[s];
    const auto repeats = static_cast<double>(step.repeats);
    if (!step.sends.empty()) sending_steps += step.repeats;
    if (!step.receives.empty()) receiving_steps += step.repeats;
    per_step_latency = std::max(per_step_latency, step_latency(rank, step));
    for (const Peer& p : step.sends) {
      sends[{p.rank, p.channel}] += repeats * wire_bytes(rank, p.rank, p.bytes, step.in_network);
      route_latency = std::max(route_latency, edge_(rank, p.rank).latency);
    }
    for (const Peer& p : step.receives) {
      receives[{p.rank, p.channel}] += repeats * wire_bytes(p.rank, rank, p.bytes, step.in_network);
      route_latency = std::max(route_latency, edge_(p.rank, rank).latency);
    }
  }
  FluidBlock block;
  for (const auto& [key, bytes] : sends)
    block.sends.emplace_back(mailbox(key.second, rank, key.first),
                             static_cast<uint64_t>(std::llround(bytes)));
  for (const auto& entry : receives)
    block.receives.push_back(mailbox(entry.first.second, entry.first.first, rank));
  const int64_t count = std::max(sending_steps, receiving_steps);
  // The steps' own latencies: the flows paid one route latency, the step form pays one per step.
  block.wait = static_cast<double>(count - 1) * route_latency +
               static_cast<double>(count) * per_step_latency;
  // A tree's or chain's pipeline fill: the steps before the first chunk reaches the far end.
  const int fill = pipeline_fill_steps(spec_);
  if (fill > 0 && end == steps.size()) {
    const Step& last = steps[end - 1];
    const bool sending = !last.sends.empty();
    const Peer& p = sending ? last.sends.front() : last.receives.front();
    const int from = sending ? rank : p.rank, to = sending ? p.rank : rank;
    const EdgeCost cost = edge_(from, to);
    const Seconds chunk_time(wire_bytes(from, to, p.bytes, false) / cost.bandwidth.value());
    block.wait += static_cast<double>(fill) * (cost.latency + per_step_latency + chunk_time);
  }
  return block;
}

void CollectiveRunner::play_fluid_lane(const FluidLane& lane) {
  std::vector<sg4::CommPtr> comms;
  std::vector<void*> received;
  for (const FluidBlock& block : lane) {
    comms.clear();
    received.assign(block.receives.size(), nullptr);
    for (const auto& [box, bytes] : block.sends) comms.push_back(box->put_async(&token, bytes));
    for (size_t i = 0; i < block.receives.size(); ++i)
      comms.push_back(block.receives[i]->get_async(&received[i]));
    sg4::Comm::wait_all(comms);
    if (block.wait > Seconds(0)) sg4::this_actor::sleep_for(block.wait.value());
  }
}

}  // namespace gwsim::network
