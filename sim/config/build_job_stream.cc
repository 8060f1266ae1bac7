#include "sim/config/build_job_stream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "sim/config/field_check.h"
#include "sim/core/quantity_parse.h"

namespace gwsim::config::detail {
namespace {

const std::string kStream = "workload.job_stream";

using Check = FieldCheck;

// One measured step breakdown, as `gwsim step --json` prints it.
struct MeasuredShape {
  Seconds step_time, compute, exposed_comm, bubble;
  std::optional<JobShapeSpec::Activity> activity;
  int ranks = 0;
  std::string where;  // file:line
};

double measured_number(const YAML::Node& entry, const char* key, const std::string& where) {
  const YAML::Node v = entry[key];
  if (!v || !v.IsScalar())
    throw InputError(where + ": " + key + ": required: expected a number (as gwsim step --json)");
  char* end = nullptr;
  const std::string& text = v.Scalar();
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || value < 0)
    throw InputError(where + ": " + key + ": expected a number >= 0, got \"" + text + "\"");
  return value;
}

// The shape file: one JSON object per line, keyed by its "job" field.
std::map<std::string, MeasuredShape> read_shape_file(const std::filesystem::path& file,
                                                     const Check& check) {
  std::ifstream in(file);
  if (!in) check.fail("shape_file", "cannot read \"" + file.string() + "\"");
  std::map<std::string, MeasuredShape> shapes;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') continue;
    const std::string where = file.string() + ":" + std::to_string(number);
    YAML::Node entry;
    try {
      entry = YAML::Load(line);
    } catch (const YAML::Exception& e) {
      throw InputError(where + ": expected one JSON object per line: " + e.msg);
    }
    if (!entry.IsMap()) throw InputError(where + ": expected one JSON object per line");
    if (!entry["job"] || !entry["job"].IsScalar() || entry["job"].Scalar().empty())
      throw InputError(where + ": job: required: expected the job's name");
    MeasuredShape s;
    s.where = where;
    s.step_time = Seconds(measured_number(entry, "step_time_s", where));
    s.compute = Seconds(measured_number(entry, "compute_s", where));
    s.exposed_comm = Seconds(measured_number(entry, "exposed_comm_s", where));
    s.bubble = Seconds(measured_number(entry, "bubble_s", where));
    s.ranks = static_cast<int>(measured_number(entry, "ranks", where));
    if (!(s.step_time > Seconds(0))) throw InputError(where + ": step_time_s: must be > 0");
    if (entry["accelerator_computing_s"]) {
      JobShapeSpec::Activity a;
      a.computing = Seconds(measured_number(entry, "accelerator_computing_s", where));
      a.computing_communicating =
          Seconds(measured_number(entry, "accelerator_computing_communicating_s", where));
      a.communicating = Seconds(measured_number(entry, "accelerator_communicating_s", where));
      a.idle = Seconds(measured_number(entry, "accelerator_idle_s", where));
      const Seconds sum = a.computing + a.computing_communicating + a.communicating + a.idle;
      if (abs(sum - s.step_time) > s.step_time * 1e-6)
        throw InputError(where + ": the accelerator_*_s times must sum to step_time_s");
      s.activity = a;
    }
    if (s.compute + s.exposed_comm + s.bubble > s.step_time * (1 + 1e-9))
      throw InputError(where + ": compute_s + exposed_comm_s + bubble_s must be <= step_time_s");
    if (!shapes.emplace(entry["job"].Scalar(), s).second)
      throw InputError(where + ": job: another line measures \"" + entry["job"].Scalar() + "\"");
  }
  return shapes;
}

std::vector<JobShapeSpec> build_shapes(const pb::JobStream& m, const Check& check) {
  if (m.shapes().empty()) check.fail("shapes", "required: expected a list of at least one shape");
  std::optional<std::map<std::string, MeasuredShape>> measured;
  std::vector<JobShapeSpec> shapes;
  shapes.reserve(static_cast<size_t>(m.shapes().size()));
  for (int i = 0; i < m.shapes().size(); ++i) {
    const pb::JobShape& s = m.shapes(i);
    const std::string field = "shapes[" + std::to_string(i) + "]";
    if (s.name().empty()) check.fail(field + ".name", "required: expected a shape name");
    for (const JobShapeSpec& other : shapes)
      if (other.name == s.name())
        check.fail(field + ".name", "another shape is named \"" + s.name() + "\"");
    JobShapeSpec spec;
    spec.name = s.name();
    const bool inline_model =
        !s.step_time().empty() || s.has_compute_fraction() || s.has_bubble_fraction();
    if (!s.measured().empty()) {
      if (inline_model)
        check.fail(field + ".step_time", "not allowed with measured (one model per shape)");
      if (m.shape_file().empty())
        check.fail("shape_file", "required: shape \"" + s.name() + "\" is measured");
      if (!measured) measured = read_shape_file(check.relative_to_scenario(m.shape_file()), check);
      const auto found = measured->find(s.measured());
      if (found == measured->end())
        check.fail(field + ".measured", "no entry \"" + s.measured() + "\" in " + m.shape_file());
      const MeasuredShape& ms = found->second;
      spec.step_time = ms.step_time;
      spec.compute = ms.compute;
      spec.exposed_comm = ms.exposed_comm;
      spec.bubble = ms.bubble;
      spec.measured_accelerators = ms.ranks;
      spec.activity = ms.activity;
      spec.source = ms.where;
    } else {
      if (s.step_time().empty())
        check.fail(field, "required: measured (an entry of shape_file) or step_time");
      spec.step_time = check.positive_quantity<Seconds>(s.step_time(), Dimension::kDuration,
                                                        field + ".step_time");
      if (!s.has_compute_fraction())
        check.fail(field + ".compute_fraction", "required with step_time: a share in (0, 1]");
      const double c = s.compute_fraction();
      if (!(c > 0 && c <= 1))
        check.fail(field + ".compute_fraction", "must be in (0, 1], got " + number_text(c));
      const double b = s.has_bubble_fraction() ? s.bubble_fraction() : 0.0;
      if (!(b >= 0 && b < 1))
        check.fail(field + ".bubble_fraction", "must be in [0, 1), got " + number_text(b));
      if (c + b > 1 + 1e-12) {
        check.fail(field + ".bubble_fraction",
                   "compute_fraction + bubble_fraction must be <= 1, got " + number_text(c + b));
      }
      spec.compute = spec.step_time * c;
      spec.bubble = spec.step_time * b;
      spec.exposed_comm = max(Seconds(0), spec.step_time - spec.compute - spec.bubble);
      spec.source = "inline";
    }
    if (!(spec.compute > Seconds(0)))
      check.fail(field, "the shape's compute time must be > 0 (" + spec.source + ")");
    shapes.push_back(spec);
  }
  if (!m.shape_file().empty() && !measured)
    check.fail("shape_file", "no shape is measured: remove it or name an entry with measured");
  return shapes;
}

int shape_index(const std::vector<JobShapeSpec>& shapes, const std::string& name) {
  for (size_t i = 0; i < shapes.size(); ++i)
    if (shapes[i].name == name) return static_cast<int>(i);
  return -1;
}

std::string expected_header(const std::string& header, const std::string& got) {
  return "expected the header \"" + header + "\", got \"" + got + "\"";
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// The trace: header submit_s,accelerators,steps,duration_s,shape; one of steps / duration_s per
// row.
std::vector<StreamJobSpec> read_trace(const std::filesystem::path& file,
                                      const std::vector<JobShapeSpec>& shapes,
                                      const PlatformSpec& platform, const Check& check) {
  static const std::string kHeader = "submit_s,accelerators,steps,duration_s,shape";
  std::ifstream in(file);
  if (!in) check.fail("trace_csv", "cannot read \"" + file.string() + "\"");
  std::vector<StreamJobSpec> jobs;
  std::string line;
  int number = 0;
  bool seen_header = false;
  const std::string field = kStream + ".trace_csv";
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const SourceLocation at{file.string(), number};
    if (!seen_header) {
      if (line != kHeader) throw InputError(at, field, expected_header(kHeader, line));
      seen_header = true;
      continue;
    }
    const std::vector<std::string> cells = split_csv(line);
    if (cells.size() != 5)
      throw InputError(at, field,
                       "expected 5 columns (" + kHeader + "), got " + std::to_string(cells.size()));
    auto number_at = [&](size_t column, const char* name) -> std::optional<double> {
      const std::string& text = cells[column];
      if (text.empty()) return std::nullopt;
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size() || !std::isfinite(v) || v < 0)
        throw InputError(at, field + "." + name, "expected a number >= 0, got \"" + text + "\"");
      return v;
    };
    StreamJobSpec job;
    const auto submit = number_at(0, "submit_s");
    if (!submit) throw InputError(at, field + ".submit_s", "required: expected seconds >= 0");
    job.submit = Seconds(*submit);
    const auto accelerators = number_at(1, "accelerators");
    if (!accelerators || *accelerators < 1 || *accelerators != std::floor(*accelerators))
      throw InputError(at, field + ".accelerators",
                       "expected a whole number >= 1, got \"" + cells[1] + "\"");
    const auto nodes = static_cast<int64_t>(
        std::ceil(*accelerators / static_cast<double>(platform.accelerators_per_node)));
    if (nodes > platform.nodes)
      throw InputError(at, field + ".accelerators",
                       "needs " + std::to_string(nodes) + " nodes, the platform has " +
                           std::to_string(platform.nodes));
    job.nodes = static_cast<int>(nodes);
    job.shape = shape_index(shapes, cells[4]);
    if (job.shape < 0)
      throw InputError(at, field + ".shape", "no shape named \"" + cells[4] + "\"");
    const auto steps = number_at(2, "steps");
    const auto duration = number_at(3, "duration_s");
    if (steps.has_value() == duration.has_value())
      throw InputError(at, field + ".steps", "exactly one of steps and duration_s is required");
    if (steps) {
      if (*steps < 1 || *steps != std::floor(*steps) || *steps > 1e15)
        throw InputError(at, field + ".steps",
                         "expected a whole number >= 1, got \"" + cells[2] + "\"");
      job.steps = static_cast<int64_t>(*steps);
    } else {
      if (!(*duration > 0))
        throw InputError(at, field + ".duration_s", "must be > 0, got \"" + cells[3] + "\"");
      const Seconds step = shapes[static_cast<size_t>(job.shape)].step_time;
      job.steps = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(*duration / step.value())));
    }
    jobs.push_back(job);
  }
  if (jobs.empty()) check.fail("trace_csv", "\"" + file.string() + "\" has no jobs");
  std::stable_sort(jobs.begin(), jobs.end(), [](const StreamJobSpec& a, const StreamJobSpec& b) {
    return a.submit < b.submit;
  });
  return jobs;
}

JobGeneratorSpec build_generator(const pb::JobGenerator& m, const std::vector<JobShapeSpec>& shapes,
                                 const PlatformSpec& platform, const Check& check) {
  JobGeneratorSpec spec;
  spec.mean_interarrival = check.positive_quantity<Seconds>(
      m.mean_interarrival(), Dimension::kDuration, "generator.mean_interarrival");
  if (m.classes().empty())
    check.fail("generator.classes", "required: expected a list of at least one job class");
  spec.classes.reserve(static_cast<size_t>(m.classes().size()));
  for (int i = 0; i < m.classes().size(); ++i) {
    const pb::JobClass& c = m.classes(i);
    const std::string field = "generator.classes[" + std::to_string(i) + "]";
    JobClassSpec cls;
    cls.shape = shape_index(shapes, c.shape());
    if (cls.shape < 0) check.fail(field + ".shape", "no shape named \"" + c.shape() + "\"");
    if (!c.has_nodes() || c.nodes() < 1 || c.nodes() > static_cast<uint32_t>(platform.nodes)) {
      check.fail(field + ".nodes", "required: expected whole nodes in [1, " +
                                       std::to_string(platform.nodes) + "], got " +
                                       std::to_string(c.nodes()));
    }
    cls.nodes = static_cast<int>(c.nodes());
    if (!c.has_weight() || !(c.weight() > 0) || !std::isfinite(c.weight()))
      check.fail(field + ".weight",
                 "required: expected a number > 0, got " + number_text(c.weight()));
    cls.weight = c.weight();
    spec.classes.push_back(cls);
  }
  spec.median_duration = check.positive_quantity<Seconds>(m.median_duration(), Dimension::kDuration,
                                                          "generator.median_duration");
  if (!m.has_duration_sigma() || !(m.duration_sigma() >= 0) || !std::isfinite(m.duration_sigma())) {
    check.fail("generator.duration_sigma",
               "required: expected a number >= 0, got " + number_text(m.duration_sigma()));
  }
  spec.duration_sigma = m.duration_sigma();
  if (!m.max_duration().empty()) {
    spec.max_duration = check.positive_quantity<Seconds>(m.max_duration(), Dimension::kDuration,
                                                         "generator.max_duration");
    if (*spec.max_duration < spec.median_duration)
      check.fail("generator.max_duration",
                 "must be >= median_duration, got \"" + m.max_duration() + "\"");
  }
  return spec;
}

}  // namespace

std::optional<JobStreamSpec> build_job_stream(const pb::Scenario& message,
                                              const PlatformSpec& platform,
                                              const SourceMap& sources) {
  const bool job_resolution = platform.resolution == Resolution::kJob;
  const bool present = message.workload().has_job_stream();
  if (!job_resolution) {
    if (present) {
      throw InputError(sources.locate(kStream), kStream,
                       "runs only at job resolution (platform.resolution: job)");
    }
    return std::nullopt;
  }
  if (!present) {
    throw InputError(sources.locate("workload"), kStream,
                     "required at job resolution: expected a mapping with duration, shapes and "
                     "trace_csv or generator");
  }
  const pb::JobStream& m = message.workload().job_stream();
  const Check check(sources, kStream);
  JobStreamSpec spec;
  spec.duration = check.positive_quantity<Seconds>(m.duration(), Dimension::kDuration, "duration");
  spec.shapes = build_shapes(m, check);
  const bool trace = !m.trace_csv().empty();
  if (trace == m.has_generator())
    check.fail(trace ? "generator" : "trace_csv",
               "exactly one of trace_csv and generator is required");
  if (trace) {
    const std::filesystem::path file = check.relative_to_scenario(m.trace_csv());
    spec.trace_path = file.string();
    spec.trace = read_trace(file, spec.shapes, platform, check);
  } else {
    spec.generator = build_generator(m.generator(), spec.shapes, platform, check);
  }
  spec.policy =
      m.policy() == pb::JobStream::EASY_BACKFILL ? QueuePolicy::kEasyBackfill : QueuePolicy::kFifo;
  return spec;
}

}  // namespace gwsim::config::detail
