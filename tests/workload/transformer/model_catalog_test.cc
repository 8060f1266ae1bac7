// The model catalog loads, every entry is checked, and bad entries are InputErrors naming the
// field.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sim/config/model_catalog.h"

namespace gwsim::config {
namespace {

TEST(ModelCatalog, EveryEntryLoads) {
  const std::vector<std::string> ids = model_ids();
  for (const char* id : {"gpt3-175b", "llama3-8b", "llama3-70b", "llama3-405b", "deepseek-v3",
                         "megatron-1.7b", "megatron-1t"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
  for (const std::string& id : ids) {
    const ModelSpec m = load_model(id, {"test", 1}, "model");
    EXPECT_EQ(m.id, id);
    EXPECT_FALSE(m.sources.empty()) << id;
    EXPECT_EQ(m.hidden % m.heads, 0) << id;
  }
}

TEST(ModelCatalog, Llama405bShape) {
  const ModelSpec m = load_model("llama3-405b", {"test", 1}, "model");
  EXPECT_EQ(m.layers, 126);
  EXPECT_EQ(m.hidden, 16384);
  EXPECT_EQ(m.ffn_hidden, 53248);
  EXPECT_EQ(m.heads, 128);
  EXPECT_EQ(m.kv_heads, 8);
  EXPECT_EQ(m.vocab, 128000);
  EXPECT_TRUE(m.gated_ffn);
  EXPECT_FALSE(m.moe.has_value());
}

TEST(ModelCatalog, DeepSeekMoePlacement) {
  const ModelSpec m = load_model("deepseek-v3", {"test", 1}, "model");
  ASSERT_TRUE(m.moe.has_value());
  EXPECT_EQ(m.moe->experts, 256);
  EXPECT_EQ(m.moe->top_k, 8);
  EXPECT_FALSE(m.is_moe_layer(2));
  EXPECT_TRUE(m.is_moe_layer(3));
  EXPECT_TRUE(m.is_moe_layer(60));
}

TEST(ModelCatalog, UnknownIdListsTheCatalog) {
  try {
    load_model("gpt5", {"scenario.yaml", 7}, "workload.model");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("scenario.yaml:7"), std::string::npos) << what;
    EXPECT_NE(what.find("workload.model"), std::string::npos) << what;
    EXPECT_NE(what.find("llama3-405b"), std::string::npos) << what;
  }
}

std::filesystem::path write_model(const std::string& name, const std::string& body) {
  const auto dir = std::filesystem::path(GWSIM_BINARY_DIR) / "tests" / "model_catalog_test";
  std::filesystem::create_directories(dir);
  const auto file = dir / (name + ".yaml");
  std::ofstream(file) << body;
  return file;
}

const char* kValid = R"(model:
  name: "tiny"
  layers: 4
  hidden: 64
  heads: 4
  kv_heads: 4
  ffn_hidden: 256
  vocab: 1000
  seq_len: 128
  precision: bf16
  position_embedding: rotary
  sources: ["made up for a test"]
)";

TEST(ModelCatalog, ValidFileLoads) {
  const ModelSpec m = load_model_file(write_model("tiny", kValid));
  EXPECT_EQ(m.layers, 4);
  EXPECT_EQ(m.id, "tiny");
}

void expect_error(const std::string& body, const std::string& field, int line) {
  try {
    load_model_file(write_model("bad", body));
    FAIL() << "expected an InputError for " << field;
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(field), std::string::npos) << what;
    if (line > 0) {
      EXPECT_NE(what.find("bad.yaml:" + std::to_string(line)), std::string::npos) << what;
    }
  }
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(ModelCatalog, BadEntriesNameTheField) {
  expect_error(replace(kValid, "heads: 4\n", "heads: 5\n"), "model.heads", 5);
  expect_error(replace(kValid, "kv_heads: 4", "kv_heads: 3"), "model.kv_heads", 6);
  expect_error(replace(kValid, "layers: 4", "layers: 0"),
               "model.layers: required: a whole number >= 1", 3);
  expect_error(replace(kValid, "layers: 4", "layers: 2.5"), "model.layers", 3);
  expect_error(replace(kValid, "  sources: [\"made up for a test\"]\n", ""), "model.sources", 0);
  expect_error(replace(kValid, "precision: bf16", "precision: int4"), "model.precision", 0);
  expect_error(std::string(kValid) + "  moe: {experts: 8, top_k: 2, expert_ffn_hidden: 64}\n",
               "model.moe", 0);
  expect_error(std::string(kValid) +
                   "  moe: {experts: 8, top_k: 9, expert_ffn_hidden: 64, moe_layer_frequency: 1}\n",
               "model.moe.top_k", 0);
}

}  // namespace
}  // namespace gwsim::config
