// The machine as hosts and directed links, in plain C++ (no SimGrid), so routes, hop counts,
// bandwidths and bisection can be unit-tested; sim/platform/zone_builder.h hands it to SimGrid.
//
// Nothing here is stored per pair of hosts or even per link: links form a few blocks of identical
// links (every accelerator's NIC, every leaf group's uplinks, ...) and a link's index, bandwidth
// and name follow from arithmetic, so memory stays linear in the number of hosts at millions of
// accelerators.
//
// Scale-up (inside a node): `switch` gives each accelerator a full-duplex link to a non-blocking
// switch; `torus` gives each accelerator one outgoing link per dimension and direction, with
// dimension-order routing the shorter way round each ring. Scale-out (between nodes): every
// accelerator has its own NIC (full duplex) to one non-blocking switch, a fat-tree or a dragonfly
// (docs/platforms.md). A full-duplex link is two directed links, so the two directions never share
// bandwidth. Switches are non-blocking; the capacity of a switch tier is the bundled capacity of
// the links into it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/scenario.h"
#include "sim/core/units.h"
#include "sim/platform/dragonfly.h"

namespace gwsim::platform {

enum class LinkClass {
  kScaleUpTx,     // accelerator -> its node's switch
  kScaleUpRx,     // node's switch -> accelerator
  kTorus,         // accelerator -> its neighbour in one dimension and direction
  kNicTx,         // accelerator's NIC -> first scale-out switch
  kNicRx,         // first scale-out switch -> accelerator's NIC
  kLeafUp,        // a leaf group's bundled uplinks to the spine tier
  kLeafDown,      // the spine tier's bundled links down to a leaf group
  kPodUp,         // a pod's bundled spine uplinks to the core tier (3 tiers)
  kPodDown,       // the core tier's bundled links down to a pod
  kBuildingUp,    // a building's uplink to its campus
  kBuildingDown,  // the campus's link down into a building
  kSiteUp,        // a site's long-haul link out
  kSiteDown,      // the long-haul link into a site
  kLocal,         // dragonfly: one router to another of its group
  kGlobal,        // dragonfly: all global links from one group to another, bundled
  kInternal,      // domain resolution: a domain's whole scale-up fabric, for traffic between its
                  // accelerators
};

struct LinkInfo {
  LinkClass link_class;
  int64_t owner;  // accelerator, leaf group or pod; torus: accelerator * 2 * dims + 2 * dim + (0
                  // for +, 1 for -); local: router * (a - 1) + peer (skipping itself); global:
                  // group * (groups - 1) + peer group (skipping itself)
  BytesPerSecond bandwidth;
  Seconds latency;
};

// Switches and cables of one tier, for descriptions (`gwsim platform`). Physical counts follow from
// the switch radix; the simulation itself bundles them.
struct TierCount {
  std::string tier;  // "scale-up", "leaf", "spine", "core"; dragonfly "router", "local", "global"
  int64_t switches = 0;
  int64_t cables = 0;  // full-duplex cables from the tier below into this tier
};

class Topology {
 public:
  // `shared_link_share` scales the links that a node's accelerators share with each other beyond
  // their own (a fat-tree's pod uplinks, or its leaf uplinks when rails are not apart; buildings',
  // sites' and a dragonfly's links): a run that simulates one accelerator per node for identical
  // work on all of them (symmetric ranks, sim/executor/transformer_job.h) gives it 1 /
  // accelerators_per_node of each, the share max-min sharing gives each of the identical copies.
  explicit Topology(const config::PlatformSpec& spec, double shared_link_share = 1.0);

  int64_t accelerator_count() const { return nodes_ * per_node_; }
  int64_t node_count() const { return nodes_; }
  int accelerators_per_node() const { return per_node_; }
  // At accelerator resolution hosts are accelerators, numbered node-major; at domain resolution
  // hosts are nodes, each standing for all its accelerators (its scale-up fabric is then inside the
  // host).
  bool domain_resolution() const { return domain_; }
  int64_t host_count() const { return domain_ ? nodes_ : accelerator_count(); }
  int accelerators_per_host() const { return domain_ ? per_node_ : 1; }
  int64_t node_of(int64_t host) const { return domain_ ? host : host / per_node_; }
  // SimGrid host name: "n<node>.a<index in node>", or "n<node>" at domain resolution.
  std::string host_name(int64_t host) const;

  int64_t link_count() const {
    return blocks_.empty() ? 0 : blocks_.back().first + blocks_.back().count;
  }
  LinkInfo link(int64_t index) const;
  std::string link_name(int64_t index) const;

  // Appends the links crossed from host `from` to host `to`, in order (nothing when from == to). At
  // domain resolution a host's NIC links carry all its accelerators' NICs and its traffic enters
  // the fabric at one leaf group per scalable unit (its rails merged), or at the dragonfly router
  // of its first NIC.
  void append_route(int64_t from, int64_t to, std::vector<int64_t>& links) const;
  std::vector<int64_t> route(int64_t from, int64_t to) const;
  Seconds route_latency(int64_t from, int64_t to) const;
  BytesPerSecond route_bandwidth(int64_t from, int64_t to) const;

  // True for the link classes `shared_link_share` scales.
  bool shares_across_local_ranks(LinkClass c) const;

  // Bandwidth across the cut that splits the hosts into two halves by index (node-major), per
  // direction: through the scale-out fabric when there are several nodes, through the scale-up
  // fabric otherwise.
  BytesPerSecond bisection_bandwidth() const;

  // Domain resolution's calibrated cost of a domain's internal traffic: bandwidth = accelerators x
  // link bandwidth (switch) or accelerators x 2 x dims x link bandwidth (torus), per direction;
  // latency = two link traversals (switch) or the mean torus distance in hops (sum of dims / 4)
  // times the link latency.
  LinkInfo internal_link() const;
  std::vector<TierCount> tiers() const;

 private:
  struct Block {
    LinkClass link_class;
    int64_t first;
    int64_t count;
    BytesPerSecond bandwidth;
    Seconds latency;
  };
  void add_block(LinkClass c, int64_t count, BytesPerSecond bandwidth, Seconds latency);
  int64_t index_of(LinkClass c, int64_t owner) const;
  void append_torus_route(int64_t from, int64_t to, std::vector<int64_t>& links) const;
  void append_scale_out_route(int64_t from, int64_t to, std::vector<int64_t>& links) const;
  int64_t leaf_group_of(int64_t accelerator) const;
  int64_t pod_of(int64_t accelerator) const;
  int64_t building_of(int64_t host) const;
  BytesPerSecond fabric_bisection() const;
  void append_tree_tiers(std::vector<TierCount>& out) const;
  void append_plane_tiers(std::vector<TierCount>& out) const;  // one plane of the tree
  int64_t site_of(int64_t host) const;
  int64_t leaf_groups() const;
  int64_t physical_leaves() const;
  int64_t pods() const;
  bool rails_apart() const;  // rail-optimized and simulated per accelerator
  void append_dragonfly_route(int64_t from, int64_t to, std::vector<int64_t>& links) const;
  int64_t router_of(int64_t host) const;  // dragonfly router (machine-wide index) of a host's NIC
  int64_t local_link(int64_t group, int from, int to) const;
  int64_t global_link(int64_t from_group, int64_t to_group) const;
  std::string dragonfly_link_name(const LinkInfo& l) const;
  BytesPerSecond dragonfly_bisection() const;
  void append_dragonfly_tiers(std::vector<TierCount>& out) const;

  double shared_link_share_;
  bool domain_;
  int64_t nodes_;
  int per_node_;
  std::optional<config::ScaleUpSpec> scale_up_;
  std::optional<config::ScaleOutSpec> scale_out_;
  std::optional<DragonflyArrangement> arrangement_;  // dragonfly only
  std::vector<Block> blocks_;
  int first_block_of_[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                             -1, -1, -1, -1, -1, -1, -1, -1};  // by LinkClass
};

}  // namespace gwsim::platform
