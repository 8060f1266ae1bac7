// Internal to sim/config: reads a data file (a catalog or model entry) into its protobuf message
// through the schema-guided YAML mapping, so every error names the file, the line and the field.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <google/protobuf/util/json_util.h>
#include <yaml-cpp/yaml.h>

#include "sim/config/yaml_mapping.h"
#include "sim/core/error.h"

namespace gwsim::config::detail {

// `kind` names the file in messages ("catalog", "model").
template <typename FileMessage>
FileMessage read_yaml_entry(const std::filesystem::path& file, const std::string& kind,
                            SourceMap& sources) {
  std::ifstream in(file);
  if (!in) throw InputError({file.string(), 0}, "", "cannot open the " + kind + " file");
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    throw InputError({file.string(), e.mark.is_null() ? 0 : e.mark.line + 1}, "",
                     "YAML syntax error: " + e.msg);
  }
  const std::string json = yaml_to_json(root, *FileMessage::descriptor(), sources);
  FileMessage message;
  if (!google::protobuf::util::JsonStringToMessage(json, &message).ok()) {
    throw InputError({file.string(), 0}, "", "does not match the " + kind + " schema");
  }
  return message;
}

}  // namespace gwsim::config::detail
