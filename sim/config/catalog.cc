#include "sim/config/catalog.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "sim/config/catalog.pb.h"
#include "sim/config/yaml_entry.h"
#include "sim/config/yaml_mapping.h"
#include "sim/core/quantity_parse.h"

namespace gwsim::config {
namespace {

namespace pbuf = google::protobuf;

// Checks a figure: a value of the given dimension, and a source.
class Figures {
 public:
  explicit Figures(const detail::SourceMap& sources) : sources_(sources) {}

  template <typename Q>
  std::optional<Q> optional(const pb::Figure& figure, bool present, Dimension dimension,
                            const std::string& path) const {
    if (!present) return std::nullopt;
    if (figure.source().empty())
      fail(path + ".source", "required: where the value comes from (or \"assumed: why\")");
    const std::optional<double> value = parse_quantity(figure.value(), dimension);
    if (!value) {
      const DimensionInfo info = describe(dimension);
      fail(path + ".value", std::string("expected ") + info.noun + " such as \"" + info.example +
                                "\", got \"" + figure.value() + "\"");
    }
    if (*value < 0) fail(path + ".value", "must be >= 0, got \"" + figure.value() + "\"");
    return Q(*value);
  }

  template <typename Q>
  Q required(const pb::Figure& figure, bool present, Dimension dimension,
             const std::string& path) const {
    if (!present) fail(path, "required: a figure {value, source}");
    return *optional<Q>(figure, present, dimension, path);
  }

  // A plain number in (0, 1] (a share), with its source.
  double fraction(const pb::Figure& figure, bool present, const std::string& path) const {
    return plain_number(
        figure, present, path, [](double v) { return v > 0.0 && v <= 1.0; },
        R"(a fraction in (0, 1] such as "0.9")");
  }

  // A plain number >= 0 (a ratio), with its source.
  double ratio(const pb::Figure& figure, bool present, const std::string& path) const {
    return plain_number(
        figure, present, path, [](double v) { return v >= 0.0 && std::isfinite(v); },
        R"(a plain number >= 0 such as "0.2")");
  }

  // "true" or "false", with its source; false when absent.
  bool flag(const pb::Figure& figure, bool present, const std::string& path) const {
    if (!present) return false;
    if (figure.source().empty())
      fail(path + ".source", "required: where the value comes from (or \"assumed: why\")");
    if (figure.value() != "true" && figure.value() != "false")
      fail(path + ".value", R"(expected "true" or "false", got ")" + figure.value() + "\"");
    return figure.value() == "true";
  }

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(sources_.locate(path), path, what);
  }

 private:
  // A plain number (no unit) for which `in_range` holds, with its source; `expected` says what is.
  double plain_number(const pb::Figure& figure, bool present, const std::string& path,
                      bool (*in_range)(double), const std::string& expected) const {
    if (!present) fail(path, "required: a figure {value, source}");
    if (figure.source().empty())
      fail(path + ".source", "required: where the value comes from (or \"assumed: why\")");
    char* end = nullptr;
    const double value = std::strtod(figure.value().c_str(), &end);
    if (figure.value().empty() || end != figure.value().c_str() + figure.value().size() ||
        !in_range(value)) {
      fail(path + ".value", "expected " + expected + ", got \"" + figure.value() + "\"");
    }
    return value;
  }

  const detail::SourceMap& sources_;
};

std::filesystem::path entry_file(const std::string& kind, const std::string& id,
                                 const SourceLocation& from, const std::string& field) {
  const bool plain = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  std::filesystem::path file = platforms_dir() / kind / (id + ".yaml");
  if (!plain || id.front() == '.' || !std::filesystem::exists(file)) {
    std::string known;
    for (const std::string& k : catalog_ids(kind)) known += (known.empty() ? "" : ", ") + k;
    throw InputError(from, field,
                     "no " + kind + " entry \"" + id + "\" in " +
                         (platforms_dir() / kind).string() + "; the catalog has: " + known);
  }
  return file;
}

}  // namespace

std::filesystem::path platforms_dir() {
  if (const char* dir = std::getenv("GWSIM_PLATFORMS_DIR"); dir != nullptr && *dir != '\0')
    return dir;
  return GWSIM_PLATFORMS_SOURCE_DIR;
}

std::vector<std::string> catalog_ids(const std::string& kind) {
  std::vector<std::string> ids;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(platforms_dir() / kind, error)) {
    if (entry.path().extension() == ".yaml") ids.push_back(entry.path().stem().string());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

CatalogAccelerator load_catalog_accelerator(const std::string& id, const SourceLocation& from,
                                            const std::string& field) {
  const std::filesystem::path file = entry_file("accelerators", id, from, field);
  detail::SourceMap sources(file.string());
  const auto message = detail::read_yaml_entry<pb::AcceleratorFile>(file, "catalog", sources);
  const Figures figures(sources);
  if (!message.has_accelerator())
    figures.fail("accelerator", "required: the entry, under the key accelerator");
  const pb::AcceleratorEntry& m = message.accelerator();
  CatalogAccelerator a;
  a.id = id;
  a.name = m.name();
  if (a.name.empty()) figures.fail("accelerator.name", "required: a display name");
  a.vendor = m.vendor();
  a.provisional = m.provisional();
  const pb::FlopRates& rates = m.peak_flop_rate();
  const std::string r = "accelerator.peak_flop_rate";
  if (auto v = figures.optional<FlopsPerSecond>(rates.bf16(), rates.has_bf16(),
                                                Dimension::kFlopRate, r + ".bf16")) {
    a.peak_flop_rate["bf16"] = *v;
  }
  if (auto v = figures.optional<FlopsPerSecond>(rates.fp8(), rates.has_fp8(), Dimension::kFlopRate,
                                                r + ".fp8")) {
    a.peak_flop_rate["fp8"] = *v;
  }
  if (auto v = figures.optional<FlopsPerSecond>(rates.fp4(), rates.has_fp4(), Dimension::kFlopRate,
                                                r + ".fp4")) {
    a.peak_flop_rate["fp4"] = *v;
  }
  if (a.peak_flop_rate.empty()) figures.fail(r, "required: at least one of bf16, fp8, fp4");
  const std::string p = "accelerator.";
  a.hbm_capacity = figures.optional<Bytes>(m.hbm_capacity(), m.has_hbm_capacity(),
                                           Dimension::kDataSize, p + "hbm_capacity");
  a.hbm_bandwidth = figures.optional<BytesPerSecond>(m.hbm_bandwidth(), m.has_hbm_bandwidth(),
                                                     Dimension::kBandwidth, p + "hbm_bandwidth");
  a.scale_up_bandwidth =
      figures.optional<BytesPerSecond>(m.scale_up_bandwidth(), m.has_scale_up_bandwidth(),
                                       Dimension::kBandwidth, p + "scale_up_bandwidth");
  a.scale_out_bandwidth =
      figures.optional<BytesPerSecond>(m.scale_out_bandwidth(), m.has_scale_out_bandwidth(),
                                       Dimension::kBandwidth, p + "scale_out_bandwidth");
  a.idle_power = figures.required<Watts>(m.idle_power(), m.has_idle_power(), Dimension::kPower,
                                         p + "idle_power");
  a.peak_power = figures.required<Watts>(m.peak_power(), m.has_peak_power(), Dimension::kPower,
                                         p + "peak_power");
  if (a.peak_power < a.idle_power) figures.fail(p + "peak_power", "must be >= idle_power");
  return a;
}

CatalogDomain load_catalog_domain(const std::string& id, const SourceLocation& from,
                                  const std::string& field) {
  const std::filesystem::path file = entry_file("domains", id, from, field);
  detail::SourceMap sources(file.string());
  const auto message = detail::read_yaml_entry<pb::DomainFile>(file, "catalog", sources);
  const Figures figures(sources);
  if (!message.has_domain()) figures.fail("domain", "required: the entry, under the key domain");
  const pb::DomainEntry& m = message.domain();
  CatalogDomain d;
  d.id = id;
  d.name = m.name();
  d.accelerator = m.accelerator();
  if (d.accelerator.empty())
    figures.fail("domain.accelerator", "required: the catalog id of its accelerator");
  if (m.accelerators() < 1) figures.fail("domain.accelerators", "must be >= 1");
  d.accelerators = static_cast<int>(m.accelerators());
  d.scale_up.bandwidth = figures.required<BytesPerSecond>(
      m.link_bandwidth(), m.has_link_bandwidth(), Dimension::kBandwidth, "domain.link_bandwidth");
  if (!(d.scale_up.bandwidth > BytesPerSecond(0)))
    figures.fail("domain.link_bandwidth.value", "must be > 0");
  d.scale_up.latency = figures.required<Seconds>(m.link_latency(), m.has_link_latency(),
                                                 Dimension::kDuration, "domain.link_latency");
  if (m.topology() == pb::DomainEntry::TORUS) {
    d.scale_up.kind = ScaleUpKind::kTorus;
    int64_t product = 1;
    for (uint32_t dim : m.torus_dims()) {
      if (dim < 2) figures.fail("domain.torus_dims", "every dimension must be >= 2");
      product *= dim;
      d.scale_up.torus_dims.push_back(static_cast<int>(dim));
    }
    if (d.scale_up.torus_dims.empty() || d.scale_up.torus_dims.size() > 3 ||
        product != d.accelerators) {
      figures.fail("domain.torus_dims",
                   "expected 1 to 3 dimensions whose product is accelerators (" +
                       std::to_string(d.accelerators) + ")");
    }
  } else if (m.topology() != pb::DomainEntry::SWITCH) {
    figures.fail("domain.topology", "required: switch or torus");
  }
  d.scale_up.in_network_reduction = figures.flag(
      m.in_network_reduction(), m.has_in_network_reduction(), "domain.in_network_reduction");
  if (d.scale_up.in_network_reduction && d.scale_up.kind != ScaleUpKind::kSwitch)
    figures.fail("domain.in_network_reduction", "only a switch domain reduces in the network");
  d.switch_chips = static_cast<int>(m.switch_chips());
  d.overhead_power = figures.optional<Watts>(m.overhead_power(), m.has_overhead_power(),
                                             Dimension::kPower, "domain.overhead_power");
  d.provisional = m.provisional();
  return d;
}

CatalogSwitch load_catalog_switch(const std::string& id, const SourceLocation& from,
                                  const std::string& field) {
  const std::filesystem::path file = entry_file("switches", id, from, field);
  detail::SourceMap sources(file.string());
  const auto message = detail::read_yaml_entry<pb::SwitchFile>(file, "catalog", sources);
  const Figures figures(sources);
  if (!message.has_switch_()) figures.fail("switch", "required: the entry, under the key switch");
  const pb::SwitchEntry& m = message.switch_();
  CatalogSwitch s;
  s.id = id;
  s.name = m.name();
  if (m.ports() < 2) figures.fail("switch.ports", "must be >= 2");
  s.ports = static_cast<int>(m.ports());
  s.port_bandwidth = figures.required<BytesPerSecond>(
      m.port_bandwidth(), m.has_port_bandwidth(), Dimension::kBandwidth, "switch.port_bandwidth");
  s.latency = figures.optional<Seconds>(m.latency(), m.has_latency(), Dimension::kDuration,
                                        "switch.latency");
  s.power = figures.optional<Watts>(m.power(), m.has_power(), Dimension::kPower, "switch.power");
  s.in_network_reduction = m.in_network_reduction();
  return s;
}

}  // namespace gwsim::config

namespace gwsim::config {

CollectiveLibrary load_catalog_collectives(const std::string& id, const SourceLocation& from,
                                           const std::string& field) {
  const std::filesystem::path file = entry_file("collectives", id, from, field);
  detail::SourceMap sources(file.string());
  const auto message = detail::read_yaml_entry<pb::CollectivesFile>(file, "catalog", sources);
  const Figures figures(sources);
  if (!message.has_collectives())
    figures.fail("collectives", "required: the entry, under the key collectives");
  const pb::CollectivesEntry& m = message.collectives();
  const std::string c = "collectives.";
  CollectiveLibrary library;
  library.id = id;
  library.scale_up_efficiency = figures.fraction(
      m.scale_up_efficiency(), m.has_scale_up_efficiency(), c + "scale_up_efficiency");
  library.scale_out_efficiency = figures.fraction(
      m.scale_out_efficiency(), m.has_scale_out_efficiency(), c + "scale_out_efficiency");
  library.in_network_efficiency = figures.fraction(
      m.in_network_efficiency(), m.has_in_network_efficiency(), c + "in_network_efficiency");
  library.in_network_latency =
      figures.required<Seconds>(m.in_network_latency(), m.has_in_network_latency(),
                                Dimension::kDuration, c + "in_network_latency");
  library.scale_out_in_network_efficiency =
      figures.fraction(m.scale_out_in_network_efficiency(), m.has_scale_out_in_network_efficiency(),
                       c + "scale_out_in_network_efficiency");
  library.scale_out_in_network_latency = figures.required<Seconds>(
      m.scale_out_in_network_latency(), m.has_scale_out_in_network_latency(), Dimension::kDuration,
      c + "scale_out_in_network_latency");
  library.chunk = figures.required<Bytes>(m.chunk_size(), m.has_chunk_size(), Dimension::kDataSize,
                                          c + "chunk_size");
  if (!(library.chunk > Bytes(0))) figures.fail(c + "chunk_size.value", "must be > 0");
  library.overlapped_compute_slowdown =
      figures.ratio(m.overlapped_compute_slowdown(), m.has_overlapped_compute_slowdown(),
                    c + "overlapped_compute_slowdown");
  if (m.protocols().empty()) figures.fail(c + "protocols", "required: at least one protocol");
  library.protocols.clear();
  for (int i = 0; i < m.protocols_size(); ++i) {
    const pb::ProtocolEntry& e = m.protocols(i);
    const std::string p = c + "protocols[" + std::to_string(i) + "].";
    Protocol protocol;
    protocol.name = e.name();
    if (protocol.name.empty()) figures.fail(p + "name", "required: the protocol's name");
    protocol.bandwidth_factor =
        figures.fraction(e.bandwidth_factor(), e.has_bandwidth_factor(), p + "bandwidth_factor");
    protocol.launch_latency = figures.required<Seconds>(e.launch_latency(), e.has_launch_latency(),
                                                        Dimension::kDuration, p + "launch_latency");
    protocol.scale_up_step_latency =
        figures.required<Seconds>(e.scale_up_step_latency(), e.has_scale_up_step_latency(),
                                  Dimension::kDuration, p + "scale_up_step_latency");
    protocol.scale_out_step_latency =
        figures.required<Seconds>(e.scale_out_step_latency(), e.has_scale_out_step_latency(),
                                  Dimension::kDuration, p + "scale_out_step_latency");
    library.protocols.push_back(protocol);
  }
  return library;
}

}  // namespace gwsim::config
