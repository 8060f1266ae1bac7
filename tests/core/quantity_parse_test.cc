#include "sim/core/quantity_parse.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gwsim {
namespace {

struct Case {
  std::string_view text;
  double expected;  // SI base units
};

void expect_parses(Dimension d, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.text));
    const std::optional<double> v = parse_quantity(c.text, d);
    ASSERT_TRUE(v.has_value());
    EXPECT_DOUBLE_EQ(*v, c.expected);
  }
}

void expect_rejects(Dimension d, const std::vector<std::string_view>& texts) {
  for (std::string_view text : texts) {
    EXPECT_EQ(parse_quantity(text, d), std::nullopt) << "accepted \"" << text << "\"";
  }
}

TEST(QuantityParseTest, Durations) {
  expect_parses(Dimension::kDuration, {{"3ps", 3e-12},
                                       {"3ns", 3e-9},
                                       {"1.5us", 1.5e-6},
                                       {"1.5\u00b5s", 1.5e-6},
                                       {"1.5\u03bcs", 1.5e-6},
                                       {"12ms", 0.012},
                                       {"2s", 2.0},
                                       {"2 s", 2.0},
                                       {"1.5min", 90.0},
                                       {"2h", 7200.0},
                                       {"1d", 86400.0}});
}

TEST(QuantityParseTest, DataSizes) {
  expect_parses(Dimension::kDataSize, {{"512B", 512.0},
                                       {"1kB", 1e3},
                                       {"1KB", 1e3},
                                       {"2MB", 2e6},
                                       {"80GB", 80e9},
                                       {"3TB", 3e12},
                                       {"4PB", 4e15},
                                       {"1EB", 1e18},
                                       {"1KiB", 1024.0},
                                       {"1MiB", 1048576.0},
                                       {"80GiB", 80.0 * 1073741824.0},
                                       {"1TiB", 1099511627776.0},
                                       {"1PiB", 1125899906842624.0},
                                       {"1EiB", 1152921504606846976.0}});
}

TEST(QuantityParseTest, BitRatesAreDividedByEight) {
  expect_parses(Dimension::kBandwidth, {{"8bps", 1.0},
                                        {"8kbps", 1e3},
                                        {"8Kbps", 1e3},
                                        {"8Mbps", 1e6},
                                        {"400Gbps", 5e10},
                                        {"400 Gbps", 5e10},
                                        {"8Tbps", 1e12},
                                        {"8Pbps", 1e15},
                                        {"8b/s", 1.0},
                                        {"8kb/s", 1e3},
                                        {"8Kb/s", 1e3},
                                        {"8Mb/s", 1e6},
                                        {"8Gb/s", 1e9},
                                        {"8Tb/s", 1e12},
                                        {"8Pb/s", 1e15}});
}

TEST(QuantityParseTest, ByteRates) {
  expect_parses(Dimension::kBandwidth, {{"1B/s", 1.0},
                                        {"1kB/s", 1e3},
                                        {"1KB/s", 1e3},
                                        {"1MB/s", 1e6},
                                        {"50GB/s", 5e10},
                                        {"1TB/s", 1e12},
                                        {"1PB/s", 1e15},
                                        {"1KiB/s", 1024.0},
                                        {"1MiB/s", 1048576.0},
                                        {"1GiB/s", 1073741824.0},
                                        {"1TiB/s", 1099511627776.0},
                                        {"1Bps", 1.0},
                                        {"1kBps", 1e3},
                                        {"1KBps", 1e3},
                                        {"1MBps", 1e6},
                                        {"1GBps", 1e9},
                                        {"1TBps", 1e12}});
}

TEST(QuantityParseTest, Work) {
  expect_parses(Dimension::kWork, {{"1FLOP", 1.0},
                                   {"1kFLOP", 1e3},
                                   {"1MFLOP", 1e6},
                                   {"1GFLOP", 1e9},
                                   {"1TFLOP", 1e12},
                                   {"3.2PFLOP", 3.2e15},
                                   {"1EFLOP", 1e18},
                                   {"1ZFLOP", 1e21}});
}

TEST(QuantityParseTest, FlopRates) {
  expect_parses(Dimension::kFlopRate, {{"1FLOP/s", 1.0},
                                       {"1kFLOP/s", 1e3},
                                       {"1MFLOP/s", 1e6},
                                       {"1GFLOP/s", 1e9},
                                       {"989TFLOP/s", 989e12},
                                       {"1PFLOP/s", 1e15},
                                       {"1EFLOP/s", 1e18},
                                       {"1FLOPS", 1.0},
                                       {"1kFLOPS", 1e3},
                                       {"1MFLOPS", 1e6},
                                       {"1GFLOPS", 1e9},
                                       {"1TFLOPS", 1e12},
                                       {"1PFLOPS", 1e15},
                                       {"1EFLOPS", 1e18}});
}

TEST(QuantityParseTest, PowerAndEnergy) {
  expect_parses(Dimension::kPower,
                {{"5mW", 5e-3}, {"700W", 700.0}, {"3kW", 3e3}, {"1.2MW", 1.2e6}, {"1GW", 1e9}});
  expect_parses(Dimension::kEnergy, {{"1J", 1.0},
                                     {"1kJ", 1e3},
                                     {"1MJ", 1e6},
                                     {"1GJ", 1e9},
                                     {"1TJ", 1e12},
                                     {"1Wh", 3600.0},
                                     {"1kWh", 3.6e6},
                                     {"1.2MWh", 4.32e9},
                                     {"1GWh", 3.6e12},
                                     {"1TWh", 3.6e15}});
}

TEST(QuantityParseTest, NumberGrammar) {
  expect_parses(Dimension::kPower, {{"+5W", 5.0},
                                    {"-5W", -5.0},
                                    {"0W", 0.0},
                                    {".5W", 0.5},
                                    {"-.5W", -0.5},
                                    {"5.W", 5.0},
                                    {"1e3W", 1e3},
                                    {"1E3W", 1e3},
                                    {"1.5e-3 W", 1.5e-3},
                                    {"2e+2W", 200.0},
                                    {"1.e2W", 100.0},
                                    {"007W", 7.0}});
  // An 'E' that starts no exponent belongs to the unit.
  expect_parses(Dimension::kDataSize, {{"2EB", 2e18}, {"1e3B", 1e3}, {"1E1EB", 1e19}});
}

TEST(QuantityParseTest, RejectsMalformedText) {
  expect_rejects(
      Dimension::kBandwidth,
      {"fast", "400", "400  Gbps", " 400Gbps", "400Gbps ", "\t400Gbps", "400gbps", "400GBPS",
       "400Gbpsx", "400 ", "Gbps", "", ".Gbps", "-Gbps", "4 00Gbps", "400Gbps\n", "0x10Gbps"});
  expect_rejects(Dimension::kPower, {"nanW", "NaNW", "infW", "-infW", "1e400W", "1e400 W", "1e W",
                                     "1.2.3W", "++5W", "5e3.0W", "w", "5w", "5 mw"});
  // Overflow after applying the unit's factor.
  expect_rejects(Dimension::kDataSize, {"1e300EB", "1.7e308KiB"});
}

TEST(QuantityParseTest, RejectsUnitsOfAnotherDimension) {
  expect_rejects(Dimension::kDataSize, {"8Gb", "8b", "1GB/s", "1s", "1FLOP", "1kb"});
  expect_rejects(Dimension::kDuration, {"1m", "1sec", "1MS", "1Us", "1W", "1D"});
  expect_rejects(Dimension::kBandwidth, {"1GB", "1Gbit/s", "1EiB/s", "1PBps", "1gbps"});
  expect_rejects(Dimension::kWork, {"1FLOP/s", "1flop", "1TFLOPS", "1Tflop"});
  expect_rejects(Dimension::kFlopRate, {"1TFLOP", "1ZFLOP/s", "1tflops"});
  expect_rejects(Dimension::kPower, {"1J", "1Wh", "1TW", "1kw"});
  expect_rejects(Dimension::kEnergy, {"1W", "1kwh", "1PJ", "1mJ"});
}

TEST(QuantityParseTest, TypedParsers) {
  ASSERT_TRUE(parse_duration("1.5us").has_value());
  EXPECT_DOUBLE_EQ(parse_duration("1.5us")->value(), 1.5e-6);
  EXPECT_DOUBLE_EQ(parse_data_size("80GiB")->value(), 80.0 * 1073741824.0);
  EXPECT_DOUBLE_EQ(parse_bandwidth("400Gbps")->value(), 5e10);
  EXPECT_DOUBLE_EQ(parse_work("3.2PFLOP")->value(), 3.2e15);
  EXPECT_DOUBLE_EQ(parse_flop_rate("989TFLOP/s")->value(), 989e12);
  EXPECT_DOUBLE_EQ(parse_power("700W")->value(), 700.0);
  EXPECT_DOUBLE_EQ(parse_energy("1.2MWh")->value(), 4.32e9);
  EXPECT_FALSE(parse_duration("1.5").has_value());
  EXPECT_FALSE(parse_data_size("8Gb").has_value());
  EXPECT_FALSE(parse_bandwidth("50GB").has_value());
  EXPECT_FALSE(parse_work("1TFLOP/s").has_value());
  EXPECT_FALSE(parse_flop_rate("1TFLOP").has_value());
  EXPECT_FALSE(parse_power("1kWh").has_value());
  EXPECT_FALSE(parse_energy("1kW").has_value());
}

TEST(QuantityParseTest, DescribeGivesNounAndParsableExample) {
  const Dimension all[] = {Dimension::kDuration, Dimension::kDataSize, Dimension::kBandwidth,
                           Dimension::kWork,     Dimension::kFlopRate, Dimension::kPower,
                           Dimension::kEnergy};
  for (Dimension d : all) {
    const DimensionInfo info = describe(d);
    SCOPED_TRACE(info.noun);
    EXPECT_TRUE(parse_quantity(info.example, d).has_value());
  }
  EXPECT_STREQ(describe(Dimension::kBandwidth).noun, "a bandwidth");
  EXPECT_STREQ(describe(Dimension::kBandwidth).example, "400Gbps");
  EXPECT_STREQ(describe(Dimension::kWork).noun, "an amount of work");
  EXPECT_STREQ(describe(Dimension::kEnergy).example, "1.2MWh");
}

TEST(QuantityFormatTest, Durations) {
  EXPECT_EQ(format_duration(Seconds(1.5e-6)), "1.50 us");
  EXPECT_EQ(format_duration(Seconds(0.01234)), "12.3 ms");
  EXPECT_EQ(format_duration(Seconds(2.0)), "2.00 s");
  EXPECT_EQ(format_duration(Seconds(90.0)), "1.50 min");
  EXPECT_EQ(format_duration(Seconds(4500.0)), "1.25 h");
  EXPECT_EQ(format_duration(Seconds(3.0 * 86400.0)), "3.00 d");
  EXPECT_EQ(format_duration(Seconds(250e-12)), "250 ps");
  EXPECT_EQ(format_duration(Seconds(0.0)), "0 s");
  EXPECT_EQ(format_duration(Seconds(-0.0)), "0 s");
  EXPECT_EQ(format_duration(Seconds(-0.002)), "-2.00 ms");
  EXPECT_EQ(format_duration(Seconds(0.9999)), "1.00 s");  // 999.9 ms rounds into the next unit
}

TEST(QuantityFormatTest, DataSizesUseBinaryPrefixes) {
  EXPECT_EQ(format_data_size(Bytes(512.0)), "512 B");
  EXPECT_EQ(format_data_size(Bytes(80.0 * 1073741824.0)), "80.0 GiB");
  EXPECT_EQ(format_data_size(Bytes(1536.0)), "1.50 KiB");
  EXPECT_EQ(format_data_size(Bytes(1000.0)), "0.977 KiB");
  EXPECT_EQ(format_data_size(Bytes(0.5)), "0.500 B");
  EXPECT_EQ(format_data_size(Bytes(0.05)), "0.05 B");
}

TEST(QuantityFormatTest, RatesWorkPowerEnergy) {
  EXPECT_EQ(format_bandwidth(BytesPerSecond(5e10)), "50.0 GB/s");
  EXPECT_EQ(format_bandwidth(BytesPerSecond(125.0)), "125 B/s");
  EXPECT_EQ(format_flop_rate(FlopsPerSecond(989e12)), "989 TFLOP/s");
  EXPECT_EQ(format_work(Flops(3.2e15)), "3.20 PFLOP");
  EXPECT_EQ(format_power(Watts(700.0)), "700 W");
  EXPECT_EQ(format_power(Watts(1.2e6)), "1.20 MW");
  EXPECT_EQ(format_power(Watts(0.25)), "250 mW");
  EXPECT_EQ(format_energy(Joules(1.234e6)), "1.23 MJ");
  EXPECT_EQ(format_energy(Joules(9.996)), "10.0 J");
}

TEST(QuantityFormatTest, OutputParsesBack) {
  for (double v : {1.5e-6, 0.0123, 2.0, 90.0, 4500.0, 1e6}) {
    const std::string s = format_duration(Seconds(v));
    const std::optional<Seconds> back = parse_duration(s);
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_NEAR(back->value(), v, v * 5e-3) << s;
  }
  for (double v : {512.0, 1000.0, 80e9, 3e15}) {
    const std::string s = format_data_size(Bytes(v));
    const std::optional<Bytes> back = parse_data_size(s);
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_NEAR(back->value(), v, v * 5e-3) << s;
  }
  EXPECT_TRUE(parse_bandwidth(format_bandwidth(BytesPerSecond(5e10))).has_value());
  EXPECT_TRUE(parse_flop_rate(format_flop_rate(FlopsPerSecond(989e12))).has_value());
  EXPECT_TRUE(parse_work(format_work(Flops(3.2e15))).has_value());
  EXPECT_TRUE(parse_power(format_power(Watts(0.25))).has_value());
  EXPECT_TRUE(parse_energy(format_energy(Joules(1.234e6))).has_value());
}

}  // namespace
}  // namespace gwsim
