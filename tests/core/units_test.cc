#include "sim/core/units.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace gwsim {
namespace {

// Results of products and quotients have the physical type.
static_assert(std::is_same_v<decltype(Bytes(1) / BytesPerSecond(1)), Seconds>);
static_assert(std::is_same_v<decltype(BytesPerSecond(1) * Seconds(1)), Bytes>);
static_assert(std::is_same_v<decltype(Watts(1) * Seconds(1)), Joules>);
static_assert(std::is_same_v<decltype(Seconds(1) * Watts(1)), Joules>);
static_assert(std::is_same_v<decltype(Joules(1) / Seconds(1)), Watts>);
static_assert(std::is_same_v<decltype(Joules(1) / Watts(1)), Seconds>);
static_assert(std::is_same_v<decltype(Flops(1) / FlopsPerSecond(1)), Seconds>);
static_assert(std::is_same_v<decltype(Flops(1) / Bytes(1)), FlopsPerByte>);
static_assert(std::is_same_v<decltype(1.0 / Seconds(1)), Hertz>);
static_assert(std::is_same_v<decltype(Bytes(1) / Bytes(1)), double>);
static_assert(std::is_same_v<decltype(Seconds(1) * Hertz(1)), double>);
static_assert(std::is_same_v<decltype(Seconds(1) * 2.0), Seconds>);
static_assert(std::is_same_v<decltype(2.0 * Seconds(1)), Seconds>);

// Usable at compile time.
static_assert((Bytes(8) / BytesPerSecond(2)).value() == 4.0);
static_assert(Seconds(1) < Seconds(2));

template <typename A, typename B>
concept Addable = requires(A a, B b) {
  a + b;
};
template <typename A, typename B>
concept Subtractable = requires(A a, B b) {
  a - b;
};
template <typename A, typename B>
concept Comparable = requires(A a, B b) {
  a < b;
};
template <typename A, typename B>
concept AddAssignable = requires(A a, B b) {
  a += b;
};

// Same dimensions combine; different dimensions (or a bare double) do not.
static_assert(Addable<Seconds, Seconds>);
static_assert(!Addable<Seconds, Bytes>);
static_assert(!Addable<Watts, Joules>);
static_assert(!Addable<Seconds, double>);
static_assert(!Addable<double, Seconds>);
static_assert(Subtractable<Joules, Joules>);
static_assert(!Subtractable<Flops, FlopsPerSecond>);
static_assert(Comparable<Bytes, Bytes>);
static_assert(!Comparable<Bytes, BytesPerSecond>);
static_assert(AddAssignable<Seconds&, Seconds>);
static_assert(!AddAssignable<Seconds&, Bytes>);
// No implicit conversion from or to double.
static_assert(!std::is_convertible_v<double, Seconds>);
static_assert(!std::is_convertible_v<Seconds, double>);
static_assert(!std::is_convertible_v<Seconds, Bytes>);

TEST(UnitsTest, BytesOverBandwidthIsSeconds) {
  const Seconds t = Bytes(1e9) / BytesPerSecond(4e8);
  EXPECT_DOUBLE_EQ(t.value(), 2.5);
}

TEST(UnitsTest, PowerTimesTimeIsEnergy) {
  const Joules e = Watts(700.0) * Seconds(3600.0);
  EXPECT_DOUBLE_EQ(e.value(), 2.52e6);
  const Watts p = Joules(1.2e6) / Seconds(60.0);
  EXPECT_DOUBLE_EQ(p.value(), 2e4);
}

TEST(UnitsTest, WorkOverRateIsSeconds) {
  const Seconds t = Flops(3.2e15) / FlopsPerSecond(989e12);
  EXPECT_DOUBLE_EQ(t.value(), 3.2e15 / 989e12);
}

TEST(UnitsTest, RatioOfSameDimensionIsDouble) {
  const double r = Bytes(80.0) / Bytes(20.0);
  EXPECT_DOUBLE_EQ(r, 4.0);
}

TEST(UnitsTest, ScalarArithmeticAndAccumulation) {
  Seconds t(1.0);
  t += Seconds(0.5);
  t *= 2.0;
  t -= Seconds(1.0);
  t /= 4.0;
  EXPECT_DOUBLE_EQ(t.value(), 0.5);
  EXPECT_DOUBLE_EQ((-t).value(), -0.5);
  EXPECT_DOUBLE_EQ((3.0 * t).value(), 1.5);
  EXPECT_DOUBLE_EQ((t / 2.0).value(), 0.25);
  EXPECT_DOUBLE_EQ((1.0 / Seconds(0.25)).value(), 4.0);
}

TEST(UnitsTest, ComparisonAndHelpers) {
  EXPECT_LT(Watts(1.0), Watts(2.0));
  EXPECT_EQ(Watts(2.0), Watts(2.0));
  EXPECT_NE(Watts(2.0), Watts(3.0));
  EXPECT_EQ(abs(Joules(-3.0)), Joules(3.0));
  EXPECT_EQ(max(Seconds(1.0), Seconds(2.0)), Seconds(2.0));
  EXPECT_EQ(min(Seconds(1.0), Seconds(2.0)), Seconds(1.0));
  EXPECT_EQ(Bytes().value(), 0.0);
}

}  // namespace
}  // namespace gwsim
