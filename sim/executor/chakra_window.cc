#include "sim/executor/chakra_window.h"

#include <algorithm>
#include <iterator>
#include <limits>

namespace gwsim::executor {

bool NodeWindow::retired(uint64_t id) const {
  auto it = retired_.upper_bound(id);
  if (it == retired_.begin()) return false;
  --it;
  return id <= it->second;
}

void NodeWindow::retire(uint64_t id) {
  auto next = retired_.upper_bound(id);
  if (next != retired_.begin()) {
    auto prev = std::prev(next);
    if (prev->second != std::numeric_limits<uint64_t>::max() && prev->second + 1 == id) {
      prev->second = id;
      if (next != retired_.end() && next->first == id + 1) {
        prev->second = next->second;
        retired_.erase(next);
      }
      return;
    }
  }
  if (next != retired_.end() && id + 1 == next->first) {
    const uint64_t last = next->second;
    retired_.erase(next);
    retired_.emplace(id, last);
  } else {
    retired_.emplace(id, id);
  }
  // Bounded: fill the lowest gap (see the header).
  while (retired_.size() > kMaxRetiredRanges) {
    auto first = retired_.begin();
    auto second = std::next(first);
    first->second = second->second;
    retired_.erase(second);
  }
}

void NodeWindow::add(chakra::TraceNode node, int queue) {
  const uint64_t id = node.id;
  if (index_.count(id) != 0 || retired(id))
    throw WindowError("node " + std::to_string(id) + ": another node has the same id");
  const uint64_t seq = next_seq_++;
  std::vector<uint64_t> deps = node.data_deps;
  deps.insert(deps.end(), node.ctrl_deps.begin(), node.ctrl_deps.end());
  std::sort(deps.begin(), deps.end());
  deps.erase(std::unique(deps.begin(), deps.end()), deps.end());

  Entry e;
  e.id = id;
  e.queue = queue;
  for (uint64_t d : deps) {
    if (d == id) throw WindowError("node " + std::to_string(id) + " depends on itself");
    if (retired(d)) continue;
    const auto found = index_.find(d);
    if (found != index_.end()) {
      Entry& dep = at(found->second);
      if (dep.finished) continue;
      dep.dependents.push_back(seq);
    } else {
      awaiting_[d].push_back(seq);
    }
    ++e.pending;
  }
  const auto waiting = awaiting_.find(id);
  if (waiting != awaiting_.end()) {
    e.dependents = std::move(waiting->second);
    awaiting_.erase(waiting);
  }
  e.node = std::move(node);
  entries_.push_back(std::move(e));
  index_.emplace(id, seq);
  peak_held_ = std::max(peak_held_, entries_.size());
  if (queue != kUnordered) queues_[queue].push_back(seq);
  if (entries_.back().pending == 0) became_ready(seq);
}

void NodeWindow::became_ready(uint64_t seq) {
  const Entry& e = at(seq);
  if (e.queue != kUnordered && queues_.at(e.queue).front() != seq) return;  // taken in turn later
  takeable_.push_back(seq);
}

const chakra::TraceNode* NodeWindow::take() {
  if (takeable_.empty()) return nullptr;
  const uint64_t seq = takeable_.front();
  takeable_.pop_front();
  Entry& e = at(seq);
  e.taken = true;
  ++running_;
  if (e.queue != kUnordered) {
    std::deque<uint64_t>& q = queues_.at(e.queue);
    q.pop_front();
    if (!q.empty() && at(q.front()).pending == 0) takeable_.push_back(q.front());
  }
  return &e.node;
}

void NodeWindow::finish(uint64_t id, double now) {
  const uint64_t seq = index_.at(id);
  Entry& e = at(seq);
  e.finished = true;
  --running_;
  const ReceiveOnChain chain =
      e.node.kind == chakra::NodeKind::kRecv
          ? ReceiveOnChain{0, now}
          : ReceiveOnChain{std::min(e.receive.distance + 1, kNoReceive), e.receive.finished};
  e.node = chakra::TraceNode{};  // its payload is no longer needed
  for (uint64_t d : e.dependents) {
    Entry& dependent = at(d);
    if (--dependent.pending == 0) {
      dependent.receive = chain;
      became_ready(d);
    }
  }
  e.dependents = {};
  while (!entries_.empty() && entries_.front().finished) {
    index_.erase(entries_.front().id);
    retire(entries_.front().id);
    entries_.pop_front();
    ++front_seq_;
  }
}

const chakra::TraceNode* NodeWindow::oldest_unfinished() const {
  for (const Entry& e : entries_)
    if (!e.finished) return &e.node;
  return nullptr;
}

std::optional<std::string> NodeWindow::dangling() const {
  if (awaiting_.empty()) return std::nullopt;
  // The earliest node in file order that waits on a missing id (a deterministic choice).
  uint64_t best_seq = std::numeric_limits<uint64_t>::max(), missing = 0;
  for (const auto& [id, dependents] : awaiting_) {
    for (uint64_t s : dependents) {
      if (s < best_seq || (s == best_seq && id < missing)) {
        best_seq = s;
        missing = id;
      }
    }
  }
  return "node " + std::to_string(at(best_seq).id) + " depends on node " + std::to_string(missing) +
         ", which is not in the trace";
}

}  // namespace gwsim::executor
