// The model catalog (workloads/models/): transformer shapes as typed entries.
//
// Entries are data files that users edit without recompiling (schema: model.proto; figures, sources
// and the formulas that use them: docs/workloads.md). An id names a file: model "llama3-405b" is
// workloads/models/llama3-405b.yaml. The folder is the source tree's workloads/models/ unless the
// environment variable GWSIM_MODELS_DIR names another.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/error.h"

namespace gwsim::config {

enum class ModelPrecision { kFp32, kBf16, kFp16, kFp8 };

struct MoeSpec {
  int experts = 0;
  int top_k = 0;
  int shared_experts = 0;
  int expert_ffn_hidden = 0;
  std::optional<double> capacity_factor;  // absent: dropless routing
  int moe_layer_frequency = 0;  // every k-th layer is MoE; 0 when first_dense_layers is used
  int first_dense_layers = 0;
};

struct ModelSpec {
  std::string id;
  std::string name;
  int layers = 0;
  int hidden = 0;
  int heads = 0;
  int kv_heads = 0;
  int ffn_hidden = 0;
  bool gated_ffn = false;
  int vocab = 0;
  int seq_len = 0;
  std::optional<MoeSpec> moe;
  ModelPrecision precision = ModelPrecision::kBf16;
  bool learned_positions = false;  // false: rotary, no parameters
  bool tied_embeddings = false;
  bool dropout = false;
  std::optional<double> published_parameters;
  std::vector<std::string> sources;

  int head_dim() const { return hidden / heads; }
  // Whether layer `index` (0-based) has an MoE FFN.
  bool is_moe_layer(int index) const;
};

std::filesystem::path models_dir();

// Loads workloads/models/<id>.yaml and checks it (positive shapes, divisibility of hidden by heads,
// sources). An unknown id is an InputError located at `referenced_from` listing the ids there are.
ModelSpec load_model(const std::string& id, const SourceLocation& referenced_from,
                     const std::string& field);

// Loads and checks one model file by path (its id is the file's stem).
ModelSpec load_model_file(const std::filesystem::path& file);

// Ids of the catalog's models, sorted.
std::vector<std::string> model_ids();

}  // namespace gwsim::config
