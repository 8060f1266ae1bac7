#include "sim/network/ring_collective.h"

#include <cmath>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>

namespace gwsim::network {
namespace sg4 = simgrid::s4u;

RingCollective::RingCollective(const std::string& name, int ranks) {
  for (int r = 0; r < ranks; ++r)
    mailboxes_.push_back(sg4::Mailbox::by_name(name + "/" + std::to_string(r)));
}

void RingCollective::run(int rank, CollectiveOp op, Bytes size, Fidelity fidelity,
                         Seconds edge_latency) const {
  const int n = ranks();
  const int steps = ring_steps(op, n);
  if (steps == 0) return;
  sg4::Mailbox* next = mailboxes_[(rank + 1) % n];
  sg4::Mailbox* own = mailboxes_[rank];
  // SimGrid sizes messages in whole bytes; the rounding is under one byte per message.
  auto exchange = [&](Bytes bytes) {
    static int token = 0;  // never read: the simulated size is what costs time
    sg4::CommPtr send = next->put_async(&token, static_cast<uint64_t>(std::llround(bytes.value())));
    void* received = nullptr;
    sg4::CommPtr receive = own->get_async(&received);
    send->wait();
    receive->wait();
  };
  if (fidelity == Fidelity::kStep) {
    for (int step = 0; step < steps; ++step) exchange(ring_chunk(size, n));
    return;
  }
  exchange(ring_chunk(size, n) * static_cast<double>(steps));  // pays the edge's latency once
  sg4::this_actor::sleep_for((static_cast<double>(steps - 1) * edge_latency).value());
}

}  // namespace gwsim::network
