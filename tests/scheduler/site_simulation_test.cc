// The site at job resolution (sim/scheduler/site_simulation.h through sim/run/run_site.h):
// queueing, the caps fed back into job timing, energy accounting and determinism, on the small
// platform of site_test_util.h (32 accelerators; a step of 2 s = 1 s compute + 0.8 s communication
// + 0.2 s bubble).
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "sim/run/run_site.h"
#include "tests/scheduler/site_test_util.h"

namespace gwsim::scheduler {
namespace {

using testing::load_site;
using testing::site_yaml;
using testing::trace_stream;

constexpr double kIdle = 100, kCompute = 700, kComm = 300, kOverhead = 1000;

// One job on all 4 nodes for 1000 steps (2000 s at full speed).
const char* kWholeSite = "submit_s,accelerators,steps,duration_s,shape\n0,32,1000,,s\n";

run::SiteRunResult run(const std::string& name, const std::string& yaml, const std::string& trace) {
  return run::run_site(load_site(name, yaml, trace));
}

TEST(Site, UncappedJobRunsAtItsShapesStepRate) {
  const auto r = run("uncapped", site_yaml(trace_stream()), kWholeSite);
  ASSERT_EQ(r.site.jobs.size(), 1u);
  const SiteJobRecord& j = r.site.jobs[0];
  EXPECT_EQ(j.start, Seconds(0));
  EXPECT_NEAR(j.end->value(), 2000, 1e-9);
  // Each accelerator: 1 s at 700 W, 0.8 s at 300 W, 0.2 s idle per step.
  EXPECT_NEAR(j.accelerator_energy.value(), 32 * 1000 * (kCompute + 0.8 * kComm + 0.2 * kIdle),
              1e-6);
  EXPECT_EQ(r.site.completed, 1);
  EXPECT_EQ(r.site.throttled_time, Seconds(0));
}

TEST(Site, BindingSiteCapLengthensTheJobByTheModelsFactor) {
  // Per accelerator, after 4 kW of node overheads: 407.2 W = 100 + 600 * 0.512, the cap curve's
  // point at speed 0.8, so compute takes 1 / 0.8 as long: 1.25 + 1 s per step.
  const double cap_w = 4 * kOverhead + 32 * 407.2;
  const std::string capped =
      site_yaml(trace_stream(), "",
                "  site_it_power_cap: " + std::to_string(cap_w) + "W\n" + testing::cap_curve());
  const auto c = run("capped", capped, kWholeSite);
  const SiteJobRecord& j = c.site.jobs[0];
  EXPECT_NEAR(j.end->value(), 1000 * (1 / 0.8 + 1.0), 1e-6);
  EXPECT_NEAR(c.site.min_speed, 0.8, 1e-12);
  EXPECT_NEAR(c.site.throttled_time.value(), 2250, 1e-6);
  // The series never exceeds the cap, and the job's energy is that of the slowed steps.
  const auto& p = c.site.site_power->power_w;
  EXPECT_LE(*std::max_element(p.begin(), p.end()), cap_w * (1 + 1e-12));
  EXPECT_NEAR(j.accelerator_energy.value(), 32 * 1000 * (407.2 * 1.25 + 0.8 * kComm + 0.2 * kIdle),
              1e-3);
}

TEST(Site, TightSiteCapAdmitsOnlyWhatItCanFeed) {
  // 10.4 kW = 4 kW of node overheads + 16 idle accelerators at 100 W + 16 running at 300 W (the
  // communicating power, the least cap they can meet): a third node would leave 233 W each.
  const std::string yaml =
      site_yaml(trace_stream(), "", "  site_it_power_cap: 10.4kW\n" + testing::cap_curve());
  const auto r = run("admission", yaml,
                     "submit_s,accelerators,steps,duration_s,shape\n0,16,100,,s\n1,8,10,,s\n");
  const auto& jobs = r.site.jobs;
  EXPECT_EQ(jobs[1].start, jobs[0].end);  // it had a free node, but not the power
  EXPECT_EQ(r.site.infeasible_time, Seconds(0));
  const auto& p = r.site.site_power->power_w;
  EXPECT_LE(*std::max_element(p.begin(), p.end()), 10400 * (1 + 1e-12));
  EXPECT_GT(*std::max_element(p.begin(), p.end()), 9000);  // the cap is used, not left idle
}

TEST(Site, NonBindingCapChangesNothing) {
  const std::string yaml = site_yaml(trace_stream());
  const std::string capped =  // 30 kW > 26.4 kW at full load
      site_yaml(trace_stream(), "", "  site_it_power_cap: 30kW\n" + testing::cap_curve());
  const auto free = run("free", yaml, kWholeSite);
  const auto c = run("loose-cap", capped, kWholeSite);
  EXPECT_EQ(c.site.jobs[0].end, free.site.jobs[0].end);
  EXPECT_EQ(c.site.jobs[0].accelerator_energy, free.site.jobs[0].accelerator_energy);
  EXPECT_EQ(c.site.site_power->power_w, free.site.site_power->power_w);
  EXPECT_EQ(c.site.throttled_time, Seconds(0));
}

// A tight grid connection with the outside at `outside_c` all year.
run::SiteRunResult run_in_weather(const std::string& name, double outside_c) {
  const std::string facility =
      "facility:\n  cooling: {heat_rejection: dry_cooler}\n  weather: {constant_c: " +
      std::to_string(outside_c) + "}\n  envelope: {grid_limit: 26kW}\n";
  return run(name, site_yaml(trace_stream(), facility, testing::cap_curve()), kWholeSite);
}

TEST(Site, HotWeatherWithATightGridLimitMakesJobsFinishLater) {
  const auto cold = run_in_weather("cold", -10);
  const auto hot = run_in_weather("hot", 40);
  const Seconds cold_end = *cold.site.jobs[0].end;
  const Seconds hot_end = *hot.site.jobs[0].end;
  EXPECT_GE(cold_end.value(), 2000 - 1e-9);
  EXPECT_GT(hot_end, cold_end * 1.01);  // more cooling power leaves less for the accelerators
  for (const auto* r : {&cold, &hot}) {
    // The facility's draw stays under the limit, without the facility chain having to throttle.
    const auto& grid = r->facility->series.grid_w;
    EXPECT_LE(*std::max_element(grid.begin(), grid.end()), 26e3 * (1 + 1e-9));
    EXPECT_EQ(r->facility->totals.throttled_time, Seconds(0));
  }
}

TEST(Site, EnergyIsTheIntegralOfTheSeries) {
  const std::string stream = R"(    duration: 2d
    shapes: [{name: s, step_time: 2s, compute_fraction: 0.5, bubble_fraction: 0.1}]
    generator:
      mean_interarrival: 10min
      median_duration: 1h
      duration_sigma: 1.5
      classes: [{shape: s, nodes: 1, weight: 3}, {shape: s, nodes: 3, weight: 1}]
)";
  const auto r = run::run_site(load_site("energy", site_yaml(stream)));
  const auto& p = r.site.site_power->power_w;
  ASSERT_EQ(p.size(), 2u * 86400);
  const double integral = std::accumulate(p.begin(), p.end(), 0.0);  // 1 s bins
  EXPECT_NEAR(integral, r.site.it_energy.value(), 1e-9 * r.site.it_energy.value());
  EXPECT_NEAR(r.site.it_energy.value(),
              (r.site.accelerator_energy + r.site.node_overhead_energy).value(),
              1e-9 * r.site.it_energy.value());
  EXPECT_GT(r.site.completed, 10);
  // The site never draws less than all idle, nor more than all computing.
  EXPECT_GE(*std::min_element(p.begin(), p.end()), 4 * kOverhead + 32 * kIdle - 1e-6);
  EXPECT_LE(*std::max_element(p.begin(), p.end()), 4 * kOverhead + 32 * kCompute + 1e-6);
}

TEST(Site, LargerJobWaitsForNodesThenStartsWhenOneEnds) {
  // job 0: 3 nodes for 100 steps (ends at 200 s); job 1 needs 2 nodes, only 1 is free until then.
  const auto r = run("queue", site_yaml(trace_stream()),
                     "submit_s,accelerators,steps,duration_s,shape\n0,24,100,,s\n10,16,10,,s\n");
  const auto& jobs = r.site.jobs;
  EXPECT_NEAR(jobs[0].end->value(), 200, 1e-9);
  EXPECT_EQ(jobs[1].start, jobs[0].end);
  EXPECT_NEAR(jobs[1].end->value(), 220, 1e-9);
  EXPECT_NEAR(r.site.mean_wait.value(), (0 + 190) / 2.0, 1e-9);
  EXPECT_EQ(jobs[1].first_node, 0);  // first fit: the lowest free nodes
}

TEST(Site, EasyBackfillStartsOnlyJobsThatDoNotDelayTheHead) {
  // Job 0 holds 3 nodes until 200 s; job 1 (the head) needs all 4. Job 2 (1 node, ends at 22 s)
  // fits before the head's reservation; job 3 (1 node, 2000 s) would delay it.
  const std::string trace =
      "submit_s,accelerators,steps,duration_s,shape\n0,24,100,,s\n1,32,100,,s\n2,8,10,,s\n"
      "3,8,1000,,s\n";
  std::string easy = site_yaml(trace_stream());
  easy.replace(easy.find("    trace_csv"), 0, "    policy: easy_backfill\n");
  const auto e = run("easy", easy, trace);
  EXPECT_EQ(e.site.jobs[2].start, Seconds(2));
  EXPECT_NEAR(e.site.jobs[1].start->value(), 200, 1e-9);
  EXPECT_NEAR(e.site.jobs[3].start->value(), 400, 1e-9);
  const auto f = run("fifo", site_yaml(trace_stream()), trace);
  EXPECT_NEAR(f.site.jobs[2].start->value(), 400, 1e-9);  // FIFO: nothing overtakes the head
  EXPECT_NEAR(f.site.jobs[1].start->value(), 200, 1e-9);
}

TEST(Site, JobsStillRunningAtTheEndAreUnfinished) {
  const auto r = run("unfinished", site_yaml(trace_stream("1000s")),
                     "submit_s,accelerators,steps,duration_s,shape\n0,8,1000,,s\n2000,8,1,,s\n");
  ASSERT_EQ(r.site.jobs.size(), 1u);  // the second arrives after the run
  EXPECT_FALSE(r.site.jobs[0].end.has_value());
  EXPECT_NEAR(r.site.jobs[0].steps_done, 500, 1e-9);
  EXPECT_EQ(r.site.completed, 0);
}

TEST(Site, SameSeedGivesIdenticalResults) {
  const std::string stream = R"(    duration: 1d
    shapes: [{name: s, step_time: 2s, compute_fraction: 0.5}]
    policy: easy_backfill
    generator:
      mean_interarrival: 5min
      median_duration: 30min
      duration_sigma: 1.2
      max_duration: 1d
      classes: [{shape: s, nodes: 1, weight: 2}, {shape: s, nodes: 2, weight: 1}, {shape: s, nodes: 4, weight: 0.5}]
)";
  const std::string yaml = site_yaml(stream);
  const auto a = run::run_site(load_site("seed-a", yaml));
  const auto b = run::run_site(load_site("seed-b", yaml));
  const auto c = run::run_site(load_site("seed-c", std::string("seed: 2\n") + yaml));
  ASSERT_EQ(a.site.jobs.size(), b.site.jobs.size());
  for (size_t i = 0; i < a.site.jobs.size(); ++i) {
    EXPECT_EQ(a.site.jobs[i].submit, b.site.jobs[i].submit);
    EXPECT_EQ(a.site.jobs[i].start, b.site.jobs[i].start);
    EXPECT_EQ(a.site.jobs[i].end, b.site.jobs[i].end);
    EXPECT_EQ(a.site.jobs[i].accelerator_energy, b.site.jobs[i].accelerator_energy);
  }
  EXPECT_EQ(a.site.site_power->power_w, b.site.site_power->power_w);
  EXPECT_NE(a.site.site_power->power_w, c.site.site_power->power_w);
  EXPECT_GT(a.site.jobs.size(), 200u);  // about 288 arrivals in a day
  EXPECT_LT(a.site.jobs.size(), 380u);
}

}  // namespace
}  // namespace gwsim::scheduler
