// Internal to sim/config: YAML -> proto3 JSON, guided by the message's descriptor.
//
// YAML scalars carry no type, so the schema decides: a field declared string becomes a JSON string,
// an integer field must hold a whole number, an enum takes one of its value names (lower case, as
// users write them). Walking the YAML with the descriptor is what lets errors name the line and the
// field path; the JSON it produces is then parsed by protobuf's own JSON parser, so the mapping is
// exactly proto3's.
#pragma once

#include <map>
#include <set>
#include <string>

#include <google/protobuf/descriptor.h>
#include <yaml-cpp/yaml.h>

#include "sim/core/error.h"

namespace gwsim::config::detail {

// Where each field path ("platform.nodes", "workload.jobs[0].name") was written.
class SourceMap {
 public:
  explicit SourceMap(std::string file) : file_(std::move(file)) {}

  void record_line(const std::string& path, int line) { lines_[path] = line; }
  void record_override(const std::string& path) { overrides_.insert(path); }

  // The place that set `path`: a --set override of it or of a parent, else the line of the path or
  // of its nearest recorded parent, else the file alone.
  SourceLocation locate(const std::string& path) const;
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::map<std::string, int> lines_;
  std::set<std::string> overrides_;
};

// Converts `root` to proto3 JSON for `descriptor`. Throws InputError on an unknown or duplicate
// field, a value of the wrong type, two members of one oneof, or a null value.
std::string yaml_to_json(const YAML::Node& root, const google::protobuf::Descriptor& descriptor,
                         SourceMap& sources);

// Appends `child` to a field path: "a" + "b" -> "a.b"; "" + "b" -> "b".
std::string join_path(const std::string& parent, const std::string& child);

// Lower-case name of an enum value as users write it: ACCELERATOR -> "accelerator".
std::string enum_value_spelling(const google::protobuf::EnumValueDescriptor& value);

}  // namespace gwsim::config::detail
