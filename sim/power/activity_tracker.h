// Accelerator power driven by SimGrid's activity signals, accounted by a PowerLedger: a replacement
// for SimGrid's host energy plugin that needs no change in the executors.
//
// The tracker listens to s4u::Exec::on_start and s4u::Comm::on_send / on_recv (an activity begins;
// SimGrid 3.32 does not export Comm::on_start) and s4u::Activity::on_completion (it ends). Each
// tracked host keeps counts of its running computations and communications; whenever a count
// changes, the host's power is set from AcceleratorPowerModel::power. A computation whose name
// starts with "memory" counts as memory-bound, the background of engine/compute_contention.h not at
// all, any other as compute-bound. Each side of a mailbox
// comm counts on the host of the actor that started it, from its start until that side's wait
// completes (so a receiver waiting for a late sender counts as communicating: a limit).
// Host-to-host comms (Comm::sendto) raise no signal in 3.32 and are not counted; detached comms
// have no completion and are not counted either. Activities on hosts not given are ignored; an
// activity that is cancelled rather than completed stays counted (executors here do not cancel).
// SimGrid's signals are global: create at most one tracker per engine, before the engine runs.
#pragma once

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "sim/power/accelerator_power.h"
#include "sim/power/power_ledger.h"

namespace simgrid::s4u {
class Host;
class Activity;
}  // namespace simgrid::s4u

namespace gwsim::power {

class ActivityTracker {
 public:
  // `base` is constant site power beside the accelerators (node overheads).
  ActivityTracker(std::vector<simgrid::s4u::Host*> hosts, AcceleratorPowerModel model, Watts base,
                  std::optional<SampleWindow> window);

  // Connects to SimGrid's signals. Call once, before the engine runs.
  void connect();

  // `mirror` does whatever `source` does (an accelerator that is not simulated because it would do
  // exactly what a simulated one does: symmetric ranks, sim/executor/transformer_job.h), so
  // nothing runs on it. Its state is the source's, counted with it at no extra cost per change.
  // Call before the engine runs, with `source` no mirror itself.
  void mirror(const simgrid::s4u::Host* mirror, const simgrid::s4u::Host* source);

  PowerLedger& ledger() { return *ledger_; }
  // Time in each activity from 0 to `end` (>= the last change), summed over the tracked hosts.
  ActivityTimes activity_times(Seconds end) const;

 private:
  struct State {
    int compute = 0;
    int memory = 0;
    int comm = 0;
  };
  // `activity` null: a modelled activity (engine/modelled_activity.h).
  void change(const simgrid::s4u::Activity* activity, const simgrid::s4u::Host* host,
              int State::*count, int delta);
  // Counts the time host i spent in its current state up to now, then applies the change.
  void update(size_t i, int State::*count, int delta);
  static Seconds ActivityTimes::*bucket(const State& s);

  std::vector<simgrid::s4u::Host*> hosts_;
  // By engine/host_index.h: the host's index in hosts_, kUntracked for hosts not given.
  std::vector<size_t> index_;
  static constexpr size_t kUntracked = static_cast<size_t>(-1);
  AcceleratorPowerModel model_;
  std::vector<State> states_;
  std::vector<Seconds> since_;  // when each host's state last changed
  ActivityTimes times_;         // time of the states that ended, over all hosts
  std::vector<double> weight_;  // hosts a host's state stands for; 0 for a mirror
  // Activities counted at start, with the counters they touched, to undo exactly at completion.
  // Two at most (a comm's two sides), kept inline.
  std::unordered_map<const simgrid::s4u::Activity*,
                     boost::container::small_vector<std::pair<size_t, int State::*>, 2>>
      started_;
  std::shared_ptr<PowerLedger> ledger_;
};

}  // namespace gwsim::power
