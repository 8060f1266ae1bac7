// Benchmark: the facility chain over a simulated year at 1 s steps for a 100 MW-class site.
//
// The IT power is synthetic (no SimGrid run): synchronous training swings between 100 MW (compute,
// 20 s) and 40 MW (communication, 5 s) with a 1 h maintenance dip to 10 MW every day at 04:00. The
// facility is a dry-cooler plant in northern Indiana (built-in NOAA normals, read here from the
// catalog file) with a storage battery, a power cap and accelerator-level smoothing. Prints wall
// time, peak memory (getrusage maxrss), the year's PUE and the grid metrics. Usage: facility_year
// [catalog dir] [days]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/facility/facility.h"

namespace {

gwsim::config::MonthlyNormals read_normals(const std::string& file) {
  std::ifstream in(file);
  gwsim::config::MonthlyNormals n;
  n.name = file;
  std::string line;
  size_t m = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == 'm') continue;
    double month = 0, hi = 0, lo = 0;
    char c1 = 0, c2 = 0;
    std::istringstream(line) >> month >> c1 >> hi >> c2 >> lo;
    if (m < 12) {
      n.max_c[m] = hi;
      n.min_c[m] = lo;
    }
    ++m;
  }
  if (m != 12) {
    std::fprintf(stderr, "%s: expected 12 months, got %zu\n", file.c_str(), m);
    std::exit(2);
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gwsim;
  const std::string catalog = argc > 1 ? argv[1] : "platforms";
  const int days = argc > 2 ? std::atoi(argv[2]) : 365;
  const size_t n = static_cast<size_t>(days) * 86400;

  config::FacilitySpec spec;
  spec.cooling.heat_rejection = config::HeatRejection::kDryCooler;
  spec.cooling.chiller.reference_capacity =
      Watts(2124000);  // the reference chiller (docs/facility.md)
  spec.cooling.chiller.reference_cop = 6.03;
  spec.cooling.chiller.capacity_curve = {1.040134,     -1.745650e-02, 1.084856e-03,
                                         6.629328e-03, -8.008991e-04, 1.567769e-03};
  spec.cooling.chiller.eir_curve = {1.157799,      -3.621524e-02, -3.684818e-03,
                                    -1.202959e-02, -7.378548e-05, 3.787365e-03};
  spec.cooling.chiller.part_load_curve = {1.051419e-01, 2.033679e-01, 6.902026e-01};
  spec.cooling.chiller.min_part_load_ratio = 0.09;
  spec.cooling.chiller.min_leaving_chilled = config::Celsius{5.56};
  spec.cooling.chiller.max_leaving_chilled = config::Celsius{8.89};
  spec.cooling.chiller.min_entering_condenser = config::Celsius{12.78};
  spec.cooling.chiller.max_entering_condenser = config::Celsius{29.44};
  spec.weather.source = read_normals(catalog + "/facility/climate/northern-indiana.csv");
  config::StorageSpec storage;
  storage.capacity = Joules(50 * 3.6e9);  // 50 MWh
  storage.power = Watts(40e6);
  storage.smoothing_time = Seconds(300);
  spec.envelope.storage = storage;
  spec.envelope.power_cap = Watts(125e6);
  config::SmoothingSpec smoothing;
  smoothing.power_floor = 0.3;
  smoothing.ramp_time = Seconds(2);
  spec.envelope.smoothing = smoothing;

  std::vector<double> demand(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t second_of_day = i % 86400;
    if (second_of_day >= 4 * 3600 && second_of_day < 5 * 3600) {
      demand[i] = 10e6;
    } else {
      demand[i] = (i % 25) < 20 ? 100e6 : 40e6;
    }
  }
  const auto start = std::chrono::steady_clock::now();
  const facility::FacilityResult r =
      facility::run_facility(spec, {Seconds(1), demand, Watts(110e6)});
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);

  const facility::PowerMetrics& g = r.grid_metrics;
  std::printf("facility chain, %d days at 1 s (%zu steps)\n", days, n);
  std::printf("wall time        %.2f s (%.0f ns per step)\n", wall,
              1e9 * wall / static_cast<double>(n));
  std::printf("peak memory      %.2f GB (maxrss; includes the %.2f GB input series)\n",
              static_cast<double>(usage.ru_maxrss) / 1e6, 8.0 * static_cast<double>(n) / 1e9);
  std::printf("PUE              %.4f\n", r.totals.pue);
  std::printf("grid energy      %.1f GWh, cooling %.1f GWh, losses %.1f GWh\n",
              r.totals.grid.value() / 3.6e12, r.totals.cooling.value() / 3.6e12,
              (r.totals.delivery_losses + r.totals.storage_losses).value() / 3.6e12);
  std::printf("grid peak        %.2f MW, minimum %.2f MW, max ramp +%.2f / -%.2f MW/s\n",
              g.peak.value() / 1e6, g.minimum.value() / 1e6, g.max_ramp_up / 1e6,
              g.max_ramp_down / 1e6);
  std::printf("band share       %.3f of the variance in %.1f-%.2f Hz (Nyquist-limited)\n",
              g.band_share, g.band_low.value(), g.resolved_high.value());
  std::printf("throttled        %.0f s\n", r.totals.throttled_time.value());
  return 0;
}
