// The hardware catalog under platforms/: every entry loads against its schema, and catalog
// references in scenarios resolve (or fail with a clear error).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/catalog.h"
#include "sim/config/loader.h"
#include "sim/core/error.h"

namespace gwsim::config {
namespace {

const SourceLocation kHere{"test", 0};

TEST(Catalog, EveryEntryLoads) {
  const std::vector<std::string> accelerators = catalog_ids("accelerators");
  const std::vector<std::string> domains = catalog_ids("domains");
  const std::vector<std::string> switches = catalog_ids("switches");
  EXPECT_GE(accelerators.size(), 11u);
  EXPECT_GE(domains.size(), 10u);
  EXPECT_GE(switches.size(), 4u);
  for (const std::string& id : accelerators) {
    SCOPED_TRACE(id);
    const CatalogAccelerator a = load_catalog_accelerator(id, kHere, "id");
    EXPECT_FALSE(a.peak_flop_rate.empty());
    EXPECT_GT(a.peak_power.value(), a.idle_power.value());
  }
  for (const std::string& id : domains) {
    SCOPED_TRACE(id);
    const CatalogDomain d = load_catalog_domain(id, kHere, "id");
    // Every domain names an accelerator that the catalog has.
    EXPECT_NO_THROW(load_catalog_accelerator(d.accelerator, kHere, "id"));
    if (d.scale_up.kind == ScaleUpKind::kTorus) {
      int product = 1;
      for (int dim : d.scale_up.torus_dims) product *= dim;
      EXPECT_EQ(product, d.accelerators);
    }
  }
  for (const std::string& id : switches) {
    SCOPED_TRACE(id);
    EXPECT_GE(load_catalog_switch(id, kHere, "id").ports, 2);
  }
}

TEST(Catalog, FiguresAreReadInTheirUnits) {
  const CatalogAccelerator h100 = load_catalog_accelerator("h100-sxm", kHere, "id");
  EXPECT_DOUBLE_EQ(h100.peak_flop_rate.at("bf16").value(), 989e12);
  EXPECT_DOUBLE_EQ(h100.peak_power.value(), 700.0);
  ASSERT_TRUE(h100.scale_out_bandwidth.has_value());
  EXPECT_DOUBLE_EQ(h100.scale_out_bandwidth->value(), 50e9);
  const CatalogDomain nvl72 = load_catalog_domain("gb200-nvl72", kHere, "id");
  EXPECT_EQ(nvl72.accelerators, 72);
  EXPECT_EQ(nvl72.switch_chips, 18);
  // An NVL72 rack lands inside its published 120-132 kW.
  const CatalogAccelerator gb200 = load_catalog_accelerator(nvl72.accelerator, kHere, "id");
  const double rack_w =
      72 * gb200.peak_power.value() + nvl72.overhead_power.value_or(Watts(0)).value();
  EXPECT_GE(rack_w, 120e3);
  EXPECT_LE(rack_w, 132e3);
}

TEST(Catalog, CollectiveLibrariesCarryTheirOverlapSlowdown) {
  const CollectiveLibrary nccl = load_catalog_collectives("nccl", kHere, "id");
  EXPECT_DOUBLE_EQ(nccl.overlapped_compute_slowdown, 0.189);  // Lee et al. 2025, 18.9%
  EXPECT_DOUBLE_EQ(load_catalog_collectives("ideal", kHere, "id").overlapped_compute_slowdown, 0.0);
}

TEST(Catalog, ANegativeSlowdownNamesItsFileAndField) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("gwsim-catalog-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir / "collectives");
  std::string text;
  {
    std::ifstream in(platforms_dir() / "collectives" / "ideal.yaml");
    std::stringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  const std::string from = R"(overlapped_compute_slowdown: {value: "0")";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), R"(overlapped_compute_slowdown: {value: "-0.2")");
  std::ofstream(dir / "collectives" / "bad.yaml") << text;
  setenv("GWSIM_PLATFORMS_DIR", dir.c_str(), 1);
  std::string error = "no error";
  try {
    load_catalog_collectives("bad", kHere, "id");
  } catch (const InputError& e) {
    error = e.what();
  }
  unsetenv("GWSIM_PLATFORMS_DIR");
  std::filesystem::remove_all(dir);
  EXPECT_NE(error.find("bad.yaml"), std::string::npos) << error;
  EXPECT_NE(
      error.find("collectives.overlapped_compute_slowdown.value: expected a plain number >= 0"),
      std::string::npos)
      << error;
}

std::string error_of(const std::string& platform) {
  const std::string text =
      "name: t\nplatform:\n" + platform +
      "workload:\n  jobs:\n    - name: j\n      data_parallel: {steps: 1, parameters: 1e9, "
      "tokens_per_step: 1e5, compute_efficiency: 0.5}\n";
  try {
    load_scenario_text(text, Format::kYaml, "s.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Catalog, ScenarioReferencesResolveOrExplain) {
  EXPECT_EQ(error_of("  domain_id: dgx-h100\n  nodes: 1\n"), "no error");
  const std::string unknown = error_of("  domain_id: dgx-h101\n  nodes: 1\n");
  EXPECT_EQ(unknown.rfind("s.yaml:3: platform.domain_id: no domains entry \"dgx-h101\" in ", 0), 0u)
      << unknown;
  EXPECT_NE(unknown.find("the catalog has: dgx-b200, dgx-h100,"), std::string::npos) << unknown;
  EXPECT_EQ(error_of("  domain_id: dgx-h100\n  nodes: 1\n  accelerators_per_node: 8\n"),
            "s.yaml:5: platform.accelerators_per_node: comes from the domain \"dgx-h100\" "
            "(platform.domain_id); "
            "remove it here");
  EXPECT_EQ(
      error_of(
          "  accelerator_id: h100-sxm\n  precision: fp4\n  nodes: 1\n  accelerators_per_node: 1\n"),
      "s.yaml:4: platform.precision: H100-SXM has no fp4 rate in the catalog");
  // An id is a file name in the catalog folder, never a path out of it.
  EXPECT_NE(error_of("  domain_id: ../etc\n  nodes: 1\n").find("no domains entry \"../etc\""),
            std::string::npos);
}

TEST(Catalog, ACatalogNodeTakesItsFiguresAndItsNicBandwidth) {
  const Scenario s = load_scenario_text(
      "name: t\nplatform:\n  domain_id: gb200-nvl72\n  nodes: 2\n  scale_out: {link_latency: 1us}\n"
      "workload:\n  jobs:\n    - name: j\n      data_parallel: {steps: 1, parameters: 1e9, "
      "tokens_per_step: 1e5, "
      "compute_efficiency: 0.5}\n",
      Format::kYaml, "s.yaml");
  EXPECT_EQ(s.platform.accelerators_per_node, 72);
  EXPECT_DOUBLE_EQ(s.platform.accelerator.peak_flop_rate.value(), 2500e12);  // bf16 by default
  EXPECT_DOUBLE_EQ(s.platform.scale_up->bandwidth.value(), 900e9);
  EXPECT_DOUBLE_EQ(s.platform.scale_out->bandwidth.value(), 50e9);  // the catalog's 400 Gb/s
  EXPECT_EQ(s.platform.peak_flop_rates.size(), 3u);
}

}  // namespace
}  // namespace gwsim::config
