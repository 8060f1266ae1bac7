// The sweep file: its schema, its mapping spellings, and the errors of bad files (file, line,
// field).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/sweep.h"
#include "sim/config/sweep.pb.h"
#include "sim/core/error.h"

namespace gwsim::config {
namespace {

const std::filesystem::path kHere = std::filesystem::path(GWSIM_SOURCE_DIR) / "tests/sweep";

SweepSpec load(const std::string& text) { return load_sweep_text(text, "s.yaml", kHere); }

// The message of the InputError that loading `text` throws ("" if it loads).
std::string error_of(const std::string& text) {
  try {
    load(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SweepLoader, AxesAndZipBecomeDimensionsInFileOrder) {
  const SweepSpec spec = load(
      "base: tiny.yaml\n"
      "output: out/a\n"
      "set:\n"
      "  workload.jobs[0].data_parallel.steps: 3\n"
      "axes:\n"
      "  platform.accelerators_per_node: [1, 2, 4]\n"
      "  platform.scale_up.link_bandwidth: [100GB/s, 450GB/s]\n"
      "zip:\n"
      "  - platform.accelerator.peak_flop_rate: [100TFLOP/s, 989TFLOP/s]\n"
      "    platform.accelerator.name: [small, h100]\n"
      "skip_invalid: true\n");
  EXPECT_EQ(spec.base, kHere / "tiny.yaml");
  EXPECT_EQ(spec.output, kHere / "out/a");
  EXPECT_EQ(spec.set, std::vector<std::string>{"workload.jobs[0].data_parallel.steps=3"});
  ASSERT_EQ(spec.dims.size(), 3u);
  EXPECT_EQ(spec.dims[0].fields, std::vector<std::string>{"platform.accelerators_per_node"});
  EXPECT_EQ(spec.dims[0].rows, (std::vector<std::vector<std::string>>{{"1"}, {"2"}, {"4"}}));
  EXPECT_EQ(spec.dims[0].lines[2], std::vector<int>{6});
  EXPECT_EQ(spec.dims[2].fields, (std::vector<std::string>{"platform.accelerator.peak_flop_rate",
                                                           "platform.accelerator.name"}));
  EXPECT_EQ(spec.dims[2].rows[1], (std::vector<std::string>{"989TFLOP/s", "h100"}));
  EXPECT_EQ(spec.dims[2].lines[1], (std::vector<int>{9, 10}));
  EXPECT_EQ(spec.point_count(), 3u * 2u * 2u);
  EXPECT_EQ(spec.fields().size(), 4u);
  EXPECT_TRUE(spec.skip_invalid);
  EXPECT_EQ(spec.sha256.size(), 64u);
}

TEST(SweepLoader, TheSchemaSpellingOfAxesIsAcceptedToo) {
  const SweepSpec spec = load(
      "base: tiny.yaml\noutput: o\n"
      "axes:\n  - field: platform.nodes\n    values: [1, 2]\n");
  ASSERT_EQ(spec.dims.size(), 1u);
  EXPECT_EQ(spec.dims[0].fields, std::vector<std::string>{"platform.nodes"});
  EXPECT_EQ(spec.point_count(), 2u);
}

TEST(SweepLoader, AnUnknownFieldPathNamesItsLine) {
  EXPECT_EQ(
      error_of("base: tiny.yaml\noutput: o\naxes:\n  platform.nodez: [1, 2]\n")
          .rfind("s.yaml:4: platform.nodez: unknown field \"nodez\" (did you mean \"nodes\"?)", 0),
      0u)
      << error_of("base: tiny.yaml\noutput: o\naxes:\n  platform.nodez: [1, 2]\n");
}

TEST(SweepLoader, AValueOfTheWrongTypeNamesItsLineAndField) {
  EXPECT_EQ(error_of("base: tiny.yaml\noutput: o\naxes:\n  platform.nodes:\n    - 1\n    - four\n"),
            "s.yaml:6: platform.nodes: expected a whole number >= 0, got \"four\"");
}

TEST(SweepLoader, EmptyOrMisshapenAxesAreErrors) {
  EXPECT_EQ(error_of("base: tiny.yaml\noutput: o\naxes:\n  platform.nodes: []\n"),
            "s.yaml:4: axes.platform.nodes: the axis is empty");
  EXPECT_EQ(
      error_of("base: tiny.yaml\noutput: o\naxes:\n  platform.nodes: 2\n"),
      "s.yaml:4: axes.platform.nodes: expected a list of values such as [1, 2, 4], got \"2\"");
  EXPECT_EQ(error_of("base: tiny.yaml\noutput: o\naxes:\n  platform.nodes: [[1]]\n"),
            "s.yaml:4: axes.platform.nodes[0]: expected a single value, got a list");
  EXPECT_EQ(error_of("base: tiny.yaml\noutput: o\n"),
            "s.yaml: axes: the sweep has no axes: give `axes` or `zip`");
  EXPECT_EQ(error_of("base: tiny.yaml\noutput: o\nzip:\n  - platform.nodes: [1, 2]\n"
                     "    platform.accelerators_per_node: [1]\n"),
            "s.yaml:4: zip[0]: zipped axes must have the same number of values: platform.nodes "
            "has 2, platform.accelerators_per_node has 1");
}

TEST(SweepLoader, SweepFieldsAreCheckedLikeScenarioFields) {
  EXPECT_EQ(error_of("base: tiny.yaml\noutput: o\naxis:\n  platform.nodes: [1]\n")
                .rfind("s.yaml:3: axis: unknown field \"axis\" (did you mean \"axes\"?)", 0),
            0u);
  EXPECT_EQ(error_of("output: o\naxes:\n  platform.nodes: [1]\n"),
            "s.yaml: base: required: the base scenario file");
  EXPECT_EQ(error_of("base: tiny.yaml\naxes:\n  platform.nodes: [1]\n"),
            "s.yaml: output: required: the sweep's output folder");
  EXPECT_EQ(
      error_of("base: tiny.yaml\noutput: o\nskip_invalid: maybe\naxes:\n  platform.nodes: [1]\n"),
      "s.yaml:3: skip_invalid: expected true or false, got \"maybe\"");
}

TEST(SweepLoader, AFieldIsSweptOnce) {
  EXPECT_EQ(error_of("base: tiny.yaml\noutput: o\nset:\n  platform.nodes: 2\naxes:\n"
                     "  platform.nodes: [1, 2]\n"),
            "s.yaml: platform.nodes: is swept twice, or both set and swept; give each field once");
}

TEST(SweepLoader, AMissingBaseNamesIt) {
  const std::string e =
      error_of("base: nothing-here.yaml\noutput: o\naxes:\n  platform.nodes: [1]\n");
  EXPECT_NE(e.find("nothing-here.yaml"), std::string::npos) << e;
  EXPECT_NE(e.find("cannot open"), std::string::npos) << e;
}

TEST(SweepLoader, SetErrorsNameTheSetLine) {
  EXPECT_EQ(error_of("base: tiny.yaml\noutput: o\nset:\n  platform.nodes: many\naxes:\n"
                     "  seed: [1]\n"),
            "s.yaml:4: platform.nodes: expected a whole number >= 0, got \"many\"");
}

TEST(SweepLoader, ValuesAreQuotedOnlyWhenYamlWouldReadThemOtherwise) {
  EXPECT_EQ(assignment_text("platform.nodes", "4"), "platform.nodes=4");
  EXPECT_EQ(assignment_text("a.b", "400Gbps"), "a.b=400Gbps");
  EXPECT_EQ(assignment_text("name", "x: y"), "name=\"x: y\"");
  EXPECT_EQ(assignment_text("name", "[1]"), "name=\"[1]\"");
  EXPECT_EQ(assignment_text("name", "a \"b\" # c"), "name=\"a \\\"b\\\" # c\"");
}

TEST(SweepLoader, DocsNameEveryFieldOfTheSweepSchema) {
  std::ifstream in(std::string(GWSIM_SOURCE_DIR) + "/docs/sweeps.md");
  ASSERT_TRUE(in) << "docs/sweeps.md is missing";
  std::stringstream doc;
  doc << in.rdbuf();
  const auto& type = *pb::Sweep::descriptor();
  ASSERT_GE(type.field_count(), 6);
  for (int i = 0; i < type.field_count(); ++i) {
    EXPECT_NE(doc.str().find("| `" + type.field(i)->name() + "` |"), std::string::npos)
        << "docs/sweeps.md does not document " << type.field(i)->name();
  }
}

}  // namespace
}  // namespace gwsim::config
