// The dragonfly part of Topology: routes, link names, bisection and counts (topology.h,
// dragonfly.h for where the global links go).
#include <algorithm>
#include <cassert>

#include "sim/platform/topology.h"

namespace gwsim::platform {

// NIC k of the machine (accelerators node-major) is on router k / p. At domain resolution a node's
// NICs are one bundle on the router of its first NIC.
int64_t Topology::router_of(int64_t host) const {
  const int64_t nic = domain_ ? host * per_node_ : host;
  return nic / scale_out_->dragonfly->nic_ports;
}

int64_t Topology::local_link(int64_t group, int from, int to) const {
  const int a = scale_out_->dragonfly->routers_per_group;
  assert(from != to);
  return index_of(LinkClass::kLocal, (group * a + from) * (a - 1) + (to < from ? to : to - 1));
}

int64_t Topology::global_link(int64_t from_group, int64_t to_group) const {
  const int64_t g = scale_out_->dragonfly->groups;
  assert(from_group != to_group);
  return index_of(LinkClass::kGlobal, from_group * (g - 1) + (to_group - from_group + g) % g - 1);
}

std::string Topology::dragonfly_link_name(const LinkInfo& l) const {
  const config::DragonflySpec& fly = *scale_out_->dragonfly;
  if (l.link_class == LinkClass::kLocal) {
    const int a = fly.routers_per_group;
    const int64_t router = l.owner / (a - 1);
    const int64_t peer_slot = l.owner % (a - 1);
    const int64_t from = router % a;
    const int64_t to = peer_slot < from ? peer_slot : peer_slot + 1;
    return "g" + std::to_string(router / a) + ".r" + std::to_string(from) + "-r" +
           std::to_string(to) + ".local";
  }
  const int64_t g = fly.groups;
  const int64_t group = l.owner / (g - 1);
  const int64_t peer = (group + l.owner % (g - 1) + 1) % g;
  return "g" + std::to_string(group) + "-g" + std::to_string(peer) + ".global";
}

// Minimal routing: NIC, [local hop to the router owning the global link], global hop, [local hop to
// the destination router], NIC. Among the parallel global links of a pair of groups, the one taken
// is round (source router + destination router) mod links, so the local hops of different router
// pairs spread over the routers that own the links (and a route and its reverse use one cable).
void Topology::append_dragonfly_route(int64_t from, int64_t to, std::vector<int64_t>& links) const {
  const config::DragonflySpec& fly = *scale_out_->dragonfly;
  const int a = fly.routers_per_group;
  links.push_back(index_of(LinkClass::kNicTx, from));
  const int64_t router_from = router_of(from);
  const int64_t router_to = router_of(to);
  const int64_t group_from = router_from / a;
  const int64_t group_to = router_to / a;
  const int x = static_cast<int>(router_from % a);
  const int y = static_cast<int>(router_to % a);
  if (group_from == group_to) {
    if (x != y) links.push_back(local_link(group_from, x, y));
  } else {
    const int g = fly.groups;
    const int offset = static_cast<int>((group_to - group_from + g) % g);
    const int round = (x + y) % arrangement_->links_at_offset(offset);
    const int exit = arrangement_->owner(offset, round);
    const int entry = arrangement_->owner(g - offset, round);
    if (x != exit) links.push_back(local_link(group_from, x, exit));
    links.push_back(global_link(group_from, group_to));
    if (entry != y) links.push_back(local_link(group_to, entry, y));
  }
  links.push_back(index_of(LinkClass::kNicRx, to));
}

// Halves are whole groups (the first groups / 2 and the rest): the global links between them, or
// the NICs on the smaller side if fewer. With one group, halves are whole routers and the local
// links between them cross the cut. Physical counts only, so both resolutions agree.
BytesPerSecond Topology::dragonfly_bisection() const {
  const config::DragonflySpec& fly = *scale_out_->dragonfly;
  const int64_t nics = accelerator_count();
  const int64_t per_router = fly.nic_ports;
  BytesPerSecond cut;
  int64_t side_ports;  // NIC ports of the first half
  if (fly.groups >= 2) {
    const int first = fly.groups / 2;
    cut = fly.global_bandwidth * static_cast<double>(arrangement_->links_across(first));
    side_ports = static_cast<int64_t>(first) * fly.routers_per_group * per_router;
  } else {
    const int64_t first = fly.routers_per_group / 2;
    cut = fly.local_bandwidth * static_cast<double>(first * (fly.routers_per_group - first));
    side_ports = first * per_router;
  }
  const int64_t nics_first = std::min(nics, side_ports);
  const int64_t smaller = std::min(nics_first, nics - nics_first);
  return min(cut, scale_out_->bandwidth * static_cast<double>(smaller));
}

// "router": every router, with one NIC cable per accelerator; "local": the cables inside groups;
// "global": the cables between groups. Local and global cables end at routers: no switches of their
// own.
void Topology::append_dragonfly_tiers(std::vector<TierCount>& out) const {
  const config::DragonflySpec& fly = *scale_out_->dragonfly;
  const int64_t a = fly.routers_per_group;
  out.push_back({"router", fly.groups * a, accelerator_count()});
  out.push_back({"local", 0, fly.groups * a * (a - 1) / 2});
  out.push_back({"global", 0, arrangement_->global_cables()});
}

}  // namespace gwsim::platform
