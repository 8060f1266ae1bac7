// How one training job splits a transformer over its accelerators: the parallel layout.
//
// World = tp * pp * cp * dp ranks. Expert parallelism (ep) splits the experts of MoE layers over
// the data-parallel ranks (dp * cp), as in Megatron-Core, so it adds no ranks. Every count is
// explicit; a layout that does not divide the model is an InputError naming the field
// (validate_layout).
#pragma once

#include <optional>
#include <string>

#include "sim/config/model_catalog.h"
#include "sim/config/parallel_layout.h"
#include "sim/core/error.h"

namespace gwsim::workload::transformer {

// The layout's types are the scenario's (sim/config/parallel_layout.h).
using config::ParallelLayout;
using config::Recompute;
using config::Sharding;

// Throws InputError at `where`, field `path` + ".tp" etc., when the layout does not fit the model:
// every count >= 1; tp divides heads, ffn_hidden (and the expert width); tp and kv_heads divide one
// another; pp * virtual_stages chunks leave no pipeline rank, and no model chunk but the first and
// the last, without layers (uneven stages: placement.h); cp divides the sequence; global_batch is a
// multiple of micro_batch * dp; interleaving needs pp > 1 and a multiple of pp micro-batches; ep
// divides the experts and dp * cp (and is 1 for a dense model).
void validate_layout(const config::ModelSpec& model, const ParallelLayout& layout,
                     const SourceLocation& where, const std::string& path);

}  // namespace gwsim::workload::transformer
