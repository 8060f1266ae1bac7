#include "sim/platform/zone_builder.h"

#include <cstdio>

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include "sim/core/error.h"

namespace gwsim::platform {
namespace sg4 = simgrid::s4u;

namespace {

// A full zone stores one route per ordered pair of hosts: fine for the foundation's single-switch
// fabric, quadratic beyond. The platform issue replaces it with a zone of our own that computes
// routes on demand.
constexpr int kMaxAcceleratorsInFullZone = 4096;

std::string wattage_per_state(const config::AcceleratorSpec& accelerator) {
  // SimGrid's format "Idle:Epsilon:AllCores" in watts: an accelerator running at 0% load draws idle
  // power.
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.17g:%.17g:%.17g", accelerator.idle_power.value(),
                accelerator.idle_power.value(), accelerator.peak_power.value());
  return buf;
}

}  // namespace

BuiltPlatform build_zones(const Topology& topology, const config::AcceleratorSpec& accelerator) {
  if (topology.accelerator_count() > kMaxAcceleratorsInFullZone) {
    throw InputError("platform: " + std::to_string(topology.accelerator_count()) +
                     " accelerators; this build's single-switch platform supports at most " +
                     std::to_string(kMaxAcceleratorsInFullZone));
  }
  sg4::NetZone* zone = sg4::create_full_zone("site");
  BuiltPlatform built;
  const std::string wattage = wattage_per_state(accelerator);
  for (int a = 0; a < topology.accelerator_count(); ++a) {
    sg4::Host* host =
        zone->create_host(topology.accelerator_name(a), accelerator.peak_flop_rate.value());
    host->set_property("wattage_per_state", wattage);
    host->set_property("wattage_off", "0");
    host->seal();
    built.accelerators.push_back(host);
  }

  // Links of an absent fabric have zero bandwidth and are never routed through: they are not
  // created.
  std::vector<sg4::Link*> links;
  for (const DirectedLink& l : topology.links()) {
    sg4::Link* link = nullptr;
    if (l.bandwidth.value() > 0) {
      link = zone->create_link(l.name, l.bandwidth.value())->set_latency(l.latency.value())->seal();
    }
    links.push_back(link);
  }

  for (int from = 0; from < topology.accelerator_count(); ++from) {
    for (int to = 0; to < topology.accelerator_count(); ++to) {
      if (from == to) continue;
      std::vector<sg4::LinkInRoute> route;
      for (int l : topology.route(from, to)) route.emplace_back(links[l]);
      zone->add_route(built.accelerators[from]->get_netpoint(),
                      built.accelerators[to]->get_netpoint(), nullptr, nullptr, route,
                      /*symmetrical=*/false);
    }
  }
  zone->seal();
  return built;
}

}  // namespace gwsim::platform
