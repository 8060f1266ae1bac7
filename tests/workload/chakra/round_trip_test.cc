// Writing nodes with TraceWriter and reading them back with TraceReader gives the same nodes.
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "sim/workload/chakra/reader.h"
#include "sim/workload/chakra/writer.h"
#include "tests/workload/chakra/test_support.h"

namespace gwsim::chakra {
namespace {

namespace fs = std::filesystem;
using testing::ChakraTest;

void expect_same(const TraceNode& a, const TraceNode& b) {
  SCOPED_TRACE("node " + std::to_string(a.id));
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.ctrl_deps, b.ctrl_deps);
  EXPECT_EQ(a.data_deps, b.data_deps);
  EXPECT_EQ(a.flops, b.flops);
  EXPECT_EQ(a.tensor_bytes, b.tensor_bytes);
  EXPECT_EQ(a.collective, b.collective);
  EXPECT_EQ(a.comm_bytes, b.comm_bytes);
  EXPECT_EQ(a.comm_src, b.comm_src);
  EXPECT_EQ(a.comm_dst, b.comm_dst);
  EXPECT_EQ(a.comm_tag, b.comm_tag);
  EXPECT_EQ(a.pg_name, b.pg_name);
  EXPECT_EQ(a.involved_dim, b.involved_dim);
  EXPECT_EQ(a.recorded_start, b.recorded_start);
  EXPECT_EQ(a.recorded_duration, b.recorded_duration);
}

// One node of every supported kind, every collective, every attribute.
std::vector<TraceNode> sample_nodes() {
  std::vector<TraceNode> nodes;
  TraceNode load;
  load.id = 0;
  load.name = "load_weights";
  load.kind = NodeKind::kMemLoad;
  load.tensor_bytes = Bytes(1 << 30);
  nodes.push_back(load);

  TraceNode gemm;
  gemm.id = 1;
  gemm.name = "fwd_gemm";
  gemm.kind = NodeKind::kCompute;
  gemm.data_deps = {0};
  gemm.flops = Flops(2.0 * 8192 * 8192 * 8192);  // 2 m n k of a square GEMM, exact in a double
  gemm.tensor_bytes = Bytes(3.0 * 8192 * 8192 * 2);
  gemm.recorded_start = Seconds(0.125);
  gemm.recorded_duration = Seconds(0.0035);
  nodes.push_back(gemm);

  const CollectiveKind all[] = {CollectiveKind::kAllReduce,
                                CollectiveKind::kReduce,
                                CollectiveKind::kAllGather,
                                CollectiveKind::kGather,
                                CollectiveKind::kScatter,
                                CollectiveKind::kBroadcast,
                                CollectiveKind::kAllToAll,
                                CollectiveKind::kReduceScatter,
                                CollectiveKind::kReduceScatterBlock,
                                CollectiveKind::kBarrier};
  uint64_t id = 2;
  for (const CollectiveKind kind : all) {
    TraceNode coll;
    coll.id = id++;
    coll.name = std::string(to_string(kind));
    coll.kind = NodeKind::kCollective;
    coll.ctrl_deps = {1};
    coll.data_deps = {0, 1};
    coll.collective = kind;
    coll.comm_bytes = Bytes(static_cast<double>(id) * 1048576);
    coll.pg_name = "tp_" + std::to_string(id);
    coll.involved_dim = {true, id % 2 == 0, false};
    nodes.push_back(coll);
  }
  TraceNode send;
  send.id = id++;
  send.kind = NodeKind::kSend;
  send.comm_src = 0;
  send.comm_dst = 5;
  send.comm_tag = -7;
  send.comm_bytes = Bytes(4096);
  nodes.push_back(send);
  TraceNode recv;
  recv.id = id++;
  recv.kind = NodeKind::kRecv;
  recv.ctrl_deps = {send.id};
  recv.comm_src = 5;
  recv.comm_dst = 0;
  recv.comm_tag = 7;
  recv.comm_bytes = Bytes(4096);
  recv.recorded_duration = Seconds(1e-6);
  nodes.push_back(recv);
  TraceNode store;
  store.id = id++;
  store.kind = NodeKind::kMemStore;
  store.data_deps = {recv.id};
  store.tensor_bytes = Bytes(12345);
  nodes.push_back(store);
  TraceNode timed;  // a compute node with only a recorded duration
  timed.id = id++;
  timed.kind = NodeKind::kCompute;
  timed.recorded_duration = Seconds(0.25);
  nodes.push_back(timed);
  return nodes;
}

TEST_F(ChakraTest, RoundTripPreservesEveryField) {
  const std::vector<TraceNode> nodes = sample_nodes();
  const fs::path path = dir_ / "rank3.et";
  {
    TraceWriter writer(path, {.version = "0.0.4"});
    for (const TraceNode& n : nodes) writer.write(n);
    EXPECT_EQ(writer.nodes_written(), nodes.size());
    writer.close();
  }
  TraceReader reader(path);
  EXPECT_EQ(reader.metadata().version, "0.0.4");
  TraceNode got;
  for (const TraceNode& want : nodes) {
    ASSERT_TRUE(reader.next(got));
    expect_same(got, want);
  }
  EXPECT_FALSE(reader.next(got));
  EXPECT_FALSE(reader.next(got));  // the end stays the end
  EXPECT_EQ(reader.nodes_read(), nodes.size());
}

TEST_F(ChakraTest, KindNamesAreChakras) {
  EXPECT_EQ(to_string(NodeKind::kCompute), "COMP_NODE");
  EXPECT_EQ(to_string(NodeKind::kRecv), "COMM_RECV_NODE");
  EXPECT_EQ(to_string(NodeKind::kMemStore), "MEM_STORE_NODE");
  EXPECT_EQ(to_string(CollectiveKind::kAllToAll), "ALL_TO_ALL");
  EXPECT_EQ(to_string(CollectiveKind::kReduceScatter), "REDUCE_SCATTER");
}

TEST_F(ChakraTest, WriterRejectsNodesTheReaderWouldReject) {
  TraceWriter writer(dir_ / "w.et", {.version = "0.0.4"});
  TraceNode send;
  send.id = 3;
  send.kind = NodeKind::kSend;
  send.comm_bytes = Bytes(8);
  EXPECT_THROW(writer.write(send), std::invalid_argument);  // no comm_dst
  send.comm_dst = 1;
  EXPECT_NO_THROW(writer.write(send));

  TraceNode comp;
  comp.id = 4;
  comp.kind = NodeKind::kCompute;
  EXPECT_THROW(writer.write(comp), std::invalid_argument);  // neither num_ops nor duration
  comp.flops = Flops(1.5);
  EXPECT_THROW(writer.write(comp), std::invalid_argument);  // not a whole number
  comp.flops = Flops(-2);
  EXPECT_THROW(writer.write(comp), std::invalid_argument);
  comp.flops = Flops(2);
  comp.recorded_duration = Seconds(1.5e-7);  // not a whole number of microseconds
  EXPECT_THROW(writer.write(comp), std::invalid_argument);
  EXPECT_EQ(writer.nodes_written(), 1u);
}

TEST_F(ChakraTest, WriterToAnUnwritablePathIsAnInputError) {
  EXPECT_THROW(TraceWriter(dir_ / "no" / "such" / "dir.et", {.version = "0.0.4"}), InputError);
}

}  // namespace
}  // namespace gwsim::chakra
