// Strong unit types for gwsim.
//
// A quantity is a double in SI base units (seconds, bytes, FLOP, joules) tagged at compile time
// with the exponents of its dimensions. Arithmetic follows physics: Bytes / BytesPerSecond is
// Seconds, Watts * Seconds is Joules, and Seconds + Bytes does not compile. A raw double appears
// only where a value is handed to SimGrid or to a file: call .value().
//
// The four base dimensions are time, data (bytes), work (floating-point operations) and energy
// (joules). Power is energy per time, so Watts = Joules / Seconds exactly.
#pragma once

#include <cmath>
#include <compare>

namespace gwsim {

template <int kTime, int kData, int kWork, int kEnergy>
class Quantity {
 public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(double value) : value_(value) {}

  // The value in SI base units of this dimension (s, B, FLOP, J, W, B/s, FLOP/s, ...).
  constexpr double value() const { return value_; }

  constexpr Quantity operator+(Quantity o) const { return Quantity(value_ + o.value_); }
  constexpr Quantity operator-(Quantity o) const { return Quantity(value_ - o.value_); }
  constexpr Quantity operator-() const { return Quantity(-value_); }
  constexpr Quantity& operator+=(Quantity o) {
    value_ += o.value_;
    return *this;
  }
  constexpr Quantity& operator-=(Quantity o) {
    value_ -= o.value_;
    return *this;
  }
  constexpr Quantity operator*(double k) const { return Quantity(value_ * k); }
  constexpr Quantity operator/(double k) const { return Quantity(value_ / k); }
  constexpr Quantity& operator*=(double k) {
    value_ *= k;
    return *this;
  }
  constexpr Quantity& operator/=(double k) {
    value_ /= k;
    return *this;
  }
  friend constexpr Quantity operator*(double k, Quantity q) { return Quantity(k * q.value_); }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted comparison's 0.
  constexpr auto operator<=>(const Quantity&) const = default;

 private:
  double value_ = 0.0;
};

namespace units_detail {
// A product or quotient whose dimensions cancel is a plain double.
template <int T, int D, int W, int E>
constexpr auto make(double v) {
  if constexpr (T == 0 && D == 0 && W == 0 && E == 0) {
    return v;
  } else {
    return Quantity<T, D, W, E>(v);
  }
}
}  // namespace units_detail

template <int T1, int D1, int W1, int E1, int T2, int D2, int W2, int E2>
constexpr auto operator*(Quantity<T1, D1, W1, E1> a, Quantity<T2, D2, W2, E2> b) {
  return units_detail::make<T1 + T2, D1 + D2, W1 + W2, E1 + E2>(a.value() * b.value());
}

template <int T1, int D1, int W1, int E1, int T2, int D2, int W2, int E2>
constexpr auto operator/(Quantity<T1, D1, W1, E1> a, Quantity<T2, D2, W2, E2> b) {
  return units_detail::make<T1 - T2, D1 - D2, W1 - W2, E1 - E2>(a.value() / b.value());
}

template <int T, int D, int W, int E>
constexpr auto operator/(double k, Quantity<T, D, W, E> q) {
  return Quantity<-T, -D, -W, -E>(k / q.value());
}

using Seconds = Quantity<1, 0, 0, 0>;
using Hertz = Quantity<-1, 0, 0, 0>;
using Bytes = Quantity<0, 1, 0, 0>;
using BytesPerSecond = Quantity<-1, 1, 0, 0>;
using Flops = Quantity<0, 0, 1, 0>;  // a count of floating-point operations
using FlopsPerSecond = Quantity<-1, 0, 1, 0>;
using Joules = Quantity<0, 0, 0, 1>;
using Watts = Quantity<-1, 0, 0, 1>;
using FlopsPerByte = Quantity<0, -1, 1, 0>;  // arithmetic intensity

template <int T, int D, int W, int E>
constexpr Quantity<T, D, W, E> abs(Quantity<T, D, W, E> q) {
  return Quantity<T, D, W, E>(q.value() < 0 ? -q.value() : q.value());
}

template <int T, int D, int W, int E>
constexpr Quantity<T, D, W, E> max(Quantity<T, D, W, E> a, Quantity<T, D, W, E> b) {
  return a < b ? b : a;
}

template <int T, int D, int W, int E>
constexpr Quantity<T, D, W, E> min(Quantity<T, D, W, E> a, Quantity<T, D, W, E> b) {
  return b < a ? b : a;
}

}  // namespace gwsim
