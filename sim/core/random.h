// Reproducible random streams.
//
// One master seed per run; each component derives its own stream from that seed and a stable name
// ("network.jitter", "job/17/failures"), so adding a component or drawing more numbers in one does
// not shift the numbers another one sees. Results are identical across machines and standard
// libraries: the seed derivation is spelled out below, std::mt19937_64's output sequence is fixed
// by the C++ standard, and the distributions are implemented here (std::hash and the std::
// distributions are implementation-defined and are not used). The transforms use std::log,
// std::sqrt, std::cos, std::sin and std::exp; sqrt is exact everywhere, the others match across
// platforms that share a libm (glibc).
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

namespace gwsim {

// FNV-1a 64 of stream_name (offset basis 0xcbf29ce484222325, prime 0x100000001b3), combined with
// the master seed and finalized with SplitMix64's mixer:
//   derive_seed = mix(mix(master_seed) ^ fnv1a64(stream_name)),
//   mix(x) = SplitMix64 finalizer of x + 0x9e3779b97f4a7c15.
uint64_t derive_seed(uint64_t master_seed, std::string_view stream_name);

class RandomStream {
 public:
  // The engine is std::mt19937_64 seeded with derive_seed(master_seed, stream_name).
  RandomStream(uint64_t master_seed, std::string_view stream_name);

  uint64_t next_u64();

  // Uniform in [0, 1): the top 53 bits of next_u64() scaled by 2^-53.
  double uniform01();

  // Standard normal by the Box-Muller transform of two uniform01() draws. Each transform yields two
  // values; the second is kept and returned by the next call.
  double standard_normal();

  // REQUIRES: stddev >= 0.
  double normal(double mean, double stddev);

  // A positive multiplicative factor with mean 1 and coefficient of variation cv: exp(mu + sigma *
  // Z) with sigma^2 = ln(1 + cv^2) and mu = -sigma^2 / 2. cv == 0 returns exactly 1.0 and draws
  // nothing. REQUIRES: cv >= 0.
  double lognormal_factor(double cv);

 private:
  std::mt19937_64 engine_;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace gwsim
