// Compute overlapped by a collective on its own host takes (1 + slowdown) times as long while they
// overlap, against the closed form; a collective elsewhere or a slowdown of 0 changes nothing; the
// power tracker does not count the stand-in for the collective's kernels as computing.
#include <gtest/gtest.h>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include "sim/engine/compute_contention.h"
#include "sim/engine/modelled_activity.h"
#include "sim/engine/simulation.h"
#include "sim/power/activity_tracker.h"
#include "tests/in_child.h"

namespace gwsim::engine {
namespace {

namespace sg4 = simgrid::s4u;

constexpr double kSpeed = 1e12;  // FLOP/s: 1e12 FLOP take 1 s alone

// A collective announced on `host` from `from` to `to` seconds, as the collective runner announces
// its own (modelled_activity.h).
void collective(sg4::Host* host, double from, double to) {
  sg4::Actor::create("collective", host, [host, from, to] {
    sg4::this_actor::sleep_until(from);
    on_modelled_communication(host, true);
    sg4::this_actor::sleep_until(to);
    on_modelled_communication(host, false);
  });
}

struct Case {
  double slowdown = 0;
  bool elsewhere = false;    // the collective runs on the other host
  bool two_at_once = false;  // a second collective overlaps the first on the same host
  bool track_power = false;
  double compute_from = 0;  // when the compute starts (s)
};

// Returns {end of the compute (s), compute-bound energy of host a (J), execs started}.
std::vector<double> simulate(const Case& c) {
  engine::Simulation::Options options;
  options.host_energy = false;
  engine::Simulation simulation(options);
  auto* zone = sg4::create_full_zone("zone");
  sg4::Host* a = zone->create_host("a", kSpeed);
  sg4::Host* b = zone->create_host("b", kSpeed);
  zone->seal();
  power::AcceleratorPowerModel model;
  model.idle = Watts(0);
  model.peak = Watts(700);
  model.communicating = Watts(0);
  power::ActivityTracker tracker({a, b}, model, Watts(0), std::nullopt);
  if (c.track_power) tracker.connect();
  ComputeContention contention(c.slowdown);
  contention.connect();
  int execs = 0;
  sg4::Exec::on_start_cb([&execs](const sg4::Exec&) { ++execs; });

  double compute_end = 0;
  sg4::Actor::create("compute", a, [&compute_end, from = c.compute_from] {
    sg4::this_actor::sleep_until(from);
    sg4::this_actor::execute(1e12);
    compute_end = sg4::Engine::get_clock();
  });
  collective(c.elsewhere ? b : a, 0.25, 0.75);
  if (c.two_at_once) collective(a, 0.5, 0.7);
  simulation.run(nullptr);
  return {compute_end, tracker.ledger().energy(0, Seconds(2)).value(), static_cast<double>(execs)};
}

std::vector<double> run_case(const Case& c) {
  return testing::in_child(3, [c] { return simulate(c); });
}

constexpr double kSlowdown = 0.25;
// Compute at 1 / (1 + s) of the speed for `overlap` seconds leaves overlap * (1 - 1 / (1 + s)) s of
// its work for after.
double delay(double overlap) { return overlap * (1.0 - 1.0 / (1.0 + kSlowdown)); }

TEST(ComputeContention, OverlappedComputeSlowsByTheFactorWhileTheyOverlap) {
  const std::vector<double> r = run_case({.slowdown = kSlowdown});
  EXPECT_NEAR(r[0], 1.0 + delay(0.5), 1e-9);
  EXPECT_EQ(r[2], 2.0);  // the compute and one background
}

TEST(ComputeContention, ComputeThatStartsDuringACollectiveSlowsToo) {
  // 0.25 s of overlap, until the collective ends at 0.75 s.
  const std::vector<double> r = run_case({.slowdown = kSlowdown, .compute_from = 0.5});
  EXPECT_NEAR(r[0], 0.5 + 1.0 + delay(0.25), 1e-9);
  EXPECT_EQ(r[2], 2.0);
}

TEST(ComputeContention, SeveralCollectivesAtOnceSlowComputeAsOne) {
  const std::vector<double> r = run_case({.slowdown = kSlowdown, .two_at_once = true});
  EXPECT_NEAR(r[0], 1.0 + delay(0.5), 1e-9);
  EXPECT_EQ(r[2], 2.0);
}

TEST(ComputeContention, ACollectiveOnAnotherHostOrNoSlowdownChangesNothing) {
  const std::vector<double> elsewhere = run_case({.slowdown = kSlowdown, .elsewhere = true});
  EXPECT_DOUBLE_EQ(elsewhere[0], 1.0);
  EXPECT_EQ(elsewhere[2], 1.0);  // no background where nothing computes
  const std::vector<double> none = run_case({.slowdown = 0.0});
  EXPECT_DOUBLE_EQ(none[0], 1.0);
  EXPECT_EQ(none[2], 1.0);  // no background without a slowdown
}

TEST(ComputeContention, ThePowerTrackerCountsTheSlowerComputeNotTheBackground) {
  const std::vector<double> r = run_case({.slowdown = kSlowdown, .track_power = true});
  // Host a draws peak power while its compute runs, which now ends later; the background adds none
  // (the collective's own power is the communicating state's, 0 W here).
  EXPECT_NEAR(r[1], 700.0 * r[0], 1e-6);
  EXPECT_NEAR(r[0], 1.0 + delay(0.5), 1e-9);
}

}  // namespace
}  // namespace gwsim::engine
