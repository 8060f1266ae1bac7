// Layouts that do not divide the model are InputErrors naming the field.
#include <gtest/gtest.h>

#include "sim/workload/transformer/layout.h"

namespace gwsim::workload::transformer {
namespace {

config::ModelSpec model(const std::string& id) {
  return config::load_model(id, {"test", 1}, "model");
}

ParallelLayout megatron_175b() {
  ParallelLayout l;
  l.tp = 8;
  l.pp = 8;
  l.dp = 1;
  l.micro_batch = 1;
  l.global_batch = 64;
  return l;
}

void expect_field(const config::ModelSpec& m, const ParallelLayout& l, const std::string& field) {
  try {
    validate_layout(m, l, {"scenario.yaml", 12}, "workload.layout");
    FAIL() << "expected an InputError naming " << field;
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("scenario.yaml:12"), std::string::npos) << what;
    EXPECT_NE(what.find("workload.layout." + field + ":"), std::string::npos) << what;
  }
}

TEST(Layout, ValidLayoutPasses) {
  EXPECT_NO_THROW(validate_layout(model("gpt3-175b"), megatron_175b(), {"s", 1}, "layout"));
}

TEST(Layout, EachViolationNamesItsField) {
  const config::ModelSpec gpt = model("gpt3-175b");
  ParallelLayout l = megatron_175b();
  l.tp = 7;  // 96 heads
  expect_field(gpt, l, "tp");
  l = megatron_175b();
  l.pp = 7;  // 96 layers
  expect_field(gpt, l, "pp");
  l = megatron_175b();
  l.virtual_stages = 5;  // 8 * 5 does not divide 96
  expect_field(gpt, l, "virtual_stages");
  l = megatron_175b();
  l.cp = 3;  // 2048
  expect_field(gpt, l, "cp");
  l = megatron_175b();
  l.dp = 3;  // 64 sequences
  expect_field(gpt, l, "global_batch");
  l = megatron_175b();
  l.ep = 2;  // dense model
  expect_field(gpt, l, "ep");
  l = megatron_175b();
  l.micro_batch = 0;
  expect_field(gpt, l, "micro_batch");
  l = megatron_175b();
  l.pp = 1;
  l.virtual_stages = 2;
  expect_field(gpt, l, "virtual_stages");
}

TEST(Layout, KvHeadsAndExperts) {
  const config::ModelSpec llama = model("llama3-405b");  // 8 KV heads
  ParallelLayout l;
  l.tp = 16;  // a multiple of 8: each KV head replicated
  l.pp = 1;
  EXPECT_NO_THROW(validate_layout(llama, l, {"s", 1}, ""));
  l.tp = 32;  // 53,248 / 32 is whole, heads 128 / 32 too
  EXPECT_NO_THROW(validate_layout(llama, l, {"s", 1}, ""));
  const config::ModelSpec ds = model("deepseek-v3");
  ParallelLayout e;
  e.dp = 64;
  e.global_batch = 64;
  e.ep = 64;
  e.pp = 1;
  EXPECT_NO_THROW(validate_layout(ds, e, {"s", 1}, ""));
  e.ep = 128;  // > dp * cp
  expect_field(ds, e, "ep");
  e.dp = 96;
  e.global_batch = 96;
  e.ep = 96;  // does not divide 256 experts
  expect_field(ds, e, "ep");
}

}  // namespace
}  // namespace gwsim::workload::transformer
