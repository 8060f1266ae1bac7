// The replay's bounded window (plain C++): dependencies, in-order queues, retirement and its bound.
#include "sim/executor/chakra_window.h"

#include <gtest/gtest.h>

namespace gwsim::executor {
namespace {

chakra::TraceNode node(uint64_t id, std::vector<uint64_t> data = {},
                       std::vector<uint64_t> ctrl = {}) {
  chakra::TraceNode n;
  n.id = id;
  n.data_deps = std::move(data);
  n.ctrl_deps = std::move(ctrl);
  return n;
}

std::vector<uint64_t> take_all(NodeWindow& w) {
  std::vector<uint64_t> ids;
  while (const chakra::TraceNode* n = w.take()) ids.push_back(n->id);
  return ids;
}

TEST(NodeWindow, ANodeKnowsTheReceiveOnTheChainThatMadeItReady) {
  NodeWindow w(16);
  chakra::TraceNode receive = node(1);
  receive.kind = chakra::NodeKind::kRecv;
  w.add(node(0), NodeWindow::kUnordered);
  w.add(std::move(receive), NodeWindow::kUnordered);
  w.add(node(2, {1}), NodeWindow::kUnordered);     // a collective on the received data
  w.add(node(3, {2, 0}), NodeWindow::kUnordered);  // compute after both
  w.add(node(4, {0}), NodeWindow::kUnordered);     // compute after compute only
  EXPECT_EQ(take_all(w), (std::vector<uint64_t>{0, 1}));
  EXPECT_EQ(w.receive_on_chain(0).distance, NodeWindow::kNoReceive);  // ready as read
  w.finish(0, 1.0);
  w.finish(1, 2.0);
  EXPECT_EQ(take_all(w), (std::vector<uint64_t>{4, 2}));
  EXPECT_EQ(w.receive_on_chain(4).distance, NodeWindow::kNoReceive);
  EXPECT_EQ(w.receive_on_chain(2).distance, 0);
  EXPECT_EQ(w.receive_on_chain(2).finished, 2.0);
  w.finish(2, 3.0);
  EXPECT_EQ(take_all(w), std::vector<uint64_t>{3});
  // 3's last dependency was 2, made ready by the receive: one node between, the receive's time.
  EXPECT_EQ(w.receive_on_chain(3).distance, 1);
  EXPECT_EQ(w.receive_on_chain(3).finished, 2.0);
}

TEST(NodeWindow, NodesStartWhenTheirDependenciesHaveFinished) {
  NodeWindow w(16);
  w.add(node(0), NodeWindow::kUnordered);
  w.add(node(1, {0}), NodeWindow::kUnordered);
  w.add(node(2, {}, {0}), NodeWindow::kUnordered);
  w.add(node(3, {1}, {2}), NodeWindow::kUnordered);
  EXPECT_EQ(take_all(w), std::vector<uint64_t>{0});
  w.finish(0);
  EXPECT_EQ(take_all(w), (std::vector<uint64_t>{1, 2}));
  w.finish(2);
  EXPECT_TRUE(take_all(w).empty());  // 3 still waits on 1
  w.finish(1);
  EXPECT_EQ(take_all(w), std::vector<uint64_t>{3});
  w.finish(3);
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(w.peak_held(), 4u);
}

TEST(NodeWindow, AQueueHandsOutItsNodesInFileOrder) {
  NodeWindow w(16);
  w.add(node(0), NodeWindow::kUnordered);
  w.add(node(1, {0}), 7);  // waits on 0
  w.add(node(2), 7);       // ready, but behind 1 in its queue
  w.add(node(3), 8);       // another queue: free to go
  EXPECT_EQ(take_all(w), (std::vector<uint64_t>{0, 3}));
  w.finish(0);
  EXPECT_EQ(take_all(w), (std::vector<uint64_t>{1, 2}));
}

TEST(NodeWindow, ADependencyOnALaterNodeWaitsForItToBeRead) {
  NodeWindow w(16);
  w.add(node(5, {6}), NodeWindow::kUnordered);
  EXPECT_TRUE(take_all(w).empty());
  EXPECT_EQ(w.dangling().value(), "node 5 depends on node 6, which is not in the trace");
  w.add(node(6), NodeWindow::kUnordered);
  EXPECT_FALSE(w.dangling().has_value());
  EXPECT_EQ(take_all(w), std::vector<uint64_t>{6});
  w.finish(6);
  EXPECT_EQ(take_all(w), std::vector<uint64_t>{5});
}

TEST(NodeWindow, FinishedNodesLeaveFromTheFrontOnly) {
  NodeWindow w(3);
  w.add(node(0), NodeWindow::kUnordered);
  w.add(node(1), NodeWindow::kUnordered);
  w.add(node(2), NodeWindow::kUnordered);
  EXPECT_TRUE(w.full());
  take_all(w);
  w.finish(1);
  w.finish(2);
  EXPECT_EQ(w.held(), 3u);  // 0 is still running: the span is held
  EXPECT_EQ(w.oldest_unfinished()->id, 0u);
  w.finish(0);
  EXPECT_EQ(w.held(), 0u);
  // A dependency on a node that has left is satisfied.
  w.add(node(3, {0, 2}), NodeWindow::kUnordered);
  EXPECT_EQ(take_all(w), std::vector<uint64_t>{3});
}

TEST(NodeWindow, MalformedGraphsAreErrors) {
  NodeWindow w(16);
  w.add(node(1), NodeWindow::kUnordered);
  EXPECT_THROW(w.add(node(1), NodeWindow::kUnordered), WindowError);
  EXPECT_THROW(w.add(node(2, {2}), NodeWindow::kUnordered), WindowError);
  take_all(w);
  w.finish(1);
  EXPECT_THROW(w.add(node(1), NodeWindow::kUnordered), WindowError);  // left, still known
}

TEST(NodeWindow, RetiredIdsStayCompactForDenseAndSparseIds) {
  // Dense ids: one range whatever the length.
  NodeWindow dense(8);
  for (uint64_t i = 0; i < 100000; ++i) {
    dense.add(node(i, i > 0 ? std::vector<uint64_t>{i - 1} : std::vector<uint64_t>{}),
              NodeWindow::kUnordered);
    for (uint64_t id : take_all(dense)) dense.finish(id);
  }
  EXPECT_EQ(dense.retired_ranges(), 1u);
  EXPECT_LE(dense.peak_held(), 8u);
  // Every other id: the ranges stop at the bound.
  NodeWindow sparse(8);
  for (uint64_t i = 0; i < 100000; i += 2) {
    sparse.add(node(i), NodeWindow::kUnordered);
    for (uint64_t id : take_all(sparse)) sparse.finish(id);
  }
  EXPECT_EQ(sparse.retired_ranges(), NodeWindow::kMaxRetiredRanges);
}

}  // namespace
}  // namespace gwsim::executor
