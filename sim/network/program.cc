#include "sim/network/program.h"

namespace gwsim::network {

void append_step(Lane& lane, Step step) {
  if (step.repeats <= 0 || (step.sends.empty() && step.receives.empty())) return;
  lane.steps.push_back(std::move(step));
}

namespace {

Bytes total(const RankProgram& program, bool sends) {
  Bytes sum(0);
  for (const Lane& lane : program)
    for (const Step& step : lane.steps)
      for (const Peer& peer : sends ? step.sends : step.receives)
        sum += peer.bytes * static_cast<double>(step.repeats);
  return sum;
}

}  // namespace

Bytes bytes_sent(const RankProgram& program) { return total(program, true); }
Bytes bytes_received(const RankProgram& program) { return total(program, false); }

}  // namespace gwsim::network
