// Power driven by SimGrid's activity signals on a two-host platform built here: one host computes
// for a known time, then both communicate; energy and the sampled series against closed forms.
#include <gtest/gtest.h>

#include <numeric>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Mailbox.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include "sim/engine/simulation.h"
#include "sim/power/activity_tracker.h"

namespace gwsim::power {
namespace {

namespace sg4 = simgrid::s4u;

TEST(ActivityTracker, EnergyFollowsComputeAndCommunication) {
  engine::Simulation::Options options;
  options.host_energy = false;  // the tracker replaces the plugin
  engine::Simulation simulation(options);
  auto* zone = sg4::create_full_zone("zone");
  sg4::Host* a = zone->create_host("a", 1e12);
  sg4::Host* b = zone->create_host("b", 1e12);
  sg4::Link* link = zone->create_link("ab", 1e9)->set_latency(0);
  zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(link)});
  zone->seal();

  AcceleratorPowerModel model;
  model.idle = Watts(100);
  model.peak = Watts(700);
  model.communicating = Watts(200);
  ActivityTracker tracker({a, b}, model, Watts(0),
                          SampleWindow{Seconds(0), Seconds(4), Seconds(1e-3)});
  tracker.connect();
  // a computes 2e12 FLOP (2 s) while b waits idle, then a sends 1e9 B to b (1 s) through a mailbox
  // that b reads from 2 s on; then both are idle until 4 s.
  sg4::Mailbox* box = sg4::Mailbox::by_name("box");
  sg4::Actor::create("sender", a, [box] {
    sg4::this_actor::execute(2e12);
    static int payload = 0;
    box->put(&payload, 1e9);
    sg4::this_actor::sleep_until(4);
  });
  sg4::Actor::create("receiver", b, [box] {
    sg4::this_actor::sleep_until(2);
    box->get<int>();
  });
  simulation.run(nullptr);
  const double end = sg4::Engine::get_clock();
  ASSERT_NEAR(end, 4, 1e-9);
  PowerLedger& ledger = tracker.ledger();
  EXPECT_NEAR(ledger.energy(0, Seconds(end)).value(), 700 * 2 + 200 * 1 + 100 * 1, 1e-6);
  EXPECT_NEAR(ledger.energy(1, Seconds(end)).value(), 100 * 2 + 200 * 1 + 100 * 1, 1e-6);
  const std::vector<double> series = ledger.series(Seconds(end));
  ASSERT_EQ(series.size(), 4000u);
  EXPECT_NEAR(std::accumulate(series.begin(), series.end(), 0.0) * 1e-3,
              ledger.site_energy(Seconds(end)).value(), 1e-6);
  EXPECT_NEAR(series[500], 800, 1e-6);   // computing: 700 + 100
  EXPECT_NEAR(series[2500], 400, 1e-6);  // communicating: 200 + 200
  EXPECT_NEAR(series[3500], 200, 1e-6);  // idle
}

TEST(ActivityTracker, AMirrorCountsAsItsSource) {
  // m does what a does without running anything (symmetric ranks): a computes 2 s, then is idle.
  engine::Simulation::Options options;
  options.host_energy = false;
  engine::Simulation simulation(options);
  auto* zone = sg4::create_full_zone("zone");
  sg4::Host* a = zone->create_host("a", 1e12);
  sg4::Host* b = zone->create_host("b", 1e12);
  sg4::Host* m = zone->create_host("m", 1e12);
  zone->seal();
  AcceleratorPowerModel model;
  model.idle = Watts(100);
  model.peak = Watts(700);
  ActivityTracker tracker({a, b, m}, model, Watts(0), std::nullopt);
  tracker.mirror(m, a);
  tracker.connect();
  sg4::Actor::create("worker", a, [] {
    sg4::this_actor::execute(2e12);
    sg4::this_actor::sleep_until(3);
  });
  simulation.run(nullptr);
  const Seconds end(sg4::Engine::get_clock());
  ASSERT_NEAR(end.value(), 3, 1e-9);
  PowerLedger& ledger = tracker.ledger();
  EXPECT_NEAR(ledger.energy(2, end).value(), 700 * 2 + 100 * 1, 1e-6);
  EXPECT_NEAR(ledger.energy(0, end).value(), ledger.energy(2, end).value(), 1e-9);
  EXPECT_NEAR(ledger.site_energy(end).value(), 2 * (700 * 2 + 100) + 100 * 3, 1e-6);
  const ActivityTimes t = tracker.activity_times(end);
  EXPECT_NEAR(t.computing.value(), 2 * 2, 1e-9);  // a and its mirror
  EXPECT_NEAR(t.idle.value(), 2 * 1 + 3, 1e-9);   // their last second, and b throughout
}

}  // namespace
}  // namespace gwsim::power
