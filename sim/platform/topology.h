// The machine as a graph of accelerators and directed links, in plain C++ (no SimGrid), so routes
// and bandwidths can be checked by unit tests; sim/platform/zone_builder.h turns it into SimGrid
// resources.
//
// Foundation model: every accelerator has a full-duplex link to its node's scale-up switch
// (NVSwitch-class) and a full-duplex NIC link to one scale-out switch. A full-duplex link is two
// directed links, so traffic in one direction never slows the other. Switches are non-blocking and
// not modelled as resources. Routes: same node -> [scale-up tx of a, scale-up rx of b]; other node
// -> [NIC tx of a, NIC rx of b]. The platform issue replaces the single switch with real fabrics
// (fat-tree tiers, torus, dragonfly).
#pragma once

#include <string>
#include <vector>

#include "sim/config/scenario.h"
#include "sim/core/units.h"

namespace gwsim::platform {

struct DirectedLink {
  std::string name;  // unique, e.g. "n1.a3.nic.tx"
  BytesPerSecond bandwidth;
  Seconds latency;
};

class Topology {
 public:
  explicit Topology(const config::PlatformSpec& spec);

  int accelerator_count() const { return nodes_ * per_node_; }
  int node_count() const { return nodes_; }
  int node_of(int accelerator) const { return accelerator / per_node_; }
  // SimGrid host name of an accelerator: "n<node>.a<index in node>".
  std::string accelerator_name(int accelerator) const;

  const std::vector<DirectedLink>& links() const { return links_; }
  // Indexes into links() crossed by a message from accelerator `from` to accelerator `to`, in
  // order. Empty when from == to.
  std::vector<int> route(int from, int to) const;

  // Sum of the latencies and the smallest bandwidth along route(from, to).
  Seconds route_latency(int from, int to) const;
  BytesPerSecond route_bandwidth(int from, int to) const;

 private:
  int link_index(int accelerator, int kind) const;

  int nodes_;
  int per_node_;
  bool has_scale_up_;
  bool has_scale_out_;
  std::vector<DirectedLink> links_;
};

}  // namespace gwsim::platform
