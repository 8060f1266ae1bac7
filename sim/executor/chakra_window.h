// The bounded window through which a Chakra replay streams one rank's trace (plain C++).
//
// Nodes enter in file order and leave from the front once finished, so the window holds the span
// from the oldest unfinished node to the newest read, never more than its capacity: memory does
// not grow with the trace. A node may be taken (started) when every dependency has finished and,
// if it belongs to a queue, every earlier node of that queue has been taken: queues model in-order
// streams (a communicator's collectives, a rank's receives). A dependency on a node not yet read
// waits for it; one on a node that has left the window is satisfied. Which ids have left is kept as
// merged ranges of ids, so dense ids cost a few ranges whatever the trace's length; past
// kMaxRetiredRanges ranges the lowest gaps are filled in (a dependency on an id that never
// appeared, far behind the window, then passes unnoticed: the one check given up for bounded
// memory).
//
// Each node also learns how it became ready, following the dependency that finished last back to
// the first receive on that chain: receive_on_chain(id) is how many nodes lie between (0: the
// dependency that finished last was a receive; kNoReceive when there is none, or the node was ready
// as it was read) and when that receive finished (the `now` given to finish). The replay counts a
// compute stream's wait as a pipeline bubble by it.
//
// The assumption behind the capacity: traces are near-topologically ordered (a node's
// dependencies come shortly before it), as Chakra's converters and gwsim's exporter write them.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/workload/chakra/trace.h"

namespace gwsim::executor {

// A malformed graph: a duplicate id, a node that depends on itself.
class WindowError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class NodeWindow {
 public:
  static constexpr size_t kMaxRetiredRanges = 1024;
  static constexpr int kUnordered = -1;
  static constexpr int kNoReceive = 1 << 20;

  explicit NodeWindow(size_t capacity) : capacity_(capacity) {}

  bool full() const { return entries_.size() >= capacity_; }
  // Adds the next node of the file. `queue` >= 0 makes it wait for the earlier nodes of that queue
  // to be taken first. Throws WindowError on a duplicate id or a self-dependency.
  void add(chakra::TraceNode node, int queue);
  // The next node that may start, or nullptr. The node stays valid until finish(its id).
  const chakra::TraceNode* take();
  // The node with this id (taken before) has finished, at time `now`.
  void finish(uint64_t id, double now = 0);
  // For a node taken and not yet finished: see the header.
  struct ReceiveOnChain {
    int distance = kNoReceive;
    double finished = 0;
  };
  ReceiveOnChain receive_on_chain(uint64_t id) const { return at(index_.at(id)).receive; }

  size_t held() const { return entries_.size(); }
  size_t peak_held() const { return peak_held_; }
  size_t running() const { return running_; }
  bool empty() const { return entries_.empty(); }
  size_t retired_ranges() const { return retired_.size(); }
  // The oldest node not finished, for diagnostics (nullptr when none).
  const chakra::TraceNode* oldest_unfinished() const;
  // After the file's last node: a dependency no node of the file satisfies, as "node X depends on
  // node Y, which is not in the trace", or nullopt.
  std::optional<std::string> dangling() const;

 private:
  struct Entry {
    uint64_t id = 0;
    int queue = kUnordered;
    int pending = 0;  // unfinished dependencies
    bool taken = false;
    bool finished = false;
    ReceiveOnChain receive;
    std::vector<uint64_t> dependents;  // sequence numbers of the nodes waiting on this one
    chakra::TraceNode node;
  };
  Entry& at(uint64_t seq) { return entries_[seq - front_seq_]; }
  const Entry& at(uint64_t seq) const { return entries_[seq - front_seq_]; }
  bool retired(uint64_t id) const;
  void retire(uint64_t id);
  void became_ready(uint64_t seq);

  size_t capacity_;
  std::deque<Entry> entries_;
  uint64_t front_seq_ = 0;  // sequence number (file position) of entries_.front()
  uint64_t next_seq_ = 0;
  size_t peak_held_ = 0;
  size_t running_ = 0;
  // Lookups only, never iterated in an order that matters.
  std::unordered_map<uint64_t, uint64_t> index_;                  // id -> sequence number
  std::unordered_map<uint64_t, std::vector<uint64_t>> awaiting_;  // unread id -> dependents
  std::map<int, std::deque<uint64_t>> queues_;                    // not yet taken, file order
  std::deque<uint64_t> takeable_;
  std::map<uint64_t, uint64_t> retired_;  // first id -> last id (inclusive) of finished ranges
};

}  // namespace gwsim::executor
