#include "sim/run/run_site.h"

#include <chrono>
#include <limits>

#include "sim/facility/it_limit.h"
#include "sim/scheduler/job_stream.h"

namespace gwsim::run {

SiteRunResult run_site(const config::Scenario& scenario) {
  const auto wall_start = std::chrono::steady_clock::now();
  const config::JobStreamSpec& stream = *scenario.job_stream;
  const config::PlatformSpec& platform = scenario.platform;
  const config::PowerSpec& p = scenario.power;

  scheduler::SiteOptions options;
  options.nodes = platform.nodes;
  options.accelerators_per_node = platform.accelerators_per_node;
  options.accelerator =
      power::AcceleratorPowerModel{platform.accelerator.idle_power,
                                   platform.accelerator.peak_power,
                                   p.communicating_power,
                                   p.memory_bound_load,
                                   power::LoadCurve{p.curve_load, p.curve_fraction},
                                   std::nullopt,
                                   power::CapCurve{p.cap_curve_speed, p.cap_curve_power}};
  options.node_overhead = p.node_overhead_power;
  options.accelerator_cap = p.accelerator_power_cap;
  options.site_it_cap = p.site_it_power_cap;
  std::optional<facility::ItPowerLimit> limit;
  if (scenario.facility) {
    limit.emplace(*scenario.facility);
    options.grid = &*limit;
  }
  options.shapes = stream.shapes;
  options.policy = stream.policy;
  options.duration = stream.duration;
  if (scenario.record.power_interval) {
    options.window = power::SampleWindow{
        scenario.record.power_window_start,
        min(stream.duration, scenario.record.power_window_end.value_or(stream.duration)),
        *scenario.record.power_interval};
  }

  SiteRunResult result;
  result.site = scheduler::simulate_site(options, scheduler::stream_jobs(stream, scenario.seed));
  if (scenario.facility) {  // a facility requires the power interval (sim/config/build_facility.h)
    const Watts tdp = platform.accelerator.peak_power * platform.accelerator_count();
    result.facility = facility::run_facility(
        *scenario.facility,
        {result.site.site_power->interval, result.site.site_power->power_w, tdp});
  }
  result.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace gwsim::run
