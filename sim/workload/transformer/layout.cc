#include "sim/workload/transformer/layout.h"

#include <vector>

#include "sim/workload/transformer/placement.h"

namespace gwsim::workload::transformer {

void validate_layout(const config::ModelSpec& model, const ParallelLayout& layout,
                     const SourceLocation& where, const std::string& path) {
  const auto field = [&](const std::string& name) {
    return path.empty() ? name : path + "." + name;
  };
  const auto fail = [&](const std::string& name, const std::string& what) {
    throw InputError(where, field(name), what);
  };
  const auto at_least_one = [&](int value, const std::string& name) {
    if (value < 1) fail(name, "must be >= 1, got " + std::to_string(value));
  };
  at_least_one(layout.tp, "tp");
  at_least_one(layout.pp, "pp");
  at_least_one(layout.dp, "dp");
  at_least_one(layout.cp, "cp");
  at_least_one(layout.ep, "ep");
  at_least_one(layout.micro_batch, "micro_batch");
  at_least_one(layout.global_batch, "global_batch");
  at_least_one(layout.virtual_stages, "virtual_stages");
  if (layout.seq_len) at_least_one(*layout.seq_len, "seq_len");
  const std::string of_model = " of model " + model.id;
  const int tp = layout.tp;
  if (model.heads % tp != 0)
    fail("tp", "must divide heads (" + std::to_string(model.heads) + of_model + "), got " +
                   std::to_string(tp));
  if (model.kv_heads % tp != 0 && tp % model.kv_heads != 0)
    fail("tp", "must divide kv_heads (" + std::to_string(model.kv_heads) + of_model +
                   ") or be a multiple of it, got " + std::to_string(tp));
  if (model.ffn_hidden % tp != 0)
    fail("tp", "must divide ffn_hidden (" + std::to_string(model.ffn_hidden) + of_model +
                   "), got " + std::to_string(tp));
  if (model.moe && model.moe->expert_ffn_hidden % tp != 0)
    fail("tp", "must divide moe.expert_ffn_hidden (" +
                   std::to_string(model.moe->expert_ffn_hidden) + of_model + "), got " +
                   std::to_string(tp));
  // Uneven stages (placement.h): the first and last model chunks may be left with only the
  // embedding or the output layer; any other chunk, and every pipeline rank, needs a layer.
  const int chunks = layout.pp * layout.virtual_stages;
  const std::vector<int> counts =
      chunk_layer_counts(model.layers, layout.pp, layout.virtual_stages);
  const std::string too_many = "pp * virtual_stages (" + std::to_string(chunks) +
                               " model chunks) is too many for the layers (" +
                               std::to_string(model.layers) + of_model + "): ";
  for (int j = 1; j + 1 < chunks; ++j) {
    if (counts[static_cast<size_t>(j)] == 0)
      fail(layout.virtual_stages > 1 ? "virtual_stages" : "pp",
           too_many + "model chunk " + std::to_string(j) + " would hold no layers");
  }
  for (int rank = 0; rank < layout.pp; ++rank) {
    int held = 0;
    for (int j = rank; j < chunks; j += layout.pp) held += counts[static_cast<size_t>(j)];
    if (held == 0)
      fail("pp", too_many + "pipeline rank " + std::to_string(rank) + " would hold no layers");
  }
  const int seq = layout.sequence(model);
  if (seq % layout.cp != 0)
    fail("cp", "must divide the sequence length (" + std::to_string(seq) + "), got " +
                   std::to_string(layout.cp));
  if (layout.global_batch % (layout.micro_batch * layout.dp) != 0)
    fail("global_batch", "must be a multiple of micro_batch * dp (" +
                             std::to_string(layout.micro_batch * layout.dp) + "), got " +
                             std::to_string(layout.global_batch));
  if (layout.virtual_stages > 1) {
    if (layout.pp < 2) fail("virtual_stages", "interleaving needs pp >= 2");
    if (layout.micro_batches() % layout.pp != 0)
      fail("global_batch", "the interleaved schedule needs a multiple of pp (" +
                               std::to_string(layout.pp) + ") micro-batches, got " +
                               std::to_string(layout.micro_batches()));
  }
  if (!model.moe) {
    if (layout.ep != 1) fail("ep", "must be 1: model " + model.id + " has no experts");
  } else {
    if (model.moe->experts % layout.ep != 0)
      fail("ep", "must divide moe.experts (" + std::to_string(model.moe->experts) + of_model +
                     "), got " + std::to_string(layout.ep));
    if (layout.dense_replicas() % layout.ep != 0)
      fail("ep", "must divide dp * cp (" + std::to_string(layout.dense_replicas()) + "), got " +
                     std::to_string(layout.ep));
  }
}

}  // namespace gwsim::workload::transformer
