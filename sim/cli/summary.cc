#include "sim/cli/summary.h"

#include <sstream>

#include "sim/core/quantity_parse.h"

namespace gwsim::cli {
namespace {

// Headline figures of the facility chain: PUE, energy at the grid, peak, ramps and the 0.1-20 Hz
// share (without the final newline).
std::string facility_lines(const facility::FacilityResult& f) {
  const facility::FacilityTotals& t = f.totals;
  const facility::PowerMetrics& g = f.grid_metrics;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "PUE %.3f; ramps +%.3g/-%.3g MW/s; %.1f%% of variation in %.1f-%.3g Hz", t.pue,
                g.max_ramp_up / 1e6, g.max_ramp_down / 1e6, 100 * g.band_share, g.band_low.value(),
                g.resolved_high.value());
  std::string out = "facility  " + format_energy(t.grid) + " from the grid (cooling " +
                    format_energy(t.cooling) + ", losses " +
                    format_energy(t.delivery_losses + t.storage_losses) + "); peak " +
                    format_power(g.peak) + ", range " + format_power(g.dynamic_range) + "\n";
  out += "          " + std::string(buf);
  if (t.throttled_time > Seconds(0)) out += "; throttled " + format_duration(t.throttled_time);
  return out;
}

std::string facility_summary(const facility::FacilityResult& f, const run::RunResult& result) {
  const facility::FacilityTotals& t = f.totals;
  char buf[96];
  std::string out = facility_lines(f);
  // Facility energy per token over all jobs: their accelerators' energy times the run's PUE (as in
  // /facility/jobs).
  Joules job_energy(0);
  double tokens = 0;
  for (const executor::JobRecord& j : result.jobs) {
    for (int a = j.first_accelerator; a < j.first_accelerator + j.ranks; ++a)
      job_energy += result.accelerators[static_cast<size_t>(a)].energy;
    tokens += j.tokens;
  }
  if (tokens > 0) {
    std::snprintf(buf, sizeof buf, "; %.3g J per token", job_energy.value() * t.pue / tokens);
    out += buf;
  }
  return out + "\n";
}

}  // namespace

std::string summarize(const config::Scenario& scenario, const run::RunResult& result) {
  const config::PlatformSpec& p = scenario.platform;
  std::ostringstream out;
  out << "scenario  " << scenario.name << " (" << scenario.source.path << ", seed " << scenario.seed
      << ", sha256 " << scenario.source.sha256.substr(0, 12) << ")\n";
  out << "platform  " << p.accelerator_count() << " x " << p.accelerator.name << " (" << p.nodes
      << " nodes of " << p.accelerators_per_node << ")";
  if (p.scale_up) out << ", scale-up " << format_bandwidth(p.scale_up->bandwidth);
  if (p.scale_out) out << ", scale-out " << format_bandwidth(p.scale_out->bandwidth);
  out << " per accelerator\n";
  for (const executor::JobRecord& job : result.jobs) {
    Seconds compute(0), comm(0), bubble(0);
    int steps = 0;
    for (const executor::StepRecord& s : result.steps) {
      if (s.job != job.job) continue;
      compute += s.compute;
      comm += s.exposed_comm;
      bubble += s.bubble;
      ++steps;
    }
    const Seconds duration = job.end - job.start;
    const Seconds step = steps > 0 ? duration / steps : Seconds(0);
    out << "job       " << job.name << ": " << job.ranks << " ranks, " << job.steps << " steps in "
        << format_duration(duration) << "; step " << format_duration(step) << " = compute "
        << format_duration(steps > 0 ? compute / steps : Seconds(0)) << " + exposed comm "
        << format_duration(steps > 0 ? comm / steps : Seconds(0));
    if (bubble > Seconds(0)) out << " + bubble " << format_duration(bubble / steps);
    if (duration > Seconds(0)) {
      char buf[64];
      // A replayed trace does not say how many tokens it trains on.
      std::snprintf(buf, sizeof buf, "%.3g tokens/s, ", job.tokens / duration.value());
      out << "; " << (job.tokens > 0 ? buf : "")
          << format_flop_rate(job.work / duration / job.ranks) << " per rank";
    }
    out << "\n";
  }
  Joules energy(0);
  for (const run::AcceleratorRecord& a : result.accelerators) energy += a.energy;
  out << "energy    " << format_energy(energy) << " in accelerators";
  if (result.simulated_time > Seconds(0))
    out << " (mean " << format_power(energy / result.simulated_time) << ")";
  out << "\n";
  if (result.facility) out << facility_summary(*result.facility, result);
  char rate[96];
  std::snprintf(rate, sizeof rate, "%.2f s wall, %llu events", result.wall_s,
                static_cast<unsigned long long>(result.events));
  out << "run       simulated " << format_duration(result.simulated_time) << " in " << rate << "\n";
  return out.str();
}

std::string summarize_site(const config::Scenario& scenario, const run::SiteRunResult& result) {
  const config::PlatformSpec& p = scenario.platform;
  const scheduler::SiteResult& s = result.site;
  std::ostringstream out;
  out << "scenario  " << scenario.name << " (" << scenario.source.path << ", seed " << scenario.seed
      << ", sha256 " << scenario.source.sha256.substr(0, 12) << ")\n";
  out << "platform  " << p.accelerator_count() << " x " << p.accelerator.name << " (" << p.nodes
      << " nodes of " << p.accelerators_per_node << "), job resolution\n";
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "jobs      %zu arrived, %d started, %d completed; mean wait %s; accelerator "
                "utilization %.1f%%\n",
                s.jobs.size(), s.started, s.completed, format_duration(s.mean_wait).c_str(),
                100 * s.utilization);
  out << buf;
  if (s.throttled_time > Seconds(0)) {
    std::snprintf(buf, sizeof buf, "caps      jobs throttled for %s (lowest speed %.3f)",
                  format_duration(s.throttled_time).c_str(), s.min_speed);
    out << buf;
    if (s.infeasible_time > Seconds(0))
      out << "; caps not met for " << format_duration(s.infeasible_time);
    out << "\n";
  }
  const Seconds span = scenario.job_stream->duration;
  out << "energy    " << format_energy(s.it_energy) << " IT (accelerators "
      << format_energy(s.accelerator_energy) << ", node overheads "
      << format_energy(s.node_overhead_energy) << "); mean " << format_power(s.it_energy / span)
      << ", peak " << format_power(s.peak_it_power) << "\n";
  if (result.facility) out << facility_lines(*result.facility) << "\n";
  std::snprintf(buf, sizeof buf, "%.2f s wall, %llu events", result.wall_s,
                static_cast<unsigned long long>(s.events));
  out << "run       simulated " << format_duration(span) << " in " << buf << "\n";
  return out.str();
}

}  // namespace gwsim::cli
