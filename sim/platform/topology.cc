#include "sim/platform/topology.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace gwsim::platform {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// A switch whose ports split down:up as ratio:1 has this many ports facing down.
int64_t down_ports(int radix, double ratio) {
  return static_cast<int64_t>(std::floor(radix * ratio / (1.0 + ratio)));
}

}  // namespace

Topology::Topology(const config::PlatformSpec& spec, double shared_link_share)
    : shared_link_share_(shared_link_share),
      domain_(spec.resolution == config::Resolution::kDomain),
      nodes_(spec.nodes),
      per_node_(spec.accelerators_per_node),
      scale_up_(spec.scale_up),
      scale_out_(spec.scale_out) {
  const int64_t accelerators = accelerator_count();
  if (scale_up_ && domain_) {
    const LinkInfo internal = internal_link();
    add_block(LinkClass::kInternal, nodes_, internal.bandwidth, internal.latency);
  }
  if (scale_up_ && !domain_) {
    if (scale_up_->kind == config::ScaleUpKind::kSwitch) {
      add_block(LinkClass::kScaleUpTx, accelerators, scale_up_->bandwidth, scale_up_->latency);
      add_block(LinkClass::kScaleUpRx, accelerators, scale_up_->bandwidth, scale_up_->latency);
    } else {
      const auto links_per_accelerator = static_cast<int64_t>(2 * scale_up_->torus_dims.size());
      add_block(LinkClass::kTorus, accelerators * links_per_accelerator, scale_up_->bandwidth,
                scale_up_->latency);
    }
  }
  if (scale_out_) {
    const BytesPerSecond nic = scale_out_->bandwidth;
    const auto per_host = static_cast<double>(accelerators_per_host());
    add_block(LinkClass::kNicTx, host_count(), nic * per_host, scale_out_->latency);
    add_block(LinkClass::kNicRx, host_count(), nic * per_host, scale_out_->latency);
    if (const auto& tree = scale_out_->fat_tree) {
      // A leaf's uplinks are sized for a full scalable unit, even where the last SU is not full.
      const double nics_per_group = tree->scalable_unit * (rails_apart() ? 1.0 : per_node_);
      const BytesPerSecond leaf_up = nic * nics_per_group / tree->oversubscription[0];
      add_block(LinkClass::kLeafUp, leaf_groups(), leaf_up, scale_out_->latency);
      add_block(LinkClass::kLeafDown, leaf_groups(), leaf_up, scale_out_->latency);
      if (tree->tiers == 3) {
        const double nics_per_pod =
            1.0 * tree->scalable_units_per_pod * tree->scalable_unit * per_node_;
        const BytesPerSecond pod_up =
            nic * nics_per_pod / (tree->oversubscription[0] * tree->oversubscription[1]);
        add_block(LinkClass::kPodUp, pods(), pod_up, scale_out_->latency);
        add_block(LinkClass::kPodDown, pods(), pod_up, scale_out_->latency);
      }
    }
    if (const auto& fly = scale_out_->dragonfly) {
      // Every router reaches every other of its group by its own link; all global links from one
      // group to another are one bundle (its bandwidth is set per pair in link()).
      arrangement_.emplace(*fly);
      const int64_t routers = static_cast<int64_t>(fly->groups) * fly->routers_per_group;
      add_block(LinkClass::kLocal, routers * (fly->routers_per_group - 1), fly->local_bandwidth,
                scale_out_->latency);
      add_block(LinkClass::kGlobal, static_cast<int64_t>(fly->groups) * (fly->groups - 1),
                fly->global_bandwidth, scale_out_->latency);
    }
    if (const auto& net = scale_out_->interconnect) {
      add_block(LinkClass::kBuildingUp, net->buildings, net->building_bandwidth,
                net->building_latency);
      add_block(LinkClass::kBuildingDown, net->buildings, net->building_bandwidth,
                net->building_latency);
      if (net->sites > 1) {
        add_block(LinkClass::kSiteUp, net->sites, net->site_bandwidth, net->site_latency);
        add_block(LinkClass::kSiteDown, net->sites, net->site_bandwidth, net->site_latency);
      }
    }
  }
}

int64_t Topology::building_of(int64_t host) const {
  const auto& net = scale_out_->interconnect;
  return net ? node_of(host) / (nodes_ / net->buildings) : 0;
}

int64_t Topology::site_of(int64_t host) const {
  const auto& net = scale_out_->interconnect;
  return net ? building_of(host) / (net->buildings / net->sites) : 0;
}

void Topology::add_block(LinkClass c, int64_t count, BytesPerSecond bandwidth, Seconds latency) {
  first_block_of_[static_cast<int>(c)] = static_cast<int>(blocks_.size());
  if (shares_across_local_ranks(c)) bandwidth = bandwidth * shared_link_share_;
  blocks_.push_back({c, link_count(), count, bandwidth, latency});
}

int64_t Topology::index_of(LinkClass c, int64_t owner) const {
  const int block = first_block_of_[static_cast<int>(c)];
  assert(block >= 0 && owner >= 0 && owner < blocks_[block].count);
  return blocks_[block].first + owner;
}

LinkInfo Topology::link(int64_t index) const {
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), index,
                             [](int64_t i, const Block& b) { return i < b.first; });
  assert(it != blocks_.begin());
  const Block& b = *(it - 1);
  assert(index < b.first + b.count);
  const int64_t owner = index - b.first;
  if (b.link_class == LinkClass::kGlobal) {
    // owner = group * (groups - 1) + (offset - 1), offset = peer group - group (mod groups).
    const int offset = static_cast<int>(owner % (scale_out_->dragonfly->groups - 1)) + 1;
    return {b.link_class, owner, b.bandwidth * arrangement_->links_at_offset(offset), b.latency};
  }
  return {b.link_class, owner, b.bandwidth, b.latency};
}

std::string Topology::host_name(int64_t host) const {
  if (domain_) return "n" + std::to_string(host);
  return "n" + std::to_string(node_of(host)) + ".a" + std::to_string(host % per_node_);
}

bool Topology::shares_across_local_ranks(LinkClass c) const {
  switch (c) {
    case LinkClass::kLeafUp:
    case LinkClass::kLeafDown:
      return !rails_apart();
    case LinkClass::kPodUp:
    case LinkClass::kPodDown:
    case LinkClass::kBuildingUp:
    case LinkClass::kBuildingDown:
    case LinkClass::kSiteUp:
    case LinkClass::kSiteDown:
    case LinkClass::kLocal:
    case LinkClass::kGlobal:
      return true;
    default:
      return false;
  }
}

bool Topology::rails_apart() const { return !domain_ && scale_out_->fat_tree->rail_optimized; }

std::string Topology::link_name(int64_t index) const {
  const LinkInfo l = link(index);
  switch (l.link_class) {
    case LinkClass::kScaleUpTx:
      return host_name(l.owner) + ".up.tx";
    case LinkClass::kScaleUpRx:
      return host_name(l.owner) + ".up.rx";
    case LinkClass::kTorus: {
      const auto per_accelerator = static_cast<int64_t>(2 * scale_up_->torus_dims.size());
      const int64_t local = l.owner % per_accelerator;
      return host_name(l.owner / per_accelerator) + ".torus.d" + std::to_string(local / 2) +
             (local % 2 == 0 ? "+" : "-");
    }
    case LinkClass::kNicTx:
      return host_name(l.owner) + ".nic.tx";
    case LinkClass::kNicRx:
      return host_name(l.owner) + ".nic.rx";
    case LinkClass::kLeafUp:
    case LinkClass::kLeafDown: {
      const bool rails = rails_apart();
      const int64_t su = rails ? l.owner / per_node_ : l.owner;
      std::string name =
          "su" + std::to_string(su) + (rails ? ".rail" + std::to_string(l.owner % per_node_) : "");
      return name + (l.link_class == LinkClass::kLeafUp ? ".leaf.up" : ".leaf.down");
    }
    case LinkClass::kPodUp:
      return "pod" + std::to_string(l.owner) + ".spine.up";
    case LinkClass::kPodDown:
      return "pod" + std::to_string(l.owner) + ".spine.down";
    case LinkClass::kBuildingUp:
      return "building" + std::to_string(l.owner) + ".up";
    case LinkClass::kBuildingDown:
      return "building" + std::to_string(l.owner) + ".down";
    case LinkClass::kSiteUp:
      return "site" + std::to_string(l.owner) + ".up";
    case LinkClass::kSiteDown:
      return "site" + std::to_string(l.owner) + ".down";
    case LinkClass::kLocal:
    case LinkClass::kGlobal:
      return dragonfly_link_name(l);
    case LinkClass::kInternal:
      return host_name(l.owner) + ".internal";
  }
  return "?";
}

int64_t Topology::leaf_groups() const {
  const int64_t units = ceil_div(nodes_, scale_out_->fat_tree->scalable_unit);
  return rails_apart() ? units * per_node_ : units;
}

// The real leaf switches, whatever the resolution: one per rail per SU when rail-optimized.
int64_t Topology::physical_leaves() const {
  const config::FatTreeSpec& tree = *scale_out_->fat_tree;
  const int64_t units = ceil_div(nodes_, tree.scalable_unit);
  return tree.rail_optimized ? units * per_node_ : units;
}

int64_t Topology::pods() const {
  const config::FatTreeSpec& tree = *scale_out_->fat_tree;
  return ceil_div(ceil_div(nodes_, tree.scalable_unit), tree.scalable_units_per_pod);
}

int64_t Topology::leaf_group_of(int64_t host) const {
  const int64_t unit = node_of(host) / scale_out_->fat_tree->scalable_unit;
  return rails_apart() ? unit * per_node_ + host % per_node_ : unit;
}

int64_t Topology::pod_of(int64_t host) const {
  const config::FatTreeSpec& tree = *scale_out_->fat_tree;
  return node_of(host) / tree.scalable_unit / tree.scalable_units_per_pod;
}

void Topology::append_route(int64_t from, int64_t to, std::vector<int64_t>& links) const {
  assert(from >= 0 && from < host_count() && to >= 0 && to < host_count());
  if (from == to) {
    if (domain_ && scale_up_) links.push_back(index_of(LinkClass::kInternal, from));
    return;
  }
  if (node_of(from) != node_of(to)) {
    append_scale_out_route(from, to, links);
  } else if (scale_up_->kind == config::ScaleUpKind::kSwitch) {
    links.push_back(index_of(LinkClass::kScaleUpTx, from));
    links.push_back(index_of(LinkClass::kScaleUpRx, to));
  } else {
    append_torus_route(from, to, links);
  }
}

// Dimension-order routing: dimension 0 first; in each, the shorter way round (ties go the + way).
void Topology::append_torus_route(int64_t from, int64_t to, std::vector<int64_t>& links) const {
  const std::vector<int>& dims = scale_up_->torus_dims;
  const auto per_accelerator = static_cast<int64_t>(2 * dims.size());
  const int64_t base = node_of(from) * per_node_;
  int64_t current = from - base;
  const int64_t target = to - base;
  int64_t stride = 1;
  for (size_t k = 0; k < dims.size(); ++k) {
    const int64_t size = dims[k];
    const int64_t x_from = (current / stride) % size;
    const int64_t x_to = (target / stride) % size;
    const int64_t ahead = (x_to - x_from + size) % size;
    const bool forward = 2 * ahead <= size;
    const int64_t steps = forward ? ahead : size - ahead;
    int64_t x = x_from;
    for (int64_t s = 0; s < steps; ++s) {
      links.push_back(index_of(
          LinkClass::kTorus,
          (base + current) * per_accelerator + 2 * static_cast<int64_t>(k) + (forward ? 0 : 1)));
      const int64_t next = (x + (forward ? 1 : size - 1)) % size;
      current += (next - x) * stride;
      x = next;
    }
    stride *= size;
  }
  assert(current == target);
}

void Topology::append_scale_out_route(int64_t from, int64_t to, std::vector<int64_t>& links) const {
  assert(scale_out_
             .has_value());  // the loader requires a scale-out fabric when there are several nodes
  if (scale_out_->dragonfly) {
    append_dragonfly_route(from, to, links);
    return;
  }
  links.push_back(index_of(LinkClass::kNicTx, from));
  const int64_t building_from = building_of(from);
  const int64_t building_to = building_of(to);
  if (building_from != building_to) {
    // Up to the top of this building's fabric, across the campus (and between sites), down the
    // other.
    const auto& tree = scale_out_->fat_tree;
    if (tree) links.push_back(index_of(LinkClass::kLeafUp, leaf_group_of(from)));
    if (tree && tree->tiers == 3) links.push_back(index_of(LinkClass::kPodUp, pod_of(from)));
    links.push_back(index_of(LinkClass::kBuildingUp, building_from));
    if (site_of(from) != site_of(to)) {
      links.push_back(index_of(LinkClass::kSiteUp, site_of(from)));
      links.push_back(index_of(LinkClass::kSiteDown, site_of(to)));
    }
    links.push_back(index_of(LinkClass::kBuildingDown, building_to));
    if (tree && tree->tiers == 3) links.push_back(index_of(LinkClass::kPodDown, pod_of(to)));
    if (tree) links.push_back(index_of(LinkClass::kLeafDown, leaf_group_of(to)));
  } else if (scale_out_->fat_tree) {
    const int64_t leaf_from = leaf_group_of(from);
    const int64_t leaf_to = leaf_group_of(to);
    if (leaf_from != leaf_to) {
      links.push_back(index_of(LinkClass::kLeafUp, leaf_from));
      if (scale_out_->fat_tree->tiers == 3 && pod_of(from) != pod_of(to)) {
        links.push_back(index_of(LinkClass::kPodUp, pod_of(from)));
        links.push_back(index_of(LinkClass::kPodDown, pod_of(to)));
      }
      links.push_back(index_of(LinkClass::kLeafDown, leaf_to));
    }
  }
  links.push_back(index_of(LinkClass::kNicRx, to));
}

std::vector<int64_t> Topology::route(int64_t from, int64_t to) const {
  std::vector<int64_t> links;
  append_route(from, to, links);
  return links;
}

Seconds Topology::route_latency(int64_t from, int64_t to) const {
  Seconds total(0);
  for (int64_t l : route(from, to)) total += link(l).latency;
  return total;
}

BytesPerSecond Topology::route_bandwidth(int64_t from, int64_t to) const {
  BytesPerSecond smallest(std::numeric_limits<double>::infinity());
  for (int64_t l : route(from, to)) smallest = min(smallest, link(l).bandwidth);
  return smallest;
}

LinkInfo Topology::internal_link() const {
  assert(scale_up_.has_value());
  const auto n = static_cast<double>(per_node_);
  if (scale_up_->kind == config::ScaleUpKind::kSwitch) {
    return {LinkClass::kInternal, 0, scale_up_->bandwidth * n, scale_up_->latency * 2.0};
  }
  const auto dims = static_cast<double>(scale_up_->torus_dims.size());
  double mean_hops = 0;
  for (int size : scale_up_->torus_dims) mean_hops += size / 4.0;
  return {LinkClass::kInternal, 0, scale_up_->bandwidth * (n * 2.0 * dims),
          scale_up_->latency * mean_hops};
}

BytesPerSecond Topology::bisection_bandwidth() const {
  if (nodes_ >= 2 && scale_out_ && scale_out_->interconnect &&
      scale_out_->interconnect->buildings >= 2) {
    // The halves are whole buildings (whole sites where there are several): the narrowest of the
    // fabric inside a building pair and the building and site links bounds the cut.
    const config::InterconnectSpec& net = *scale_out_->interconnect;
    const int64_t half_buildings = net.buildings / 2;  // whole buildings on each side
    const int64_t half_sites = net.sites / 2;
    BytesPerSecond cut = net.building_bandwidth * static_cast<double>(half_buildings);
    if (net.sites >= 2) cut = min(cut, net.site_bandwidth * static_cast<double>(half_sites));
    return min(cut, fabric_bisection());
  }
  return fabric_bisection();
}

BytesPerSecond Topology::fabric_bisection() const {
  if (nodes_ >= 2 && scale_out_ && scale_out_->dragonfly) return dragonfly_bisection();
  if (nodes_ >= 2 && scale_out_) {
    // Half the NICs send across the cut; a tree narrows it by its oversubscription above the level
    // at which the two halves separate (the halves are taken to be whole scalable units or pods).
    const int64_t half_nics = accelerator_count() / 2;
    const BytesPerSecond half = scale_out_->bandwidth * static_cast<double>(half_nics);
    const auto& tree = scale_out_->fat_tree;
    if (!tree || physical_leaves() < 2) return half;
    if (tree->tiers == 3 && pods() >= 2)
      return half / (tree->oversubscription[0] * tree->oversubscription[1]);
    return half / tree->oversubscription[0];
  }
  if (per_node_ >= 2 && scale_up_) {
    const int64_t half_node = per_node_ / 2;  // accelerators on each side of the cut
    if (scale_up_->kind == config::ScaleUpKind::kSwitch)
      return scale_up_->bandwidth * static_cast<double>(half_node);
    // Cutting a torus across its largest dimension severs two links of every ring along it
    // (wrap-around).
    const int largest =
        *std::max_element(scale_up_->torus_dims.begin(), scale_up_->torus_dims.end());
    return scale_up_->bandwidth * (2.0 * per_node_ / largest);
  }
  return BytesPerSecond(0);
}

std::vector<TierCount> Topology::tiers() const {
  std::vector<TierCount> out;
  const int64_t accelerators = accelerator_count();
  if (scale_up_) {
    if (scale_up_->kind == config::ScaleUpKind::kSwitch) {
      out.push_back({"scale-up", nodes_, accelerators});
    } else {
      out.push_back(
          {"scale-up", 0, accelerators * static_cast<int64_t>(scale_up_->torus_dims.size())});
    }
  }
  if (!scale_out_) return out;
  const auto& tree = scale_out_->fat_tree;
  const auto& net = scale_out_->interconnect;
  if (scale_out_->dragonfly) {
    append_dragonfly_tiers(out);
  } else if (!tree) {
    out.push_back({"switch", net ? net->buildings : 1, accelerators});
  } else {
    append_tree_tiers(out);
  }
  if (net) {
    out.push_back({"building", net->buildings, net->buildings});
    if (net->sites > 1) out.push_back({"site", net->sites, net->sites});
  }
  return out;
}

// Physical switch counts: every building has its own tree; uplink ports follow from the radix and
// the oversubscription of each tier. With several planes, each plane is such a tree.
void Topology::append_tree_tiers(std::vector<TierCount>& out) const {
  const size_t first = out.size();
  append_plane_tiers(out);
  for (size_t i = first; i < out.size(); ++i) {
    out[i].switches *= scale_out_->fat_tree->planes;
    out[i].cables *= scale_out_->fat_tree->planes;
  }
}

void Topology::append_plane_tiers(std::vector<TierCount>& out) const {
  const auto& tree = scale_out_->fat_tree;
  const int64_t buildings = scale_out_->interconnect ? scale_out_->interconnect->buildings : 1;
  const int64_t leaves = physical_leaves();
  const int64_t leaf_up_ports =
      tree->switch_radix - down_ports(tree->switch_radix, tree->oversubscription[0]);
  out.push_back({"leaf", leaves, accelerator_count()});
  const int64_t spine_cables = leaves * leaf_up_ports;
  if (tree->tiers == 2) {
    out.push_back({"spine", buildings * ceil_div(spine_cables / buildings, tree->switch_radix),
                   spine_cables});
    return;
  }
  const int64_t spine_down = down_ports(tree->switch_radix, tree->oversubscription[1]);
  const int64_t leaves_per_pod =
      int64_t{tree->scalable_units_per_pod} * (tree->rail_optimized ? per_node_ : 1);
  const int64_t spines_per_pod = ceil_div(leaves_per_pod * leaf_up_ports, spine_down);
  const int64_t core_cables = pods() * spines_per_pod * (tree->switch_radix - spine_down);
  out.push_back({"spine", pods() * spines_per_pod, spine_cables});
  out.push_back(
      {"core", buildings * ceil_div(core_cables / buildings, tree->switch_radix), core_cables});
}

}  // namespace gwsim::platform
