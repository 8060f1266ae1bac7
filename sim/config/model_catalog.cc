#include "sim/config/model_catalog.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "sim/config/field_check.h"
#include "sim/config/model.pb.h"
#include "sim/config/yaml_entry.h"
#include "sim/config/yaml_mapping.h"

namespace gwsim::config {
namespace {

namespace pbuf = google::protobuf;

using Checker = detail::FieldCheck;

MoeSpec to_moe(const pb::MoeEntry& m, int layers, const Checker& check) {
  const std::string p = "model.moe.";
  MoeSpec moe;
  moe.experts = check.count(m.experts(), p + "experts");
  moe.top_k = check.count(m.top_k(), p + "top_k");
  if (moe.top_k > moe.experts) check.fail(p + "top_k", "must be <= experts");
  moe.shared_experts = static_cast<int>(m.shared_experts());
  moe.expert_ffn_hidden = check.count(m.expert_ffn_hidden(), p + "expert_ffn_hidden");
  if (m.has_capacity_factor()) {
    if (!(m.capacity_factor() >= 1.0))
      check.fail(p + "capacity_factor", "must be >= 1 (or absent for dropless routing)");
    moe.capacity_factor = m.capacity_factor();
  }
  switch (m.placement_case()) {
    case pb::MoeEntry::kMoeLayerFrequency:
      moe.moe_layer_frequency = check.count(m.moe_layer_frequency(), p + "moe_layer_frequency");
      break;
    case pb::MoeEntry::kFirstDenseLayers:
      moe.first_dense_layers = static_cast<int>(m.first_dense_layers());
      if (moe.first_dense_layers >= layers)
        check.fail(p + "first_dense_layers", "must be < layers (" + std::to_string(layers) + ")");
      break;
    default:
      check.fail("model.moe", "required: one of moe_layer_frequency, first_dense_layers");
  }
  return moe;
}

ModelSpec to_spec(const pb::ModelFile& message, const std::string& id,
                  const detail::SourceMap& sources) {
  const Checker check(sources, "");
  if (!message.has_model()) check.fail("model", "required: the entry, under the key model");
  const pb::ModelEntry& m = message.model();
  const std::string p = "model.";
  ModelSpec s;
  s.id = id;
  s.name = m.name();
  if (s.name.empty()) check.fail(p + "name", "required: a display name");
  s.layers = check.count(m.layers(), p + "layers");
  s.hidden = check.count(m.hidden(), p + "hidden");
  s.heads = check.count(m.heads(), p + "heads");
  if (s.hidden % s.heads != 0)
    check.fail(p + "heads", "must divide hidden (" + std::to_string(s.hidden) + ")");
  s.kv_heads = check.count(m.kv_heads(), p + "kv_heads");
  if (s.heads % s.kv_heads != 0)
    check.fail(p + "kv_heads", "must divide heads (" + std::to_string(s.heads) + ")");
  s.ffn_hidden = check.count(m.ffn_hidden(), p + "ffn_hidden");
  s.gated_ffn = m.gated_ffn();
  s.vocab = check.count(m.vocab(), p + "vocab");
  s.seq_len = check.count(m.seq_len(), p + "seq_len");
  if (m.has_moe()) s.moe = to_moe(m.moe(), s.layers, check);
  switch (m.precision()) {
    case pb::ModelEntry::FP32:
      s.precision = ModelPrecision::kFp32;
      break;
    case pb::ModelEntry::BF16:
      s.precision = ModelPrecision::kBf16;
      break;
    case pb::ModelEntry::FP16:
      s.precision = ModelPrecision::kFp16;
      break;
    case pb::ModelEntry::FP8:
      s.precision = ModelPrecision::kFp8;
      break;
    default:
      check.fail(p + "precision", "required: fp32, bf16, fp16 or fp8");
  }
  switch (m.position_embedding()) {
    case pb::ModelEntry::LEARNED:
      s.learned_positions = true;
      break;
    case pb::ModelEntry::ROTARY:
      s.learned_positions = false;
      break;
    default:
      check.fail(p + "position_embedding", "required: learned or rotary");
  }
  s.tied_embeddings = m.tied_embeddings();
  s.dropout = m.dropout();
  if (m.has_published_parameters()) {
    if (!(m.published_parameters() > 0)) check.fail(p + "published_parameters", "must be > 0");
    s.published_parameters = m.published_parameters();
  }
  for (const std::string& source : m.sources()) s.sources.push_back(source);
  if (s.sources.empty()) check.fail(p + "sources", "required: where the shapes come from");
  return s;
}

}  // namespace

bool ModelSpec::is_moe_layer(int index) const {
  if (!moe) return false;
  if (moe->moe_layer_frequency > 0) return (index + 1) % moe->moe_layer_frequency == 0;
  return index >= moe->first_dense_layers;
}

std::filesystem::path models_dir() {
  if (const char* dir = std::getenv("GWSIM_MODELS_DIR"); dir != nullptr && *dir != '\0') return dir;
  return GWSIM_MODELS_SOURCE_DIR;
}

std::vector<std::string> model_ids() {
  std::vector<std::string> ids;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(models_dir(), error)) {
    if (entry.path().extension() == ".yaml") ids.push_back(entry.path().stem().string());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

ModelSpec load_model_file(const std::filesystem::path& file) {
  detail::SourceMap sources(file.string());
  return to_spec(detail::read_yaml_entry<pb::ModelFile>(file, "model", sources),
                 file.stem().string(), sources);
}

ModelSpec load_model(const std::string& id, const SourceLocation& from, const std::string& field) {
  const bool plain =
      !id.empty() && id.front() != '.' && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
  const std::filesystem::path file = models_dir() / (id + ".yaml");
  if (!plain || !std::filesystem::exists(file)) {
    std::string known;
    for (const std::string& k : model_ids()) known += (known.empty() ? "" : ", ") + k;
    throw InputError(
        from, field,
        "no model \"" + id + "\" in " + models_dir().string() + "; the catalog has: " + known);
  }
  return load_model_file(file);
}

}  // namespace gwsim::config
