// Progress of a running simulation, reported to whoever watches (the CLI prints it). Plain C++.
#pragma once

#include <cstdint>
#include <optional>

namespace gwsim::engine {

struct ProgressSnapshot {
  double simulated_s = 0;          // simulated time reached
  double wall_s = 0;               // wall time since the run started
  uint64_t events = 0;             // completed SimGrid activities (computations and communications)
  std::optional<double> fraction;  // share of the known work done, in [0, 1], where it is known
  bool final = false;              // the last report of the run
};

// Receives snapshots at wall-clock intervals of its choosing. It must not touch the simulation.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // Wall seconds between two reports; the engine asks once, at the start.
  virtual double report_interval_s() const = 0;
  virtual void report(const ProgressSnapshot& snapshot) = 0;
};

// Units of work the workload has declared and completed (for example training steps), so that
// progress can estimate the time left. Owned by the Simulation; actors add to `completed`.
struct WorkCounter {
  uint64_t total = 0;
  uint64_t completed = 0;
};

}  // namespace gwsim::engine
