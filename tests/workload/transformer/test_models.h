// Models and layouts shared by the generator tests (kernels, roofline, rank DAG).
#pragma once

#include <string>
#include <vector>

#include "sim/config/model_catalog.h"
#include "sim/workload/transformer/layout.h"

namespace gwsim::workload::transformer::testing {

inline config::ModelSpec model(const std::string& id) {
  return config::load_model(id, {"test", 1}, "model");
}

struct Case {
  std::string name;
  std::string model;
  ParallelLayout layout;
};

// Layouts that exercise every feature: SP, CP, EP, ZeRO 0-3, interleaving, recomputation, MoE.
inline std::vector<Case> cases() {
  std::vector<Case> out;
  ParallelLayout l;
  l.tp = 8;
  l.pp = 4;
  l.dp = 2;
  l.micro_batch = 1;
  l.global_batch = 16;
  out.push_back({"gpt3_tp8_pp4_plain", "gpt3-175b", l});
  l.sequence_parallel = true;
  l.recompute = Recompute::kSelective;
  l.virtual_stages = 2;
  l.sharding = Sharding::kZero1;
  out.push_back({"gpt3_sp_selective_interleaved_zero1", "gpt3-175b", l});
  l.recompute = Recompute::kFull;
  l.virtual_stages = 1;
  l.cp = 2;
  l.sharding = Sharding::kZero3;
  out.push_back({"gpt3_full_cp2_zero3", "gpt3-175b", l});
  ParallelLayout ll;
  ll.tp = 8;
  ll.pp = 2;
  ll.dp = 4;
  ll.cp = 2;
  ll.micro_batch = 1;
  ll.global_batch = 32;
  ll.sequence_parallel = true;
  ll.sharding = Sharding::kZero2;
  out.push_back({"llama70b_gqa_cp2_zero2", "llama3-70b", ll});
  ParallelLayout d;
  d.tp = 2;
  d.pp = 1;
  d.dp = 8;
  d.ep = 4;
  d.micro_batch = 1;
  d.global_batch = 16;
  d.seq_len = 1024;
  d.sequence_parallel = true;
  d.recompute = Recompute::kFull;
  d.sharding = Sharding::kZero1;
  out.push_back({"deepseek_v3_ep4_full", "deepseek-v3", d});
  d.recompute = Recompute::kSelective;
  d.sharding = Sharding::kZero3;
  d.sequence_parallel = false;
  out.push_back({"deepseek_v3_ep4_zero3_nosp", "deepseek-v3", d});
  return out;
}

}  // namespace gwsim::workload::transformer::testing
