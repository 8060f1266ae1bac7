// A trace of a million nodes is written and read one node at a time; memory stays bounded by one
// record, not by the file. Peak RSS is printed for the record; the assertion compares its growth
// with the file's size (a reader that held the trace would grow by at least that much).
#include <cstdint>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "sim/core/resource_usage.h"
#include "sim/workload/chakra/reader.h"
#include "sim/workload/chakra/writer.h"
#include "tests/workload/chakra/test_support.h"

namespace gwsim::chakra {
namespace {

namespace fs = std::filesystem;
using testing::ChakraTest;

constexpr uint64_t kNodes = 1'000'000;

// Node i: compute with 1000 * (i + 1) FLOP depending on node i - 1, except every 10th node, an
// all-reduce of i bytes over "dp" depending on the compute node before it.
void fill(uint64_t i, TraceNode& n) {
  n.id = i;
  // Built in place, so the test itself allocates nothing per node (sanitizer builds keep freed
  // blocks in quarantine, which would show as RSS growth).
  char name[48];
  const int len = std::snprintf(name, sizeof name, "layer_%llu_op_%llu",
                                static_cast<unsigned long long>(i / 10),
                                static_cast<unsigned long long>(i % 10));
  n.name.assign(name, static_cast<size_t>(len));
  n.data_deps.clear();
  n.ctrl_deps.clear();
  if (i > 0) n.data_deps.push_back(i - 1);
  if (i % 10 == 9) {
    n.kind = NodeKind::kCollective;
    n.flops.reset();
    n.collective = CollectiveKind::kAllReduce;
    n.comm_bytes = Bytes(static_cast<double>(i));
    n.pg_name = "dp";  // short enough to live inside the string object
  } else {
    n.kind = NodeKind::kCompute;
    n.flops = Flops(1000.0 * static_cast<double>(i + 1));
    n.collective.reset();
    n.comm_bytes.reset();
    n.pg_name.reset();
  }
}

TEST_F(ChakraTest, AMillionNodesStreamInBoundedMemory) {
  const int64_t rss_start = peak_rss_bytes();
  const fs::path path = dir_ / "big.et";
  {
    TraceWriter writer(path, {.version = "0.0.4"});
    TraceNode n;
    for (uint64_t i = 0; i < kNodes; ++i) {
      fill(i, n);
      writer.write(n);
    }
    writer.close();
  }
  const auto file_bytes = static_cast<int64_t>(fs::file_size(path));
  const int64_t rss_written = peak_rss_bytes();

  TraceReader reader(path);
  TraceNode got;
  TraceNode want;
  uint64_t count = 0;
  double flops = 0;
  double comm = 0;
  uint64_t mismatches = 0;
  while (reader.next(got)) {
    fill(count, want);
    if (got.id != want.id || got.kind != want.kind || got.data_deps != want.data_deps ||
        got.name != want.name || got.pg_name != want.pg_name) {
      ++mismatches;
    }
    if (got.flops) flops += got.flops->value();
    if (got.comm_bytes) comm += got.comm_bytes->value();
    ++count;
  }
  const int64_t rss_read = peak_rss_bytes();

  EXPECT_EQ(count, kNodes);
  EXPECT_EQ(mismatches, 0u);
  // Closed forms: sum over non-collective i of 1000 (i + 1), and sum of i over i = 9, 19, ...
  const auto n = static_cast<double>(kNodes);
  const double all = 1000.0 * n * (n + 1) / 2;
  const double k = n / 10;                                 // collectives: i = 10 j + 9, j < k
  const double coll_i = 10.0 * k * (k - 1) / 2 + 9.0 * k;  // sum of their i
  EXPECT_DOUBLE_EQ(comm, coll_i);
  EXPECT_DOUBLE_EQ(flops, all - 1000.0 * (coll_i + k));

  std::printf(
      "chakra streaming: %llu nodes, file %.1f MB; peak RSS %.1f MB at start, %.1f MB after "
      "writing, %.1f MB after reading\n",
      static_cast<unsigned long long>(count), static_cast<double>(file_bytes) / 1e6,
      static_cast<double>(rss_start) / 1e6, static_cast<double>(rss_written) / 1e6,
      static_cast<double>(rss_read) / 1e6);
  // A reader (or writer) that held the trace would grow by more than the file (the parsed nodes are
  // larger than their encoding). Half the file leaves room for sanitizer builds' allocator
  // overhead (about 13 MB here under ASan, 0.4 MB without).
  EXPECT_LT(rss_read - rss_start, file_bytes / 2) << "peak RSS grew by " << rss_read - rss_start
                                                  << " bytes for a " << file_bytes << "-byte trace";
}

}  // namespace
}  // namespace gwsim::chakra
