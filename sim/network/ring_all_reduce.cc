#include "sim/network/ring_all_reduce.h"

#include <cmath>

#include <simgrid/s4u/Comm.hpp>

namespace gwsim::network {
namespace sg4 = simgrid::s4u;

RingAllReduce::RingAllReduce(const std::string& name, int ranks) {
  for (int r = 0; r < ranks; ++r)
    mailboxes_.push_back(sg4::Mailbox::by_name(name + "/" + std::to_string(r)));
}

void RingAllReduce::run(int rank, Bytes size) const {
  const int n = ranks();
  if (n <= 1) return;
  // SimGrid sizes messages in whole bytes; the rounding is under one byte per step.
  const auto chunk = static_cast<uint64_t>(std::llround(size.value() / n));
  sg4::Mailbox* next = mailboxes_[(rank + 1) % n];
  sg4::Mailbox* own = mailboxes_[rank];
  // The payload is never read: the simulated size is what costs time.
  static int token = 0;
  for (int step = 0; step < 2 * (n - 1); ++step) {
    sg4::CommPtr send = next->put_async(&token, chunk);
    void* received = nullptr;
    sg4::CommPtr receive = own->get_async(&received);
    send->wait();
    receive->wait();
  }
}

}  // namespace gwsim::network
