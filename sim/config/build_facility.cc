#include "sim/config/build_facility.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/field_check.h"
#include "sim/core/quantity_parse.h"

namespace gwsim::config::detail {
namespace {

// Reference chiller: "ElectricEIRChiller McQuay PFH 2124kW/6.03COP/Vanes", a water-cooled
// centrifugal chiller with inlet vanes, from the chiller performance data set that ships with
// EnergyPlus (DataSets/Chillers.idf, Chiller:Electric:EIR objects; U.S. DOE). Reference
// conditions 8.89 C leaving chilled water and 23.89 C entering condenser water; curves valid
// for 5.56-8.89 C and 12.78-29.44 C.
ChillerSpec reference_chiller() {
  ChillerSpec c;
  c.reference_capacity = Watts(2124000);
  c.reference_cop = 6.03;
  c.capacity_curve = {1.040134,     -1.745650e-02, 1.084856e-03,
                      6.629328e-03, -8.008991e-04, 1.567769e-03};
  c.eir_curve = {1.157799,      -3.621524e-02, -3.684818e-03,
                 -1.202959e-02, -7.378548e-05, 3.787365e-03};
  c.part_load_curve = {1.051419e-01, 2.033679e-01, 6.902026e-01};
  c.min_part_load_ratio = 0.09;
  c.min_leaving_chilled = Celsius{5.56};
  c.max_leaving_chilled = Celsius{8.89};
  c.min_entering_condenser = Celsius{12.78};
  c.max_entering_condenser = Celsius{29.44};
  return c;
}

using Check = FieldCheck;

PowerDeliverySpec build_power_delivery(const pb::PowerDelivery& m, const Check& check) {
  PowerDeliverySpec spec;
  if (m.has_transformer_efficiency())
    spec.transformer_efficiency =
        check.in_range(m.transformer_efficiency(), 0, 1, true, "transformer_efficiency");
  if (m.has_ups_efficiency())
    spec.ups_efficiency = check.in_range(m.ups_efficiency(), 0, 1, true, "ups_efficiency");
  if (m.has_distribution_efficiency())
    spec.distribution_efficiency =
        check.in_range(m.distribution_efficiency(), 0, 1, true, "distribution_efficiency");
  return spec;
}

template <size_t N>
std::array<double, N> coefficients(const google::protobuf::RepeatedField<double>& values,
                                   const Check& check, const std::string& field) {
  if (values.size() != static_cast<int>(N)) {
    check.fail(field, "expected exactly " + std::to_string(N) + " coefficients, got " +
                          std::to_string(values.size()));
  }
  std::array<double, N> out{};
  for (size_t i = 0; i < N; ++i) out[i] = check.finite(values[static_cast<int>(i)], field);
  return out;
}

ChillerSpec build_chiller(const pb::Chiller& m, const Check& check) {
  ChillerSpec c;
  c.reference_capacity = check.positive_quantity<Watts>(m.reference_capacity(), Dimension::kPower,
                                                        "reference_capacity");
  if (!m.has_reference_cop()) check.fail("reference_cop", "required: expected a COP such as 6.03");
  c.reference_cop = check.positive(m.reference_cop(), "reference_cop");
  c.capacity_curve = coefficients<6>(m.capacity_curve(), check, "capacity_curve");
  c.eir_curve = coefficients<6>(m.eir_curve(), check, "eir_curve");
  c.part_load_curve = coefficients<3>(m.part_load_curve(), check, "part_load_curve");
  if (!m.has_min_part_load_ratio())
    check.fail("min_part_load_ratio", "required: expected a ratio in (0, 1] such as 0.1");
  c.min_part_load_ratio =
      check.in_range(m.min_part_load_ratio(), 0, 1, true, "min_part_load_ratio");
  auto pair = [&](bool has_lo, double lo, bool has_hi, double hi, const std::string& lo_field,
                  const std::string& hi_field, Celsius& out_lo, Celsius& out_hi) {
    if (!has_lo) check.fail(lo_field, "required: expected a temperature in degrees C");
    if (!has_hi) check.fail(hi_field, "required: expected a temperature in degrees C");
    check.finite(lo, lo_field);
    if (!(check.finite(hi, hi_field) > lo))
      check.fail(hi_field,
                 "must be > " + lo_field + " (" + number_text(lo) + "), got " + number_text(hi));
    out_lo = Celsius{lo};
    out_hi = Celsius{hi};
  };
  pair(m.has_min_leaving_chilled_c(), m.min_leaving_chilled_c(), m.has_max_leaving_chilled_c(),
       m.max_leaving_chilled_c(), "min_leaving_chilled_c", "max_leaving_chilled_c",
       c.min_leaving_chilled, c.max_leaving_chilled);
  pair(m.has_min_entering_condenser_c(), m.min_entering_condenser_c(),
       m.has_max_entering_condenser_c(), m.max_entering_condenser_c(), "min_entering_condenser_c",
       "max_entering_condenser_c", c.min_entering_condenser, c.max_entering_condenser);
  return c;
}

CoolingSpec build_cooling(const pb::Facility& facility, const Check& parent) {
  if (!facility.has_cooling())
    parent.fail("cooling", "required: expected a mapping with heat_rejection");
  const pb::Cooling& m = facility.cooling();
  const Check check = parent.child("cooling");
  CoolingSpec spec;
  switch (m.heat_rejection()) {
    case pb::Cooling::CHILLER:
      spec.heat_rejection = HeatRejection::kChiller;
      break;
    case pb::Cooling::DRY_COOLER:
      spec.heat_rejection = HeatRejection::kDryCooler;
      break;
    case pb::Cooling::COOLING_TOWER:
      spec.heat_rejection = HeatRejection::kCoolingTower;
      break;
    default:
      check.fail("heat_rejection",
                 R"(required: expected "chiller", "dry_cooler" or "cooling_tower")");
  }
  if (m.has_liquid_fraction())
    spec.liquid_fraction = check.in_range(m.liquid_fraction(), 0, 1, false, "liquid_fraction");
  if (m.has_liquid_supply_c())
    spec.liquid.supply = Celsius{check.finite(m.liquid_supply_c(), "liquid_supply_c")};
  if (m.has_liquid_delta_t_k())
    spec.liquid.delta_t = Kelvin{check.positive(m.liquid_delta_t_k(), "liquid_delta_t_k")};
  if (m.has_chilled_water_supply_c())
    spec.chilled_water.supply =
        Celsius{check.finite(m.chilled_water_supply_c(), "chilled_water_supply_c")};
  if (m.has_chilled_water_delta_t_k())
    spec.chilled_water.delta_t =
        Kelvin{check.positive(m.chilled_water_delta_t_k(), "chilled_water_delta_t_k")};
  if (m.has_cdu_pump_fraction())
    spec.cdu_pump_fraction = check.non_negative(m.cdu_pump_fraction(), "cdu_pump_fraction");
  if (m.has_air_fan_fraction())
    spec.air_fan_fraction = check.non_negative(m.air_fan_fraction(), "air_fan_fraction");
  if (m.has_rejection_fan_fraction())
    spec.rejection_fan_fraction =
        check.non_negative(m.rejection_fan_fraction(), "rejection_fan_fraction");
  if (m.has_approach_k()) spec.approach = Kelvin{check.non_negative(m.approach_k(), "approach_k")};
  if (spec.heat_rejection == HeatRejection::kCoolingTower) {
    if (!m.has_wet_bulb_depression_k()) {
      check.fail("wet_bulb_depression_k",
                 "required for cooling_tower: expected dry bulb minus wet bulb in K, such as 6");
    }
    spec.wet_bulb_depression =
        Kelvin{check.non_negative(m.wet_bulb_depression_k(), "wet_bulb_depression_k")};
  } else if (m.has_wet_bulb_depression_k()) {
    check.fail("wet_bulb_depression_k", "only a cooling_tower uses the wet bulb; remove it");
  }
  if (const auto tau = check.optional_quantity<Seconds>(m.time_constant(), Dimension::kDuration,
                                                        "time_constant")) {
    if (*tau < Seconds(0))
      check.fail("time_constant", "must be >= 0, got \"" + m.time_constant() + "\"");
    spec.time_constant = *tau;
  }
  spec.chiller =
      m.has_chiller() ? build_chiller(m.chiller(), check.child("chiller")) : reference_chiller();
  return spec;
}

[[noreturn]] void bad_line(const std::string& where, const std::string& expected,
                           const std::string& got) {
  throw InputError(where + ": " + expected + ", got \"" + got + "\"");
}

// Reads a CSV of numbers: '#' lines are comments, the first other line must be `header`, each
// following line holds `columns` numbers. Errors name the file and line.
std::vector<std::vector<double>> read_csv(const std::filesystem::path& file,
                                          const std::string& header, size_t columns,
                                          const Check& check, const std::string& field) {
  std::ifstream in(file);
  if (!in) check.fail(field, "cannot read \"" + file.string() + "\"");
  std::vector<std::vector<double>> rows;
  std::string line;
  int number = 0;
  bool seen_header = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::string where = file.string() + ":" + std::to_string(number);
    if (!seen_header) {
      if (line != header) bad_line(where, "expected the header \"" + header + "\"", line);
      seen_header = true;
      continue;
    }
    std::vector<double> row;
    std::stringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) {
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (cell.empty() || end != cell.c_str() + cell.size() || !std::isfinite(v))
        bad_line(where, "expected a number", cell);
      row.push_back(v);
    }
    if (row.size() != columns) {
      throw InputError(where + ": expected " + std::to_string(columns) + " values, got " +
                       std::to_string(row.size()));
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) check.fail(field, "\"" + file.string() + "\" has no data rows");
  return rows;
}

MonthlyNormals builtin_normals(const std::string& name, const Check& check) {
  if (name != "northern-indiana" && name != "central-texas") {
    check.fail("builtin", R"(expected "northern-indiana" or "central-texas", got ")" + name + "\"");
  }
  const std::filesystem::path file =
      std::filesystem::path(GWSIM_CATALOG_DIR) / "facility" / "climate" / (name + ".csv");
  const auto rows = read_csv(file, "month,max_c,min_c", 3, check, "builtin");
  if (rows.size() != 12)
    throw InputError(file.string() + ": expected 12 months, got " + std::to_string(rows.size()));
  MonthlyNormals normals;
  normals.name = name;
  for (size_t i = 0; i < 12; ++i) {
    if (rows[i][0] != static_cast<double>(i + 1) || rows[i][1] < rows[i][2])
      throw InputError(file.string() + ": row " + std::to_string(i + 1) + " must be month " +
                       std::to_string(i + 1) + " with max_c >= min_c");
    normals.max_c[i] = rows[i][1];
    normals.min_c[i] = rows[i][2];
  }
  return normals;
}

HourlyTemperatures hourly(const std::string& path, const SourceMap& sources, const Check& check) {
  std::filesystem::path file(path);
  if (file.is_relative()) file = std::filesystem::path(sources.file()).parent_path() / file;
  const auto rows = read_csv(file, "hour,temperature_c", 2, check, "hourly_csv");
  HourlyTemperatures series{file.string(), {}};
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i][0] != static_cast<double>(i)) {
      throw InputError(file.string() + ": hours must count 0, 1, 2, ... in order; row " +
                       std::to_string(i + 1) + " has hour " + number_text(rows[i][0]));
    }
    series.temperature_c.push_back(rows[i][1]);
  }
  return series;
}

WeatherSpec build_weather(const pb::Facility& facility, const SourceMap& sources,
                          const Check& parent) {
  if (!facility.has_weather())
    parent.fail("weather", "required: expected a mapping with builtin, hourly_csv or constant_c");
  const pb::Weather& m = facility.weather();
  const Check check = parent.child("weather");
  WeatherSpec spec;
  switch (m.source_case()) {
    case pb::Weather::kBuiltin:
      spec.source = builtin_normals(m.builtin(), check);
      break;
    case pb::Weather::kHourlyCsv:
      spec.source = hourly(m.hourly_csv(), sources, check);
      break;
    case pb::Weather::kConstantC:
      spec.source = ConstantTemperature{Celsius{check.finite(m.constant_c(), "constant_c")}};
      break;
    case pb::Weather::SOURCE_NOT_SET:
      parent.fail("weather", "required: one of builtin, hourly_csv or constant_c");
  }
  if (m.has_start_day()) {
    if (m.start_day() < 1 || m.start_day() > 365)
      check.fail("start_day", "must be between 1 and 365, got " + std::to_string(m.start_day()));
    spec.start_day = static_cast<int>(m.start_day());
  }
  if (m.has_start_hour()) {
    if (!(m.start_hour() >= 0 && m.start_hour() < 24))
      check.fail("start_hour", "must be in [0, 24), got " + number_text(m.start_hour()));
    spec.start_hour = m.start_hour();
  }
  return spec;
}

EnvelopeSpec build_envelope(const pb::SiteEnvelope& m, const Check& check) {
  EnvelopeSpec spec;
  if (!m.grid_limit().empty())
    spec.grid_limit =
        check.positive_quantity<Watts>(m.grid_limit(), Dimension::kPower, "grid_limit");
  if (!m.power_cap().empty())
    spec.power_cap = check.positive_quantity<Watts>(m.power_cap(), Dimension::kPower, "power_cap");
  if (m.has_storage()) {
    const Check s = check.child("storage");
    const pb::Storage& st = m.storage();
    StorageSpec storage;
    storage.capacity = s.positive_quantity<Joules>(st.capacity(), Dimension::kEnergy, "capacity");
    storage.power = s.positive_quantity<Watts>(st.power(), Dimension::kPower, "power");
    if (st.has_round_trip_efficiency())
      storage.round_trip_efficiency =
          s.in_range(st.round_trip_efficiency(), 0, 1, true, "round_trip_efficiency");
    if (st.has_initial_charge())
      storage.initial_charge = s.in_range(st.initial_charge(), 0, 1, false, "initial_charge");
    storage.smoothing_time =
        s.positive_quantity<Seconds>(st.smoothing_time(), Dimension::kDuration, "smoothing_time");
    spec.storage = storage;
  }
  if (m.has_smoothing()) {
    const Check s = check.child("smoothing");
    SmoothingSpec smoothing;
    if (m.smoothing().has_power_floor())
      smoothing.power_floor = s.in_range(m.smoothing().power_floor(), 0, 1, false, "power_floor");
    if (!m.smoothing().ramp_time().empty())
      smoothing.ramp_time = s.positive_quantity<Seconds>(m.smoothing().ramp_time(),
                                                         Dimension::kDuration, "ramp_time");
    spec.smoothing = smoothing;
  }
  return spec;
}

}  // namespace

std::optional<FacilitySpec> build_facility(const pb::Scenario& message, const Scenario& scenario,
                                           const SourceMap& sources) {
  if (!message.has_facility()) return std::nullopt;
  const pb::Facility& m = message.facility();
  const Check check(sources, "facility");
  if (!scenario.record.power_interval) {
    throw InputError(sources.locate("facility"), "facility",
                     "needs record.power_interval: the facility runs on the site power series "
                     "(set e.g. record: {power_interval: 1s})");
  }
  FacilitySpec spec;
  if (m.has_power_delivery())
    spec.power_delivery =
        build_power_delivery(m.power_delivery(), Check(sources, "facility.power_delivery"));
  spec.cooling = build_cooling(m, check);
  spec.weather = build_weather(m, sources, check);
  if (m.has_envelope())
    spec.envelope = build_envelope(m.envelope(), Check(sources, "facility.envelope"));
  return spec;
}

}  // namespace gwsim::config::detail
