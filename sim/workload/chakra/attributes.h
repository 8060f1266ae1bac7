// Internal to gwsim_chakra: conversion between the wire-level Node record and TraceNode, and the
// per-kind requirements both the reader and the writer check.
#pragma once

#include <string>

#include "sim/workload/chakra/et_schema.pb.h"
#include "sim/workload/chakra/trace.h"

namespace gwsim::chakra {

// Fills `out` from `proto`. Throws gwsim::InputError "<file>: node <id>[.attr <name>]: <what>" for
// an unsupported node type, an unknown collective, an ill-typed or repeated attribute, or a missing
// requirement. `byte_offset` is the record's position in the file, named in the message.
void from_proto(const Node& proto, const std::string& file, uint64_t byte_offset, TraceNode& out);

// Fills `proto` (cleared first) from `node`, writing attributes with the value kinds Chakra's own
// PyTorch converter uses. Throws std::invalid_argument for a missing requirement or a value that is
// not a whole, non-negative number where the format needs one.
void to_proto(const TraceNode& node, Node& proto);

// Empty when `node` has what its kind needs; otherwise what is missing, e.g.
// "COMM_SEND_NODE needs attribute comm_dst".
std::string missing_requirement(const TraceNode& node);

}  // namespace gwsim::chakra
