#include "sim/config/build_scenario.h"
#include "sim/config/build_chakra_job.h"
#include "sim/config/build_facility.h"
#include "sim/config/build_job_stream.h"

#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "sim/config/catalog.h"
#include "sim/config/field_check.h"
#include "sim/config/model_catalog.h"
#include "sim/core/quantity_parse.h"

namespace gwsim::config::detail {
namespace {

// Range and presence checks with errors located at the field that holds the value; paths are
// whole ("platform.nodes").
using Checker = FieldCheck;

AcceleratorSpec build_accelerator(const pb::Accelerator& m, const Checker& check,
                                  const std::string& path) {
  AcceleratorSpec spec;
  spec.name = m.name();
  check.require(!spec.name.empty(), path + ".name", "a name such as \"H100-SXM\"");
  const std::string rate_path = path + ".peak_flop_rate";
  spec.peak_flop_rate = check.positive(
      check.quantity<FlopsPerSecond>(m.peak_flop_rate(), Dimension::kFlopRate, rate_path),
      rate_path, m.peak_flop_rate());
  const std::string idle_path = path + ".idle_power";
  spec.idle_power =
      check.non_negative(check.quantity<Watts>(m.idle_power(), Dimension::kPower, idle_path),
                         idle_path, m.idle_power());
  const std::string peak_path = path + ".peak_power";
  spec.peak_power = check.quantity<Watts>(m.peak_power(), Dimension::kPower, peak_path);
  if (spec.peak_power < spec.idle_power) {
    check.fail(peak_path,
               "must be >= idle_power (" + m.idle_power() + "), got \"" + m.peak_power() + "\"");
  }
  return spec;
}

LinkSpec build_link(const std::string& bandwidth, const std::string& latency, const Checker& check,
                    const std::string& bandwidth_path, const std::string& latency_path) {
  LinkSpec link;
  link.bandwidth = check.positive(
      check.quantity<BytesPerSecond>(bandwidth, Dimension::kBandwidth, bandwidth_path),
      bandwidth_path, bandwidth);
  link.latency = check.non_negative(
      check.quantity<Seconds>(latency, Dimension::kDuration, latency_path), latency_path, latency);
  return link;
}

ScaleUpSpec build_scale_up(const pb::ScaleUp& m, int accelerators_per_node, const Checker& check) {
  const std::string path = "platform.scale_up";
  const LinkSpec link = build_link(m.link_bandwidth(), m.link_latency(), check,
                                   path + ".link_bandwidth", path + ".link_latency");
  ScaleUpSpec spec{ScaleUpKind::kSwitch, link.bandwidth, link.latency, {}};
  if (m.kind() == pb::ScaleUp::TORUS) {
    spec.kind = ScaleUpKind::kTorus;
    if (m.torus_dims().empty() || m.torus_dims().size() > 3) {
      check.fail(path + ".torus_dims",
                 "required for a torus: expected 1 to 3 dimension sizes such as [4, 4]");
    }
    int64_t product = 1;
    for (uint32_t d : m.torus_dims()) {
      if (d < 2)
        check.fail(path + ".torus_dims", "every dimension must be >= 2, got " + std::to_string(d));
      product *= d;
      spec.torus_dims.push_back(static_cast<int>(d));
    }
    if (product != accelerators_per_node) {
      check.fail(path + ".torus_dims", "the dimensions multiply to " + std::to_string(product) +
                                           " but accelerators_per_node is " +
                                           std::to_string(accelerators_per_node));
    }
  } else if (!m.torus_dims().empty()) {
    check.fail(path + ".torus_dims", "only a torus has dimensions; set kind: torus or remove them");
  }
  if (m.in_network_reduction() && spec.kind != ScaleUpKind::kSwitch)
    check.fail(path + ".in_network_reduction", "only a switch reduces in the network");
  spec.in_network_reduction = m.in_network_reduction();
  return spec;
}

// `nodes` is the number of nodes under one tree: the whole machine, or one building.
FatTreeSpec build_fat_tree(const pb::FatTree& m, const PlatformSpec& platform, int nodes,
                           const Checker& check) {
  const std::string path = "platform.scale_out.fat_tree";
  FatTreeSpec spec;
  check.require(m.has_tiers(), path + ".tiers", "2 or 3");
  if (m.tiers() != 2 && m.tiers() != 3)
    check.fail(path + ".tiers", "must be 2 or 3, got " + std::to_string(m.tiers()));
  spec.tiers = static_cast<int>(m.tiers());
  check.require(m.has_scalable_unit(), path + ".scalable_unit",
                "the number of nodes per scalable unit, such as 32");
  if (m.scalable_unit() < 1) check.fail(path + ".scalable_unit", "must be >= 1, got 0");
  spec.scalable_unit = static_cast<int>(m.scalable_unit());
  check.require(m.has_switch_radix(), path + ".switch_radix", "the ports per switch, such as 64");
  if (m.switch_radix() < 2) {
    check.fail(path + ".switch_radix", "must be >= 2, got " + std::to_string(m.switch_radix()));
  }
  spec.switch_radix = static_cast<int>(m.switch_radix());
  if (spec.tiers == 3) {
    check.require(m.has_scalable_units_per_pod(), path + ".scalable_units_per_pod",
                  "the scalable units per pod of a 3-tier tree, such as 16");
    if (m.scalable_units_per_pod() < 1)
      check.fail(path + ".scalable_units_per_pod", "must be >= 1, got 0");
    spec.scalable_units_per_pod = static_cast<int>(m.scalable_units_per_pod());
  } else if (m.has_scalable_units_per_pod()) {
    check.fail(path + ".scalable_units_per_pod", "only a 3-tier tree has pods");
  }
  if (m.oversubscription().empty()) {
    spec.oversubscription.assign(static_cast<size_t>(spec.tiers - 1), 1.0);
  } else {
    if (m.oversubscription().size() != spec.tiers - 1) {
      check.fail(path + ".oversubscription", "expected " + std::to_string(spec.tiers - 1) +
                                                 " ratio(s), one per tier above the leaves, got " +
                                                 std::to_string(m.oversubscription().size()));
    }
    for (double ratio : m.oversubscription()) {
      if (!(ratio >= 1.0))
        check.fail(path + ".oversubscription",
                   "every ratio must be >= 1, got " + number_text(ratio));
      spec.oversubscription.push_back(ratio);
    }
  }
  spec.rail_optimized = !m.has_rail_optimized() || m.rail_optimized();
  // Each plane is its own tree of the same radix, so the port checks below hold plane by plane.
  if (m.has_planes()) {
    if (m.planes() < 1) check.fail(path + ".planes", "must be >= 1, got 0");
    spec.planes = static_cast<int>(m.planes());
  }
  // A leaf splits its ports down:up as oversubscription:1; the SU's links to one leaf must fit its
  // down ports.
  const double r = spec.oversubscription[0];
  const int down_ports = static_cast<int>(std::floor(spec.switch_radix * r / (1.0 + r)));
  const int per_leaf =
      spec.scalable_unit * (spec.rail_optimized ? 1 : platform.accelerators_per_node);
  if (per_leaf > down_ports) {
    check.fail(path + ".scalable_unit", "a leaf of " + std::to_string(spec.switch_radix) +
                                            " ports at oversubscription " + number_text(r) +
                                            " has " + std::to_string(down_ports) +
                                            " ports down, but a scalable unit needs " +
                                            std::to_string(per_leaf) + " per leaf");
  }
  // Each spine reaches each leaf below it (and each core each pod) through one of its ports, which
  // bounds the tree's width.
  const int64_t units = (nodes + spec.scalable_unit - 1) / spec.scalable_unit;
  const int64_t leaves_per_unit = spec.rail_optimized ? platform.accelerators_per_node : 1;
  if (spec.tiers == 2 && units * leaves_per_unit > spec.switch_radix) {
    check.fail(path + ".tiers",
               "a 2-tier tree of " + std::to_string(spec.switch_radix) +
                   "-port switches joins at most " + std::to_string(spec.switch_radix) +
                   " leaves, but this one has " + std::to_string(units * leaves_per_unit) +
                   "; use 3 tiers or larger switches");
  }
  if (spec.tiers == 3) {
    const double r2 = spec.oversubscription[1];
    const int spine_down = static_cast<int>(std::floor(spec.switch_radix * r2 / (1.0 + r2)));
    const int64_t leaves_per_pod = spec.scalable_units_per_pod * leaves_per_unit;
    const int64_t pods = (units + spec.scalable_units_per_pod - 1) / spec.scalable_units_per_pod;
    if (leaves_per_pod > spine_down) {
      check.fail(path + ".scalable_units_per_pod", "a pod has " + std::to_string(leaves_per_pod) +
                                                       " leaves but a spine has " +
                                                       std::to_string(spine_down) + " ports down");
    }
    if (pods > spec.switch_radix) {
      check.fail(path + ".scalable_units_per_pod",
                 "the tree has " + std::to_string(pods) + " pods but a core switch joins at most " +
                     std::to_string(spec.switch_radix) + "; use larger pods or larger switches");
    }
  }
  return spec;
}

InterconnectSpec build_interconnect(const pb::Interconnect& m, const PlatformSpec& platform,
                                    const Checker& check) {
  const std::string path = "platform.scale_out.interconnect";
  InterconnectSpec spec;
  check.require(m.has_buildings(), path + ".buildings", "a whole number >= 1 that divides nodes");
  if (m.buildings() < 1 || platform.nodes % static_cast<int64_t>(m.buildings()) != 0) {
    check.fail(path + ".buildings", "must be >= 1 and divide nodes (" +
                                        std::to_string(platform.nodes) + "), got " +
                                        std::to_string(m.buildings()));
  }
  spec.buildings = static_cast<int>(m.buildings());
  const LinkSpec building = build_link(m.building_bandwidth(), m.building_latency(), check,
                                       path + ".building_bandwidth", path + ".building_latency");
  spec.building_bandwidth = building.bandwidth;
  spec.building_latency = building.latency;
  if (m.has_sites()) {
    if (m.sites() < 1 || m.buildings() % m.sites() != 0) {
      check.fail(path + ".sites", "must be >= 1 and divide buildings (" +
                                      std::to_string(m.buildings()) + "), got " +
                                      std::to_string(m.sites()));
    }
    spec.sites = static_cast<int>(m.sites());
  }
  if (spec.sites > 1) {
    const LinkSpec site = build_link(m.site_bandwidth(), m.site_latency(), check,
                                     path + ".site_bandwidth", path + ".site_latency");
    spec.site_bandwidth = site.bandwidth;
    spec.site_latency = site.latency;
  } else if (!m.site_bandwidth().empty() || !m.site_latency().empty()) {
    check.fail(path + ".site_bandwidth",
               "only machines of several sites have site links; set sites or remove them");
  }
  return spec;
}

// A whole number field of the dragonfly that must be present and >= 1.
int dragonfly_count(bool present, uint32_t value, const std::string& field,
                    const std::string& expected, const Checker& check) {
  const std::string path = "platform.scale_out.dragonfly." + field;
  check.require(present, path, expected);
  if (value < 1) check.fail(path, "must be >= 1, got 0");
  return static_cast<int>(value);
}

DragonflySpec build_dragonfly(const pb::Dragonfly& m, const PlatformSpec& platform,
                              const Checker& check) {
  const std::string path = "platform.scale_out.dragonfly";
  DragonflySpec spec;
  spec.groups = dragonfly_count(m.has_groups(), m.groups(), "groups",
                                "the number of groups, such as 74", check);
  spec.routers_per_group =
      dragonfly_count(m.has_routers_per_group(), m.routers_per_group(), "routers_per_group",
                      "the routers of a group, such as 32", check);
  spec.nic_ports =
      dragonfly_count(m.has_nic_ports_per_router(), m.nic_ports_per_router(),
                      "nic_ports_per_router", "the NIC ports of a router, such as 16", check);
  spec.global_ports =
      dragonfly_count(m.has_global_ports_per_router(), m.global_ports_per_router(),
                      "global_ports_per_router", "the global ports of a router, such as 16", check);
  for (auto [text, field, out] :
       {std::tuple{&m.local_bandwidth(), ".local_bandwidth", &spec.local_bandwidth},
        std::tuple{&m.global_bandwidth(), ".global_bandwidth", &spec.global_bandwidth}}) {
    *out =
        check.positive(check.quantity<BytesPerSecond>(*text, Dimension::kBandwidth, path + field),
                       path + field, *text);
  }
  const int64_t global_ports = static_cast<int64_t>(spec.routers_per_group) * spec.global_ports;
  if (spec.groups - 1 > global_ports) {
    check.fail(path + ".groups",
               "a group has " + std::to_string(global_ports) +
                   " global ports (routers_per_group x global_ports_per_router), so at most " +
                   std::to_string(global_ports + 1) + " groups can all be joined, got " +
                   std::to_string(spec.groups));
  }
  if (m.has_links_per_group_pair()) {
    spec.links_per_group_pair =
        dragonfly_count(true, m.links_per_group_pair(), "links_per_group_pair", "", check);
    if (static_cast<int64_t>(spec.links_per_group_pair) * (spec.groups - 1) > global_ports) {
      check.fail(path + ".links_per_group_pair",
                 std::to_string(spec.links_per_group_pair) + " links to each of the " +
                     std::to_string(spec.groups - 1) + " other groups need more than the " +
                     std::to_string(global_ports) + " global ports of a group");
    }
  }
  if (m.has_router_radix()) {
    const int64_t used =
        static_cast<int64_t>(spec.nic_ports) + spec.routers_per_group - 1 + spec.global_ports;
    if (used > m.router_radix()) {
      check.fail(path + ".router_radix",
                 "a router needs " + std::to_string(used) +
                     " ports (NIC + routers_per_group - 1 local + global), got " +
                     std::to_string(m.router_radix()));
    }
  }
  // Every local link and every bundle of global links is a SimGrid link: bound them as nodes are
  // bound.
  constexpr int64_t kMaxLinks = int64_t{1} << 26;
  const int64_t local_links =
      int64_t{spec.groups} * spec.routers_per_group * (spec.routers_per_group - 1);
  if (local_links > kMaxLinks || int64_t{spec.groups} * (spec.groups - 1) > kMaxLinks) {
    check.fail(
        path + ".routers_per_group",
        "groups * routers_per_group^2 and groups^2 must each be <= " + std::to_string(kMaxLinks) +
            " (one simulated link per local link and per pair of groups)");
  }
  // Every accelerator's NIC takes one router port; the last group may be partly filled, none empty.
  const int64_t nics = static_cast<int64_t>(platform.nodes) * platform.accelerators_per_node;
  const int64_t per_group = static_cast<int64_t>(spec.routers_per_group) * spec.nic_ports;
  if (nics > spec.groups * per_group) {
    check.fail(path + ".groups", std::to_string(spec.groups) + " groups have " +
                                     std::to_string(spec.groups * per_group) +
                                     " NIC ports but there are " + std::to_string(nics) +
                                     " accelerators (one NIC each)");
  }
  if (nics <= (spec.groups - 1) * per_group) {
    check.fail(path + ".groups", "the " + std::to_string(nics) + " NICs fill only " +
                                     std::to_string((nics + per_group - 1) / per_group) + " of " +
                                     std::to_string(spec.groups) + " groups of " +
                                     std::to_string(per_group) + " ports; no group may be empty");
  }
  return spec;
}

ScaleOutSpec build_scale_out(const pb::ScaleOut& m, const PlatformSpec& platform,
                             std::optional<BytesPerSecond> catalog_nic, const Checker& check) {
  const std::string path = "platform.scale_out";
  // A catalog accelerator's own NIC bandwidth is the default for nic_bandwidth.
  std::string nic = m.nic_bandwidth();
  char buf[40];
  if (nic.empty() && catalog_nic) {
    std::snprintf(buf, sizeof buf, "%.17gB/s", catalog_nic->value());
    nic = buf;
  }
  const LinkSpec link =
      build_link(nic, m.link_latency(), check, path + ".nic_bandwidth", path + ".link_latency");
  ScaleOutSpec spec{ScaleOutKind::kSingleSwitch, link.bandwidth, link.latency, std::nullopt,
                    std::nullopt};
  int nodes_per_fabric = platform.nodes;
  if (m.has_interconnect()) {
    spec.interconnect = build_interconnect(m.interconnect(), platform, check);
    nodes_per_fabric = platform.nodes / spec.interconnect->buildings;
  }
  if (m.kind() == pb::ScaleOut::FAT_TREE) {
    spec.kind = ScaleOutKind::kFatTree;
    check.require(m.has_fat_tree(), path + ".fat_tree",
                  "a mapping with tiers, scalable_unit and switch_radix");
    spec.fat_tree = build_fat_tree(m.fat_tree(), platform, nodes_per_fabric, check);
    // Trees do not straddle buildings: each holds whole scalable units, and whole pods with 3
    // tiers.
    const int64_t block = static_cast<int64_t>(spec.fat_tree->scalable_unit) *
                          (spec.fat_tree->tiers == 3 ? spec.fat_tree->scalable_units_per_pod : 1);
    if (spec.interconnect && nodes_per_fabric % block != 0) {
      check.fail(path + ".interconnect.buildings",
                 "a building holds " + std::to_string(nodes_per_fabric) +
                     " nodes, not a whole number of " +
                     (spec.fat_tree->tiers == 3 ? "pods (" : "scalable units (") +
                     std::to_string(block) + " nodes)");
    }
  } else if (m.has_fat_tree()) {
    check.fail(path + ".fat_tree",
               "only a fat_tree fabric has this; set kind: fat_tree or remove it");
  }
  if (m.kind() == pb::ScaleOut::DRAGONFLY) {
    spec.kind = ScaleOutKind::kDragonfly;
    check.require(
        m.has_dragonfly(), path + ".dragonfly",
        "a mapping with groups, routers_per_group, nic_ports_per_router, global_ports_per_router, "
        "local_bandwidth and global_bandwidth");
    if (spec.interconnect) {
      check.fail(path + ".interconnect",
                 "not available with a dragonfly: its global links join the groups");
    }
    spec.dragonfly = build_dragonfly(m.dragonfly(), platform, check);
  } else if (m.has_dragonfly()) {
    check.fail(path + ".dragonfly",
               "only a dragonfly fabric has this; set kind: dragonfly or remove it");
  }
  spec.in_network_reduction = m.in_network_reduction();
  return spec;
}

PlatformSpec build_platform(const pb::Scenario& scenario, const Checker& check) {
  check.require(scenario.has_platform(), "platform",
                "a mapping with accelerator, nodes, accelerators_per_node");
  const pb::Platform& m = scenario.platform();
  PlatformSpec spec;
  spec.resolution = m.resolution() == pb::Platform::DOMAIN ? Resolution::kDomain
                    : m.resolution() == pb::Platform::JOB  ? Resolution::kJob
                                                           : Resolution::kAccelerator;

  // A catalog domain brings its accelerator, its size and its scale-up fabric; none may be written
  // again.
  std::optional<CatalogDomain> domain;
  if (!m.domain_id().empty()) {
    domain = load_catalog_domain(m.domain_id(), check.locate("platform.domain_id"),
                                 "platform.domain_id");
    for (const auto& [given, field] :
         {std::pair{m.has_accelerator(), "accelerator"},
          std::pair{!m.accelerator_id().empty(), "accelerator_id"},
          std::pair{m.has_accelerators_per_node(), "accelerators_per_node"},
          std::pair{m.has_scale_up(), "scale_up"}}) {
      if (given) {
        check.fail(std::string("platform.") + field, "comes from the domain \"" + m.domain_id() +
                                                         "\" (platform.domain_id); remove it here");
      }
    }
    spec.domain_id = domain->id;
    spec.node_overhead_power = domain->overhead_power;
  }
  const std::string accelerator_id = domain ? domain->accelerator : m.accelerator_id();
  std::optional<BytesPerSecond> catalog_nic;
  if (!accelerator_id.empty()) {
    if (m.has_accelerator())
      check.fail("platform.accelerator", "give accelerator or accelerator_id, not both");
    const std::string field = domain ? "platform.domain_id" : "platform.accelerator_id";
    const CatalogAccelerator a =
        load_catalog_accelerator(accelerator_id, check.locate(field), field);
    static const char* kPrecisions[] = {"", "bf16", "fp8", "fp4"};
    spec.precision =
        kPrecisions[m.precision() == pb::Platform::PRECISION_UNSPECIFIED ? 1 : m.precision()];
    const auto rate = a.peak_flop_rate.find(spec.precision);
    if (rate == a.peak_flop_rate.end()) {
      check.fail("platform.precision",
                 a.name + " has no " + spec.precision + " rate in the catalog");
    }
    spec.accelerator = {a.name, rate->second, a.idle_power, a.peak_power};
    spec.accelerator_id = a.id;
    spec.peak_flop_rates = a.peak_flop_rate;
    catalog_nic = a.scale_out_bandwidth;
  } else {
    if (m.precision() != pb::Platform::PRECISION_UNSPECIFIED) {
      check.fail("platform.precision",
                 "applies to catalog accelerators only; an inline accelerator states its rate");
    }
    check.require(m.has_accelerator(), "platform.accelerator",
                  "a mapping with name, peak_flop_rate, idle_power, peak_power (or accelerator_id "
                  "or domain_id)");
    spec.accelerator = build_accelerator(m.accelerator(), check, "platform.accelerator");
  }
  if (domain) {
    spec.accelerators_per_node = domain->accelerators;
    spec.scale_up = domain->scale_up;
  }

  check.require(m.has_nodes(), "platform.nodes", "a whole number >= 1");
  if (m.nodes() < 1) check.fail("platform.nodes", "must be >= 1, got " + std::to_string(m.nodes()));
  spec.nodes = static_cast<int>(m.nodes());
  if (!domain) {
    check.require(m.has_accelerators_per_node(), "platform.accelerators_per_node",
                  "a whole number >= 1");
    if (m.accelerators_per_node() < 1) {
      check.fail("platform.accelerators_per_node",
                 "must be >= 1, got " + std::to_string(m.accelerators_per_node()));
    }
    spec.accelerators_per_node = static_cast<int>(m.accelerators_per_node());
  }
  constexpr int64_t kMaxAccelerators = 1 << 24;
  if (static_cast<int64_t>(spec.nodes) * spec.accelerators_per_node > kMaxAccelerators) {
    check.fail("platform.nodes",
               "nodes * accelerators_per_node must be <= " + std::to_string(kMaxAccelerators));
  }

  // A fabric that is described is built even where nothing uses it (one node, one accelerator per
  // node), so that no field of the file is ever ignored.
  if (m.has_scale_up()) {
    spec.scale_up = build_scale_up(m.scale_up(), spec.accelerators_per_node, check);
  } else if (spec.accelerators_per_node > 1 && !spec.scale_up) {
    check.fail("platform.scale_up",
               "required: expected a mapping with link_bandwidth and link_latency (nodes have " +
                   std::to_string(spec.accelerators_per_node) + " accelerators)");
  }
  const std::string collectives = m.collectives().empty() ? "nccl" : m.collectives();
  spec.collectives = load_catalog_collectives(
      collectives, check.locate(m.collectives().empty() ? "platform" : "platform.collectives"),
      "platform.collectives");
  if (m.has_scale_out()) {
    spec.scale_out = build_scale_out(m.scale_out(), spec, catalog_nic, check);
  } else if (spec.nodes > 1) {
    check.fail("platform.scale_out",
               "required: expected a mapping with nic_bandwidth and link_latency (there are " +
                   std::to_string(spec.nodes) + " nodes)");
  }
  return spec;
}

DataParallelJobSpec build_data_parallel(const pb::DataParallelJob& m, const Checker& check,
                                        const std::string& path, int first_free,
                                        int accelerator_count) {
  DataParallelJobSpec spec;
  spec.first_accelerator = first_free;
  const int free = accelerator_count - first_free;
  if (m.has_ranks()) {
    if (m.ranks() < 1 || static_cast<int64_t>(m.ranks()) > free) {
      check.fail(path + ".ranks", "must be between 1 and the " + std::to_string(free) +
                                      " accelerators not taken by earlier jobs, got " +
                                      std::to_string(m.ranks()));
    }
    spec.ranks = static_cast<int>(m.ranks());
  } else {
    if (free < 1)
      check.fail(path, "no accelerator is left for this job: earlier jobs take all " +
                           std::to_string(accelerator_count));
    spec.ranks = free;
  }
  check.require(m.has_steps(), path + ".steps", "a whole number >= 1");
  if (m.steps() < 1) check.fail(path + ".steps", "must be >= 1, got " + std::to_string(m.steps()));
  spec.steps = static_cast<int>(m.steps());

  check.require(m.has_parameters(), path + ".parameters", "a number of parameters such as 1.5e9");
  if (!(m.parameters() > 0))
    check.fail(path + ".parameters", "must be > 0, got " + number_text(m.parameters()));
  spec.parameters = m.parameters();
  check.require(m.has_tokens_per_step(), path + ".tokens_per_step",
                "a number of tokens such as 524288");
  if (!(m.tokens_per_step() > 0)) {
    check.fail(path + ".tokens_per_step", "must be > 0, got " + number_text(m.tokens_per_step()));
  }
  spec.tokens_per_step = m.tokens_per_step();
  if (m.has_gradient_bytes_per_parameter()) {
    if (m.gradient_bytes_per_parameter() < 1 || m.gradient_bytes_per_parameter() > 8) {
      check.fail(
          path + ".gradient_bytes_per_parameter",
          "must be between 1 and 8, got " + std::to_string(m.gradient_bytes_per_parameter()));
    }
    spec.gradient_bytes_per_parameter = static_cast<int>(m.gradient_bytes_per_parameter());
  }
  check.require(m.has_compute_efficiency(), path + ".compute_efficiency",
                "a fraction of peak in (0, 1] such as 0.5");
  if (!(m.compute_efficiency() > 0 && m.compute_efficiency() <= 1)) {
    check.fail(path + ".compute_efficiency",
               "must be in (0, 1], got " + number_text(m.compute_efficiency()));
  }
  spec.compute_efficiency = m.compute_efficiency();
  if (m.has_compute_jitter_cv()) {
    if (!(m.compute_jitter_cv() >= 0)) {
      check.fail(path + ".compute_jitter_cv",
                 "must be >= 0, got " + number_text(m.compute_jitter_cv()));
    }
    spec.compute_jitter_cv = m.compute_jitter_cv();
  }
  const std::string start_path = path + ".start_time";
  spec.start_time = check.non_negative(
      check.optional_quantity<Seconds>(m.start_time(), Dimension::kDuration, start_path)
          .value_or(Seconds(0)),
      start_path, m.start_time());
  switch (m.collective_fidelity()) {
    case pb::DataParallelJob::STEP:
      spec.collective_fidelity = CollectiveFidelity::kStep;
      break;
    case pb::DataParallelJob::FLUID:
      spec.collective_fidelity = CollectiveFidelity::kFluid;
      break;
    default:  // as `gwsim collective`: step is affordable up to a few hundred ranks
      spec.collective_fidelity =
          spec.ranks <= 256 ? CollectiveFidelity::kStep : CollectiveFidelity::kFluid;
  }
  spec.algorithm_path = path + ".algorithm";
  spec.algorithm_at = check.locate(spec.algorithm_path);
  if (!m.algorithm().empty()) spec.algorithm = m.algorithm();
  return spec;
}

TransformerJobSpec build_transformer(const pb::TransformerJob& m, const Checker& check,
                                     const std::string& path, int first_free,
                                     int accelerator_count) {
  TransformerJobSpec spec;
  spec.first_accelerator = first_free;
  check.require(!m.model().empty(), path + ".model", "a model id such as \"llama3-70b\"");
  spec.model_id = m.model();
  spec.model = load_model(m.model(), check.locate(path + ".model"), path + ".model");
  check.require(m.has_layout(), path + ".layout",
                "a mapping with tp, pp, dp, micro_batch and global_batch");
  const pb::Layout& l = m.layout();
  const std::string lp = path + ".layout";
  spec.layout_path = lp;
  spec.layout_at = check.locate(lp);
  auto count = [&](bool present, uint32_t value, const std::string& field, bool required) {
    if (!present) {
      if (required) check.require(false, lp + "." + field, "a whole number >= 1");
      return 1;
    }
    if (value < 1) check.fail(lp + "." + field, "must be >= 1, got " + std::to_string(value));
    return static_cast<int>(value);
  };
  ParallelLayout& layout = spec.layout;
  layout.tp = count(l.has_tp(), l.tp(), "tp", true);
  layout.pp = count(l.has_pp(), l.pp(), "pp", true);
  layout.dp = count(l.has_dp(), l.dp(), "dp", true);
  layout.cp = count(l.has_cp(), l.cp(), "cp", false);
  layout.ep = count(l.has_ep(), l.ep(), "ep", false);
  layout.micro_batch = count(l.has_micro_batch(), l.micro_batch(), "micro_batch", true);
  layout.global_batch = count(l.has_global_batch(), l.global_batch(), "global_batch", true);
  if (l.has_seq_len()) layout.seq_len = count(true, l.seq_len(), "seq_len", true);
  layout.virtual_stages =
      count(l.has_virtual_stages(), l.virtual_stages(), "virtual_stages", false);
  layout.sequence_parallel = l.sequence_parallel();
  layout.grad_reduce_in_fp32 = l.grad_reduce_in_fp32();
  if (!l.rank_order().empty()) {
    const auto order = parse_rank_order(l.rank_order());
    if (!order)
      check.fail(lp + ".rank_order",
                 std::string(kRankOrderExpected) + ", got \"" + l.rank_order() + "\"");
    layout.rank_order = *order;
  }
  const std::map<std::string, Recompute> recompute = {{"", Recompute::kNone},
                                                      {"none", Recompute::kNone},
                                                      {"selective", Recompute::kSelective},
                                                      {"full", Recompute::kFull}};
  if (!recompute.count(l.recompute()))
    check.fail(lp + ".recompute",
               "expected none, selective or full, got \"" + l.recompute() + "\"");
  layout.recompute = recompute.at(l.recompute());
  const std::map<std::string, Sharding> sharding = {
      {"", Sharding::kZero0},      {"none", Sharding::kZero0},  {"zero1", Sharding::kZero1},
      {"zero2", Sharding::kZero2}, {"zero3", Sharding::kZero3}, {"fsdp", Sharding::kFsdp}};
  if (!sharding.count(l.sharding()))
    check.fail(lp + ".sharding",
               "expected none, zero1, zero2, zero3 or fsdp, got \"" + l.sharding() + "\"");
  layout.sharding = sharding.at(l.sharding());
  const std::map<std::string, PipelineSchedule> schedules = {
      {"gpipe", PipelineSchedule::kGpipe},
      {"1f1b", PipelineSchedule::kOneFOneB},
      {"interleaved", PipelineSchedule::kInterleaved}};
  if (!l.schedule().empty()) {
    if (!schedules.count(l.schedule()))
      check.fail(lp + ".schedule",
                 "expected gpipe, 1f1b or interleaved, got \"" + l.schedule() + "\"");
    spec.schedule = schedules.at(l.schedule());
  }
  const int64_t free = accelerator_count - first_free;
  if (layout.world() > free) {
    check.fail(lp, "tp * pp * dp * cp = " + std::to_string(layout.world()) + " ranks, but only " +
                       std::to_string(free) + " accelerators are free");
  }
  check.require(m.has_steps(), path + ".steps", "a whole number >= 1");
  if (m.steps() < 1) check.fail(path + ".steps", "must be >= 1, got " + std::to_string(m.steps()));
  spec.steps = static_cast<int>(m.steps());
  const std::string start_path = path + ".start_time";
  spec.start_time = check.non_negative(
      check.optional_quantity<Seconds>(m.start_time(), Dimension::kDuration, start_path)
          .value_or(Seconds(0)),
      start_path, m.start_time());
  spec.overlap_grad_reduce = !m.has_overlap_grad_reduce() || m.overlap_grad_reduce();
  spec.overlap_param_gather = !m.has_overlap_param_gather() || m.overlap_param_gather();
  spec.overlap_tp_comm = m.overlap_tp_comm();
  if (spec.overlap_tp_comm && layout.tp > 1 && !layout.sequence_parallel) {
    check.fail(path + ".overlap_tp_comm",
               "overlaps the all-gathers and reduce-scatters of sequence parallelism: set " + lp +
                   ".sequence_parallel to true, or this to false");
  }
  spec.overlap_tp_backward = m.overlap_tp_backward();
  spec.symmetric_ranks = !m.has_symmetric_ranks() || m.symmetric_ranks();
  spec.inline_blocking_collectives =
      !m.has_inline_blocking_collectives() || m.inline_blocking_collectives();
  spec.fused_attention = !m.has_fused_attention() || m.fused_attention();
  spec.collective_fidelity = m.collective_fidelity() == pb::DataParallelJob::STEP
                                 ? CollectiveFidelity::kStep
                                 : CollectiveFidelity::kFluid;
  return spec;
}

std::vector<JobSpec> build_jobs(const pb::Scenario& scenario, const PlatformSpec& platform,
                                const Checker& check) {
  check.require(scenario.has_workload(), "workload", "a mapping with jobs");
  const auto& jobs = scenario.workload().jobs();
  check.require(!jobs.empty(), "workload.jobs", "a list of at least one job");
  std::vector<JobSpec> specs;
  std::set<std::string> names;
  int first_free = 0;
  for (int i = 0; i < jobs.size(); ++i) {
    const pb::Job& m = jobs[i];
    const std::string path = "workload.jobs[" + std::to_string(i) + "]";
    check.require(!m.name().empty(), path + ".name", "a job name");
    if (!names.insert(m.name()).second)
      check.fail(path + ".name", "another job is named \"" + m.name() + "\"");
    switch (m.kind_case()) {
      case pb::Job::kDataParallel: {
        DataParallelJobSpec dp =
            build_data_parallel(m.data_parallel(), check, path + ".data_parallel", first_free,
                                platform.accelerator_count());
        first_free += dp.ranks;
        specs.push_back(JobSpec{m.name(), dp});
        break;
      }
      case pb::Job::kTransformer: {
        TransformerJobSpec t = build_transformer(m.transformer(), check, path + ".transformer",
                                                 first_free, platform.accelerator_count());
        first_free += t.ranks();
        specs.push_back(JobSpec{m.name(), t});
        break;
      }
      case pb::Job::kChakra: {
        ChakraJobSpec c = build_chakra_job(m.chakra(), check.sources(), path + ".chakra", m.name(),
                                           first_free, platform.accelerator_count());
        first_free += c.ranks;
        specs.push_back(JobSpec{m.name(), c});
        break;
      }
      case pb::Job::KIND_NOT_SET:
        check.fail(path, "required: one job kind such as data_parallel, transformer or chakra");
    }
  }
  return specs;
}

}  // namespace

RecordSpec build_record(const pb::Record& m, const Checker& check) {
  RecordSpec spec;
  spec.power_interval = check.optional_quantity<Seconds>(m.power_interval(), Dimension::kDuration,
                                                         "record.power_interval");
  if (spec.power_interval)
    check.positive(*spec.power_interval, "record.power_interval", m.power_interval());
  const auto start = check.optional_quantity<Seconds>(m.power_window_start(), Dimension::kDuration,
                                                      "record.power_window_start");
  spec.power_window_end = check.optional_quantity<Seconds>(
      m.power_window_end(), Dimension::kDuration, "record.power_window_end");
  if ((start || spec.power_window_end) && !spec.power_interval) {
    check.fail(start ? "record.power_window_start" : "record.power_window_end",
               "a window needs record.power_interval");
  }
  spec.power_window_start = check.non_negative(start.value_or(Seconds(0)),
                                               "record.power_window_start", m.power_window_start());
  if (spec.power_window_end && !(*spec.power_window_end > spec.power_window_start)) {
    check.fail("record.power_window_end",
               "must be after power_window_start, got \"" + m.power_window_end() + "\"");
  }
  return spec;
}

namespace {

// The power caps and their power-vs-speed curve (scenario.proto, message Power). Runs after the
// rest of the power section, whose communicating power and load curve it checks the cap against.
void build_power_caps(const pb::Power& m, const PlatformSpec& platform, const Checker& check,
                      bool envelope_capped, PowerSpec& spec) {
  if (auto cap = check.optional_quantity<Watts>(m.accelerator_power_cap(), Dimension::kPower,
                                                "power.accelerator_power_cap")) {
    spec.accelerator_power_cap =
        check.positive(*cap, "power.accelerator_power_cap", m.accelerator_power_cap());
  }
  if (auto cap = check.optional_quantity<Watts>(m.site_it_power_cap(), Dimension::kPower,
                                                "power.site_it_power_cap")) {
    spec.site_it_power_cap = check.positive(*cap, "power.site_it_power_cap", m.site_it_power_cap());
  }
  const bool capped = spec.accelerator_power_cap || spec.site_it_power_cap || envelope_capped;
  if (m.cap_curve_speed_size() != m.cap_curve_power_size()) {
    check.fail("power.cap_curve_power", "needs one power per cap_curve_speed point (" +
                                            std::to_string(m.cap_curve_speed_size()) + "), got " +
                                            std::to_string(m.cap_curve_power_size()));
  }
  if (!capped && m.cap_curve_speed_size() > 0) {
    check.fail("power.cap_curve_speed",
               "applies only with accelerator_power_cap or site_it_power_cap (or, at job "
               "resolution, a facility grid_limit or power_cap)");
  }
  if (!capped) return;
  const std::string cap_path = spec.accelerator_power_cap ? "power.accelerator_power_cap"
                               : spec.site_it_power_cap   ? "power.site_it_power_cap"
                                                          : "facility.envelope.grid_limit";
  if (m.cap_curve_speed_size() == 0) {
    check.fail(cap_path,
               "needs the power-vs-speed curve cap_curve_speed / cap_curve_power (docs/power.md)");
  }
  for (int i = 0; i < m.cap_curve_speed_size(); ++i) {
    const double speed = m.cap_curve_speed(i), power = m.cap_curve_power(i);
    if (!(speed > 0 && speed <= 1) || (i > 0 && !(speed > m.cap_curve_speed(i - 1)))) {
      check.fail("power.cap_curve_speed", "speeds must rise in (0, 1], got " + number_text(speed) +
                                              " at point " + std::to_string(i));
    }
    if (!(power >= 0 && power <= 1) || (i > 0 && !(power > m.cap_curve_power(i - 1)))) {
      check.fail("power.cap_curve_power", "powers must rise in [0, 1], got " + number_text(power) +
                                              " at point " + std::to_string(i));
    }
    spec.cap_curve_speed.push_back(speed);
    spec.cap_curve_power.push_back(power);
  }
  if (spec.cap_curve_speed.back() != 1 || spec.cap_curve_power.back() != 1) {
    check.fail("power.cap_curve_speed", "the curve must end at speed 1 and power 1");
  }
  if (!spec.accelerator_power_cap && !spec.site_it_power_cap) return;  // the envelope's cap only

  // The tighter of the accelerator's cap and its even share of the site's IT cap.
  std::string binding = "power.accelerator_power_cap";
  std::string got = "got \"" + m.accelerator_power_cap() + "\"";
  spec.effective_accelerator_cap = spec.accelerator_power_cap;
  if (spec.site_it_power_cap) {
    const Watts overheads = spec.node_overhead_power * static_cast<double>(platform.nodes);
    const Watts share =
        (*spec.site_it_power_cap - overheads) / static_cast<double>(platform.accelerator_count());
    if (!(share > Watts(0))) {
      check.fail("power.site_it_power_cap", "must exceed the node overheads (" +
                                                number_text(overheads.value()) + " W), got \"" +
                                                m.site_it_power_cap() + "\"");
    }
    // At job resolution the budget is split over the running accelerators only, and a job starts
    // only when the cap it leaves is feasible (docs/site.md): the even split is not the binding
    // figure.
    const bool even_split = platform.resolution != Resolution::kJob;
    if (even_split &&
        (!spec.effective_accelerator_cap || share < *spec.effective_accelerator_cap)) {
      spec.effective_accelerator_cap = share;
      binding = "power.site_it_power_cap";
      got = "got \"" + m.site_it_power_cap() + "\" (" + number_text(share.value()) +
            " W per accelerator after node overheads)";
    }
  }
  if (!spec.effective_accelerator_cap) return;  // job resolution with a site cap only
  const Watts cap = *spec.effective_accelerator_cap;
  if (cap < spec.communicating_power) {
    check.fail(binding, "must be >= power.communicating_power (" +
                            number_text(spec.communicating_power.value()) + " W), " + got);
  }
  // A compute-bound computation at full speed draws idle + (peak - idle) * curve(1); under the cap
  // it needs the curve to reach down to the cap.
  const Watts idle = platform.accelerator.idle_power;
  const double full_fraction = spec.curve_fraction.empty() ? 1.0 : spec.curve_fraction.back();
  const Watts full = idle + (platform.accelerator.peak_power - idle) * full_fraction;
  const Watts least = idle + (full - idle) * spec.cap_curve_power.front();
  if (cap < full && cap < least) {
    check.fail(binding, "is below the least power of the cap curve (" + number_text(least.value()) +
                            " W at speed " + number_text(spec.cap_curve_speed.front()) + "), " +
                            got);
  }
}

}  // namespace

PowerSpec build_power(const pb::Power& m, const PlatformSpec& platform, const Checker& check,
                      bool envelope_capped) {
  PowerSpec spec;
  spec.communicating_power = platform.accelerator.idle_power;
  if (auto p = check.optional_quantity<Watts>(m.communicating_power(), Dimension::kPower,
                                              "power.communicating_power")) {
    spec.communicating_power =
        check.non_negative(*p, "power.communicating_power", m.communicating_power());
    if (spec.communicating_power > platform.accelerator.peak_power) {
      check.fail("power.communicating_power", "must be <= the accelerator's peak power, got \"" +
                                                  m.communicating_power() + "\"");
    }
  }
  if (m.has_memory_bound_load()) {
    if (!(m.memory_bound_load() >= 0 && m.memory_bound_load() <= 1)) {
      check.fail("power.memory_bound_load",
                 "must be in [0, 1], got " + number_text(m.memory_bound_load()));
    }
    spec.memory_bound_load = m.memory_bound_load();
  }
  if (m.curve_load_size() != m.curve_fraction_size()) {
    check.fail("power.curve_fraction", "needs one fraction per curve_load point (" +
                                           std::to_string(m.curve_load_size()) + "), got " +
                                           std::to_string(m.curve_fraction_size()));
  }
  for (int i = 0; i < m.curve_load_size(); ++i) {
    const double load = m.curve_load(i), fraction = m.curve_fraction(i);
    if (!(load >= 0 && load <= 1) || (i > 0 && !(load > m.curve_load(i - 1)))) {
      check.fail("power.curve_load", "loads must rise from 0 to 1, got " + number_text(load) +
                                         " at point " + std::to_string(i));
    }
    if (!(fraction >= 0 && fraction <= 1)) {
      check.fail("power.curve_fraction",
                 "fractions must be in [0, 1], got " + number_text(fraction));
    }
    spec.curve_load.push_back(load);
    spec.curve_fraction.push_back(fraction);
  }
  if (!spec.curve_load.empty() && (spec.curve_load.front() != 0 || spec.curve_load.back() != 1)) {
    check.fail("power.curve_load", "the curve must start at load 0 and end at load 1");
  }
  spec.node_overhead_power = platform.node_overhead_power.value_or(Watts(0));
  if (auto p = check.optional_quantity<Watts>(m.node_overhead_power(), Dimension::kPower,
                                              "power.node_overhead_power")) {
    spec.node_overhead_power =
        check.non_negative(*p, "power.node_overhead_power", m.node_overhead_power());
  }
  build_power_caps(m, platform, check, envelope_capped, spec);
  return spec;
}

Scenario build_scenario(const pb::Scenario& message, const SourceMap& sources) {
  const Checker check(sources, "");
  Scenario scenario;
  scenario.name = message.name();
  check.require(!scenario.name.empty(), "name", "a scenario name");
  scenario.seed = message.has_seed() ? message.seed() : 1;
  scenario.platform = build_platform(message, check);
  if (scenario.platform.resolution == Resolution::kJob) {
    if (!message.workload().jobs().empty()) {
      check.fail("workload.jobs",
                 "not allowed at job resolution: jobs come from workload.job_stream");
    }
  } else {
    scenario.jobs = build_jobs(message, scenario.platform, check);
  }
  scenario.job_stream = build_job_stream(message, scenario.platform, sources);
  scenario.record = build_record(message.record(), check);
  // At job resolution the facility's grid limit and power cap throttle accelerators along the
  // power-vs-speed curve, which the power section then needs (docs/site.md).
  const pb::SiteEnvelope& envelope = message.facility().envelope();
  const bool envelope_capped = scenario.platform.resolution == Resolution::kJob &&
                               message.has_facility() &&
                               (!envelope.grid_limit().empty() || !envelope.power_cap().empty());
  scenario.power = build_power(message.power(), scenario.platform, check, envelope_capped);
  scenario.facility = build_facility(message, scenario, sources);
  return scenario;
}

}  // namespace gwsim::config::detail
