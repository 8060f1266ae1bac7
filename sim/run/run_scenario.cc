#include "sim/run/run_scenario.h"

#include <chrono>
#include <memory>

#include "sim/core/error.h"
#include "sim/engine/simulation.h"
#include "sim/executor/data_parallel_job.h"
#include "sim/platform/topology.h"
#include "sim/platform/zone_builder.h"

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
  engine::Simulation simulation;
  const platform::Topology topology(scenario.platform);
  const platform::BuiltPlatform built =
      platform::build_zones(topology, scenario.platform.accelerator);

  std::vector<std::unique_ptr<executor::DataParallelJob>> jobs;
  for (size_t j = 0; j < scenario.jobs.size(); ++j) {
    const config::JobSpec& job = scenario.jobs[j];
    const auto& spec = std::get<config::DataParallelJobSpec>(job.kind);
    std::vector<simgrid::s4u::Host*> hosts(
        built.hosts.begin() + spec.first_accelerator,
        built.hosts.begin() + spec.first_accelerator + spec.ranks);
    jobs.push_back(std::make_unique<executor::DataParallelJob>(
        static_cast<int>(j), job.name, spec, std::move(hosts), scenario.seed, &simulation.work()));
    jobs.back()->start();
  }

  std::optional<power::PowerSampler> sampler;
  if (scenario.record.power_interval) {
    sampler.emplace(built.hosts, *scenario.record.power_interval);
    sampler->start();
  }

  simulation.run(progress);

  RunResult result;
  for (const auto& job : jobs) {
    result.jobs.push_back(job->job_record());
    for (const executor::StepRecord& step : job->step_records()) result.steps.push_back(step);
  }
  const std::vector<Joules> energy = power::consumed_energy(built.hosts);
  for (int64_t a = 0; a < topology.accelerator_count(); ++a) {
    result.accelerators.push_back({static_cast<int>(a), topology.host_name(a),
                                   static_cast<int>(topology.node_of(a)),
                                   energy[static_cast<size_t>(a)]});
  }
  if (sampler) result.site_power = sampler->series();
  if (scenario.facility) {  // a facility requires the power interval (sim/config/build_facility.h)
    const Watts tdp =
        scenario.platform.accelerator.peak_power * scenario.platform.accelerator_count();
    result.facility = facility::run_facility(
        *scenario.facility, {result.site_power->interval, result.site_power->power_w, tdp});
  }
  result.simulated_time = Seconds(simulation.now());
  result.events = simulation.events();
  result.simgrid_version = engine::Simulation::simgrid_version();
  result.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace gwsim::run
