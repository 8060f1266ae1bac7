// gwsim step SCENARIO [--job NAME] [--json] [--seed N] [--set field=value ...]
// Simulates one training step of a transformer job (or one replay of a Chakra job's traces) and
// prints where its time goes: compute, exposed communication, pipeline bubble, TFLOP/s per
// accelerator, MFU, tokens/s and memory per rank (docs/workloads.md, "Executor"). The scenario's
// other jobs run beside it as written.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "sim/cli/commands.h"
#include "sim/cli/scenario_options.h"
#include "sim/core/error.h"
#include "sim/core/quantity_parse.h"
#include "sim/core/resource_usage.h"
#include "sim/run/run_scenario.h"

namespace gwsim::cli {
namespace po = boost::program_options;

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

int step_command(const Args& args) {
  ScenarioOptions scenario_options;
  std::string job_name;
  po::options_description options("gwsim step SCENARIO [options]");
  po::positional_options_description positional;
  scenario_options.add_to(options, positional);
  options.add_options()("job", po::value(&job_name),
                        "the transformer or chakra job to report (default: the first one)")(
      "json", "print one JSON object")("help,h", "show this help");
  if (print_help_if_asked(args, options)) return 0;
  po::variables_map vm;
  parse_args(args, options, positional, vm);
  config::Scenario scenario = scenario_options.load();

  // The job: one step of it (a transformer job or a Chakra replay).
  int index = -1, chosen = -1;
  bool replay = false;
  int transformers = 0, replays = 0;
  for (size_t j = 0; j < scenario.jobs.size(); ++j) {
    auto* t = std::get_if<config::TransformerJobSpec>(&scenario.jobs[j].kind);
    auto* c = std::get_if<config::ChakraJobSpec>(&scenario.jobs[j].kind);
    if (t == nullptr && c == nullptr) continue;
    if (index < 0 && (job_name.empty() || scenario.jobs[j].name == job_name)) {
      index = static_cast<int>(j);
      replay = c != nullptr;
      chosen = replay ? replays : transformers;
      if (t != nullptr) t->steps = 1;
      if (c != nullptr) c->steps = 1;
    }
    (t != nullptr ? transformers : replays) += 1;
  }
  if (index < 0) {
    throw InputError({"--job", 0}, "",
                     job_name.empty() ? "the scenario has no transformer or chakra job"
                                      : "no transformer or chakra job named \"" + job_name + "\"");
  }
  const auto wall_start = std::chrono::steady_clock::now();
  const run::RunResult result = run::run_scenario(scenario, nullptr);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const executor::StepBreakdown& b =
      (replay ? result.chakra_steps : result.transformer_steps).at(static_cast<size_t>(chosen));
  const config::JobSpec& job = scenario.jobs[static_cast<size_t>(index)];
  const auto* spec = std::get_if<config::TransformerJobSpec>(&job.kind);
  const std::string model = spec != nullptr ? spec->model_id : "chakra trace";
  const int ranks =
      spec != nullptr ? spec->ranks() : std::get<config::ChakraJobSpec>(job.kind).ranks;

  // Mean time per accelerator in each activity over the step (the run is that one step): what the
  // job-resolution step model needs to price overlapped communication (docs/site.md). Printed only
  // when the job is alone and fills the platform, so that the means are the job's.
  const bool fills_platform =
      scenario.jobs.size() == 1 && ranks == scenario.platform.accelerator_count();
  const power::ActivityTimes& t = result.activity_times;
  const auto accelerators = static_cast<double>(result.accelerators.size());
  auto per_accelerator = [&](Seconds s) { return s.value() / accelerators; };
  std::ostringstream out;
  if (vm.count("json")) {
    out << R"({"job": ")" << job.name << R"(", "model": ")" << model << R"(", "ranks": )" << ranks
        << R"(, "simulated_ranks": )" << b.simulated_ranks << R"(, "step_time_s": )"
        << number(b.step_time.value()) << R"(, "compute_s": )" << number(b.compute.value())
        << R"(, "exposed_comm_s": )" << number(b.exposed_comm.value()) << R"(, "bubble_s": )"
        << number(b.bubble.value()) << R"(, "tflops_per_gpu": )" << number(b.tflops_per_gpu)
        << R"(, "mfu": )" << number(b.mfu) << R"(, "tokens_per_s": )" << number(b.tokens_per_s)
        << R"(, "memory_per_rank_bytes": )" << number(b.memory_per_rank.value())
        << R"(, "fits_hbm": )" << (b.fits_hbm ? "true" : "false");
    if (fills_platform) {
      out << R"(, "accelerator_computing_s": )" << number(per_accelerator(t.computing))
          << R"(, "accelerator_computing_communicating_s": )"
          << number(per_accelerator(t.computing_communicating))
          << R"(, "accelerator_communicating_s": )" << number(per_accelerator(t.communicating))
          << R"(, "accelerator_idle_s": )" << number(per_accelerator(t.idle));
    }
    out << R"(, "wall_s": )" << number(wall_s) << R"(, "peak_rss_bytes": )" << peak_rss_bytes()
        << "}\n";
  } else {
    auto share = [&](Seconds part) { return 100.0 * part.value() / b.step_time.value(); };
    char line[200];
    out << "job " << job.name << ": " << model << ", " << ranks << " ranks";
    if (spec != nullptr) {
      out << " (tp " << spec->layout.tp << ", pp " << spec->layout.pp << ", dp " << spec->layout.dp
          << ", cp " << spec->layout.cp;
      if (spec->layout.rank_order != config::ParallelLayout{}.rank_order)
        out << ", numbered " << config::rank_order_name(spec->layout.rank_order);
      out << ")";
    }
    out << ", " << b.simulated_ranks << " simulated\n";
    std::snprintf(line, sizeof line, "  step           %s\n", format_duration(b.step_time).c_str());
    out << line;
    std::snprintf(line, sizeof line, "  compute        %s (%.1f%%)\n",
                  format_duration(b.compute).c_str(), share(b.compute));
    out << line;
    std::snprintf(line, sizeof line, "  exposed comm   %s (%.1f%%)\n",
                  format_duration(b.exposed_comm).c_str(), share(b.exposed_comm));
    out << line;
    std::snprintf(line, sizeof line, "  bubble         %s (%.1f%%)\n",
                  format_duration(b.bubble).c_str(), share(b.bubble));
    out << line;
    std::snprintf(line, sizeof line, "  %.1f TFLOP/s per accelerator, MFU %.1f%%", b.tflops_per_gpu,
                  100 * b.mfu);
    out << line;
    if (spec != nullptr || b.tokens_per_s > 0) {  // a trace says so only through tokens_per_step
      std::snprintf(line, sizeof line, ", %.4g tokens/s", b.tokens_per_s);
      out << line;
    }
    out << "\n";
    if (spec != nullptr) {  // a trace does not say what its ranks hold
      std::snprintf(line, sizeof line, "  memory per rank %s%s\n",
                    format_data_size(b.memory_per_rank).c_str(),
                    b.fits_hbm ? "" : " (does not fit in HBM)");
      out << line;
    }
    std::snprintf(line, sizeof line, "  wall %.2f s, peak RSS %.0f MB\n", wall_s,
                  static_cast<double>(peak_rss_bytes()) / 1e6);
    out << line;
  }
  std::cout << out.str();
  return 0;
}

}  // namespace gwsim::cli
