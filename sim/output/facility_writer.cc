#include "sim/output/facility_writer.h"

namespace gwsim::output {
namespace {

void write_metrics(Hdf5Writer& file, const facility::FacilityResult& f) {
  const std::string g = "/facility";
  const facility::FacilityTotals& t = f.totals;
  const facility::PowerMetrics& m = f.grid_metrics;
  file.set_attribute(g, "interval_s", f.interval.value());
  file.set_attribute(g, "pue", t.pue);
  file.set_attribute(g, "it_energy_j", t.it.value());
  file.set_attribute(g, "demand_energy_j", t.demand.value());
  file.set_attribute(g, "cooling_energy_j", t.cooling.value());
  file.set_attribute(g, "delivery_losses_j", t.delivery_losses.value());
  file.set_attribute(g, "storage_losses_j", t.storage_losses.value());
  file.set_attribute(g, "total_energy_j", t.total.value());
  file.set_attribute(g, "grid_energy_j", t.grid.value());
  file.set_attribute(g, "storage_change_j", t.storage_change.value());
  file.set_attribute(g, "smoothing_energy_j", t.smoothing.value());
  file.set_attribute(g, "heat_in_loop_j", t.heat_in_loop.value());
  file.set_attribute(g, "throttled_s", t.throttled_time.value());
  file.set_attribute(g, "over_cap_s", t.over_cap_time.value());
  file.set_attribute(g, "peak_it_power_w", f.it_metrics.peak.value());
  file.set_attribute(g, "peak_grid_power_w", m.peak.value());
  file.set_attribute(g, "min_grid_power_w", m.minimum.value());
  file.set_attribute(g, "grid_dynamic_range_w", m.dynamic_range.value());
  file.set_attribute(g, "max_ramp_up_w_per_s", m.max_ramp_up);
  file.set_attribute(g, "max_ramp_down_w_per_s", m.max_ramp_down);
  file.set_attribute(g, "band_share", m.band_share);
  file.set_attribute(g, "band_low_hz", m.band_low.value());
  file.set_attribute(g, "band_high_hz", m.band_high.value());
  file.set_attribute(g, "band_resolved_high_hz", m.resolved_high.value());
}

void write_series(Hdf5Writer& file, const facility::FacilitySeries& s) {
  struct Item {
    const char* name;
    const std::vector<double>& values;
    const char* units;
    const char* description;
  };
  const Item items[] = {
      {"end_s", s.end_s, "s", "end of each interval of the site power series"},
      {"demand_w", s.demand_w, "W", "IT power the accelerators asked for"},
      {"it_w", s.it_w, "W", "IT power drawn, after smoothing and throttling"},
      {"cooling_w", s.cooling_w, "W",
       "cooling plant: CDU pumps, air fans, chillers, heat rejection"},
      {"losses_w", s.losses_w, "W", "power delivery and storage conversion losses"},
      {"total_w", s.total_w, "W", "facility consumption: it + cooling + losses"},
      {"grid_w", s.grid_w, "W", "drawn from the grid: total + power into storage"},
      {"storage_w", s.storage_w, "W", "delivered by storage (> 0) or taken to charge it (< 0)"},
      {"stored_j", s.stored_j, "J", "storage energy at the end of the interval"},
      {"pue", s.pue, "", "total / it over the interval (NaN when it is 0)"},
      {"outside_c", s.outside_c, "degC", "outside dry-bulb temperature at the interval's middle"},
      {"throttle", s.throttle, "", "it / smoothed demand (1 when the cap did not bind)"},
  };
  for (const Item& item : items)
    file.write_series(std::string("/facility/") + item.name, item.values, item.units,
                      item.description);
}

// Each job's facility energy is its accelerators' energy times the run's PUE.
void write_jobs(Hdf5Writer& file, const run::RunResult& result) {
  const double pue = result.facility->totals.pue;
  std::vector<int64_t> job;
  std::vector<double> it, total, per_token;
  for (const executor::JobRecord& j : result.jobs) {
    double energy = 0;
    for (int a = j.first_accelerator; a < j.first_accelerator + j.ranks; ++a)
      energy += result.accelerators[static_cast<size_t>(a)].energy.value();
    job.push_back(j.job);
    it.push_back(energy);
    total.push_back(energy * pue);
    per_token.push_back(j.tokens > 0 ? energy * pue / j.tokens : 0.0);
  }
  Table table;
  table.description = "facility energy of each job: its accelerators' energy times the run's PUE";
  table.columns = {{"job", "", job},
                   {"it_energy_j", "J", it},
                   {"facility_energy_j", "J", total},
                   {"energy_per_token_j", "J/token", per_token}};
  file.write_table("/facility/jobs", table);
}

}  // namespace

void write_facility_chain(Hdf5Writer& file, const facility::FacilityResult& facility) {
  file.create_group("/facility", "power delivery, cooling, storage and the site's grid draw");
  write_metrics(file, facility);
  write_series(file, facility.series);
}

void write_facility(Hdf5Writer& file, const config::Scenario& /*scenario*/,
                    const run::RunResult& result) {
  if (!result.facility) return;
  write_facility_chain(file, *result.facility);
  write_jobs(file, result);
}

}  // namespace gwsim::output
