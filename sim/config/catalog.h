// The hardware catalog (platforms/): accelerators, scale-up domains and switches as typed entries.
//
// Entries are data files that users edit without recompiling (schema: catalog.proto; figures and
// sources: docs/catalog.md). An id names a file: accelerator "h100-sxm" is
// platforms/accelerators/h100-sxm.yaml. The catalog folder is the source tree's platforms/ unless
// the environment variable GWSIM_PLATFORMS_DIR names another.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/scenario.h"
#include "sim/core/error.h"
#include "sim/core/units.h"

namespace gwsim::config {

struct CatalogAccelerator {
  std::string id;
  std::string name;
  std::string vendor;
  bool provisional = false;
  std::map<std::string, FlopsPerSecond>
      peak_flop_rate;  // by precision: "bf16", "fp8", "fp4" (dense)
  std::optional<Bytes> hbm_capacity;
  std::optional<BytesPerSecond> hbm_bandwidth;
  std::optional<BytesPerSecond> scale_up_bandwidth;   // per direction
  std::optional<BytesPerSecond> scale_out_bandwidth;  // per direction
  Watts idle_power;
  Watts peak_power;
};

struct CatalogDomain {
  std::string id;
  std::string name;
  std::string accelerator;  // catalog id
  int accelerators = 0;
  ScaleUpSpec scale_up;  // kind, link bandwidth and latency, torus dimensions
  int switch_chips = 0;
  std::optional<Watts> overhead_power;  // everything but the accelerators, at full load
  bool provisional = false;
};

struct CatalogSwitch {
  std::string id;
  std::string name;
  int ports = 0;
  BytesPerSecond port_bandwidth;
  std::optional<Seconds> latency;
  std::optional<Watts> power;
  bool in_network_reduction = false;
};

std::filesystem::path platforms_dir();

// Each loads platforms/<kind>/<id>.yaml and checks it (units, sources, ranges). An unknown id is an
// InputError located at `referenced_from` that lists the ids there are.
CatalogAccelerator load_catalog_accelerator(const std::string& id,
                                            const SourceLocation& referenced_from,
                                            const std::string& field);
CatalogDomain load_catalog_domain(const std::string& id, const SourceLocation& referenced_from,
                                  const std::string& field);
CatalogSwitch load_catalog_switch(const std::string& id, const SourceLocation& referenced_from,
                                  const std::string& field);

// platforms/collectives/<id>.yaml.
CollectiveLibrary load_catalog_collectives(const std::string& id,
                                           const SourceLocation& referenced_from,
                                           const std::string& field);

// Ids of the entries of one kind ("accelerators", "domains", "switches"), sorted.
std::vector<std::string> catalog_ids(const std::string& kind);

}  // namespace gwsim::config
