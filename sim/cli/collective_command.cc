// gwsim collective SCENARIO [--op OP] [--ranks N] [--group-shape LxM] [--algo auto|ALGORITHM]
//                  [--fidelity step|fluid] [--sizes 1KiB:1GiB:x4] [--json]
// Simulates one collective on the scenario's platform over a series of sizes and prints a table in
// the style of nccl-tests (size, count, time, algbw, busbw), or one JSON object
// (docs/collectives.md).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "sim/cli/commands.h"
#include "sim/cli/scenario_options.h"
#include "sim/core/error.h"
#include "sim/core/quantity_parse.h"
#include "sim/core/resource_usage.h"
#include "sim/run/run_collective.h"

namespace gwsim::cli {
namespace po = boost::program_options;

namespace {

// "START:END:xF" (geometric) or "START:END:+STEP" (arithmetic), or one size.
std::vector<Bytes> parse_sizes(const std::string& text) {
  auto fail = [&]() -> std::vector<Bytes> {
    throw InputError({"--sizes", 0}, "",
                     "expected START:END:xFACTOR or START:END:+STEP such as 1KiB:1GiB:x2, or one "
                     "size such as 64MiB, "
                     "got \"" +
                         text + "\"");
  };
  const size_t a = text.find(':');
  if (a == std::string::npos) {
    const auto one = parse_data_size(text);
    if (!one || !(*one > Bytes(0))) return fail();
    return {*one};
  }
  const size_t b = text.find(':', a + 1);
  if (b == std::string::npos) return fail();
  const auto start = parse_data_size(text.substr(0, a));
  const auto end = parse_data_size(text.substr(a + 1, b - a - 1));
  const std::string step = text.substr(b + 1);
  if (!start || !end || !(*start > Bytes(0)) || *end < *start || step.size() < 2) return fail();
  std::vector<Bytes> sizes;
  if (step[0] == 'x') {
    const double factor = std::strtod(step.c_str() + 1, nullptr);
    if (!(factor > 1.0)) return fail();
    for (Bytes s = *start; s <= *end * (1 + 1e-12); s *= factor) sizes.push_back(s);
  } else if (step[0] == '+') {
    const auto increment = parse_data_size(step.substr(1));
    if (!increment || !(*increment > Bytes(0))) return fail();
    for (Bytes s = *start; s <= *end; s += *increment) sizes.push_back(s);
  } else {
    return fail();
  }
  if (sizes.size() > 200) {
    throw InputError({"--sizes", 0}, "", "at most 200 sizes, got " + std::to_string(sizes.size()));
  }
  return sizes;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// "LxM": L ranks per node on M nodes.
std::pair<int, int> parse_group_shape(const std::string& text) {
  const size_t x = text.find('x');
  int local = 0, nodes = 0;
  size_t used_local = 0, used_nodes = 0;
  try {
    if (x != std::string::npos) {
      local = std::stoi(text.substr(0, x), &used_local);
      nodes = std::stoi(text.substr(x + 1), &used_nodes);
    }
  } catch (const std::exception&) {
    local = 0;
  }
  if (x == std::string::npos || used_local != x || used_nodes != text.size() - x - 1 || local < 1 ||
      nodes < 1) {
    throw InputError({"--group-shape", 0}, "",
                     "expected RANKS_PER_NODExNODES such as 8x2048, got \"" + text + "\"");
  }
  return {local, nodes};
}

}  // namespace

int collective_command(const Args& args) {
  ScenarioOptions scenario_options;
  std::string op_text = "all_reduce", algorithm_text = "auto", fidelity_text, shape_text,
              sizes_text = "1KiB:1GiB:x4";
  int ranks = 0;
  po::options_description options("gwsim collective SCENARIO --op OP [options]");
  po::positional_options_description positional;
  scenario_options.add_to(options, positional);
  const std::string op_help = "one of " + network::op_names() + " (default all_reduce)";
  const std::string algo_help =
      "auto (default: the cost model's fastest) or one of " + network::algorithm_names();
  options.add_options()("op", po::value(&op_text), op_help.c_str())(
      "ranks", po::value(&ranks), "ranks (default: all accelerators, or those of --group-shape)")(
      "group-shape", po::value(&shape_text),
      "RANKS_PER_NODExNODES, e.g. 8x2048: the first ranks-per-node accelerators of the first "
      "nodes (default: whole nodes in order)")("algo", po::value(&algorithm_text),
                                               algo_help.c_str())(
      "fidelity", po::value(&fidelity_text),
      "step or fluid (default: step up to 256 ranks, fluid beyond)")(
      "sizes", po::value(&sizes_text),
      "START:END:xFACTOR, START:END:+STEP or one size (default 1KiB:1GiB:x4)")(
      "json", "print one JSON object")("help,h", "show this help");
  if (print_help_if_asked(args, options)) return 0;
  po::variables_map vm;
  parse_args(args, options, positional, vm);
  const config::Scenario scenario = scenario_options.load();
  run::CollectiveRequest request;
  const auto op = network::parse_op(op_text);
  if (!op)
    throw InputError({"--op", 0}, "",
                     "expected one of " + network::op_names() + ", got \"" + op_text + "\"");
  request.op = *op;
  if (algorithm_text != "auto") {
    request.algorithm = network::parse_algorithm(algorithm_text);
    if (!request.algorithm) {
      throw InputError({"--algo", 0}, "",
                       "expected auto or one of " + network::algorithm_names() + ", got \"" +
                           algorithm_text + "\"");
    }
  }
  const int64_t available = scenario.platform.accelerator_count();
  if (!shape_text.empty()) {
    const auto [local, nodes] = parse_group_shape(shape_text);
    request.ranks_per_node = local;
    if (ranks == 0) ranks = local * nodes;
    if (ranks != local * nodes) {
      throw InputError({"--ranks", 0}, "",
                       "--group-shape " + shape_text + " has " + std::to_string(local * nodes) +
                           " ranks, got --ranks " + std::to_string(ranks));
    }
  }
  if (ranks == 0) ranks = static_cast<int>(available);
  if (ranks < 2 || ranks > available) {
    throw InputError({"--ranks", 0}, "",
                     "expected 2 to " + std::to_string(available) +
                         " (the platform's accelerators), got " + std::to_string(ranks));
  }
  request.ranks = ranks;
  request.fidelity = ranks <= 256 ? network::Fidelity::kStep : network::Fidelity::kFluid;
  if (!fidelity_text.empty()) {
    const auto parsed = network::parse_fidelity(fidelity_text);
    if (!parsed)
      throw InputError({"--fidelity", 0}, "",
                       "expected step or fluid, got \"" + fidelity_text + "\"");
    request.fidelity = *parsed;
  }
  request.sizes = parse_sizes(sizes_text);
  if (request.op == network::CollectiveOp::kBarrier) request.sizes = {Bytes(0)};

  const auto wall_start = std::chrono::steady_clock::now();
  const std::vector<run::CollectiveRow> rows = run::run_collective(scenario, request);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const double factor = network::bus_bandwidth_factor(request.op, ranks);
  auto algbw_of = [](const run::CollectiveRow& row) {
    return row.time.value() > 0 ? row.size.value() / row.time.value() : 0.0;
  };

  std::ostringstream out;
  if (vm.count("json")) {
    out << R"({"op": ")" << network::op_name(request.op) << R"(", "ranks": )" << ranks
        << R"(, "algorithm": ")" << algorithm_text << R"(", "fidelity": ")"
        << network::fidelity_name(request.fidelity) << R"(", "collectives": ")"
        << scenario.platform.collectives.id << R"(", "rows": [)";
    for (size_t i = 0; i < rows.size(); ++i) {
      const double algbw = algbw_of(rows[i]);
      out << (i ? ", " : "") << R"({"size_bytes": )" << number(rows[i].size.value())
          << R"(, "time_s": )" << number(rows[i].time.value()) << R"(, "algbw_bytes_per_s": )"
          << number(algbw) << R"(, "busbw_bytes_per_s": )" << number(algbw * factor)
          << R"(, "algorithm": ")" << rows[i].algorithm << R"(", "protocol": ")" << rows[i].protocol
          << R"(", "predicted_time_s": )" << number(rows[i].predicted.value()) << "}";
    }
    out << R"(], "wall_s": )" << number(wall_s) << R"(, "peak_rss_bytes": )" << peak_rss_bytes()
        << "}\n";
  } else {
    char line[200];
    out << "# gwsim collective: " << network::op_name(request.op) << ", " << ranks
        << " ranks, algorithm " << algorithm_text << ", "
        << network::fidelity_name(request.fidelity) << " fidelity, collectives \""
        << scenario.platform.collectives.id << "\", " << scenario.name << "\n";
    std::snprintf(line, sizeof line, "# %14s %14s %14s %12s %12s  %-16s %-8s %14s\n", "size(B)",
                  "count(float)", "time(us)", "algbw(GB/s)", "busbw(GB/s)", "algorithm", "protocol",
                  "model(us)");
    out << line;
    for (const run::CollectiveRow& row : rows) {
      const double algbw = algbw_of(row);
      std::snprintf(line, sizeof line, "  %14.0f %14.0f %14.2f %12.2f %12.2f  %-16s %-8s %14.2f\n",
                    row.size.value(), row.size.value() / 4, row.time.value() * 1e6, algbw / 1e9,
                    algbw * factor / 1e9, row.algorithm.c_str(), row.protocol.c_str(),
                    row.predicted.value() * 1e6);
      out << line;
    }
    std::snprintf(line, sizeof line, "# wall %.2f s, peak RSS %.0f MB\n", wall_s,
                  static_cast<double>(peak_rss_bytes()) / 1e6);
    out << line;
  }
  std::cout << out.str();
  return 0;
}

}  // namespace gwsim::cli
