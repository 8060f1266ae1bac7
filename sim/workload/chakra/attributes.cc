#include "sim/workload/chakra/attributes.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "sim/core/error.h"

namespace gwsim::chakra {
namespace {

constexpr double kMicrosPerSecond = 1e6;

// The wire name of an attribute's value kind ("int64_val"), or "no value".
std::string value_kind(const AttributeProto& attr) {
  if (attr.value_case() == AttributeProto::VALUE_NOT_SET) return "no value";
  return AttributeProto::descriptor()->FindFieldByNumber(attr.value_case())->name();
}

// Reads one node's attributes, with the error context of that node. Lives only within from_proto,
// so it may refer to the caller's file name. The context is formatted only on failure: this runs
// for every node of a trace.
class AttributeReader {
 public:
  AttributeReader(const Node& proto, const std::string& file, uint64_t byte_offset)
      : file_(file), id_(proto.id()), byte_offset_(byte_offset) {}

  [[noreturn]] void fail(const std::string& attr, const std::string& what) const {
    std::string field =
        "node " + std::to_string(id_) + " (record at byte " + std::to_string(byte_offset_) + ")";
    if (!attr.empty()) field += ".attr " + attr;
    throw InputError(SourceLocation{file_, 0}, field, what);
  }

  // Any scalar integer kind; the value must lie in [lo, hi].
  int64_t integer(const AttributeProto& attr, int64_t lo, int64_t hi) const {
    int64_t v = 0;
    switch (attr.value_case()) {
      case AttributeProto::kInt32Val:
        v = attr.int32_val();
        break;
      case AttributeProto::kInt64Val:
        v = attr.int64_val();
        break;
      case AttributeProto::kUint32Val:
        v = attr.uint32_val();
        break;
      case AttributeProto::kSint32Val:
        v = attr.sint32_val();
        break;
      case AttributeProto::kSint64Val:
        v = attr.sint64_val();
        break;
      case AttributeProto::kFixed32Val:
        v = attr.fixed32_val();
        break;
      case AttributeProto::kSfixed32Val:
        v = attr.sfixed32_val();
        break;
      case AttributeProto::kSfixed64Val:
        v = attr.sfixed64_val();
        break;
      case AttributeProto::kUint64Val:
      case AttributeProto::kFixed64Val: {
        const uint64_t u = attr.value_case() == AttributeProto::kUint64Val ? attr.uint64_val()
                                                                           : attr.fixed64_val();
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          fail(attr.name(), "value " + std::to_string(u) + " is too large");
        }
        v = static_cast<int64_t>(u);
        break;
      }
      default:
        fail(attr.name(), "expected an integer value, got " + value_kind(attr));
    }
    if (v < lo || v > hi) {
      fail(attr.name(), "expected a value in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                            "], got " + std::to_string(v));
    }
    return v;
  }

 private:
  const std::string& file_;
  uint64_t id_;
  uint64_t byte_offset_;
};

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();

std::optional<NodeKind> kind_of(int type) {
  switch (type) {
    case COMP_NODE:
      return NodeKind::kCompute;
    case COMM_COLL_NODE:
      return NodeKind::kCollective;
    case COMM_SEND_NODE:
      return NodeKind::kSend;
    case COMM_RECV_NODE:
      return NodeKind::kRecv;
    case MEM_LOAD_NODE:
      return NodeKind::kMemLoad;
    case MEM_STORE_NODE:
      return NodeKind::kMemStore;
    default:
      return std::nullopt;
  }
}

NodeType type_of(NodeKind kind) {
  switch (kind) {
    case NodeKind::kCompute:
      return COMP_NODE;
    case NodeKind::kCollective:
      return COMM_COLL_NODE;
    case NodeKind::kSend:
      return COMM_SEND_NODE;
    case NodeKind::kRecv:
      return COMM_RECV_NODE;
    case NodeKind::kMemLoad:
      return MEM_LOAD_NODE;
    case NodeKind::kMemStore:
      return MEM_STORE_NODE;
  }
  throw std::logic_error("unhandled NodeKind");
}

// A quantity the wire carries as a whole non-negative number, below 2^63 so that it also fits the
// int64 kinds (and the reader's range).
uint64_t whole(double value, const char* what, const TraceNode& node) {
  if (!(value >= 0) || value != std::floor(value) || value >= 9.2e18) {
    throw std::invalid_argument("chakra node " + std::to_string(node.id) + ": " + what +
                                " must be a whole number in [0, 2^63), got " +
                                std::to_string(value));
  }
  return static_cast<uint64_t>(value);
}

// A recorded time as whole microseconds; a product like 0.0035 * 1e6 may be off the integer by an
// ulp, so a relative difference below 1e-9 counts as whole.
uint64_t micros(Seconds time, const char* what, const TraceNode& node) {
  const double us = time.value() * kMicrosPerSecond;
  const double rounded = std::round(us);
  if (!(us >= 0) || std::abs(us - rounded) > 1e-9 * std::max(1.0, rounded)) {
    throw std::invalid_argument("chakra node " + std::to_string(node.id) + ": " + what +
                                " must be a whole number of microseconds, got " +
                                std::to_string(time.value()) + " s");
  }
  return whole(rounded, what, node);
}

AttributeProto* add(Node& proto, const char* name) {
  AttributeProto* attr = proto.add_attr();
  attr->set_name(name);
  return attr;
}

}  // namespace

std::string_view to_string(NodeKind kind) { return NodeType_Name(type_of(kind)); }

std::string_view to_string(CollectiveKind kind) {
  return CollectiveCommType_Name(static_cast<CollectiveCommType>(static_cast<int>(kind)));
}

std::string missing_requirement(const TraceNode& node) {
  // Builds the message only on failure: this runs for every node of a trace.
  auto needs = [&](const char* what) {
    return std::string(to_string(node.kind)) + " needs attribute " + what;
  };
  switch (node.kind) {
    case NodeKind::kCompute:
      if (!node.flops && !node.recorded_duration) {
        return needs("num_ops or a recorded duration_micros");
      }
      return {};
    case NodeKind::kCollective:
      if (!node.collective) return needs("comm_type");
      if (!node.comm_bytes) return needs("comm_size");
      return {};
    case NodeKind::kSend:
      if (!node.comm_dst) return needs("comm_dst");
      if (!node.comm_bytes) return needs("comm_size");
      return {};
    case NodeKind::kRecv:
      if (!node.comm_src) return needs("comm_src");
      if (!node.comm_bytes) return needs("comm_size");
      return {};
    case NodeKind::kMemLoad:
    case NodeKind::kMemStore:
      if (!node.tensor_bytes) return needs("tensor_size");
      return {};
  }
  return {};
}

void from_proto(const Node& proto, const std::string& file, uint64_t byte_offset, TraceNode& out) {
  const AttributeReader reader(proto, file, byte_offset);
  const std::optional<NodeKind> kind = kind_of(proto.type());
  if (!kind) {
    const std::string name = NodeType_IsValid(proto.type())
                                 ? NodeType_Name(static_cast<NodeType>(proto.type()))
                                 : "unknown type " + std::to_string(proto.type());
    reader.fail("", "unsupported node type " + name +
                        " (supported: COMP_NODE, COMM_COLL_NODE, COMM_SEND_NODE, COMM_RECV_NODE, "
                        "MEM_LOAD_NODE, MEM_STORE_NODE)");
  }
  out.id = proto.id();
  out.name = proto.name();
  out.kind = *kind;
  out.ctrl_deps.assign(proto.ctrl_deps().begin(), proto.ctrl_deps().end());
  out.data_deps.assign(proto.data_deps().begin(), proto.data_deps().end());
  out.flops.reset();
  out.tensor_bytes.reset();
  out.collective.reset();
  out.comm_bytes.reset();
  out.comm_src.reset();
  out.comm_dst.reset();
  out.comm_tag.reset();
  out.involved_dim.clear();
  out.recorded_start.reset();
  out.recorded_duration.reset();
  if (proto.start_time_micros() != 0) {
    out.recorded_start = Seconds(static_cast<double>(proto.start_time_micros()) / kMicrosPerSecond);
  }
  if (proto.duration_micros() != 0) {
    out.recorded_duration =
        Seconds(static_cast<double>(proto.duration_micros()) / kMicrosPerSecond);
  }

  // pg_name keeps its string's capacity from node to node; it is reset below if this node has none.
  bool has_pg_name = false;
  // Each known attribute at most once; a repeated one would leave its meaning ambiguous.
  auto once = [&](const AttributeProto& attr, bool already) {
    if (already) reader.fail(attr.name(), "appears more than once");
  };
  for (const AttributeProto& attr : proto.attr()) {
    const std::string& name = attr.name();
    if (name == "num_ops") {
      once(attr, out.flops.has_value());
      out.flops = Flops(static_cast<double>(reader.integer(attr, 0, kInt64Max)));
    } else if (name == "tensor_size") {
      once(attr, out.tensor_bytes.has_value());
      out.tensor_bytes = Bytes(static_cast<double>(reader.integer(attr, 0, kInt64Max)));
    } else if (name == "comm_type") {
      once(attr, out.collective.has_value());
      out.collective = static_cast<CollectiveKind>(reader.integer(attr, ALL_REDUCE, BARRIER));
    } else if (name == "comm_size") {
      once(attr, out.comm_bytes.has_value());
      out.comm_bytes = Bytes(static_cast<double>(reader.integer(attr, 0, kInt64Max)));
    } else if (name == "comm_src") {
      once(attr, out.comm_src.has_value());
      out.comm_src = static_cast<int32_t>(reader.integer(attr, 0, kInt32Max));
    } else if (name == "comm_dst") {
      once(attr, out.comm_dst.has_value());
      out.comm_dst = static_cast<int32_t>(reader.integer(attr, 0, kInt32Max));
    } else if (name == "comm_tag") {
      once(attr, out.comm_tag.has_value());
      out.comm_tag = static_cast<int32_t>(reader.integer(attr, kInt32Min, kInt32Max));
    } else if (name == "pg_name") {
      once(attr, has_pg_name);
      if (attr.value_case() != AttributeProto::kStringVal) {
        reader.fail(name, "expected string_val, got " + value_kind(attr));
      }
      has_pg_name = true;
      if (out.pg_name) {
        out.pg_name->assign(attr.string_val());
      } else {
        out.pg_name = attr.string_val();
      }
    } else if (name == "involved_dim") {
      if (attr.value_case() != AttributeProto::kBoolList) {
        reader.fail(name, "expected bool_list, got " + value_kind(attr));
      }
      once(attr, !out.involved_dim.empty());
      out.involved_dim.assign(attr.bool_list().values().begin(), attr.bool_list().values().end());
    }
    // Other attributes (is_cpu_op, rf_id, op_schema, ...) carry profiler bookkeeping gwsim does not
    // model; docs/chakra.md lists them as ignored.
  }
  if (!has_pg_name) out.pg_name.reset();
  if (const std::string missing = missing_requirement(out); !missing.empty()) {
    reader.fail("", missing);
  }
}

void to_proto(const TraceNode& node, Node& proto) {
  if (const std::string missing = missing_requirement(node); !missing.empty()) {
    throw std::invalid_argument("chakra node " + std::to_string(node.id) + ": " + missing);
  }
  proto.Clear();
  proto.set_id(node.id);
  proto.set_name(node.name);
  proto.set_type(type_of(node.kind));
  for (const uint64_t dep : node.ctrl_deps) proto.add_ctrl_deps(dep);
  for (const uint64_t dep : node.data_deps) proto.add_data_deps(dep);
  if (node.recorded_start) {
    proto.set_start_time_micros(micros(*node.recorded_start, "start time", node));
  }
  if (node.recorded_duration) {
    proto.set_duration_micros(micros(*node.recorded_duration, "duration", node));
  }
  if (node.flops) {
    add(proto, "num_ops")
        ->set_int64_val(static_cast<int64_t>(whole(node.flops->value(), "num_ops", node)));
  }
  if (node.tensor_bytes) {
    add(proto, "tensor_size")
        ->set_uint64_val(whole(node.tensor_bytes->value(), "tensor_size", node));
  }
  if (node.collective)
    add(proto, "comm_type")->set_int64_val(static_cast<int64_t>(*node.collective));
  if (node.comm_bytes) {
    add(proto, "comm_size")
        ->set_int64_val(static_cast<int64_t>(whole(node.comm_bytes->value(), "comm_size", node)));
  }
  if (node.comm_src) add(proto, "comm_src")->set_int32_val(*node.comm_src);
  if (node.comm_dst) add(proto, "comm_dst")->set_int32_val(*node.comm_dst);
  if (node.comm_tag) add(proto, "comm_tag")->set_int32_val(*node.comm_tag);
  if (node.pg_name) add(proto, "pg_name")->set_string_val(*node.pg_name);
  if (!node.involved_dim.empty()) {
    BoolList* list = add(proto, "involved_dim")->mutable_bool_list();
    for (const bool b : node.involved_dim) list->add_values(b);
  }
}

}  // namespace gwsim::chakra
