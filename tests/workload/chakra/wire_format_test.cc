// Wire compatibility with Chakra's et_def.proto, checked against byte streams built by hand from
// the protobuf encoding rules and Chakra's field numbers (not with gwsim's generated code), and the
// reader's errors for malformed input.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "sim/workload/chakra/reader.h"
#include "sim/workload/chakra/writer.h"
#include "tests/workload/chakra/test_support.h"

namespace gwsim::chakra {
namespace {

using namespace gwsim::chakra::testing;  // NOLINT(google-build-using-namespace)

// Chakra's numbers: Node fields and NodeType / CollectiveCommType values.
constexpr int kId = 1, kName = 2, kType = 3, kCtrlDeps = 4, kDataDeps = 5, kStart = 6,
              kDuration = 7, kInputs = 8, kStorage = 11;
constexpr uint64_t kMemLoad = 2, kMemStore = 3, kComp = 4, kSend = 5, kRecv = 6, kColl = 7,
                   kStorageNode = 8;
constexpr uint64_t kAllGather = 2;

class WireFormatTest : public ChakraTest {
 protected:
  // Reads every node of `bytes`; returns the InputError's message, or "" if reading succeeds.
  std::string error_of(const std::string& bytes) {
    const fs::path path = write_bytes("bad.et", bytes);
    try {
      TraceReader reader(path);
      TraceNode node;
      while (reader.next(node)) {
      }
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(WireFormatTest, ReadsAHandEncodedTraceWithEveryAttributeKind) {
  // A collective: unpacked ctrl_deps, packed data_deps, recorded times, an input description and
  // Chakra's storage field (unknown to gwsim, skipped), an attribute gwsim ignores.
  const std::string collective =
      varint_field(kId, 7) + len_field(kName, "ag") + varint_field(kType, kColl) +
      varint_field(kCtrlDeps, 3) + varint_field(kCtrlDeps, 4) +
      len_field(kDataDeps, varint(5) + varint(300)) + varint_field(kStart, 1000) +
      varint_field(kDuration, 250) + len_field(kInputs, len_field(2, "[[4,4]]")) +
      len_field(kStorage, varint_field(1, 1)) + attr("comm_type", varint_field(9, kAllGather)) +
      attr("comm_size", varint_field(9, 1 << 20)) + attr("pg_name", len_field(29, "dp_group")) +
      attr("involved_dim", len_field(28, len_field(1, std::string("\x01\x00\x01", 3)))) +
      attr("is_cpu_op", varint_field(27, 0));
  // A send: comm_dst as sint32 (zigzag), comm_size as fixed64, comm_tag a negative int32 (a
  // sign-extended 10-byte varint).
  const std::string send = varint_field(kId, 8) + varint_field(kType, kSend) +
                           attr("comm_dst", varint_field(15, zigzag(3))) +
                           attr("comm_size", fixed64_field(21, 4096)) +
                           attr("comm_tag", varint_field(7, static_cast<uint64_t>(int64_t{-1})));
  // A receive: comm_src as uint32, comm_size as uint64.
  const std::string recv =
      varint_field(kId, 9) + varint_field(kType, kRecv) + attr("comm_src", varint_field(11, 2)) +
      attr("comm_size", varint_field(13, 4096)) + attr("comm_tag", varint_field(7, 17));
  const std::string comp = varint_field(kId, 10) + len_field(kName, "gemm") +
                           varint_field(kType, kComp) + varint_field(kDataDeps, 9) +
                           attr("num_ops", varint_field(9, 123456789)) +
                           attr("tensor_size", varint_field(13, 65536));
  const std::string load = varint_field(kId, 11) + varint_field(kType, kMemLoad) +
                           attr("tensor_size", varint_field(13, 512));
  const std::string store = varint_field(kId, 12) + varint_field(kType, kMemStore) +
                            attr("tensor_size", varint_field(17, zigzag(768)));
  // GlobalMetadata with a version and one attribute.
  const std::string meta =
      len_field(1, "0.0.4") + len_field(2, len_field(1, "schema") + len_field(29, "1.0.2-chakra"));
  const fs::path path =
      write_bytes("rank0.et", record(meta) + record(collective) + record(send) + record(recv) +
                                  record(comp) + record(load) + record(store));

  TraceReader reader(path);
  EXPECT_EQ(reader.metadata().version, "0.0.4");
  TraceNode n;

  ASSERT_TRUE(reader.next(n));
  EXPECT_EQ(n.id, 7u);
  EXPECT_EQ(n.name, "ag");
  EXPECT_EQ(n.kind, NodeKind::kCollective);
  EXPECT_EQ(n.ctrl_deps, (std::vector<uint64_t>{3, 4}));
  EXPECT_EQ(n.data_deps, (std::vector<uint64_t>{5, 300}));
  ASSERT_TRUE(n.recorded_start && n.recorded_duration);
  EXPECT_DOUBLE_EQ(n.recorded_start->value(), 1000e-6);
  EXPECT_DOUBLE_EQ(n.recorded_duration->value(), 250e-6);
  EXPECT_EQ(n.collective, CollectiveKind::kAllGather);
  ASSERT_TRUE(n.comm_bytes);
  EXPECT_EQ(n.comm_bytes->value(), 1 << 20);
  EXPECT_EQ(n.pg_name, "dp_group");
  EXPECT_EQ(n.involved_dim, (std::vector<bool>{true, false, true}));
  EXPECT_FALSE(n.flops);
  EXPECT_FALSE(n.comm_src);

  ASSERT_TRUE(reader.next(n));
  EXPECT_EQ(n.id, 8u);
  EXPECT_EQ(n.kind, NodeKind::kSend);
  EXPECT_TRUE(n.name.empty());
  EXPECT_EQ(n.comm_dst, 3);
  EXPECT_EQ(n.comm_tag, -1);
  ASSERT_TRUE(n.comm_bytes);
  EXPECT_EQ(n.comm_bytes->value(), 4096);
  // Fields of the previous node do not leak into this one.
  EXPECT_FALSE(n.collective);
  EXPECT_FALSE(n.pg_name);
  EXPECT_TRUE(n.involved_dim.empty());
  EXPECT_TRUE(n.ctrl_deps.empty());
  EXPECT_FALSE(n.recorded_duration);

  ASSERT_TRUE(reader.next(n));
  EXPECT_EQ(n.kind, NodeKind::kRecv);
  EXPECT_EQ(n.comm_src, 2);
  EXPECT_EQ(n.comm_tag, 17);
  EXPECT_EQ(n.comm_bytes->value(), 4096);

  ASSERT_TRUE(reader.next(n));
  EXPECT_EQ(n.kind, NodeKind::kCompute);
  EXPECT_EQ(n.name, "gemm");
  EXPECT_EQ(n.data_deps, (std::vector<uint64_t>{9}));
  ASSERT_TRUE(n.flops && n.tensor_bytes);
  EXPECT_EQ(n.flops->value(), 123456789);
  EXPECT_EQ(n.tensor_bytes->value(), 65536);

  ASSERT_TRUE(reader.next(n));
  EXPECT_EQ(n.kind, NodeKind::kMemLoad);
  EXPECT_EQ(n.tensor_bytes->value(), 512);
  ASSERT_TRUE(reader.next(n));
  EXPECT_EQ(n.kind, NodeKind::kMemStore);
  EXPECT_EQ(n.tensor_bytes->value(), 768);

  EXPECT_FALSE(reader.next(n));
  EXPECT_EQ(reader.nodes_read(), 6u);
}

TEST_F(WireFormatTest, WriterEmitsChakraBytes) {
  const fs::path path = dir_ / "w.et";
  TraceWriter writer(path, {.version = "0.0.4"});
  TraceNode n;
  n.id = 1;
  n.name = "g";
  n.kind = NodeKind::kCompute;
  n.data_deps = {0};
  n.flops = Flops(10);
  writer.write(n);
  TraceNode c;
  c.id = 2;
  c.kind = NodeKind::kCollective;
  c.collective = CollectiveKind::kAllGather;
  c.comm_bytes = Bytes(300);
  c.involved_dim = {true, false};
  writer.write(c);
  writer.close();

  // Fields in number order, packed repeated scalars, the value kinds Chakra's converter writes.
  const std::string expected =
      metadata_record("0.0.4") +
      record(varint_field(kId, 1) + len_field(kName, "g") + varint_field(kType, kComp) +
             len_field(kDataDeps, varint(0)) + attr("num_ops", varint_field(9, 10))) +
      record(varint_field(kId, 2) + varint_field(kType, kColl) +
             attr("comm_type", varint_field(9, kAllGather)) +
             attr("comm_size", varint_field(9, 300)) +
             attr("involved_dim", len_field(28, len_field(1, std::string("\x01\x00", 2)))));
  EXPECT_EQ(read_bytes(path), expected);
}

TEST_F(WireFormatTest, TruncatedLengthPrefixNamesTheFileAndTheLastNode) {
  const std::string good = record(varint_field(kId, 41) + varint_field(kType, kComp) +
                                  attr("num_ops", varint_field(9, 5)));
  const std::string msg = error_of(metadata_record("0.0.4") + good + std::string("\x85", 1));
  EXPECT_NE(msg.find("bad.et"), std::string::npos) << msg;
  EXPECT_NE(msg.find("after node 41"), std::string::npos) << msg;
  EXPECT_NE(msg.find("length prefix is cut off"), std::string::npos) << msg;
}

TEST_F(WireFormatTest, TruncatedBodyIsReportedWithTheMissingBytes) {
  const std::string good = record(varint_field(kId, 41) + varint_field(kType, kComp) +
                                  attr("num_ops", varint_field(9, 5)));
  const std::string next = record(varint_field(kId, 42) + varint_field(kType, kComp) +
                                  attr("num_ops", varint_field(9, 5)));
  // Cut the last record two bytes short, at a field boundary so the bytes present still parse.
  const std::string bytes = metadata_record("0.0.4") + good + next.substr(0, next.size() - 2);
  const std::string msg = error_of(bytes);
  EXPECT_NE(msg.find("bad.et"), std::string::npos) << msg;
  EXPECT_NE(msg.find("after node 41"), std::string::npos) << msg;
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
  EXPECT_NE(msg.find("remain"), std::string::npos) << msg;
}

TEST_F(WireFormatTest, ALengthBeyondProtobufsLimitIsRejected) {
  const std::string msg = error_of(metadata_record("0.0.4") + varint(0xFFFFFFF0u) + "abc");
  EXPECT_NE(msg.find("4294967280 bytes exceeds protobuf's 2 GiB message limit"), std::string::npos)
      << msg;
}

TEST_F(WireFormatTest, GarbageInsideARecordIsMalformed) {
  // A length-delimited field whose own length runs past the record's end.
  const std::string body = varint_field(kId, 5) + key(kName, kLen) + varint(50) + "ab";
  const std::string msg = error_of(metadata_record("0.0.4") + record(body));
  EXPECT_NE(msg.find("malformed"), std::string::npos) << msg;
  EXPECT_NE(msg.find("first node"), std::string::npos) << msg;
}

TEST_F(WireFormatTest, EmptyFileAndMissingFileAreInputErrors) {
  EXPECT_NE(error_of("").find("expected a GlobalMetadata record"), std::string::npos);
  EXPECT_THROW(TraceReader(dir_ / "absent.et"), InputError);
}

TEST_F(WireFormatTest, UnsupportedAndUnknownNodeTypesNameTheNode) {
  std::string msg = error_of(metadata_record("0.0.4") +
                             record(varint_field(kId, 77) + varint_field(kType, kStorageNode)));
  EXPECT_NE(msg.find("node 77"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unsupported node type STORAGE_NODE"), std::string::npos) << msg;

  msg =
      error_of(metadata_record("0.0.4") + record(varint_field(kId, 78) + varint_field(kType, 99)));
  EXPECT_NE(msg.find("node 78"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown type 99"), std::string::npos) << msg;
}

TEST_F(WireFormatTest, MissingRequiredAttributesNameTheNodeAndTheAttribute) {
  struct Case {
    std::string body;
    std::string expected;
  };
  const Case cases[] = {
      {varint_field(kId, 1) + varint_field(kType, kComp), "num_ops or a recorded duration_micros"},
      {varint_field(kId, 2) + varint_field(kType, kColl) + attr("comm_size", varint_field(9, 8)),
       "COMM_COLL_NODE needs attribute comm_type"},
      {varint_field(kId, 3) + varint_field(kType, kColl) + attr("comm_type", varint_field(9, 0)),
       "COMM_COLL_NODE needs attribute comm_size"},
      {varint_field(kId, 4) + varint_field(kType, kSend) + attr("comm_size", varint_field(9, 8)),
       "COMM_SEND_NODE needs attribute comm_dst"},
      {varint_field(kId, 5) + varint_field(kType, kRecv) + attr("comm_size", varint_field(9, 8)),
       "COMM_RECV_NODE needs attribute comm_src"},
      {varint_field(kId, 6) + varint_field(kType, kRecv) + attr("comm_src", varint_field(7, 1)),
       "COMM_RECV_NODE needs attribute comm_size"},
      {varint_field(kId, 7) + varint_field(kType, kMemLoad),
       "MEM_LOAD_NODE needs attribute tensor_size"},
      {varint_field(kId, 8) + varint_field(kType, kMemStore),
       "MEM_STORE_NODE needs attribute tensor_size"},
  };
  for (const Case& c : cases) {
    const std::string msg = error_of(metadata_record("0.0.4") + record(c.body));
    EXPECT_NE(msg.find(c.expected), std::string::npos) << msg;
    EXPECT_NE(msg.find("node "), std::string::npos) << msg;
  }
}

TEST_F(WireFormatTest, IllTypedOrOutOfRangeAttributesAreRejected) {
  const std::string head = varint_field(kId, 9) + varint_field(kType, kColl);
  struct Case {
    std::string attrs;
    std::string expected;
  };
  const Case cases[] = {
      {attr("comm_type", len_field(29, "allreduce")) + attr("comm_size", varint_field(9, 8)),
       "attr comm_type: expected an integer value, got string_val"},
      {attr("comm_type", varint_field(9, 10)) + attr("comm_size", varint_field(9, 8)),
       "attr comm_type: expected a value in [0, 9], got 10"},
      {attr("comm_type", varint_field(9, 0)) +
           attr("comm_size", varint_field(9, static_cast<uint64_t>(int64_t{-8}))),
       "attr comm_size: expected a value in [0, "},
      {attr("comm_type", varint_field(9, 0)) + attr("comm_size", varint_field(9, 8)) +
           attr("comm_size", varint_field(9, 16)),
       "attr comm_size: appears more than once"},
      {attr("comm_type", varint_field(9, 0)) + attr("comm_size", varint_field(9, 8)) +
           attr("pg_name", varint_field(9, 3)),
       "attr pg_name: expected string_val, got int64_val"},
      {attr("comm_type", varint_field(9, 0)) + attr("comm_size", varint_field(9, 8)) +
           attr("involved_dim", varint_field(27, 1)),
       "attr involved_dim: expected bool_list, got bool_val"},
      {attr("comm_type", varint_field(9, 0)) + attr("comm_size", varint_field(13, ~uint64_t{0})),
       "attr comm_size: value 18446744073709551615 is too large"},
  };
  for (const Case& c : cases) {
    const std::string msg = error_of(metadata_record("0.0.4") + record(head + c.attrs));
    EXPECT_NE(msg.find("bad.et"), std::string::npos) << msg;
    EXPECT_NE(msg.find("node 9"), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.expected), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace gwsim::chakra
