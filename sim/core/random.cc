#include "sim/core/random.h"

#include <cassert>
#include <cmath>
#include <numbers>

namespace gwsim {
namespace {

constexpr uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

uint64_t fnv1a64(std::string_view s) {
  uint64_t h = kFnvOffsetBasis;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return h;
}

// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014;
// constants from Vigna's reference implementation): one step from state x.
uint64_t splitmix64(uint64_t x) {
  uint64_t z = x + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

uint64_t derive_seed(uint64_t master_seed, std::string_view stream_name) {
  return splitmix64(splitmix64(master_seed) ^ fnv1a64(stream_name));
}

RandomStream::RandomStream(uint64_t master_seed, std::string_view stream_name)
    : engine_(derive_seed(master_seed, stream_name)) {}

uint64_t RandomStream::next_u64() { return engine_(); }

double RandomStream::uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double RandomStream::standard_normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  const double u1 = 1.0 - uniform01();  // in (0, 1], so the logarithm is finite
  const double u2 = uniform01();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 2.0 * std::numbers::pi * u2;
  spare_normal_ = r * std::sin(theta);
  has_spare_normal_ = true;
  return r * std::cos(theta);
}

double RandomStream::normal(double mean, double stddev) {
  assert(stddev >= 0.0);
  return mean + stddev * standard_normal();
}

double RandomStream::lognormal_factor(double cv) {
  assert(cv >= 0.0);
  if (cv == 0.0) return 1.0;
  const double sigma2 = std::log1p(cv * cv);
  const double sigma = std::sqrt(sigma2);
  return std::exp(-0.5 * sigma2 + sigma * standard_normal());
}

}  // namespace gwsim
