#include "sim/run/run_scenario.h"

#include <chrono>
#include <memory>

#include "sim/engine/simulation.h"
#include "sim/executor/data_parallel_job.h"
#include "sim/platform/topology.h"
#include "sim/platform/zone_builder.h"

namespace gwsim::run {

RunResult run_scenario(const config::Scenario& scenario, engine::ProgressSink* progress) {
  const auto wall_start = std::chrono::steady_clock::now();
  engine::Simulation simulation;
  const platform::Topology topology(scenario.platform);
  const platform::BuiltPlatform built =
      platform::build_zones(topology, scenario.platform.accelerator);

  std::vector<std::unique_ptr<executor::DataParallelJob>> jobs;
  for (size_t j = 0; j < scenario.jobs.size(); ++j) {
    const config::JobSpec& job = scenario.jobs[j];
    const auto& spec = std::get<config::DataParallelJobSpec>(job.kind);
    std::vector<simgrid::s4u::Host*> hosts(
        built.accelerators.begin() + spec.first_accelerator,
        built.accelerators.begin() + spec.first_accelerator + spec.ranks);
    jobs.push_back(std::make_unique<executor::DataParallelJob>(
        static_cast<int>(j), job.name, spec, std::move(hosts), scenario.seed, &simulation.work()));
    jobs.back()->start();
  }

  std::optional<power::PowerSampler> sampler;
  if (scenario.record.power_interval) {
    sampler.emplace(built.accelerators, *scenario.record.power_interval);
    sampler->start();
  }

  simulation.run(progress);

  RunResult result;
  for (const auto& job : jobs) {
    result.jobs.push_back(job->job_record());
    for (const executor::StepRecord& step : job->step_records()) result.steps.push_back(step);
  }
  const std::vector<Joules> energy = power::consumed_energy(built.accelerators);
  for (int a = 0; a < topology.accelerator_count(); ++a) {
    result.accelerators.push_back(
        {a, topology.accelerator_name(a), topology.node_of(a), energy[a]});
  }
  if (sampler) result.site_power = sampler->series();
  result.simulated_time = Seconds(simulation.now());
  result.events = simulation.events();
  result.simgrid_version = engine::Simulation::simgrid_version();
  result.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace gwsim::run
