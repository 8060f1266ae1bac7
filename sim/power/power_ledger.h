// Piecewise-constant power accounting: each host's power is a step function of simulated time, set
// when its activity changes, so its energy is the exact integral (sum of power x duration), with no
// sampling error. The site's total power (hosts + a constant base such as node overheads) can be
// averaged over consecutive intervals of a window, down to 1 ms: bin i of the window covers [start
// + i * interval, start + (i + 1) * interval) and holds the energy in it divided by the interval,
// so the series integrates exactly to the window's energy. Cost: O(1) per power change plus O(1)
// per bin crossed; memory: one double per host and per bin. Plain C++ (the SimGrid signals that
// drive it are in activity_tracker.h).
#pragma once

#include <optional>
#include <vector>

#include "sim/core/units.h"

namespace gwsim::power {

struct SampleWindow {
  Seconds start;
  Seconds end;  // the last bin ends at or before `end`; infinity for the whole run
  Seconds interval;
};

class PowerLedger {
 public:
  // All hosts start at `initial` power at time 0. REQUIRES window->interval > 0 and start < end.
  PowerLedger(size_t hosts, Watts initial, Watts base, std::optional<SampleWindow> window);

  // Host `follower` draws what `leader` draws, always: one set() accounts both, at the cost of one.
  // REQUIRES no set() yet, and neither host a follower already nor the follower a leader.
  void follow(size_t follower, size_t leader);

  // Host `host` draws `p` from time t on. REQUIRES `host` is no follower, and t >= the time of
  // every earlier call (simulated time only moves forward).
  void set(size_t host, Seconds t, Watts p);

  Watts power(size_t host) const { return power_[leader_[host]]; }
  Watts site_power() const { return site_; }
  // Energy of a host / of the site (hosts + base) from 0 to t >= the last change.
  Joules energy(size_t host, Seconds t) const;
  Joules site_energy(Seconds t) const;

  // The window's bins up to time t (the bins that ended by t; a partial last bin is left out).
  std::vector<double> series(Seconds t);
  const std::optional<SampleWindow>& window() const { return window_; }

 private:
  void advance(Seconds t);  // accounts the site's power from now_ to t into the bins

  std::vector<size_t> leader_;  // itself, or the host it follows
  std::vector<double> weight_;  // hosts a host's power stands for: 1 + its followers; 0 for one
  std::vector<Watts> power_;
  std::vector<Seconds> since_;
  std::vector<Joules> energy_;
  Watts base_;
  Watts site_;
  Joules site_energy_;
  Seconds now_;
  std::optional<SampleWindow> window_;
  std::vector<double> bins_j_;
  size_t max_bins_ = 0;  // bins of a finite window; unbounded for an open-ended one
};

}  // namespace gwsim::power
