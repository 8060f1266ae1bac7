// First-order thermal inertia of the cooling loop: the heat the plant removes, Q, follows the heat
// the IT equipment puts in, P, as  tau dQ/dt = P - Q.  For P constant over a step of length dt the
// exact solution is Q(dt) = P + (Q0 - P) e^(-dt/tau), and the mean removal over the step is
//   Qmean = P + (Q0 - P) (tau / dt) (1 - e^(-dt/tau)),
// so energy is conserved exactly: the integral of P = the integral of Q + the heat stored in the
// loop, tau (Q_end - Q_start). tau = 0 means no lag (Q = P). The loop starts in steady state (Q0 =
// first P).
#pragma once

#include <cmath>

#include "sim/core/units.h"

namespace gwsim::facility {

class ThermalLoop {
 public:
  explicit ThermalLoop(Seconds tau) : tau_(tau) {}

  // Mean heat removed over a step of length dt in which the IT heat is `it`, without advancing.
  Watts mean_removal(Watts it, Seconds dt) const {
    if (!started_ || tau_ <= Seconds(0)) return it;
    const double k = tau_ / dt * (1 - std::exp(-(dt / tau_)));
    return it + (removal_ - it) * k;
  }
  // Advances over the step; returns the mean heat removed in it.
  Watts step(Watts it, Seconds dt) {
    const Watts mean = mean_removal(it, dt);
    if (!started_ || tau_ <= Seconds(0)) {
      removal_ = it;
      started_ = true;
    } else {
      removal_ = it + (removal_ - it) * std::exp(-(dt / tau_));
    }
    return mean;
  }
  // Heat removal rate at the end of the last step.
  Watts removal() const { return removal_; }
  // Heat held in the loop above its state at the start: tau * (Q - Q_start).
  Joules stored_since(Watts start) const { return tau_ * (removal_ - start); }

 private:
  Seconds tau_;
  Watts removal_;
  bool started_ = false;
};

}  // namespace gwsim::facility
