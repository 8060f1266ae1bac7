// Accelerator energy from SimGrid's host energy plugin: power rises linearly from idle to peak with
// the host's compute load; communicating or waiting counts as idle. (The power issue replaces this
// with power states per activity, rack overheads and the facility.)
#pragma once

#include <memory>
#include <vector>

#include <simgrid/s4u/Host.hpp>

#include "sim/core/units.h"

namespace gwsim::power {

// Energy each host consumed from time 0 to now, in host order.
std::vector<Joules> consumed_energy(const std::vector<simgrid::s4u::Host*>& hosts);

// Average power of a set of hosts over consecutive intervals: sample i covers
// [i * interval, (i + 1) * interval) and equals the energy consumed in it divided by the interval,
// so the series integrates exactly to the energy. The run's last, partial interval is not sampled.
struct PowerSeries {
  Seconds interval;
  std::vector<double> end_s;    // end of each interval, seconds
  std::vector<double> power_w;  // average power over the interval, watts
};

class PowerSampler {
 public:
  PowerSampler(std::vector<simgrid::s4u::Host*> hosts, Seconds interval);
  // Starts a daemon actor (it stops with the last workload actor). Call before the engine runs.
  void start();
  const PowerSeries& series() const { return *series_; }

 private:
  std::vector<simgrid::s4u::Host*> hosts_;
  std::shared_ptr<PowerSeries> series_;
};

}  // namespace gwsim::power
