// The seam to SimGrid: one Simulation per process owns the engine and its configuration.
//
// Network model: SimGrid's CM02 (plain max-min bandwidth sharing, no correction factors), with the
// TCP window bound (network/TCP-gamma) and the reverse ACK traffic (network/crosstraffic) turned
// off. The default LV08 model is calibrated for TCP over wide-area links (latency x13.01, bandwidth
// x0.97); an RDMA fabric inside a datacenter is closer to plain max-min, and closed forms hold
// exactly under CM02. See docs/engine.md.
#pragma once

#include <memory>
#include <string>

#include "sim/engine/progress.h"

namespace simgrid::s4u {
class Engine;
}

namespace gwsim::engine {

class Simulation {
 public:
  struct Options {
    // SimGrid's host energy plugin (about 0.6 KB per host); describing a platform does not need it.
    bool host_energy = true;
  };

  // Creates the SimGrid engine (one per process: SimGrid does not support a second), quiets
  // SimGrid's own logging below warnings, sets the network model and, unless told not to, the host
  // energy plugin.
  Simulation() : Simulation(Options{}) {}
  explicit Simulation(const Options& options);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  simgrid::s4u::Engine& engine();
  WorkCounter& work() { return work_; }

  // Runs until no actor is left. Reports to `progress` (may be null) at its interval and once at
  // the end.
  void run(ProgressSink* progress);

  double now() const;
  uint64_t events() const { return events_; }
  static std::string simgrid_version();

 private:
  std::unique_ptr<simgrid::s4u::Engine> engine_;
  WorkCounter work_;
  uint64_t events_ = 0;
};

}  // namespace gwsim::engine
