#include "sim/platform/zone_builder.h"

#include <cstdio>

#include <simgrid/kernel/routing/NetPoint.hpp>
#include <simgrid/kernel/routing/NetZoneImpl.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

namespace gwsim::platform {
namespace sg4 = simgrid::s4u;
namespace routing = simgrid::kernel::routing;

namespace {

// A zone whose routes come from a Topology. SimGrid numbers the zone's netpoints in creation order;
// hosts are created first and in topology order, so a netpoint's id is its host index.
class TopologyZone : public routing::NetZoneImpl {
 public:
  TopologyZone(const std::string& name, Topology topology)
      : NetZoneImpl(name), topology_(std::move(topology)) {}

  void set_links(std::vector<sg4::Link*> links, sg4::Link* loopback) {
    links_ = std::move(links);
    loopback_ = loopback;
  }

  void get_local_route(const routing::NetPoint* src, const routing::NetPoint* dst,
                       routing::Route* into, double* latency) override {
    scratch_.clear();
    topology_.append_route(static_cast<int64_t>(src->id()), static_cast<int64_t>(dst->id()),
                           scratch_);
    for (int64_t l : scratch_) {
      into->link_list_.push_back(links_[l]->get_impl());
      if (latency != nullptr) *latency += topology_.link(l).latency.value();
    }
    // A host talking to itself (an actor releasing its own wait, sim/network/collective_runner.h):
    // SimGrid needs a link on every route.
    if (scratch_.empty()) into->link_list_.push_back(loopback_->get_impl());
  }

 private:
  Topology topology_;
  std::vector<sg4::Link*> links_;
  sg4::Link* loopback_ = nullptr;
  std::vector<int64_t> scratch_;  // reused: routes are asked for at every communication
};

std::string wattage_per_state(const config::AcceleratorSpec& accelerator, double count) {
  // SimGrid's format "Idle:Epsilon:AllCores" in watts: an accelerator running at 0% load draws idle
  // power.
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.17g:%.17g:%.17g", count * accelerator.idle_power.value(),
                count * accelerator.idle_power.value(), count * accelerator.peak_power.value());
  return buf;
}

}  // namespace

BuiltPlatform build_zones(const Topology& topology, const config::AcceleratorSpec& accelerator,
                          bool host_energy) {
  auto* zone =
      new TopologyZone("site", topology);  // the first zone becomes SimGrid's root, which owns it
  sg4::NetZone* iface = zone->get_iface();
  BuiltPlatform built;
  built.hosts.reserve(static_cast<size_t>(topology.host_count()));
  // At domain resolution a host stands for all its accelerators: their speeds and powers add up.
  const double per_host = topology.accelerators_per_host();
  const std::string wattage = wattage_per_state(accelerator, per_host);
  for (int64_t h = 0; h < topology.host_count(); ++h) {
    sg4::Host* host =
        iface->create_host(topology.host_name(h), per_host * accelerator.peak_flop_rate.value());
    if (host_energy) host->set_property("wattage_per_state", wattage);
    host->seal();
    built.hosts.push_back(host);
  }
  std::vector<sg4::Link*> links;
  links.reserve(static_cast<size_t>(topology.link_count()));
  for (int64_t l = 0; l < topology.link_count(); ++l) {
    const LinkInfo info = topology.link(l);
    links.push_back(iface->create_link(topology.link_name(l), info.bandwidth.value())
                        ->set_latency(info.latency.value())
                        ->seal());
  }
  // Zero latency and no sharing between flows (FATPIPE): a host's messages to itself cost nothing.
  sg4::Link* loopback = iface->create_link("loopback", 1e18)
                            ->set_latency(0)
                            ->set_sharing_policy(sg4::Link::SharingPolicy::FATPIPE)
                            ->seal();
  zone->set_links(std::move(links), loopback);
  iface->seal();
  return built;
}

}  // namespace gwsim::platform
