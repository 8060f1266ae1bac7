#include "sim/config/overrides.h"

#include <regex>
#include <vector>

namespace gwsim::config::detail {
namespace {

struct PathStep {
  std::string key;
  std::vector<size_t> indexes;  // "jobs[0]" -> key "jobs", indexes {0}
};

std::vector<PathStep> parse_path(const std::string& path, const std::string& assignment) {
  static const std::regex kStep("([A-Za-z_][A-Za-z0-9_]*)((\\[[0-9]+\\])*)");
  static const std::regex kIndex("\\[([0-9]+)\\]");
  std::vector<PathStep> steps;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t dot = path.find('.', start);
    const std::string text =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    std::smatch match;
    if (!std::regex_match(text, match, kStep)) {
      throw InputError(
          {"--set", 0}, "",
          "expected field.path=value such as workload.jobs[0].data_parallel.steps=10, got \"" +
              assignment + "\"");
    }
    PathStep step{match[1].str(), {}};
    const std::string brackets = match[2].str();
    for (std::sregex_iterator it(brackets.begin(), brackets.end(), kIndex), end; it != end; ++it) {
      step.indexes.push_back(std::stoul((*it)[1].str()));
    }
    steps.push_back(std::move(step));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return steps;
}

}  // namespace

void apply_override(YAML::Node& root, const std::string& assignment, SourceMap& sources) {
  const size_t equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw InputError(
        {"--set", 0}, "",
        "expected field.path=value such as platform.nodes=4, got \"" + assignment + "\"");
  }
  const std::string path = assignment.substr(0, equals);
  const std::vector<PathStep> steps = parse_path(path, assignment);

  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(equals + 1));
  } catch (const YAML::Exception& e) {
    throw InputError({"--set", 0}, path, "the value is not valid YAML: " + e.msg);
  }

  // yaml-cpp nodes are handles: rebinding `current` needs reset(), since `=` would overwrite the
  // node.
  YAML::Node current;
  current.reset(root);
  std::string walked;
  for (size_t s = 0; s < steps.size(); ++s) {
    const PathStep& step = steps[s];
    walked = join_path(walked, step.key);
    const bool last_step = s + 1 == steps.size();
    if (!current.IsMap() && !current.IsNull()) {
      throw InputError({"--set", 0}, walked,
                       "cannot set a field inside a value that is not a mapping");
    }
    if (last_step && step.indexes.empty()) {
      current[step.key] = value;
      break;
    }
    YAML::Node child = current[step.key];
    if (!child.IsDefined() || child.IsNull()) child = YAML::Node(YAML::NodeType::Map);
    current.reset(child);
    for (size_t i = 0; i < step.indexes.size(); ++i) {
      const size_t index = step.indexes[i];
      if (!current.IsSequence() || index >= current.size()) {
        throw InputError(
            {"--set", 0}, walked,
            "index " + std::to_string(index) + " is past the end of the list (it has " +
                std::to_string(current.IsSequence() ? current.size() : 0) + " entries)");
      }
      walked += "[" + std::to_string(index) + "]";
      if (last_step && i + 1 == step.indexes.size()) {
        current[index] = value;
      } else {
        YAML::Node element = current[index];
        current.reset(element);
      }
    }
  }
  sources.record_override(walked);
}

}  // namespace gwsim::config::detail
