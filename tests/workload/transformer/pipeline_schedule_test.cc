// Pipeline schedules: completeness, order, the closed-form bubbles, and the in-flight counts that
// memory.h assumes.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <tuple>

#include "sim/workload/transformer/pipeline_schedule.h"

namespace gwsim::workload::transformer {
namespace {

struct Shape {
  PipelineSchedule schedule;
  int pp, m, v;
};

std::vector<Shape> shapes() {
  std::vector<Shape> out;
  for (int pp : {1, 2, 4, 8}) {
    for (int m : {1, 3, 8, 16, 32}) {
      out.push_back({PipelineSchedule::kGpipe, pp, m, 1});
      out.push_back({PipelineSchedule::kOneFOneB, pp, m, 1});
    }
  }
  for (int pp : {2, 4, 8}) {
    for (int k : {1, 2, 4}) {
      for (int v : {1, 2, 3, 4}) out.push_back({PipelineSchedule::kInterleaved, pp, k * pp, v});
    }
  }
  return out;
}

std::string label(const Shape& s) {
  return std::string(schedule_name(s.schedule)) + " pp=" + std::to_string(s.pp) +
         " m=" + std::to_string(s.m) + " v=" + std::to_string(s.v);
}

TEST(PipelineSchedule, EveryPassOnceAndForwardBeforeBackward) {
  for (const Shape& s : shapes()) {
    const auto all = pipeline_schedule(s.schedule, s.pp, s.m, s.v);
    ASSERT_EQ(static_cast<int>(all.size()), s.pp) << label(s);
    for (int r = 0; r < s.pp; ++r) {
      const auto& steps = all[static_cast<size_t>(r)];
      ASSERT_EQ(static_cast<int>(steps.size()), 2 * s.m * s.v) << label(s);
      std::set<std::tuple<int, int, int>> seen;
      std::set<std::pair<int, int>> forwarded;
      for (const ScheduleStep& st : steps) {
        ASSERT_GE(st.micro_batch, 0);
        ASSERT_LT(st.micro_batch, s.m);
        ASSERT_GE(st.chunk, 0);
        ASSERT_LT(st.chunk, s.v);
        EXPECT_TRUE(seen.insert({st.pass == Pass::kBackward, st.micro_batch, st.chunk}).second)
            << label(s) << " stage " << r << ": repeated step";
        if (st.pass == Pass::kForward) {
          forwarded.insert({st.micro_batch, st.chunk});
        } else {
          EXPECT_TRUE(forwarded.count({st.micro_batch, st.chunk}))
              << label(s) << " stage " << r << ": backward before its forward";
        }
      }
      EXPECT_EQ(static_cast<int>(seen.size()), 2 * s.m * s.v) << label(s);
    }
  }
}

TEST(PipelineSchedule, BubbleMatchesTheClosedForms) {
  for (const Shape& s : shapes()) {
    const auto all = pipeline_schedule(s.schedule, s.pp, s.m, s.v);
    const ScheduleTiming t = simulate_schedule(all, s.pp, s.v, 1.0, 1.0);
    // Narayanan et al. SC'21, section 2.2: (pp - 1) / m, and (pp - 1) / (v m) interleaved.
    const double want = static_cast<double>(s.pp - 1) / (s.v * s.m);
    EXPECT_NEAR(t.bubble_ratio(), want, 1e-12) << label(s);
    EXPECT_NEAR(t.makespan, 2.0 * s.m * s.v + 2.0 * (s.pp - 1), 1e-12) << label(s);
  }
}

TEST(PipelineSchedule, UnequalPassesKeepTheOneFOneBBubble) {
  // With t_b = 2 t_f the 1F1B bubble is still (pp - 1)(t_f + t_b).
  const int pp = 4, m = 8;
  const ScheduleTiming t =
      simulate_schedule(pipeline_schedule(PipelineSchedule::kOneFOneB, pp, m, 1), pp, 1, 1.0, 2.0);
  EXPECT_NEAR(t.makespan - t.busy, (pp - 1) * 3.0, 1e-12);
}

// Forwards minus backwards done, at the worst point of the stage's order.
int peak_in_flight(const std::vector<ScheduleStep>& steps) {
  int now = 0, peak = 0;
  for (const ScheduleStep& s : steps) {
    now += s.pass == Pass::kForward ? 1 : -1;
    peak = std::max(peak, now);
  }
  return peak;
}

TEST(PipelineSchedule, InFlightMicroBatchesAreWhatMemoryAssumes) {
  // memory.h: 1F1B holds min(pp - r, m) micro-batches on stage r, GPipe all m; the interleaved
  // schedule 2 (pp - r - 1) + (v - 1) pp + 1 chunks, capped at m v.
  for (int r = 0; r < 8; ++r) {
    EXPECT_EQ(peak_in_flight(stage_schedule(PipelineSchedule::kOneFOneB, 8, 16, 1, r)),
              std::min(8 - r, 16));
    EXPECT_EQ(peak_in_flight(stage_schedule(PipelineSchedule::kOneFOneB, 8, 3, 1, r)),
              std::min(8 - r, 3));
    EXPECT_EQ(peak_in_flight(stage_schedule(PipelineSchedule::kGpipe, 8, 16, 1, r)), 16);
    EXPECT_EQ(peak_in_flight(stage_schedule(PipelineSchedule::kInterleaved, 8, 16, 3, r)),
              std::min(2 * (8 - r - 1) + 2 * 8 + 1, 16 * 3));
  }
}

TEST(PipelineSchedule, OneFOneBOrder) {
  // pp = 4, m = 4, stage 1: two warm-up forwards, then F B alternating, then two backwards.
  const auto steps = stage_schedule(PipelineSchedule::kOneFOneB, 4, 4, 1, 1);
  const std::vector<ScheduleStep> want = {{Pass::kForward, 0, 0},  {Pass::kForward, 1, 0},
                                          {Pass::kForward, 2, 0},  {Pass::kBackward, 0, 0},
                                          {Pass::kForward, 3, 0},  {Pass::kBackward, 1, 0},
                                          {Pass::kBackward, 2, 0}, {Pass::kBackward, 3, 0}};
  EXPECT_EQ(steps, want);
  // Interleaved: micro-batches go through the chunks in groups of pp.
  const auto il = stage_schedule(PipelineSchedule::kInterleaved, 2, 4, 2, 1);
  ASSERT_GE(il.size(), 3u);
  EXPECT_EQ(il[0], (ScheduleStep{Pass::kForward, 0, 0}));
  EXPECT_EQ(il[1], (ScheduleStep{Pass::kForward, 1, 0}));
  EXPECT_EQ(il[2], (ScheduleStep{Pass::kForward, 0, 1}));
}

TEST(PipelineSchedule, RejectsUnsupportedShapes) {
  EXPECT_THROW(stage_schedule(PipelineSchedule::kOneFOneB, 4, 8, 2, 0), std::invalid_argument);
  EXPECT_THROW(stage_schedule(PipelineSchedule::kGpipe, 4, 8, 2, 0), std::invalid_argument);
  EXPECT_THROW(stage_schedule(PipelineSchedule::kInterleaved, 4, 6, 2, 0), std::invalid_argument);
  EXPECT_THROW(stage_schedule(PipelineSchedule::kOneFOneB, 4, 8, 1, 4), std::invalid_argument);
}

TEST(PipelineSchedule, ADeadlockIsDetected) {
  // Stage 0 runs the backward first: it waits for stage 1's backward, which waits for stage 0's
  // forward.
  std::vector<std::vector<ScheduleStep>> bad = {{{Pass::kBackward, 0, 0}, {Pass::kForward, 0, 0}},
                                                {{Pass::kForward, 0, 0}, {Pass::kBackward, 0, 0}}};
  EXPECT_THROW(simulate_schedule(bad, 2, 1, 1.0, 1.0), std::logic_error);
}

}  // namespace
}  // namespace gwsim::workload::transformer
