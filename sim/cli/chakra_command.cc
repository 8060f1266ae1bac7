// gwsim chakra SCENARIO -o DIR [--job NAME] [--seed N] [--set field=value ...]
// Writes a transformer job's rank DAGs as Chakra execution traces, one file per rank
// (DIR/<job>.<rank>.et, rank as Megatron-LM numbers them), with each compute node's roofline time,
// so other Chakra consumers can run the same workload; `--set` on the layout re-targets it to
// another rank count (docs/chakra.md). DIR is written under a temporary name and renamed when
// complete; an existing DIR is an error.
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/scenario_options.h"
#include "sim/config/catalog.h"
#include "sim/core/error.h"
#include "sim/executor/transformer_job.h"
#include "sim/workload/transformer/chakra_export.h"
#include "sim/workload/transformer/layout.h"

namespace gwsim::cli {
namespace po = boost::program_options;
namespace tf = workload::transformer;

int chakra_command(const Args& args) {
  ScenarioOptions scenario_options;
  std::string job_name, out;
  po::options_description options("gwsim chakra SCENARIO -o DIR [options]");
  po::positional_options_description positional;
  scenario_options.add_to(options, positional);
  options.add_options()("output,o", po::value(&out), "the folder to write (must not exist)")(
      "job", po::value(&job_name), "the transformer job (default: the first one)")(
      "help,h", "show this help");
  if (print_help_if_asked(args, options)) return 0;
  po::variables_map vm;
  parse_args(args, options, positional, vm);
  if (out.empty()) throw InputError({"-o", 0}, "", "required: the folder to write the traces to");
  const config::Scenario scenario = scenario_options.load();
  const config::TransformerJobSpec* job = nullptr;
  std::string name;
  for (const config::JobSpec& j : scenario.jobs) {
    const auto* t = std::get_if<config::TransformerJobSpec>(&j.kind);
    if (t != nullptr && job == nullptr && (job_name.empty() || j.name == job_name)) {
      job = t;
      name = j.name;
    }
  }
  if (job == nullptr) {
    throw InputError({"--job", 0}, "",
                     job_name.empty() ? "the scenario has no transformer job"
                                      : "no transformer job named \"" + job_name + "\"");
  }
  tf::validate_layout(job->model, job->layout, job->layout_at, job->layout_path);
  const std::filesystem::path target(out);
  if (std::filesystem::exists(target))
    throw InputError({out, 0}, "", "exists already; remove it or choose another folder");
  std::optional<tf::Roofline> roofline;
  if (!scenario.platform.accelerator_id.empty()) {
    const config::CatalogAccelerator accelerator = config::load_catalog_accelerator(
        scenario.platform.accelerator_id, job->layout_at, "platform.accelerator_id");
    tf::RooflineOptions kernels;
    kernels.fused_attention = job->fused_attention;
    roofline = tf::Roofline::for_accelerator(accelerator, job->model.precision, kernels);
  }
  const tf::RankDagOptions dag_options = executor::rank_dag_options(*job);

  const std::filesystem::path temporary =
      target.string() + ".tmp-" + std::to_string(static_cast<long>(getpid()));
  std::filesystem::create_directories(temporary);
  uint64_t nodes = 0;
  try {
    const config::ParallelLayout& l = job->layout;
    for (int stage = 0; stage < l.pp; ++stage) {
      const tf::RankDag dag = tf::build_rank_dag(job->model, l, stage, dag_options);
      for (int d = 0; d < l.dp; ++d) {
        for (int c = 0; c < l.cp; ++c) {
          for (int t = 0; t < l.tp; ++t) {
            const tf::RankCoordinates at{t, c, d};
            const int rank = tf::global_rank(l, stage, at);
            nodes += tf::write_chakra_trace(dag, l, at,
                                            temporary / (name + "." + std::to_string(rank) + ".et"),
                                            roofline ? &*roofline : nullptr);
          }
        }
      }
    }
    std::filesystem::rename(temporary, target);
  } catch (...) {
    std::filesystem::remove_all(temporary);
    throw;
  }
  std::cout << "wrote " << job->ranks() << " Chakra traces (" << nodes << " nodes) of job " << name
            << " to " << target.string() << "\n";
  return 0;
}

}  // namespace gwsim::cli
