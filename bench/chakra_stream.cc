// Benchmark: writing and streaming back one rank's Chakra ET file of N nodes (default 10 million).
//
// The synthetic trace repeats a transformer-layer-like pattern of ten nodes: eight compute nodes
// (num_ops, tensor_size, a recorded duration), one all-reduce over "dp" with involved_dim, and one
// send/recv pair alternating between stages. Prints the file size, write and read wall time, nodes
// and MB per second, and peak RSS (getrusage maxrss) after each phase. Usage:
//   chakra_stream_bench [nodes] [folder]   (the file is removed afterwards)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "sim/core/resource_usage.h"
#include "sim/workload/chakra/reader.h"
#include "sim/workload/chakra/writer.h"

namespace {

namespace chakra = gwsim::chakra;

void fill(uint64_t i, chakra::TraceNode& n) {
  n.id = i;
  char name[48];
  const int len = std::snprintf(name, sizeof name, "layer_%llu_op_%llu",
                                static_cast<unsigned long long>(i / 10),
                                static_cast<unsigned long long>(i % 10));
  n.name.assign(name, static_cast<size_t>(len));
  n.ctrl_deps.clear();
  n.data_deps.clear();
  if (i > 0) n.data_deps.push_back(i - 1);
  n.flops.reset();
  n.tensor_bytes.reset();
  n.collective.reset();
  n.comm_bytes.reset();
  n.comm_src.reset();
  n.comm_dst.reset();
  n.comm_tag.reset();
  n.pg_name.reset();
  n.involved_dim.clear();
  n.recorded_duration.reset();
  switch (i % 10) {
    case 8:
      n.kind = chakra::NodeKind::kCollective;
      n.collective = chakra::CollectiveKind::kAllReduce;
      n.comm_bytes = gwsim::Bytes(64.0 * 1024 * 1024);
      n.pg_name = "dp";
      n.involved_dim = {false, true, true};
      break;
    case 9:
      n.kind = (i / 10) % 2 == 0 ? chakra::NodeKind::kSend : chakra::NodeKind::kRecv;
      n.comm_src = 0;
      n.comm_dst = 1;
      n.comm_tag = static_cast<int32_t>(i / 10 % 1000);
      n.comm_bytes = gwsim::Bytes(16.0 * 1024 * 1024);
      break;
    default:
      n.kind = chakra::NodeKind::kCompute;
      n.flops = gwsim::Flops(2.0 * 4096 * 4096 * 4096);
      n.tensor_bytes = gwsim::Bytes(3.0 * 4096 * 4096 * 2);
      n.recorded_duration = gwsim::Seconds(static_cast<double>(100 + i % 7) * 1e-6);
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t nodes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const std::filesystem::path dir = argc > 2 ? argv[2] : std::filesystem::temp_directory_path();
  const std::filesystem::path file = dir / ("gwsim_chakra_bench_" + std::to_string(nodes) + ".et");
  const double rss0 = static_cast<double>(gwsim::peak_rss_bytes()) / 1e6;

  auto start = std::chrono::steady_clock::now();
  {
    chakra::TraceWriter writer(file, {.version = "0.0.4"});
    chakra::TraceNode n;
    for (uint64_t i = 0; i < nodes; ++i) {
      fill(i, n);
      writer.write(n);
    }
    writer.close();
  }
  const double write_s = seconds_since(start);
  const double rss_written = static_cast<double>(gwsim::peak_rss_bytes()) / 1e6;
  const double mb = static_cast<double>(std::filesystem::file_size(file)) / 1e6;

  start = std::chrono::steady_clock::now();
  chakra::TraceReader reader(file);
  chakra::TraceNode n;
  double flops = 0;
  while (reader.next(n)) {
    if (n.flops) flops += n.flops->value();
  }
  const double read_s = seconds_since(start);
  const double rss_read = static_cast<double>(gwsim::peak_rss_bytes()) / 1e6;
  std::filesystem::remove(file);

  const auto count = static_cast<double>(reader.nodes_read());
  std::printf("nodes: %llu, file: %.1f MB (%.1f B/node)\n",
              static_cast<unsigned long long>(reader.nodes_read()), mb, mb * 1e6 / count);
  std::printf("write: %.2f s, %.2f M nodes/s, %.0f MB/s\n", write_s, count / write_s / 1e6,
              mb / write_s);
  std::printf("read:  %.2f s, %.2f M nodes/s, %.0f MB/s (%.3g FLOP in the trace)\n", read_s,
              count / read_s / 1e6, mb / read_s, flops);
  std::printf("peak RSS: %.1f MB at start, %.1f MB after writing, %.1f MB after reading\n", rss0,
              rss_written, rss_read);
  return count == static_cast<double>(nodes) ? 0 : 1;
}
