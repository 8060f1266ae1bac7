// Collectives slow the compute they overlap. NCCL runs a collective as kernels on the accelerator's
// own SMs and HBM, so a GEMM that overlaps one gets less of both: Lee et al. (2025) measured
// compute kernels 18.9% slower on average while a collective ran beside them
// (platforms/collectives/).
//
// A ComputeContention listens to engine/modelled_activity.h, which every collective announces (the
// collective runner and the closed forms of symmetric ranks), and while at least one collective
// runs on a host that computes (or starts computing) it runs a background exec there with sharing
// weight `slowdown` next to the compute execs' weight of 1: SimGrid's max-min sharing then gives a
// compute exec 1 / (1 + slowdown) of the host's speed, so its kernels take (1 + slowdown) times as
// long, and a host that computes nothing loses nothing. Several collectives at once slow compute as
// one does (one background per host). Observers of execs (the power tracker) skip the background:
// is_background(exec). SimGrid's signals are global: create at most one per engine, before the
// engine runs.
#pragma once

#include <vector>

#include <simgrid/s4u/Exec.hpp>

namespace simgrid::s4u {
class Host;
}

namespace gwsim::engine {

class ComputeContention {
 public:
  // `slowdown` >= 0: how much longer compute takes while a collective overlaps it (0.189 = 18.9%).
  explicit ComputeContention(double slowdown) : slowdown_(slowdown) {}
  ComputeContention(const ComputeContention&) = delete;
  ComputeContention& operator=(const ComputeContention&) = delete;
  ~ComputeContention();

  // Connects to engine::on_modelled_communication; does nothing when the slowdown is 0.
  void connect();

  static bool is_background(const simgrid::s4u::Exec& exec);

 private:
  struct HostState {
    int collectives = 0;
    simgrid::s4u::ExecPtr background;
  };
  void change(const simgrid::s4u::Host* host, bool starts);
  void start_background(simgrid::s4u::Host* host, HostState& state) const;

  double slowdown_;
  std::vector<HostState> hosts_;  // by engine/host_index.h, grown as hosts announce
  unsigned connection_ = 0;
  bool connected_ = false;
};

}  // namespace gwsim::engine
