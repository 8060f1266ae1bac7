// Loading valid scenarios: typed values, defaults, overrides, seeds, and the three input formats.
#include <gtest/gtest.h>

#include <filesystem>
#include <variant>

#include "sim/config/loader.h"
#include "sim/core/error.h"

namespace gwsim::config {
namespace {

const std::string kQuickstart = std::string(GWSIM_SOURCE_DIR) + "/configs/quickstart.yaml";

constexpr const char* kSmallYaml = R"(name: small
seed: 7
platform:
  accelerator: {name: X1, peak_flop_rate: 100TFLOP/s, idle_power: 50W, peak_power: 300W}
  nodes: 2
  accelerators_per_node: 2
  scale_up: {link_bandwidth: 100GB/s, link_latency: 1us}
  scale_out: {nic_bandwidth: 100Gbps, link_latency: 2us}
workload:
  jobs:
    - name: j
      data_parallel: {steps: 3, parameters: 1e8, tokens_per_step: 1e5, compute_efficiency: 0.5}
)";

constexpr const char* kSmallJson = R"({
  "name": "small", "seed": 7,
  "platform": {
    "accelerator": {"name": "X1", "peak_flop_rate": "100TFLOP/s", "idle_power": "50W", "peak_power": "300W"},
    "nodes": 2, "accelerators_per_node": 2,
    "scale_up": {"link_bandwidth": "100GB/s", "link_latency": "1us"},
    "scale_out": {"nic_bandwidth": "100Gbps", "link_latency": "2us"}
  },
  "workload": {"jobs": [{"name": "j", "data_parallel":
      {"steps": 3, "parameters": 1e8, "tokens_per_step": 1e5, "compute_efficiency": 0.5}}]}
})";

constexpr const char* kSmallTextProto = R"(name: "small"
seed: 7
platform {
  accelerator { name: "X1" peak_flop_rate: "100TFLOP/s" idle_power: "50W" peak_power: "300W" }
  nodes: 2
  accelerators_per_node: 2
  scale_up { link_bandwidth: "100GB/s" link_latency: "1us" }
  scale_out { nic_bandwidth: "100Gbps" link_latency: "2us" }
}
workload {
  jobs { name: "j" data_parallel { steps: 3 parameters: 1e8 tokens_per_step: 1e5 compute_efficiency: 0.5 } }
}
)";

TEST(Loader, QuickstartHasTypedValues) {
  const Scenario s = load_scenario(kQuickstart);
  EXPECT_EQ(s.platform.nodes, 2);
  EXPECT_EQ(s.platform.accelerators_per_node, 8);
  EXPECT_DOUBLE_EQ(s.platform.accelerator.peak_flop_rate.value(), 989e12);
  EXPECT_DOUBLE_EQ(s.platform.accelerator.peak_power.value(), 700.0);
  ASSERT_TRUE(s.platform.scale_up.has_value());
  EXPECT_DOUBLE_EQ(s.platform.scale_up->bandwidth.value(), 450e9);
  EXPECT_DOUBLE_EQ(s.platform.scale_up->latency.value(), 0.5e-6);
  ASSERT_TRUE(s.platform.scale_out.has_value());
  EXPECT_DOUBLE_EQ(s.platform.scale_out->bandwidth.value(), 400e9 / 8);
  ASSERT_EQ(s.jobs.size(), 1u);
  const auto& dp = std::get<DataParallelJobSpec>(s.jobs[0].kind);
  EXPECT_EQ(dp.ranks, 16);  // default: every accelerator
  EXPECT_EQ(dp.steps, 5);
  EXPECT_DOUBLE_EQ(dp.gradient_size().value(), 3e9);
  EXPECT_DOUBLE_EQ(dp.flops_per_rank_per_step().value(), 6 * 1.5e9 * 524288 / 16);
  ASSERT_TRUE(s.record.power_interval.has_value());
  EXPECT_DOUBLE_EQ(s.record.power_interval->value(), 0.01);
  EXPECT_EQ(s.source.sha256.size(), 64u);
}

TEST(Loader, DefaultsAreTheDocumentedOnes) {
  const Scenario s = load_scenario_text(kSmallYaml, Format::kYaml, "small.yaml");
  const auto& dp = std::get<DataParallelJobSpec>(s.jobs[0].kind);
  EXPECT_EQ(dp.gradient_bytes_per_parameter, 2);
  EXPECT_EQ(dp.compute_jitter_cv, 0.0);
  EXPECT_EQ(dp.start_time.value(), 0.0);
  EXPECT_EQ(s.platform.resolution, Resolution::kAccelerator);
  EXPECT_FALSE(s.record.power_interval.has_value());
  const Scenario unseeded = load_scenario_text(
      std::string(kSmallYaml).replace(std::string(kSmallYaml).find("seed: 7\n"), 8, ""),
      Format::kYaml, "small.yaml");
  EXPECT_EQ(unseeded.seed, 1u);
}

TEST(Loader, AllThreeFormatsGiveTheSameScenario) {
  const Scenario yaml = load_scenario_text(kSmallYaml, Format::kYaml, "small.yaml");
  const Scenario json = load_scenario_text(kSmallJson, Format::kJson, "small.json");
  const Scenario text = load_scenario_text(kSmallTextProto, Format::kTextProto, "small.textproto");
  EXPECT_EQ(yaml.source.canonical_json, json.source.canonical_json);
  EXPECT_EQ(yaml.source.canonical_json, text.source.canonical_json);
  EXPECT_EQ(yaml.source.sha256, text.source.sha256);
  EXPECT_DOUBLE_EQ(text.platform.scale_out->latency.value(), 2e-6);
}

TEST(Loader, OverridesAreCheckedLikeTheFileAndChangeTheHash) {
  const Scenario base = load_scenario(kQuickstart);
  LoadOptions options;
  options.overrides = {"platform.nodes=4", "platform.scale_out.nic_bandwidth=800Gbps",
                       "workload.jobs[0].data_parallel.steps=2"};
  const Scenario changed = load_scenario(kQuickstart, options);
  EXPECT_EQ(changed.platform.nodes, 4);
  EXPECT_DOUBLE_EQ(changed.platform.scale_out->bandwidth.value(), 1e11);
  EXPECT_EQ(std::get<DataParallelJobSpec>(changed.jobs[0].kind).steps, 2);
  EXPECT_EQ(std::get<DataParallelJobSpec>(changed.jobs[0].kind).ranks, 32);
  EXPECT_NE(changed.source.sha256, base.source.sha256);
  EXPECT_EQ(changed.source.file_text, base.source.file_text);
  EXPECT_EQ(load_scenario(kQuickstart, options).source.sha256, changed.source.sha256);
}

TEST(Loader, OverrideErrorsNameTheCommandLine) {
  auto error_of = [](const std::string& assignment) {
    LoadOptions options;
    options.overrides = {assignment};
    try {
      load_scenario(kQuickstart, options);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("platform.nodez=3"),
            "--set: platform.nodez: unknown field \"nodez\" (did you mean \"nodes\"?); Platform "
            "has: resolution, "
            "accelerator, nodes, accelerators_per_node, scale_up, scale_out, accelerator_id, "
            "precision, domain_id, collectives");
  EXPECT_EQ(error_of("platform.nodes=many"),
            "--set: platform.nodes: expected a whole number >= 0, got \"many\"");
  EXPECT_EQ(error_of("workload.jobs[3].name=x"),
            "--set: workload.jobs: index 3 is past the end of the list (it has 1 entries)");
  EXPECT_EQ(error_of("platform.scale_out.nic_bandwidth=fast"),
            "--set: platform.scale_out.nic_bandwidth: expected a bandwidth such as \"400Gbps\", "
            "got \"fast\"");
  EXPECT_EQ(error_of("nodes"),
            "--set: expected field.path=value such as platform.nodes=4, got \"nodes\"");
}

TEST(Loader, SeedOptionReplacesTheScenarioSeed) {
  LoadOptions options;
  options.seed = 99;
  const Scenario s = load_scenario_text(kSmallYaml, Format::kYaml, "small.yaml", options);
  EXPECT_EQ(s.seed, 99u);
  EXPECT_NE(s.source.sha256,
            load_scenario_text(kSmallYaml, Format::kYaml, "small.yaml").source.sha256);
}

TEST(Loader, TextFormatSyntaxErrorsHaveLines) {
  try {
    load_scenario_text("name: \"x\"\nplatform {\n  nodes: two\n}\n", Format::kTextProto,
                       "bad.textproto");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).substr(0, 40), "bad.textproto:3: protobuf text format: E");
  }
}

TEST(Loader, UnknownExtensionAndMissingFileAreInputErrors) {
  EXPECT_THROW(load_scenario("scenario.toml"), InputError);
  EXPECT_THROW(load_scenario("/nonexistent/scenario.yaml"), InputError);
}

TEST(Loader, EveryValidationScenarioLoads) {
  // The published rows and out-of-sample checks bench/ runs: a field renamed in the schema must not
  // break them unnoticed.
  size_t loaded = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(GWSIM_SOURCE_DIR) + "/configs/validation")) {
    if (entry.path().extension() != ".yaml" || entry.path().filename() == "dgx-a100-hdr.yaml")
      continue;
    SCOPED_TRACE(entry.path().string());
    const Scenario s = load_scenario(entry.path());
    ASSERT_EQ(s.jobs.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<TransformerJobSpec>(s.jobs[0].kind));
    ++loaded;
  }
  EXPECT_GE(loaded, 16u);  // 10 Megatron, 3 Llama 3, 3 NVIDIA
}

}  // namespace
}  // namespace gwsim::config
