#include "sim/run/run_scenario.h"

#include <chrono>
#include <limits>
#include <memory>

#include "sim/core/error.h"
#include "sim/engine/simulation.h"
#include "sim/executor/data_parallel_job.h"
#include "sim/platform/topology.h"
#include "sim/platform/zone_builder.h"
#include "sim/power/activity_tracker.h"

namespace gwsim::run {

RunResult run_scenario(const config::Scenario& scenario, engine::ProgressSink* progress) {
  const auto wall_start = std::chrono::steady_clock::now();
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
  const platform::Topology topology(scenario.platform);
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
  for (size_t j = 0; j < scenario.jobs.size(); ++j) {
    const config::JobSpec& job = scenario.jobs[j];
    const auto& spec = std::get<config::DataParallelJobSpec>(job.kind);
    std::vector<simgrid::s4u::Host*> hosts(
        built.hosts.begin() + spec.first_accelerator,
        built.hosts.begin() + spec.first_accelerator + spec.ranks);
    executor::JobEnvironment environment{compute_speed, {}};
    if (spec.collective_fidelity == config::CollectiveFidelity::kFluid) {
      for (int r = 0; r < spec.ranks; ++r) {
        environment.edge_latency.push_back(topology.route_latency(
            spec.first_accelerator + r, spec.first_accelerator + (r + 1) % spec.ranks));
      }
    }
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
  tracker.connect();

  simulation.run(progress);
  const Seconds end(simulation.now());

  RunResult result;
  for (const auto& job : jobs) {
    result.jobs.push_back(job->job_record());
    for (const executor::StepRecord& step : job->step_records()) result.steps.push_back(step);
  }
  power::PowerLedger& ledger = tracker.ledger();
  for (int64_t a = 0; a < topology.accelerator_count(); ++a) {
    result.accelerators.push_back({static_cast<int>(a), topology.host_name(a),
                                   static_cast<int>(topology.node_of(a)),
                                   ledger.energy(static_cast<size_t>(a), end)});
  }
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
