#include "sim/power/host_energy.h"

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace gwsim::power {
namespace sg4 = simgrid::s4u;

namespace {
double total_energy_j(const std::vector<sg4::Host*>& hosts) {
  double total = 0;
  for (const sg4::Host* host : hosts) total += sg_host_get_consumed_energy(host);
  return total;
}
}  // namespace

std::vector<Joules> consumed_energy(const std::vector<sg4::Host*>& hosts) {
  std::vector<Joules> energy;
  energy.reserve(hosts.size());
  for (const sg4::Host* host : hosts) energy.emplace_back(sg_host_get_consumed_energy(host));
  return energy;
}

PowerSampler::PowerSampler(std::vector<sg4::Host*> hosts, Seconds interval)
    : hosts_(std::move(hosts)), series_(std::make_shared<PowerSeries>()) {
  series_->interval = interval;
}

void PowerSampler::start() {
  std::shared_ptr<PowerSeries> series = series_;
  std::vector<sg4::Host*> hosts = hosts_;
  sg4::Actor::create("power-sampler", hosts.front(), [series, hosts] {
    sg4::Actor::self()->daemonize();  // ends with the last workload actor
    double previous_j = total_energy_j(hosts);
    for (long i = 1;; ++i) {
      // Absolute targets: no drift from summing intervals.
      const double end = static_cast<double>(i) * series->interval.value();
      sg4::this_actor::sleep_until(end);
      const double energy_j = total_energy_j(hosts);
      series->end_s.push_back(end);
      series->power_w.push_back((energy_j - previous_j) / series->interval.value());
      previous_j = energy_j;
    }
  });
}

}  // namespace gwsim::power
