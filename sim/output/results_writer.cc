#include "sim/output/results_writer.h"

#include "sim/core/version.h"
#include "sim/output/facility_writer.h"
#include "sim/output/hdf5_writer.h"

namespace gwsim::output {
namespace {

template <typename T, typename F>
std::vector<T> column_of(const auto& rows, F field) {
  std::vector<T> values;
  values.reserve(rows.size());
  for (const auto& row : rows) values.push_back(static_cast<T>(field(row)));
  return values;
}

}  // namespace

void write_root_attributes(Hdf5Writer& file, const config::Scenario& scenario,
                           const RunProvenance& result) {
  std::string overrides;
  for (const std::string& o : scenario.source.overrides)
    overrides += (overrides.empty() ? "" : "\n") + o;
  file.set_attribute("/", "format", std::string("gwsim"));
  file.set_attribute("/", "format_version", kFormatVersion);
  file.set_attribute("/", "gwsim_version", std::string(kVersion));
  file.set_attribute("/", "git_revision", std::string(kGitRevision));
  file.set_attribute("/", "simgrid_version", result.simgrid_version);
  file.set_attribute("/", "scenario_name", scenario.name);
  file.set_attribute("/", "scenario_path", scenario.source.path);
  file.set_attribute("/", "scenario_text", scenario.source.file_text);
  file.set_attribute("/", "scenario_overrides", overrides);
  file.set_attribute("/", "scenario_json", scenario.source.canonical_json);
  file.set_attribute("/", "scenario_sha256", scenario.source.sha256);
  file.set_attribute("/", "seed", static_cast<int64_t>(scenario.seed));
  file.set_attribute("/", "simulated_time_s", result.simulated_time.value());
  file.set_attribute("/", "wall_time_s", result.wall_s);
  file.set_attribute("/", "events", static_cast<int64_t>(result.events));
}

namespace {

void write_jobs(Hdf5Writer& file, const run::RunResult& result) {
  using executor::JobRecord;
  const auto& jobs = result.jobs;
  // A job's energy is that of its accelerators over the whole run (idle time included).
  auto energy_of = [&](const JobRecord& j) {
    double total = 0;
    for (int a = j.first_accelerator; a < j.first_accelerator + j.ranks; ++a)
      total += result.accelerators[a].energy.value();
    return total;
  };
  auto seconds = [](const JobRecord& j) { return (j.end - j.start).value(); };
  Table table;
  table.description = "one row per job of the scenario, in scenario order";
  table.columns = {
      {"job", "", column_of<int64_t>(jobs, [](const JobRecord& j) { return j.job; })},
      {"name", "", column_of<std::string>(jobs, [](const JobRecord& j) { return j.name; })},
      {"kind", "", std::vector<std::string>(jobs.size(), "data_parallel")},
      {"ranks", "", column_of<int64_t>(jobs, [](const JobRecord& j) { return j.ranks; })},
      {"first_accelerator", "",
       column_of<int64_t>(jobs, [](const JobRecord& j) { return j.first_accelerator; })},
      {"steps", "", column_of<int64_t>(jobs, [](const JobRecord& j) { return j.steps; })},
      {"start_s", "s", column_of<double>(jobs, [](const JobRecord& j) { return j.start.value(); })},
      {"end_s", "s", column_of<double>(jobs, [](const JobRecord& j) { return j.end.value(); })},
      {"duration_s", "s", column_of<double>(jobs, seconds)},
      {"tokens", "tokens", column_of<double>(jobs, [](const JobRecord& j) { return j.tokens; })},
      {"work_flop", "FLOP",
       column_of<double>(jobs, [](const JobRecord& j) { return j.work.value(); })},
      {"tokens_per_s", "tokens/s",
       column_of<double>(
           jobs, [&](const JobRecord& j) { return seconds(j) > 0 ? j.tokens / seconds(j) : 0.0; })},
      {"energy_j", "J", column_of<double>(jobs, energy_of)},
  };
  file.write_table("/jobs", table);
}

void write_steps(Hdf5Writer& file, const run::RunResult& result) {
  using executor::StepRecord;
  const auto& steps = result.steps;
  Table table;
  table.description =
      "one row per training step of each job; duration = compute + exposed_comm + bubble";
  table.columns = {
      {"job", "", column_of<int64_t>(steps, [](const StepRecord& s) { return s.job; })},
      {"step", "", column_of<int64_t>(steps, [](const StepRecord& s) { return s.step; })},
      {"start_s", "s",
       column_of<double>(steps, [](const StepRecord& s) { return s.start.value(); })},
      {"end_s", "s", column_of<double>(steps, [](const StepRecord& s) { return s.end.value(); })},
      {"duration_s", "s",
       column_of<double>(steps, [](const StepRecord& s) { return (s.end - s.start).value(); })},
      {"compute_s", "s",
       column_of<double>(steps, [](const StepRecord& s) { return s.compute.value(); })},
      {"exposed_comm_s", "s",
       column_of<double>(steps, [](const StepRecord& s) { return s.exposed_comm.value(); })},
      {"bubble_s", "s",
       column_of<double>(steps, [](const StepRecord& s) { return s.bubble.value(); })},
      {"tokens_per_s", "1/s",
       column_of<double>(steps, [](const StepRecord& s) { return s.tokens_per_s(); })},
      {"tflops_per_gpu", "TFLOP/s",
       column_of<double>(steps, [](const StepRecord& s) { return s.tflops_per_gpu(); })},
      {"mfu", "", column_of<double>(steps, [](const StepRecord& s) { return s.mfu(); })},
  };
  file.write_table("/steps", table);
}

void write_power(Hdf5Writer& file, const run::RunResult& result) {
  using run::AcceleratorRecord;
  file.create_group("/power", "electrical power and energy of the accelerators and nodes");
  file.set_attribute("/power", "node_overhead_energy_j", result.node_overhead_energy.value());
  const auto& accs = result.accelerators;
  const double span = result.simulated_time.value();
  Table table;
  table.description = "energy of each accelerator from time 0 to the end of the run";
  table.columns = {
      {"accelerator", "",
       column_of<int64_t>(accs, [](const AcceleratorRecord& a) { return a.accelerator; })},
      {"name", "", column_of<std::string>(accs, [](const AcceleratorRecord& a) { return a.name; })},
      {"node", "", column_of<int64_t>(accs, [](const AcceleratorRecord& a) { return a.node; })},
      {"energy_j", "J",
       column_of<double>(accs, [](const AcceleratorRecord& a) { return a.energy.value(); })},
      {"mean_power_w", "W",
       column_of<double>(
           accs,
           [&](const AcceleratorRecord& a) { return span > 0 ? a.energy.value() / span : 0.0; })},
  };
  file.write_table("/power/accelerators", table);

  if (result.site_power) write_site_power(file, *result.site_power);
}

}  // namespace

void write_site_power(Hdf5Writer& file, const power::PowerSeries& series) {
  file.create_group("/power/site",
                    "IT power of the site (accelerators and node overheads), averaged over "
                    "consecutive intervals");
  file.set_attribute("/power/site", "interval_s", series.interval.value());
  file.write_series("/power/site/end_s", series.end_s, "s", "end of each averaging interval");
  file.write_series("/power/site/power_w", series.power_w, "W",
                    "mean power over the interval that ends at end_s");
}

void write_results(const std::filesystem::path& path, const config::Scenario& scenario,
                   const run::RunResult& result) {
  Hdf5Writer file(path);
  write_root_attributes(
      file, scenario,
      {result.simgrid_version, result.simulated_time, result.wall_s, result.events});
  write_jobs(file, result);
  write_steps(file, result);
  write_power(file, result);
  write_facility(file, scenario, result);
  file.close();
}

}  // namespace gwsim::output
