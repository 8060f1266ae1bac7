// The facility section of a scenario: defaults, built-in weather, and bad input rejected with its
// field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/loader.h"
#include "sim/core/error.h"

namespace gwsim::config {
namespace {

std::string quickstart_text() {
  std::ifstream in(std::string(GWSIM_SOURCE_DIR) + "/configs/quickstart.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Scenario load_with(const std::string& facility) {
  return load_scenario_text(quickstart_text() + "\n" + facility, Format::kYaml, "test.yaml");
}

std::string error_of(const std::string& facility) {
  try {
    load_with(facility);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(FacilityConfig, DefaultsAndBuiltinWeather) {
  const Scenario s = load_with(
      "facility:\n  cooling: {heat_rejection: dry_cooler}\n  weather: {builtin: northern-indiana, "
      "start_day: 182}\n");
  ASSERT_TRUE(s.facility.has_value());
  const FacilitySpec& f = *s.facility;
  EXPECT_EQ(f.cooling.heat_rejection, HeatRejection::kDryCooler);
  EXPECT_DOUBLE_EQ(f.power_delivery.ups_efficiency, 0.96);
  EXPECT_DOUBLE_EQ(f.cooling.chiller.reference_cop, 6.03);
  EXPECT_EQ(f.weather.start_day, 182);
  const auto& normals = std::get<MonthlyNormals>(f.weather.source);
  for (size_t m = 0; m < 12; ++m) EXPECT_GE(normals.max_c[m], normals.min_c[m]);
  EXPECT_GT(normals.max_c[6], normals.max_c[0] + 20);  // July is far warmer than January in Indiana
}

TEST(FacilityConfig, EnvelopeQuantities) {
  const Scenario s = load_with(
      "facility:\n  cooling: {heat_rejection: chiller}\n  weather: {constant_c: 25}\n"
      "  envelope:\n    grid_limit: 12MW\n    power_cap: 10MW\n"
      "    storage: {capacity: 2MWh, power: 4MW, smoothing_time: 60s}\n"
      "    smoothing: {power_floor: 0.3, ramp_time: 2s}\n");
  const EnvelopeSpec& e = s.facility->envelope;
  EXPECT_DOUBLE_EQ(e.cap()->value(), 10e6);
  EXPECT_DOUBLE_EQ(e.storage->capacity.value(), 2 * 3.6e9);
  EXPECT_DOUBLE_EQ(e.storage->round_trip_efficiency, 0.82);
  EXPECT_DOUBLE_EQ(e.smoothing->ramp_time->value(), 2);
}

TEST(FacilityConfig, RejectsBadInputAtItsField) {
  const std::string cooling = "  cooling: {heat_rejection: dry_cooler}\n";
  const std::string weather = "  weather: {constant_c: 25}\n";
  EXPECT_NE(error_of("facility:\n" + weather).find("facility.cooling: required"),
            std::string::npos);
  EXPECT_NE(error_of("facility:\n" + cooling).find("facility.weather: required"),
            std::string::npos);
  EXPECT_NE(error_of("facility:\n  cooling: {heat_rejection: cooling_tower}\n" + weather)
                .find("facility.cooling.wet_bulb_depression_k: required"),
            std::string::npos);
  EXPECT_NE(error_of("facility:\n" + cooling + "  weather: {builtin: mars}\n")
                .find("facility.weather.builtin"),
            std::string::npos);
  EXPECT_NE(
      error_of("facility:\n" + cooling + weather + "  power_delivery: {ups_efficiency: 1.2}\n")
          .find("facility.power_delivery.ups_efficiency: must be in (0, 1]"),
      std::string::npos);
  EXPECT_NE(error_of("facility:\n" + cooling + weather + "  envelope: {grid_limit: 12}\n")
                .find("facility.envelope.grid_limit: expected a power"),
            std::string::npos);
  EXPECT_NE(
      error_of("facility:\n  cooling: {heat_rejection: dry_cooler, chiller: {reference_cop: 6}}\n" +
               weather)
          .find("facility.cooling.chiller.reference_capacity: required"),
      std::string::npos);
}

TEST(FacilityConfig, HourlyCsvIsReadAndCheckedLineByLine) {
  const std::filesystem::path dir = std::filesystem::path(GWSIM_BINARY_DIR) / "tests" / "facility";
  std::filesystem::create_directories(dir);
  const std::filesystem::path good = dir / "hourly_good.csv";
  std::ofstream(good) << "# test\nhour,temperature_c\n0,1.5\n1,2.5\n2,-3\n";
  const Scenario s = load_with(
      "facility:\n  cooling: {heat_rejection: chiller}\n  weather: {hourly_csv: " + good.string() +
      "}\n");
  const auto& hourly = std::get<HourlyTemperatures>(s.facility->weather.source);
  EXPECT_EQ(hourly.temperature_c, (std::vector<double>{1.5, 2.5, -3}));
  const std::filesystem::path bad = dir / "hourly_bad.csv";
  std::ofstream(bad) << "hour,temperature_c\n0,1.5\n2,2.5\n";
  const std::string error = error_of(
      "facility:\n  cooling: {heat_rejection: chiller}\n  weather: {hourly_csv: " + bad.string() +
      "}\n");
  EXPECT_NE(error.find("hours must count 0, 1, 2"), std::string::npos) << error;
}

TEST(FacilityConfig, NeedsThePowerInterval) {
  std::string text = quickstart_text();
  const size_t record = text.find("record:");
  ASSERT_NE(record, std::string::npos);
  text = text.substr(0, record) +
         "facility:\n  cooling: {heat_rejection: dry_cooler}\n  weather: {constant_c: 25}\n";
  try {
    load_scenario_text(text, Format::kYaml, "test.yaml");
    FAIL() << "a facility without record.power_interval was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("needs record.power_interval"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace gwsim::config
