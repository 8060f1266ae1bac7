// Loading job streams: traces, measured shapes and generators, and the errors a bad one gives
// (file, line where known, field path, expectation). More malformed scenarios are in
// tests/config/malformed/job_stream_*.yaml.
#include <gtest/gtest.h>

#include "sim/config/loader.h"
#include "sim/core/error.h"
#include "sim/scheduler/job_stream.h"
#include "tests/scheduler/site_test_util.h"

namespace gwsim::scheduler {
namespace {

using testing::load_site;
using testing::site_yaml;
using testing::test_dir;
using testing::trace_stream;
using testing::write_file;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(JobStreamConfig, TraceRowsBecomeJobsOnWholeNodes) {
  const config::Scenario s = load_site("trace-ok", site_yaml(trace_stream()),
                                       "# a comment\nsubmit_s,accelerators,steps,duration_s,shape\n"
                                       "50,12,,61,s\n0,8,7,,s\n");
  const config::JobStreamSpec& stream = *s.job_stream;
  ASSERT_EQ(stream.trace.size(), 2u);
  EXPECT_EQ(stream.trace[0].submit, Seconds(0));  // sorted by submit time
  EXPECT_EQ(stream.trace[0].steps, 7);
  EXPECT_EQ(stream.trace[1].nodes, 2);   // 12 accelerators round up to 2 nodes of 8
  EXPECT_EQ(stream.trace[1].steps, 31);  // ceil(61 s / 2 s per step)
  EXPECT_EQ(stream.shapes[0].compute, Seconds(1));
  EXPECT_NEAR(stream.shapes[0].bubble.value(), 0.2, 1e-15);
  EXPECT_NEAR(stream.shapes[0].exposed_comm.value(), 0.8, 1e-15);
}

TEST(JobStreamConfig, TraceErrorsNameFileLineAndColumn) {
  const std::string dir = test_dir("trace-bad").string();
  auto bad = [&](const std::string& row) {
    return error_of([&] {
      load_site("trace-bad", site_yaml(trace_stream()),
                "submit_s,accelerators,steps,duration_s,shape\n0,8,1,,s\n" + row + "\n");
    });
  };
  const std::string at = dir + "/trace.csv:3: workload.job_stream.trace_csv.";
  EXPECT_EQ(bad("5,x,1,,s"), at + "accelerators: expected a number >= 0, got \"x\"");
  EXPECT_EQ(bad("5,40,1,,s"), at + "accelerators: needs 5 nodes, the platform has 4");
  EXPECT_EQ(bad("5,8,1,,t"), at + "shape: no shape named \"t\"");
  EXPECT_EQ(bad("5,8,1,3,s"), at + "steps: exactly one of steps and duration_s is required");
  EXPECT_EQ(bad("-1,8,1,,s"), at + "submit_s: expected a number >= 0, got \"-1\"");
  EXPECT_EQ(bad("5,8,1.5,,s"), at + "steps: expected a whole number >= 1, got \"1.5\"");
  EXPECT_EQ(bad("5,8,1,s"), dir +
                                "/trace.csv:3: workload.job_stream.trace_csv: expected 5 columns "
                                "(submit_s,accelerators,steps,duration_s,shape), got 4");
}

TEST(JobStreamConfig, MeasuredShapesComeFromTheShapeFile) {
  const std::filesystem::path dir = test_dir("measured");
  write_file(
      dir / "shapes.jsonl",
      "# measured\n"
      R"({"job": "a", "ranks": 16, "step_time_s": 3.5, "compute_s": 2, "exposed_comm_s": 1, "bubble_s": 0.25, "mfu": 0.4})"
      "\n");
  std::string stream = R"(    duration: 1d
    shape_file: shapes.jsonl
    shapes: [{name: big, measured: a}]
    trace_csv: trace.csv
)";
  const config::Scenario s = load_site(
      "measured", site_yaml(stream), "submit_s,accelerators,steps,duration_s,shape\n0,16,3,,big\n");
  const config::JobShapeSpec& shape = s.job_stream->shapes[0];
  EXPECT_EQ(shape.step_time, Seconds(3.5));
  EXPECT_EQ(shape.compute, Seconds(2));
  EXPECT_EQ(shape.exposed_comm, Seconds(1));
  EXPECT_EQ(shape.bubble, Seconds(0.25));
  EXPECT_EQ(shape.measured_accelerators, 16);
  EXPECT_EQ(shape.source, (dir / "shapes.jsonl").string() + ":2");

  std::string missing = stream;
  missing.replace(missing.find("measured: a"), 11, "measured: b");
  EXPECT_EQ(error_of([&] { load_site("measured", site_yaml(missing)); }),
            (dir / "scenario.yaml").string() +
                ":13: workload.job_stream.shapes[0].measured: no entry \"b\" in shapes.jsonl");
  write_file(dir / "shapes.jsonl",
             R"({"job": "a", "ranks": 16, "step_time_s": 3.5, "compute_s": 2})"
             "\n");
  EXPECT_EQ(error_of([&] { load_site("measured", site_yaml(stream)); }),
            (dir / "shapes.jsonl").string() +
                ":1: exposed_comm_s: required: expected a number (as gwsim step --json)");
}

TEST(JobStreamConfig, BundledShapesAreMeasuredByGwsimStep) {
  const config::Scenario s =
      config::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/configs/bench/site-year.yaml");
  ASSERT_EQ(s.job_stream->shapes.size(), 5u);
  for (const config::JobShapeSpec& shape : s.job_stream->shapes) {
    SCOPED_TRACE(shape.name);
    EXPECT_NE(shape.source.find("h100-shapes.jsonl:"), std::string::npos);
    EXPECT_GT(shape.measured_accelerators, 0);
    EXPECT_LE((shape.compute + shape.exposed_comm + shape.bubble).value(),
              shape.step_time.value() * (1 + 1e-9));
  }
}

TEST(JobStreamConfig, GeneratorIsSeededAndFollowsItsDistributions) {
  const std::string stream = R"(    duration: 30d
    shapes: [{name: s, step_time: 1s, compute_fraction: 1}]
    generator:
      mean_interarrival: 10min
      median_duration: 1h
      duration_sigma: 1
      max_duration: 10h
      classes: [{shape: s, nodes: 1, weight: 3}, {shape: s, nodes: 4, weight: 1}]
)";
  const config::Scenario s = load_site("generator", site_yaml(stream));
  const auto jobs = stream_jobs(*s.job_stream, s.seed);
  const auto again = stream_jobs(*s.job_stream, s.seed);
  const auto other = stream_jobs(*s.job_stream, s.seed + 1);
  ASSERT_EQ(jobs.size(), again.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_EQ(jobs[i].submit, again[i].submit);
    EXPECT_EQ(jobs[i].steps, again[i].steps);
  }
  EXPECT_NE(jobs.size() == other.size() && jobs[0].submit == other[0].submit, true);
  // 30 days at one arrival per 10 minutes: 4,320 expected, sd ~66.
  EXPECT_NEAR(static_cast<double>(jobs.size()), 4320, 4 * 66);
  size_t big = 0, short_runs = 0;
  for (const SiteJob& j : jobs) {
    big += j.nodes == 4 ? 1 : 0;
    short_runs += j.steps <= 3600 ? 1 : 0;  // below the median
    EXPECT_LE(j.steps, 36000);              // max_duration
    EXPECT_LT(j.submit, Seconds(30 * 86400));
  }
  const double n = static_cast<double>(jobs.size());
  EXPECT_NEAR(static_cast<double>(big) / n, 0.25, 0.03);
  EXPECT_NEAR(static_cast<double>(short_runs) / n, 0.5, 0.03);
}

TEST(JobStreamConfig, StreamErrorsNameTheField) {
  auto with = [&](const std::string& stream) {
    return error_of([&] { load_site("stream-bad", site_yaml(stream)); });
  };
  const std::string file = (test_dir("stream-bad") / "scenario.yaml").string();
  EXPECT_EQ(with("    duration: 1d\n" + testing::shape_lines()),
            file +
                ":11: workload.job_stream.trace_csv: exactly one of trace_csv and generator is "
                "required");
  EXPECT_EQ(
      with("    duration: 1d\n    shapes: [{name: s, step_time: 2s, compute_fraction: 1.5}]\n"
           "    trace_csv: t.csv\n"),
      file + ":12: workload.job_stream.shapes[0].compute_fraction: must be in (0, 1], got 1.5");
  EXPECT_EQ(with("    duration: 1d\n" + testing::shape_lines() +
                 "    generator: {mean_interarrival: 1h, median_duration: 1h, duration_sigma: 1,\n"
                 "                classes: [{shape: s, nodes: 9, weight: 1}]}\n"),
            file +
                ":14: workload.job_stream.generator.classes[0].nodes: required: expected whole "
                "nodes in [1, 4], got 9");
}

}  // namespace
}  // namespace gwsim::scheduler
