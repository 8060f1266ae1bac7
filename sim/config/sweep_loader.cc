#include <fstream>
#include <set>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "sim/config/loader.h"
#include "sim/config/overrides.h"
#include "sim/config/scenario.pb.h"
#include "sim/config/sweep.h"
#include "sim/config/sweep.pb.h"
#include "sim/config/yaml_mapping.h"
#include "sim/core/sha256.h"

namespace gwsim::config {
namespace {

namespace pbuf = google::protobuf;
using detail::SourceMap;

int line_of(const YAML::Node& node) { return node.Mark().is_null() ? 0 : node.Mark().line + 1; }

std::string describe(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  if (node.IsNull()) return "nothing";
  return "\"" + node.Scalar() + "\"";
}

// Rewrites a mapping `field.path: values` into the schema's list of {field, values} messages. The
// original nodes are reused, so their lines stay known. A list is left as it is: the schema's own
// spelling is accepted too.
YAML::Node axes_as_list(const YAML::Node& node, const std::string& path, const std::string& file) {
  if (!node.IsMap()) return node;
  YAML::Node list(YAML::NodeType::Sequence);
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // copies: the iterator yields a temporary pair
    const YAML::Node values = it->second;
    const std::string where = path + "." + key.Scalar();
    if (!values.IsSequence()) {
      throw InputError({file, line_of(values)}, where,
                       "expected a list of values such as [1, 2, 4], got " + describe(values));
    }
    if (values.size() == 0) throw InputError({file, line_of(values)}, where, "the axis is empty");
    for (size_t i = 0; i < values.size(); ++i) {
      if (!values[i].IsScalar()) {
        throw InputError({file, line_of(values[i])}, where + "[" + std::to_string(i) + "]",
                         "expected a single value, got " + describe(values[i]));
      }
    }
    YAML::Node axis(YAML::NodeType::Map);
    axis["field"] = key;
    axis["values"] = values;
    list.push_back(axis);
  }
  return list;
}

// The same for `set: {field.path: value}` into a list of {field, value}.
YAML::Node assignments_as_list(const YAML::Node& node, const std::string& file) {
  if (!node.IsMap()) return node;
  YAML::Node list(YAML::NodeType::Sequence);
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!value.IsScalar()) {
      throw InputError({file, line_of(value)}, "set." + key.Scalar(),
                       "expected a single value, got " + describe(value));
    }
    YAML::Node assignment(YAML::NodeType::Map);
    assignment["field"] = key;
    assignment["value"] = value;
    list.push_back(assignment);
  }
  return list;
}

YAML::Node parse(std::string_view text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw InputError({file, e.mark.is_null() ? 0 : e.mark.line + 1}, "",
                     "YAML syntax error: " + e.msg);
  }
  if (root.IsNull()) throw InputError({file, 0}, "", "the file is empty; expected a sweep mapping");
  if (!root.IsMap())
    throw InputError({file, line_of(root)}, "", "expected a mapping of Sweep fields");
  if (root["set"]) root["set"] = assignments_as_list(root["set"], file);
  if (root["axes"]) root["axes"] = axes_as_list(root["axes"], "axes", file);
  if (YAML::Node zip = root["zip"]; zip && zip.IsSequence()) {
    for (size_t g = 0; g < zip.size(); ++g) {
      YAML::Node group = zip[g];
      if (!group.IsMap()) continue;  // the schema mapping reports what is wrong with it
      YAML::Node axes = axes_as_list(group, "zip[" + std::to_string(g) + "]", file);
      YAML::Node wrapped(YAML::NodeType::Map);
      wrapped["axes"] = axes;
      zip[g] = wrapped;
    }
  }
  return root;
}

// An error from applying an assignment names "--set"; within a sweep it belongs to a line of the
// sweep file.
[[noreturn]] void rethrow_at(const InputError& e, const SourceLocation& where) {
  std::string message = e.what();
  const std::string prefix = "--set: ";
  if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
  throw InputError(where, "", message);
}

// Checks that `assignment` names a field of the scenario schema and that its value has the field's
// type, on the base scenario's own tree (so list indexes are checked against the base's lists).
void check_against_schema(const YAML::Node& base_tree, const std::vector<std::string>& set,
                          const std::string& assignment, const SourceLocation& where) {
  YAML::Node tree = YAML::Clone(base_tree);
  SourceMap scratch("");
  for (const std::string& a : set) detail::apply_override(tree, a, scratch);
  try {
    detail::apply_override(tree, assignment, scratch);
    detail::yaml_to_json(tree, *pb::Scenario::descriptor(), scratch);
  } catch (const InputError& e) {
    rethrow_at(e, where);
  }
}

YAML::Node base_tree(const std::filesystem::path& base, const SourceLocation& where) {
  const std::string ext = base.extension().string();
  if (ext != ".yaml" && ext != ".yml" && ext != ".json") {
    throw InputError(where, "base",
                     "expected a .yaml, .yml or .json scenario, got \"" + base.string() + "\"");
  }
  try {
    return YAML::LoadFile(base.string());
  } catch (const YAML::BadFile&) {
    throw InputError(where, "base", "cannot open the base scenario \"" + base.string() + "\"");
  } catch (const YAML::Exception& e) {
    // load_scenario, called first, reports syntax errors with the base file's own line.
    throw InputError(where, "base", "cannot read \"" + base.string() + "\": " + e.msg);
  }
}

SweepDimension dimension_of(const std::vector<const pb::Axis*>& axes,
                            const std::vector<std::string>& paths, const SourceMap& sources,
                            const std::string& group) {
  SweepDimension dim;
  const size_t length = axes.front()->values_size();
  for (size_t a = 0; a < axes.size(); ++a) {
    const pb::Axis& axis = *axes[a];
    const SourceLocation where = sources.locate(paths[a]);
    if (axis.field().empty()) throw InputError(where, paths[a] + ".field", "expected a field path");
    if (axis.values_size() == 0) throw InputError(where, paths[a], "the axis is empty");
    if (static_cast<size_t>(axis.values_size()) != length) {
      throw InputError(where, group,
                       "zipped axes must have the same number of values: " + axes[0]->field() +
                           " has " + std::to_string(length) + ", " + axis.field() + " has " +
                           std::to_string(axis.values_size()));
    }
    dim.fields.push_back(axis.field());
  }
  for (size_t i = 0; i < length; ++i) {
    std::vector<std::string> row;
    std::vector<int> lines;
    for (size_t a = 0; a < axes.size(); ++a) {
      row.push_back(axes[a]->values(static_cast<int>(i)));
      lines.push_back(sources.locate(paths[a] + ".values[" + std::to_string(i) + "]").line);
    }
    dim.rows.push_back(std::move(row));
    dim.lines.push_back(std::move(lines));
  }
  return dim;
}

}  // namespace

size_t SweepSpec::point_count() const {
  size_t n = 1;
  for (const SweepDimension& dim : dims) n *= dim.rows.size();
  return n;
}

std::vector<std::string> SweepSpec::fields() const {
  std::vector<std::string> out;
  for (const SweepDimension& dim : dims)
    out.insert(out.end(), dim.fields.begin(), dim.fields.end());
  return out;
}

std::string assignment_text(const std::string& field, const std::string& value) {
  bool same = false;
  try {
    const YAML::Node parsed = YAML::Load(value);
    same = parsed.IsScalar() && parsed.Scalar() == value;
  } catch (const YAML::Exception&) {
  }
  if (same) return field + "=" + value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return field + "=" + quoted + "\"";
}

SweepSpec load_sweep_text(std::string_view text, const std::string& display_name,
                          const std::filesystem::path& folder) {
  SourceMap sources(display_name);
  const YAML::Node root = parse(text, display_name);
  const std::string json = detail::yaml_to_json(root, *pb::Sweep::descriptor(), sources);
  pb::Sweep message;
  if (const auto status = pbuf::util::JsonStringToMessage(json, &message); !status.ok()) {
    throw InputError({display_name, 0}, "",
                     "does not match the sweep schema: " + std::string(status.message()));
  }

  SweepSpec spec;
  spec.display_name = display_name;
  spec.text = std::string(text);
  spec.sha256 = sha256_hex(text);
  spec.skip_invalid = message.skip_invalid();
  if (message.base().empty()) {
    throw InputError(sources.locate("base"), "base", "required: the base scenario file");
  }
  if (message.output().empty()) {
    throw InputError(sources.locate("output"), "output", "required: the sweep's output folder");
  }
  spec.base = (folder / message.base()).lexically_normal();
  spec.output = (folder / message.output()).lexically_normal();

  // The base as it is, then with the fixed assignments: errors in it name the base file.
  const SourceLocation base_at = sources.locate("base");
  load_scenario(spec.base);
  const YAML::Node base = base_tree(spec.base, base_at);
  std::set<std::string> seen;
  for (int i = 0; i < message.set_size(); ++i) {
    const std::string path = "set[" + std::to_string(i) + "]";
    const pb::Assignment& a = message.set(i);
    if (a.field().empty()) throw InputError(sources.locate(path), path, "expected a field path");
    if (!seen.insert(a.field()).second) {
      throw InputError(sources.locate(path), "set." + a.field(), "field is set twice");
    }
    const std::string assignment = assignment_text(a.field(), a.value());
    check_against_schema(base, spec.set, assignment, sources.locate(path + ".value"));
    spec.set.push_back(assignment);
  }
  try {
    LoadOptions options;
    options.overrides = spec.set;
    load_scenario(spec.base, options);
  } catch (const InputError& e) {
    rethrow_at(e, sources.locate("set"));
  }

  for (int i = 0; i < message.axes_size(); ++i) {
    const std::string path = "axes[" + std::to_string(i) + "]";
    spec.dims.push_back(
        dimension_of({&message.axes(i)}, {path}, sources, "axes." + message.axes(i).field()));
  }
  for (int g = 0; g < message.zip_size(); ++g) {
    const std::string group = "zip[" + std::to_string(g) + "]";
    const pb::ZipGroup& zip = message.zip(g);
    if (zip.axes_size() == 0) throw InputError(sources.locate(group), group, "the group is empty");
    std::vector<const pb::Axis*> axes;
    std::vector<std::string> paths;
    for (int a = 0; a < zip.axes_size(); ++a) {
      axes.push_back(&zip.axes(a));
      paths.push_back(group + ".axes[" + std::to_string(a) + "]");
    }
    spec.dims.push_back(dimension_of(axes, paths, sources, group));
  }
  if (spec.dims.empty()) {
    throw InputError({display_name, 0}, "axes", "the sweep has no axes: give `axes` or `zip`");
  }
  for (const std::string& field : spec.fields()) {
    if (seen.count(field)) {
      throw InputError({display_name, 0}, field,
                       "is swept twice, or both set and swept; give each field once");
    }
    seen.insert(field);
  }
  size_t points = 1;
  for (const SweepDimension& dim : spec.dims) {
    if (points > kMaxSweepPoints / dim.rows.size()) {
      throw InputError({display_name, 0}, "axes",
                       "the product has more than " + std::to_string(kMaxSweepPoints) +
                           " points; split the study");
    }
    points *= dim.rows.size();
  }

  // Every value against the scenario schema, at its own line.
  for (const SweepDimension& dim : spec.dims) {
    for (size_t r = 0; r < dim.rows.size(); ++r) {
      for (size_t f = 0; f < dim.fields.size(); ++f) {
        check_against_schema(base, spec.set, assignment_text(dim.fields[f], dim.rows[r][f]),
                             {display_name, dim.lines[r][f]});
      }
    }
  }
  return spec;
}

SweepSpec load_sweep(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext != ".yaml" && ext != ".yml") {
    throw InputError({file.string(), 0}, "", "expected a .yaml or .yml sweep file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0}, "", "cannot open the sweep file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError({file.string(), 0}, "", "cannot read the sweep file");
  return load_sweep_text(text.str(), file.string(), file.parent_path());
}

}  // namespace gwsim::config
