#include "sim/power/activity_tracker.h"

#include "sim/engine/compute_contention.h"
#include "sim/engine/host_index.h"
#include "sim/engine/modelled_activity.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>

namespace gwsim::power {

namespace sg4 = simgrid::s4u;

ActivityTracker::ActivityTracker(std::vector<sg4::Host*> hosts, AcceleratorPowerModel model,
                                 Watts base, std::optional<SampleWindow> window)
    : hosts_(std::move(hosts)),
      model_(std::move(model)),
      states_(hosts_.size()),
      since_(hosts_.size(), Seconds(0)),
      weight_(hosts_.size(), 1.0),
      ledger_(std::make_shared<PowerLedger>(hosts_.size(), model_.idle, base, window)) {
  for (size_t i = 0; i < hosts_.size(); ++i) {
    const size_t key = engine::host_index(hosts_[i]);
    if (key >= index_.size()) index_.resize(key + 1, kUntracked);
    index_[key] = i;
  }
}

Seconds ActivityTimes::*ActivityTracker::bucket(const State& s) {
  const bool computing = s.compute > 0 || s.memory > 0;
  if (computing)
    return s.comm > 0 ? &ActivityTimes::computing_communicating : &ActivityTimes::computing;
  return s.comm > 0 ? &ActivityTimes::communicating : &ActivityTimes::idle;
}

void ActivityTracker::update(size_t i, int State::*count, int delta) {
  const Seconds now(sg4::Engine::get_clock());
  State& s = states_[i];
  times_.*bucket(s) += (now - since_[i]) * weight_[i];
  since_[i] = now;
  s.*count += delta;
  ledger_->set(i, now, model_.power(s.compute > 0, s.memory > 0, s.comm > 0));
}

ActivityTimes ActivityTracker::activity_times(Seconds end) const {
  ActivityTimes t = times_;
  for (size_t i = 0; i < states_.size(); ++i)
    t.*bucket(states_[i]) += (end - since_[i]) * weight_[i];
  return t;
}

void ActivityTracker::change(const sg4::Activity* activity, const sg4::Host* host,
                             int State::*count, int delta) {
  const size_t key = engine::host_index(host);
  if (key >= index_.size() || index_[key] == kUntracked) return;
  const size_t i = index_[key];
  // A modelled activity (no Activity) is undone by its own end signal, not at completion.
  if (delta > 0 && activity != nullptr) started_[activity].emplace_back(i, count);
  update(i, count, delta);
}

void ActivityTracker::mirror(const sg4::Host* mirror, const sg4::Host* source) {
  const size_t to_key = engine::host_index(mirror);
  const size_t from_key = engine::host_index(source);
  if (to_key >= index_.size() || from_key >= index_.size()) return;
  const size_t to = index_[to_key];
  const size_t from = index_[from_key];
  if (to == kUntracked || from == kUntracked) return;
  weight_[from] += weight_[to];
  weight_[to] = 0;
  ledger_->follow(to, from);
}

void ActivityTracker::connect() {
  sg4::Exec::on_start_cb([this](const sg4::Exec& exec) {
    // The stand-in for collective kernels slows compute; the collective itself counts as a comm.
    if (engine::ComputeContention::is_background(exec)) return;
    const bool memory = exec.get_name().rfind("memory", 0) == 0;
    change(&exec, exec.get_host(), memory ? &State::memory : &State::compute, +1);
  });
  // SimGrid 3.32 declares Comm::on_start but does not export it. on_send and on_recv fire in the
  // context of the actor that starts its side of a mailbox comm, so each side counts on its own
  // actor's host.
  auto side_started = [this](const sg4::Comm& comm) {
    if (sg4::Actor* self = sg4::Actor::self()) change(&comm, self->get_host(), &State::comm, +1);
  };
  sg4::Comm::on_send.connect(side_started);
  sg4::Comm::on_recv.connect(side_started);
  // Communication modelled in closed form (engine/modelled_activity.h): counted like a comm, keyed
  // by its host.
  engine::on_modelled_communication.connect([this](const sg4::Host* host, bool starts) {
    change(nullptr, host, &State::comm, starts ? +1 : -1);
  });
  sg4::Activity::on_completion_cb([this](const sg4::Activity& activity) {
    const auto it = started_.find(&activity);
    if (it == started_.end()) return;
    const auto touched = std::move(it->second);
    started_.erase(it);
    for (const auto& [i, count] : touched) update(i, count, -1);
  });
}

}  // namespace gwsim::power
