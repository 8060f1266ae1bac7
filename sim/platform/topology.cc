#include "sim/platform/topology.h"

#include <cassert>
#include <limits>

namespace gwsim::platform {
namespace {

// Directed links per accelerator, in this order.
enum LinkKind { kScaleUpTx = 0, kScaleUpRx = 1, kNicTx = 2, kNicRx = 3, kLinksPerAccelerator = 4 };

}  // namespace

Topology::Topology(const config::PlatformSpec& spec)
    : nodes_(spec.nodes),
      per_node_(spec.accelerators_per_node),
      has_scale_up_(spec.scale_up.has_value()),
      has_scale_out_(spec.scale_out.has_value()) {
  // Absent fabrics keep their slots (unused, zero bandwidth) so that link_index() stays arithmetic.
  const config::LinkSpec none{BytesPerSecond(0), Seconds(0)};
  const config::LinkSpec up = spec.scale_up.value_or(none);
  const config::LinkSpec out = spec.scale_out.value_or(none);
  links_.reserve(static_cast<size_t>(accelerator_count()) * kLinksPerAccelerator);
  for (int a = 0; a < accelerator_count(); ++a) {
    const std::string host = accelerator_name(a);
    links_.push_back({host + ".up.tx", up.bandwidth, up.latency});
    links_.push_back({host + ".up.rx", up.bandwidth, up.latency});
    links_.push_back({host + ".nic.tx", out.bandwidth, out.latency});
    links_.push_back({host + ".nic.rx", out.bandwidth, out.latency});
  }
}

std::string Topology::accelerator_name(int accelerator) const {
  return "n" + std::to_string(node_of(accelerator)) + ".a" +
         std::to_string(accelerator % per_node_);
}

int Topology::link_index(int accelerator, int kind) const {
  return accelerator * kLinksPerAccelerator + kind;
}

std::vector<int> Topology::route(int from, int to) const {
  assert(from >= 0 && from < accelerator_count() && to >= 0 && to < accelerator_count());
  if (from == to) return {};
  if (node_of(from) == node_of(to)) {
    assert(has_scale_up_);  // the loader requires a scale-up fabric when nodes hold several
                            // accelerators
    return {link_index(from, kScaleUpTx), link_index(to, kScaleUpRx)};
  }
  assert(has_scale_out_);  // the loader requires a scale-out fabric when there are several nodes
  return {link_index(from, kNicTx), link_index(to, kNicRx)};
}

Seconds Topology::route_latency(int from, int to) const {
  Seconds total(0);
  for (int l : route(from, to)) total += links_[l].latency;
  return total;
}

BytesPerSecond Topology::route_bandwidth(int from, int to) const {
  BytesPerSecond smallest(std::numeric_limits<double>::infinity());
  for (int l : route(from, to)) smallest = min(smallest, links_[l].bandwidth);
  return smallest;
}

}  // namespace gwsim::platform
