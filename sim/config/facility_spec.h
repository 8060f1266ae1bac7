// The typed facility of a scenario: power delivery, cooling, weather and the site envelope.
//
// Built and range-checked once by sim/config/build_facility.cc from sim/config/facility.proto,
// where each field's meaning is documented; the models in sim/facility/ read these structs and
// never re-check input. Defaults and their sources are listed in docs/facility.md.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/units.h"

namespace gwsim::config {

// A temperature in degrees Celsius and a temperature difference in kelvin. Not part of units.h
// because a temperature is affine (20 C + 20 C means nothing), so only the operations used below
// exist.
struct Celsius {
  double value = 0;
};
struct Kelvin {
  double value = 0;
};
inline Celsius operator+(Celsius t, Kelvin d) { return Celsius{t.value + d.value}; }
inline Celsius operator-(Celsius t, Kelvin d) { return Celsius{t.value - d.value}; }
inline Kelvin operator-(Celsius a, Celsius b) { return Kelvin{a.value - b.value}; }

struct PowerDeliverySpec {
  double transformer_efficiency = 0.995;
  double ups_efficiency = 0.96;
  double distribution_efficiency = 0.99;
};

// A chiller in the structure of EnergyPlus's Chiller:Electric:EIR.
struct ChillerSpec {
  Watts reference_capacity;
  double reference_cop = 0;
  std::array<double, 6> capacity_curve{};   // CAPFT(Te, Tc)
  std::array<double, 6> eir_curve{};        // EIRFT(Te, Tc)
  std::array<double, 3> part_load_curve{};  // EIRFPLR(PLR)
  double min_part_load_ratio = 0;
  Celsius min_leaving_chilled, max_leaving_chilled;
  Celsius min_entering_condenser, max_entering_condenser;
};

enum class HeatRejection { kChiller, kDryCooler, kCoolingTower };

// A water loop: supply temperature and rise across the load.
struct LoopSpec {
  Celsius supply;
  Kelvin delta_t;
  Celsius return_temperature() const { return supply + delta_t; }
};

struct CoolingSpec {
  HeatRejection heat_rejection = HeatRejection::kDryCooler;
  double liquid_fraction = 0.8;
  LoopSpec liquid{Celsius{30}, Kelvin{10}};
  LoopSpec chilled_water{Celsius{8.89}, Kelvin{5.56}};
  double cdu_pump_fraction = 0.01;
  double air_fan_fraction = 0.05;
  double rejection_fan_fraction = 0.02;
  Kelvin approach{5};
  std::optional<Kelvin> wet_bulb_depression;  // set for kCoolingTower only
  Seconds time_constant{120};
  ChillerSpec chiller;
};

// Monthly climate normals: mean daily maximum and minimum of each month, January first.
struct MonthlyNormals {
  std::string name;  // "northern-indiana"
  std::array<double, 12> max_c{};
  std::array<double, 12> min_c{};
};
// Hourly temperatures from hour 0 of the series; the series repeats after its last hour.
struct HourlyTemperatures {
  std::string path;
  std::vector<double> temperature_c;
};
struct ConstantTemperature {
  Celsius temperature;
};

struct WeatherSpec {
  std::variant<ConstantTemperature, MonthlyNormals, HourlyTemperatures> source;
  int start_day = 1;      // day of the year at simulated time 0, 1..365
  double start_hour = 0;  // local hour at simulated time 0, [0, 24)
};

struct StorageSpec {
  Joules capacity;
  Watts power;
  double round_trip_efficiency = 0.82;
  double initial_charge = 0.5;  // fraction of capacity
  Seconds smoothing_time;
};

struct SmoothingSpec {
  double power_floor = 0;            // fraction of peak power (TDP)
  std::optional<Seconds> ramp_time;  // time from 0 to peak at the limit; none = no limit
};

struct EnvelopeSpec {
  std::optional<Watts> grid_limit;
  std::optional<Watts> power_cap;
  std::optional<StorageSpec> storage;
  std::optional<SmoothingSpec> smoothing;

  // The tighter of the grid limit and the power cap, if either is set.
  std::optional<Watts> cap() const {
    if (grid_limit && power_cap) return min(*grid_limit, *power_cap);
    return grid_limit ? grid_limit : power_cap;
  }
};

struct FacilitySpec {
  PowerDeliverySpec power_delivery;
  CoolingSpec cooling;
  WeatherSpec weather;
  EnvelopeSpec envelope;
};

}  // namespace gwsim::config
