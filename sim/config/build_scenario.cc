#include "sim/config/build_scenario.h"

#include <set>

#include "sim/core/quantity_parse.h"

namespace gwsim::config::detail {
namespace {

// Range and presence checks with errors located at the field that holds the value.
class Checker {
 public:
  explicit Checker(const SourceMap& sources) : sources_(sources) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(sources_.locate(path), path, what);
  }

  // A quantity written as "<number><unit>"; empty means absent.
  template <typename Q>
  std::optional<Q> optional_quantity(const std::string& text, Dimension dimension,
                                     const std::string& path) const {
    if (text.empty()) return std::nullopt;
    const std::optional<double> value = parse_quantity(text, dimension);
    if (!value) fail(path, "expected " + expectation(dimension) + ", got \"" + text + "\"");
    return Q(*value);
  }

  template <typename Q>
  Q quantity(const std::string& text, Dimension dimension, const std::string& path) const {
    const std::optional<Q> value = optional_quantity<Q>(text, dimension, path);
    if (!value) fail(path, "required: expected " + expectation(dimension));
    return *value;
  }

  template <typename Q>
  Q positive(Q value, const std::string& path, const std::string& text) const {
    if (!(value > Q(0))) fail(path, "must be > 0, got \"" + text + "\"");
    return value;
  }

  template <typename Q>
  Q non_negative(Q value, const std::string& path, const std::string& text) const {
    if (value < Q(0)) fail(path, "must be >= 0, got \"" + text + "\"");
    return value;
  }

  void require(bool present, const std::string& path, const std::string& expected) const {
    if (!present) fail(path, "required: expected " + expected);
  }

 private:
  static std::string expectation(Dimension dimension) {
    const DimensionInfo info = describe(dimension);
    return std::string(info.noun) + " such as \"" + info.example + "\"";
  }

  const SourceMap& sources_;
};

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

AcceleratorSpec build_accelerator(const pb::Accelerator& m, const Checker& check,
                                  const std::string& path) {
  AcceleratorSpec spec;
  spec.name = m.name();
  check.require(!spec.name.empty(), path + ".name", "a name such as \"H100-SXM\"");
  const std::string rate_path = path + ".peak_flop_rate";
  spec.peak_flop_rate = check.positive(
      check.quantity<FlopsPerSecond>(m.peak_flop_rate(), Dimension::kFlopRate, rate_path),
      rate_path, m.peak_flop_rate());
  const std::string idle_path = path + ".idle_power";
  spec.idle_power =
      check.non_negative(check.quantity<Watts>(m.idle_power(), Dimension::kPower, idle_path),
                         idle_path, m.idle_power());
  const std::string peak_path = path + ".peak_power";
  spec.peak_power = check.quantity<Watts>(m.peak_power(), Dimension::kPower, peak_path);
  if (spec.peak_power < spec.idle_power) {
    check.fail(peak_path,
               "must be >= idle_power (" + m.idle_power() + "), got \"" + m.peak_power() + "\"");
  }
  return spec;
}

LinkSpec build_link(const std::string& bandwidth, const std::string& latency, const Checker& check,
                    const std::string& bandwidth_path, const std::string& latency_path) {
  LinkSpec link;
  link.bandwidth = check.positive(
      check.quantity<BytesPerSecond>(bandwidth, Dimension::kBandwidth, bandwidth_path),
      bandwidth_path, bandwidth);
  link.latency = check.non_negative(
      check.quantity<Seconds>(latency, Dimension::kDuration, latency_path), latency_path, latency);
  return link;
}

PlatformSpec build_platform(const pb::Scenario& scenario, const Checker& check) {
  check.require(scenario.has_platform(), "platform",
                "a mapping with accelerator, nodes, accelerators_per_node");
  const pb::Platform& m = scenario.platform();
  PlatformSpec spec;
  if (m.resolution() == pb::Platform::DOMAIN) {
    check.fail("platform.resolution", R"("domain" is not available yet; use "accelerator")");
  }
  spec.resolution = Resolution::kAccelerator;
  check.require(m.has_accelerator(), "platform.accelerator",
                "a mapping with name, peak_flop_rate, idle_power, peak_power");
  spec.accelerator = build_accelerator(m.accelerator(), check, "platform.accelerator");

  check.require(m.has_nodes(), "platform.nodes", "a whole number >= 1");
  if (m.nodes() < 1) check.fail("platform.nodes", "must be >= 1, got " + std::to_string(m.nodes()));
  check.require(m.has_accelerators_per_node(), "platform.accelerators_per_node",
                "a whole number >= 1");
  if (m.accelerators_per_node() < 1) {
    check.fail("platform.accelerators_per_node",
               "must be >= 1, got " + std::to_string(m.accelerators_per_node()));
  }
  spec.nodes = static_cast<int>(m.nodes());
  spec.accelerators_per_node = static_cast<int>(m.accelerators_per_node());
  constexpr int64_t kMaxAccelerators = 1 << 24;
  if (static_cast<int64_t>(m.nodes()) * m.accelerators_per_node() > kMaxAccelerators) {
    check.fail("platform.nodes",
               "nodes * accelerators_per_node must be <= " + std::to_string(kMaxAccelerators));
  }

  // A fabric that is described is built even where nothing uses it (one node, one accelerator per
  // node), so that no field of the file is ever ignored.
  if (m.has_scale_up()) {
    spec.scale_up =
        build_link(m.scale_up().link_bandwidth(), m.scale_up().link_latency(), check,
                   "platform.scale_up.link_bandwidth", "platform.scale_up.link_latency");
  } else if (spec.accelerators_per_node > 1) {
    check.require(false, "platform.scale_up",
                  "a mapping with link_bandwidth and link_latency (nodes have " +
                      std::to_string(spec.accelerators_per_node) + " accelerators)");
  }
  if (m.has_scale_out()) {
    spec.scale_out =
        build_link(m.scale_out().nic_bandwidth(), m.scale_out().link_latency(), check,
                   "platform.scale_out.nic_bandwidth", "platform.scale_out.link_latency");
  } else if (spec.nodes > 1) {
    check.require(false, "platform.scale_out",
                  "a mapping with nic_bandwidth and link_latency (there are " +
                      std::to_string(spec.nodes) + " nodes)");
  }
  return spec;
}

DataParallelJobSpec build_data_parallel(const pb::DataParallelJob& m, const Checker& check,
                                        const std::string& path, int first_free,
                                        int accelerator_count) {
  DataParallelJobSpec spec;
  spec.first_accelerator = first_free;
  const int free = accelerator_count - first_free;
  if (m.has_ranks()) {
    if (m.ranks() < 1 || static_cast<int64_t>(m.ranks()) > free) {
      check.fail(path + ".ranks", "must be between 1 and the " + std::to_string(free) +
                                      " accelerators not taken by earlier jobs, got " +
                                      std::to_string(m.ranks()));
    }
    spec.ranks = static_cast<int>(m.ranks());
  } else {
    if (free < 1)
      check.fail(path, "no accelerator is left for this job: earlier jobs take all " +
                           std::to_string(accelerator_count));
    spec.ranks = free;
  }
  check.require(m.has_steps(), path + ".steps", "a whole number >= 1");
  if (m.steps() < 1) check.fail(path + ".steps", "must be >= 1, got " + std::to_string(m.steps()));
  spec.steps = static_cast<int>(m.steps());

  check.require(m.has_parameters(), path + ".parameters", "a number of parameters such as 1.5e9");
  if (!(m.parameters() > 0))
    check.fail(path + ".parameters", "must be > 0, got " + number_text(m.parameters()));
  spec.parameters = m.parameters();
  check.require(m.has_tokens_per_step(), path + ".tokens_per_step",
                "a number of tokens such as 524288");
  if (!(m.tokens_per_step() > 0)) {
    check.fail(path + ".tokens_per_step", "must be > 0, got " + number_text(m.tokens_per_step()));
  }
  spec.tokens_per_step = m.tokens_per_step();
  if (m.has_gradient_bytes_per_parameter()) {
    if (m.gradient_bytes_per_parameter() < 1 || m.gradient_bytes_per_parameter() > 8) {
      check.fail(
          path + ".gradient_bytes_per_parameter",
          "must be between 1 and 8, got " + std::to_string(m.gradient_bytes_per_parameter()));
    }
    spec.gradient_bytes_per_parameter = static_cast<int>(m.gradient_bytes_per_parameter());
  }
  check.require(m.has_compute_efficiency(), path + ".compute_efficiency",
                "a fraction of peak in (0, 1] such as 0.5");
  if (!(m.compute_efficiency() > 0 && m.compute_efficiency() <= 1)) {
    check.fail(path + ".compute_efficiency",
               "must be in (0, 1], got " + number_text(m.compute_efficiency()));
  }
  spec.compute_efficiency = m.compute_efficiency();
  if (m.has_compute_jitter_cv()) {
    if (!(m.compute_jitter_cv() >= 0)) {
      check.fail(path + ".compute_jitter_cv",
                 "must be >= 0, got " + number_text(m.compute_jitter_cv()));
    }
    spec.compute_jitter_cv = m.compute_jitter_cv();
  }
  const std::string start_path = path + ".start_time";
  spec.start_time = check.non_negative(
      check.optional_quantity<Seconds>(m.start_time(), Dimension::kDuration, start_path)
          .value_or(Seconds(0)),
      start_path, m.start_time());
  return spec;
}

std::vector<JobSpec> build_jobs(const pb::Scenario& scenario, const PlatformSpec& platform,
                                const Checker& check) {
  check.require(scenario.has_workload(), "workload", "a mapping with jobs");
  const auto& jobs = scenario.workload().jobs();
  check.require(!jobs.empty(), "workload.jobs", "a list of at least one job");
  std::vector<JobSpec> specs;
  std::set<std::string> names;
  int first_free = 0;
  for (int i = 0; i < jobs.size(); ++i) {
    const pb::Job& m = jobs[i];
    const std::string path = "workload.jobs[" + std::to_string(i) + "]";
    check.require(!m.name().empty(), path + ".name", "a job name");
    if (!names.insert(m.name()).second)
      check.fail(path + ".name", "another job is named \"" + m.name() + "\"");
    switch (m.kind_case()) {
      case pb::Job::kDataParallel: {
        DataParallelJobSpec dp =
            build_data_parallel(m.data_parallel(), check, path + ".data_parallel", first_free,
                                platform.accelerator_count());
        first_free += dp.ranks;
        specs.push_back(JobSpec{m.name(), dp});
        break;
      }
      case pb::Job::KIND_NOT_SET:
        check.fail(path, "required: one job kind such as data_parallel");
    }
  }
  return specs;
}

}  // namespace

Scenario build_scenario(const pb::Scenario& message, const SourceMap& sources) {
  const Checker check(sources);
  Scenario scenario;
  scenario.name = message.name();
  check.require(!scenario.name.empty(), "name", "a scenario name");
  scenario.seed = message.has_seed() ? message.seed() : 1;
  scenario.platform = build_platform(message, check);
  scenario.jobs = build_jobs(message, scenario.platform, check);
  if (message.has_record()) {
    const std::string path = "record.power_interval";
    scenario.record.power_interval = check.optional_quantity<Seconds>(
        message.record().power_interval(), Dimension::kDuration, path);
    if (scenario.record.power_interval) {
      check.positive(*scenario.record.power_interval, path, message.record().power_interval());
    }
  }
  return scenario;
}

}  // namespace gwsim::config::detail
