// gwsim collective SCENARIO --op all_reduce [--ranks N] [--algo auto|ring] [--fidelity step|fluid]
//                  [--sizes 1KiB:1GiB:x4] [--json]
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

}  // namespace

int collective_command(const Args& args) {
  ScenarioOptions scenario_options;
  std::string op_text = "all_reduce", algorithm = "auto", fidelity_text,
              sizes_text = "1KiB:1GiB:x4";
  int ranks = 0;
  po::options_description options("gwsim collective SCENARIO --op OP [options]");
  po::positional_options_description positional;
  scenario_options.add_to(options, positional);
  options.add_options()("op", po::value(&op_text),
                        "all_reduce (default), all_gather or reduce_scatter")(
      "ranks", po::value(&ranks), "ranks, on the first accelerators in node order (default: all)")(
      "algo", po::value(&algorithm), "auto (default) or ring")(
      "fidelity", po::value(&fidelity_text),
      "step or fluid (default: step up to 256 ranks, fluid beyond)")(
      "sizes", po::value(&sizes_text),
      "START:END:xFACTOR, START:END:+STEP or one size (default 1KiB:1GiB:x4)")(
      "json", "print one JSON object")("help,h", "show this help");
  if (print_help_if_asked(args, options)) return 0;
  po::variables_map vm;
  parse_args(args, options, positional, vm);
  const config::Scenario scenario = scenario_options.load();
  const auto op = network::parse_op(op_text);
  if (!op)
    throw InputError({"--op", 0}, "",
                     "expected all_reduce, all_gather or reduce_scatter, got \"" + op_text + "\"");
  // Only the ring exists so far; auto picks it, and every other algorithm is refused rather than
  // replaced.
  if (algorithm != "auto" && algorithm != "ring") {
    throw InputError(
        {"--algo", 0}, "",
        "expected auto or ring (the only algorithm so far), got \"" + algorithm + "\"");
  }
  const int64_t available = scenario.platform.accelerator_count();
  if (ranks == 0) ranks = static_cast<int>(available);
  if (ranks < 2 || ranks > available) {
    throw InputError({"--ranks", 0}, "",
                     "expected 2 to " + std::to_string(available) +
                         " (the platform's accelerators), got " + std::to_string(ranks));
  }
  network::Fidelity fidelity = ranks <= 256 ? network::Fidelity::kStep : network::Fidelity::kFluid;
  if (!fidelity_text.empty()) {
    const auto parsed = network::parse_fidelity(fidelity_text);
    if (!parsed)
      throw InputError({"--fidelity", 0}, "",
                       "expected step or fluid, got \"" + fidelity_text + "\"");
    fidelity = *parsed;
  }
  const std::vector<Bytes> sizes = parse_sizes(sizes_text);

  const auto wall_start = std::chrono::steady_clock::now();
  const std::vector<run::CollectiveRow> rows =
      run::run_collective(scenario, *op, ranks, fidelity, sizes);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const double factor = network::bus_bandwidth_factor(*op, ranks);

  std::ostringstream out;
  if (vm.count("json")) {
    out << R"({"op": ")" << network::op_name(*op) << R"(", "ranks": )" << ranks
        << R"(, "algorithm": "ring")"
        << R"(, "fidelity": ")" << network::fidelity_name(fidelity) << R"(", "rows": [)";
    for (size_t i = 0; i < rows.size(); ++i) {
      const double algbw = rows[i].size.value() / rows[i].time.value();
      out << (i ? ", " : "") << R"({"size_bytes": )" << number(rows[i].size.value())
          << R"(, "time_s": )" << number(rows[i].time.value()) << R"(, "algbw_bytes_per_s": )"
          << number(algbw) << R"(, "busbw_bytes_per_s": )" << number(algbw * factor) << "}";
    }
    out << R"(], "wall_s": )" << number(wall_s) << R"(, "peak_rss_bytes": )" << peak_rss_bytes()
        << "}\n";
  } else {
    char line[160];
    out << "# gwsim collective: " << network::op_name(*op) << ", " << ranks
        << " ranks, algorithm ring, " << network::fidelity_name(fidelity) << " fidelity, "
        << scenario.name << "\n";
    std::snprintf(line, sizeof line, "# %14s %14s %14s %12s %12s\n", "size(B)", "count(float)",
                  "time(us)", "algbw(GB/s)", "busbw(GB/s)");
    out << line;
    for (const run::CollectiveRow& row : rows) {
      const double algbw = row.size.value() / row.time.value();
      std::snprintf(line, sizeof line, "  %14.0f %14.0f %14.2f %12.2f %12.2f\n", row.size.value(),
                    row.size.value() / 4, row.time.value() * 1e6, algbw / 1e9,
                    algbw * factor / 1e9);
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
