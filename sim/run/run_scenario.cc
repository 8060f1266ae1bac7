#include "sim/run/run_scenario.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>

#include "sim/config/catalog.h"
#include "sim/core/error.h"
#include "sim/engine/compute_contention.h"
#include "sim/engine/simulation.h"
#include "sim/executor/chakra_job.h"
#include "sim/executor/data_parallel_job.h"
#include "sim/executor/transformer_job.h"
#include "sim/platform/topology.h"
#include "sim/platform/zone_builder.h"
#include "sim/power/activity_tracker.h"
#include "sim/workload/transformer/layout.h"

namespace gwsim::run {

RunResult run_scenario(const config::Scenario& scenario, engine::ProgressSink* progress) {
  const auto wall_start = std::chrono::steady_clock::now();
  if (scenario.platform.resolution == config::Resolution::kJob) {
    throw InputError(SourceLocation{scenario.source.path, 0}, "platform.resolution",
                     "a job-resolution scenario runs with `gwsim run` (its job stream has no "
                     "accelerator-level jobs)");
  }
  if (scenario.platform.resolution == config::Resolution::kDomain) {
    // The executor places one rank per host; ranks inside a domain host need the collectives'
    // calibrated intra-domain cost, which comes with the collectives issue. `gwsim platform` builds
    // either resolution.
    throw InputError(SourceLocation{scenario.source.path, 0}, "platform.resolution",
                     "jobs run at accelerator resolution only in this version; \"domain\" is for "
                     "`gwsim platform`");
  }
  // Power is accounted by activity (sim/power/activity_tracker.h), not by SimGrid's energy plugin.
  engine::Simulation simulation(engine::Simulation::Options{.host_energy = false});
  // Symmetric ranks (sim/executor/transformer_job.h): links shared by a node's accelerators get one
  // accelerator's share, since only one of them is simulated.
  const auto* lone = scenario.jobs.size() == 1
                         ? std::get_if<config::TransformerJobSpec>(&scenario.jobs.front().kind)
                         : nullptr;
  const bool symmetric = lone != nullptr && executor::symmetric_ranks_possible(
                                                *lone, scenario.platform, scenario.jobs.size());
  const platform::Topology topology(
      scenario.platform, symmetric ? 1.0 / scenario.platform.accelerators_per_node : 1.0);
  const platform::BuiltPlatform built =
      platform::build_zones(topology, scenario.platform.accelerator, /*host_energy=*/false);

  const config::PowerSpec& p = scenario.power;
  const power::AcceleratorPowerModel model{scenario.platform.accelerator.idle_power,
                                           scenario.platform.accelerator.peak_power,
                                           p.communicating_power,
                                           p.memory_bound_load,
                                           power::LoadCurve{p.curve_load, p.curve_fraction},
                                           p.effective_accelerator_cap,
                                           power::CapCurve{p.cap_curve_speed, p.cap_curve_power}};
  // A binding power cap slows every compute-bound phase to the speed at which it draws the cap
  // (docs/power.md); the tracker below records the capped power, so energy stays the integral.
  const double compute_speed = model.capped_speed(1);

  std::vector<std::unique_ptr<executor::DataParallelJob>> jobs;
  std::vector<std::unique_ptr<executor::TransformerJob>> transformers;
  std::vector<std::unique_ptr<executor::ChakraJob>> replays;
  std::optional<config::CatalogAccelerator> catalog_accelerator;
  for (size_t j = 0; j < scenario.jobs.size(); ++j) {
    const config::JobSpec& job = scenario.jobs[j];
    if (const auto* c = std::get_if<config::ChakraJobSpec>(&job.kind)) {
      executor::ChakraEnvironment environment;
      if (!scenario.platform.accelerator_id.empty()) {
        if (!catalog_accelerator) {
          catalog_accelerator = config::load_catalog_accelerator(scenario.platform.accelerator_id,
                                                                 c->at, "platform.accelerator_id");
        }
        environment.roofline =
            workload::transformer::Roofline::for_accelerator(*catalog_accelerator, c->precision);
      } else if (c->timing == config::ChakraTiming::kRoofline) {
        throw InputError(c->at, c->path + ".timing",
                         "roofline timing needs a catalog accelerator: the platform needs "
                         "accelerator_id or domain_id");
      }
      environment.peak = environment.roofline ? environment.roofline->peak()
                                              : scenario.platform.accelerator.peak_flop_rate;
      environment.topology = &topology;
      environment.hosts = built.hosts;
      environment.library = scenario.platform.collectives;
      environment.compute_speed = compute_speed;
      environment.scale_up_in_network =
          scenario.platform.scale_up && scenario.platform.scale_up->in_network_reduction;
      environment.scale_out_in_network =
          scenario.platform.scale_out && scenario.platform.scale_out->in_network_reduction;
      replays.push_back(std::make_unique<executor::ChakraJob>(
          static_cast<int>(j), job.name, *c, std::move(environment), &simulation.work()));
      replays.back()->start();
      continue;
    }
    if (const auto* t = std::get_if<config::TransformerJobSpec>(&job.kind)) {
      workload::transformer::validate_layout(t->model, t->layout, t->layout_at, t->layout_path);
      if (!catalog_accelerator) {
        if (scenario.platform.accelerator_id.empty()) {
          throw InputError(
              t->layout_at, "platform.accelerator_id",
              "a transformer job times its kernels from the catalog: the platform needs "
              "accelerator_id or domain_id");
        }
        catalog_accelerator = config::load_catalog_accelerator(
            scenario.platform.accelerator_id, t->layout_at, "platform.accelerator_id");
      }
      workload::transformer::RooflineOptions kernels;
      kernels.fused_attention = t->fused_attention;
      const auto roofline = workload::transformer::Roofline::for_accelerator(
          *catalog_accelerator, t->model.precision, kernels);
      executor::TransformerEnvironment environment;
      environment.topology = &topology;
      environment.hosts = built.hosts;
      environment.library = scenario.platform.collectives;
      environment.compute_speed = compute_speed;
      environment.hbm_capacity = catalog_accelerator->hbm_capacity;
      environment.scale_up_in_network =
          scenario.platform.scale_up && scenario.platform.scale_up->in_network_reduction;
      environment.scale_out_in_network =
          scenario.platform.scale_out && scenario.platform.scale_out->in_network_reduction;
      environment.symmetric_ranks = symmetric;
      transformers.push_back(std::make_unique<executor::TransformerJob>(
          static_cast<int>(j), job.name, *t, roofline, std::move(environment), &simulation.work()));
      transformers.back()->start();
      continue;
    }
    const auto& spec = std::get<config::DataParallelJobSpec>(job.kind);
    std::vector<simgrid::s4u::Host*> hosts(
        built.hosts.begin() + spec.first_accelerator,
        built.hosts.begin() + spec.first_accelerator + spec.ranks);
    executor::JobEnvironment environment;
    environment.compute_speed = compute_speed;
    environment.topology = &topology;
    environment.library = scenario.platform.collectives;
    environment.scale_up_in_network =
        scenario.platform.scale_up && scenario.platform.scale_up->in_network_reduction;
    environment.scale_out_in_network =
        scenario.platform.scale_out && scenario.platform.scale_out->in_network_reduction;
    jobs.push_back(std::make_unique<executor::DataParallelJob>(
        static_cast<int>(j), job.name, spec, std::move(hosts), scenario.seed, &simulation.work(),
        std::move(environment)));
    jobs.back()->start();
  }

  const Watts node_overheads = p.node_overhead_power * static_cast<double>(topology.node_count());
  std::optional<power::SampleWindow> window;
  if (scenario.record.power_interval) {
    window = power::SampleWindow{
        scenario.record.power_window_start,
        scenario.record.power_window_end.value_or(Seconds(std::numeric_limits<double>::infinity())),
        *scenario.record.power_interval};
  }
  power::ActivityTracker tracker(built.hosts, model, node_overheads, window);
  for (const auto& t : transformers)
    for (const auto& [mirror, source] : t->mirrored_hosts()) tracker.mirror(mirror, source);
  tracker.connect();
  engine::ComputeContention contention(scenario.platform.collectives.overlapped_compute_slowdown);
  contention.connect();

  simulation.run(progress);
  const Seconds end(simulation.now());

  // Malformed traces and replays left blocked are input errors, reported before any result.
  for (const auto& replay : replays) replay->check();

  RunResult result;
  for (const auto& job : replays) {
    result.jobs.push_back(job->job_record());
    for (const executor::StepRecord& step : job->step_records()) result.steps.push_back(step);
    result.chakra_steps.push_back(job->breakdown(0));
    result.chakra_peak_window.push_back(job->peak_window());
  }
  for (const auto& job : jobs) {
    result.jobs.push_back(job->job_record());
    for (const executor::StepRecord& step : job->step_records()) result.steps.push_back(step);
  }
  for (const auto& job : transformers) {
    result.jobs.push_back(job->job_record());
    for (const executor::StepRecord& step : job->step_records()) result.steps.push_back(step);
    result.transformer_steps.push_back(job->breakdown(0));
  }
  // In the scenario's job order.
  std::stable_sort(result.jobs.begin(), result.jobs.end(),
                   [](const auto& a, const auto& b) { return a.job < b.job; });
  std::stable_sort(result.steps.begin(), result.steps.end(),
                   [](const auto& a, const auto& b) { return a.job < b.job; });
  power::PowerLedger& ledger = tracker.ledger();
  for (int64_t a = 0; a < topology.accelerator_count(); ++a) {
    result.accelerators.push_back({static_cast<int>(a), topology.host_name(a),
                                   static_cast<int>(topology.node_of(a)),
                                   ledger.energy(static_cast<size_t>(a), end)});
  }
  result.activity_times = tracker.activity_times(end);
  result.node_overhead_energy = node_overheads * end;
  if (window) {
    power::PowerSeries series{window->interval, {}, ledger.series(end)};
    for (size_t i = 0; i < series.power_w.size(); ++i) {
      series.end_s.push_back(
          (window->start + window->interval * static_cast<double>(i + 1)).value());
    }
    result.site_power = std::move(series);
  }
  if (scenario.facility) {  // a facility requires the power interval (sim/config/build_facility.h)
    const Watts tdp =
        scenario.platform.accelerator.peak_power * scenario.platform.accelerator_count();
    result.facility = facility::run_facility(
        *scenario.facility, {result.site_power->interval, result.site_power->power_w, tdp});
  }
  result.simulated_time = end;
  result.events = simulation.events();
  result.simgrid_version = engine::Simulation::simgrid_version();
  result.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace gwsim::run
