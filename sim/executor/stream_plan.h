// Which of a rank's stream actors plays each op of its DAG (plain C++).
//
// A layer collective that the compute stream waits on, and that waits on the compute stream, can be
// played by the compute stream's actor itself without changing any time. Take a run of layer
// collectives T1 .. Tj between two consecutive compute ops P and S (DAG order), where T1 depends on
// P and S depends on Tj. On the layer stream, T1 starts when P and its other dependencies are done
// and the layer stream is free; Ti+1 follows Ti; S starts when Tj and its other dependencies are
// done. The compute actor is idle from P's end to S's start in any case, so playing T1 .. Tj there,
// after the same dependencies plus the layer stream's previous op, gives every op the same start
// and end. It saves the two actors' hand-over (each side blocks and is woken: four simcalls and
// the context switches around them), and most tensor-parallel collectives of a dense model qualify.
//
// The layer stream keeps its order through `serial_after`: an op follows the op before it on its
// DAG stream when the two are played by different actors.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/workload/transformer/rank_dag.h"

namespace gwsim::executor {

struct StreamPlan {
  std::vector<workload::transformer::Stream> player;  // per op: whose actor plays it
  std::vector<int32_t> serial_after;  // per op: the op it must follow besides its deps; -1: none
  // Per op played by the compute actor in place of the layer stream: the compute op it precedes
  // (S above), whose wait began when that run began; -1 otherwise.
  std::vector<int32_t> gap_closed_by;

  bool moved(size_t op) const { return gap_closed_by[op] >= 0; }
};

// `fuse`: false plays every op on its own stream (for tests that compare the two).
StreamPlan plan_streams(const workload::transformer::RankDag& dag, bool fuse = true);

// Whether every pipeline stage sends to each other stage in the order that one receives (`dags` by
// stage: the tags of a stage's sends to another are that one's receives' tags, in order). Then
// one FIFO mailbox per pair of ranks pairs each receive with its send, as one mailbox per message
// does: senders post in DAG order and a receiver takes one message at a time.
bool pipeline_messages_in_order(const std::vector<workload::transformer::RankDag>& dags);

}  // namespace gwsim::executor
