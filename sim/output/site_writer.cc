#include "sim/output/site_writer.h"

#include <limits>

#include "sim/output/facility_writer.h"
#include "sim/output/hdf5_writer.h"
#include "sim/output/results_writer.h"

namespace gwsim::output {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <typename T, typename F>
std::vector<T> column(const std::vector<scheduler::SiteJobRecord>& rows, F field) {
  std::vector<T> values;
  values.reserve(rows.size());
  for (const auto& row : rows) values.push_back(static_cast<T>(field(row)));
  return values;
}

void write_jobs(Hdf5Writer& file, const config::Scenario& scenario,
                const scheduler::SiteResult& site) {
  using R = scheduler::SiteJobRecord;
  const auto& shapes = scenario.job_stream->shapes;
  const int per_node = scenario.platform.accelerators_per_node;
  auto seconds = [](const std::optional<Seconds>& t) { return t ? t->value() : kNaN; };
  Table table;
  table.description =
      "one row per job of the job stream, in arrival order; start_s / end_s are NaN for a job that "
      "never started / did not finish by the end of the run";
  table.columns = {
      {"job", "", column<int64_t>(site.jobs, [](const R& j) { return j.job; })},
      {"name", "",
       column<std::string>(site.jobs, [](const R& j) { return "job" + std::to_string(j.job); })},
      {"kind", "", std::vector<std::string>(site.jobs.size(), "stream")},
      {"shape", "",
       column<std::string>(site.jobs,
                           [&](const R& j) { return shapes[static_cast<size_t>(j.shape)].name; })},
      {"ranks", "", column<int64_t>(site.jobs, [](const R& j) { return j.accelerators; })},
      {"nodes", "", column<int64_t>(site.jobs, [](const R& j) { return j.nodes; })},
      {"first_accelerator", "",
       column<int64_t>(
           site.jobs, [&](const R& j) { return j.first_node < 0 ? -1 : j.first_node * per_node; })},
      {"steps", "", column<int64_t>(site.jobs, [](const R& j) { return j.steps; })},
      {"steps_done", "", column<double>(site.jobs, [](const R& j) { return j.steps_done; })},
      {"submit_s", "s", column<double>(site.jobs, [](const R& j) { return j.submit.value(); })},
      {"start_s", "s", column<double>(site.jobs, [&](const R& j) { return seconds(j.start); })},
      {"end_s", "s", column<double>(site.jobs, [&](const R& j) { return seconds(j.end); })},
      {"wait_s", "s",
       column<double>(site.jobs,
                      [&](const R& j) { return j.start ? (*j.start - j.submit).value() : kNaN; })},
      {"duration_s", "s",
       column<double>(
           site.jobs,
           [&](const R& j) { return j.start && j.end ? (*j.end - *j.start).value() : kNaN; })},
      {"energy_j", "J",
       column<double>(site.jobs, [](const R& j) { return j.accelerator_energy.value(); })},
      {"node_energy_j", "J",
       column<double>(site.jobs, [](const R& j) { return j.node_energy.value(); })},
  };
  file.write_table("/jobs", table);
}

void write_power(Hdf5Writer& file, const scheduler::SiteResult& site) {
  file.create_group("/power", "electrical power and energy of the accelerators and nodes");
  file.set_attribute("/power", "node_overhead_energy_j", site.node_overhead_energy.value());
  file.set_attribute("/power", "accelerator_energy_j", site.accelerator_energy.value());
  file.set_attribute("/power", "peak_it_power_w", site.peak_it_power.value());
  if (site.site_power) write_site_power(file, *site.site_power);
}

void write_scheduler(Hdf5Writer& file, const scheduler::SiteResult& site) {
  const std::string g = "/scheduler";
  file.create_group(g, "queueing and throttling of the job stream (job resolution)");
  file.set_attribute(g, "jobs", static_cast<int64_t>(site.jobs.size()));
  file.set_attribute(g, "started", static_cast<int64_t>(site.started));
  file.set_attribute(g, "completed", static_cast<int64_t>(site.completed));
  file.set_attribute(g, "utilization", site.utilization);
  file.set_attribute(g, "mean_wait_s", site.mean_wait.value());
  file.set_attribute(g, "throttled_s", site.throttled_time.value());
  file.set_attribute(g, "infeasible_s", site.infeasible_time.value());
  file.set_attribute(g, "min_speed", site.min_speed);
}

}  // namespace

void write_site_results(const std::filesystem::path& path, const config::Scenario& scenario,
                        const run::SiteRunResult& result) {
  Hdf5Writer file(path);
  write_root_attributes(file, scenario,
                        {"", scenario.job_stream->duration, result.wall_s, result.site.events});
  write_jobs(file, scenario, result.site);
  write_power(file, result.site);
  write_scheduler(file, result.site);
  if (result.facility) write_facility_chain(file, *result.facility);
  file.close();
}

}  // namespace gwsim::output
