#include "sim/config/yaml_mapping.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <regex>
#include <vector>

namespace gwsim::config::detail {
namespace pb = google::protobuf;

namespace {

std::string json_quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// Levenshtein distance, for "did you mean" hints on misspelled field names.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string describe_node(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return json_quote(node.Scalar());
    default:
      return "an undefined value";
  }
}

class Converter {
 public:
  explicit Converter(SourceMap& sources) : sources_(sources) {}

  std::string message(const YAML::Node& node, const pb::Descriptor& type, const std::string& path) {
    note(node, path);
    if (!node.IsMap())
      fail(node, path,
           "expected a mapping of " + type.name() + " fields, got " + describe_node(node));
    std::string out = "{";
    std::set<std::string> seen;
    std::map<const pb::OneofDescriptor*, std::string> oneof_members;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;  // a copy: the iterator yields a temporary pair
      const std::string name = key.IsScalar() ? key.Scalar() : "";
      const std::string field_path = join_path(path, name);
      const pb::FieldDescriptor* field = type.FindFieldByName(name);
      if (field == nullptr) fail(key, field_path, unknown_field(name, type));
      if (!seen.insert(name).second) fail(key, field_path, "field is given twice");
      if (const pb::OneofDescriptor* oneof = field->real_containing_oneof()) {
        auto [at, inserted] = oneof_members.emplace(oneof, name);
        if (!inserted) {
          fail(key, field_path,
               "only one of " + oneof_names(*oneof) + " may be set, but " + at->second +
                   " is set too");
        }
      }
      note(key, field_path);
      if (out.size() > 1) out += ",";
      out += json_quote(name) + ":" + field_value(it->second, *field, field_path);
    }
    return out + "}";
  }

 private:
  std::string field_value(const YAML::Node& node, const pb::FieldDescriptor& field,
                          const std::string& path) {
    if (!field.is_repeated()) return single_value(node, field, path);
    note(node, path);
    if (!node.IsSequence()) fail(node, path, "expected a list, got " + describe_node(node));
    std::string out = "[";
    for (size_t i = 0; i < node.size(); ++i) {
      if (i > 0) out += ",";
      out += single_value(node[i], field, path + "[" + std::to_string(i) + "]");
    }
    return out + "]";
  }

  std::string single_value(const YAML::Node& node, const pb::FieldDescriptor& field,
                           const std::string& path) {
    note(node, path);
    if (field.cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE)
      return message(node, *field.message_type(), path);
    if (!node.IsScalar())
      fail(node, path, "expected " + expected_scalar(field) + ", got " + describe_node(node));
    const std::string& text = node.Scalar();
    switch (field.cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_STRING:
        return json_quote(text);
      case pb::FieldDescriptor::CPPTYPE_BOOL:
        if (text == "true" || text == "false") return text;
        break;
      case pb::FieldDescriptor::CPPTYPE_INT32:
        return integer(node, field, path, INT32_MIN, INT32_MAX);
      case pb::FieldDescriptor::CPPTYPE_INT64:
        return integer(node, field, path, INT64_MIN, INT64_MAX);
      case pb::FieldDescriptor::CPPTYPE_UINT32:
        return integer(node, field, path, 0, UINT32_MAX);
      case pb::FieldDescriptor::CPPTYPE_UINT64:
        return integer(node, field, path, 0, INT64_MAX);
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      case pb::FieldDescriptor::CPPTYPE_FLOAT: {
        double value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(value)) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.17g", value);
          return buf;
        }
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_ENUM: {
        const pb::EnumDescriptor& type = *field.enum_type();
        for (int i = 0; i < type.value_count(); ++i) {
          const pb::EnumValueDescriptor& value = *type.value(i);
          if (value.number() != 0 && (text == enum_value_spelling(value) || text == value.name())) {
            return json_quote(value.name());
          }
        }
        break;
      }
      default:
        break;
    }
    fail(node, path, "expected " + expected_scalar(field) + ", got " + describe_node(node));
  }

  std::string integer(const YAML::Node& node, const pb::FieldDescriptor& field,
                      const std::string& path, int64_t lowest, uint64_t highest) {
    static const std::regex kWhole("[+-]?[0-9]+");
    const std::string& text = node.Scalar();
    if (std::regex_match(text, kWhole)) {
      int64_t value = 0;
      const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
      auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
      if (ec == std::errc() && end == text.data() + text.size() && value >= lowest &&
          (value < 0 || static_cast<uint64_t>(value) <= highest)) {
        return "\"" + std::to_string(value) +
               "\"";  // proto3 JSON takes integers as strings: no rounding
      }
    }
    fail(node, path, "expected " + expected_scalar(field) + ", got " + describe_node(node));
  }

  static std::string expected_scalar(const pb::FieldDescriptor& field) {
    switch (field.cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_STRING:
        return "a string";
      case pb::FieldDescriptor::CPPTYPE_BOOL:
        return "true or false";
      case pb::FieldDescriptor::CPPTYPE_INT32:
      case pb::FieldDescriptor::CPPTYPE_INT64:
        return "a whole number";
      case pb::FieldDescriptor::CPPTYPE_UINT32:
      case pb::FieldDescriptor::CPPTYPE_UINT64:
        return "a whole number >= 0";
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      case pb::FieldDescriptor::CPPTYPE_FLOAT:
        return "a number";
      case pb::FieldDescriptor::CPPTYPE_ENUM: {
        std::string names;
        const pb::EnumDescriptor& type = *field.enum_type();
        for (int i = 0; i < type.value_count(); ++i) {
          if (type.value(i)->number() == 0) continue;
          names += (names.empty() ? "" : ", ") + json_quote(enum_value_spelling(*type.value(i)));
        }
        return "one of " + names;
      }
      default:
        return "a value";
    }
  }

  static std::string unknown_field(const std::string& name, const pb::Descriptor& type) {
    std::string known;
    std::string closest;
    size_t best = 3;  // suggest only names within two edits
    for (int i = 0; i < type.field_count(); ++i) {
      const std::string& candidate = type.field(i)->name();
      known += (known.empty() ? "" : ", ") + candidate;
      if (size_t d = edit_distance(name, candidate); d < best) {
        best = d;
        closest = candidate;
      }
    }
    std::string what = "unknown field " + json_quote(name);
    if (!closest.empty()) what += " (did you mean " + json_quote(closest) + "?)";
    return what + "; " + type.name() + " has: " + known;
  }

  static std::string oneof_names(const pb::OneofDescriptor& oneof) {
    std::string names;
    for (int i = 0; i < oneof.field_count(); ++i) names += (i ? ", " : "") + oneof.field(i)->name();
    return names;
  }

  void note(const YAML::Node& node, const std::string& path) {
    if (!node.Mark().is_null()) sources_.record_line(path, node.Mark().line + 1);
  }

  [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& what) {
    SourceLocation where = sources_.locate(path);
    if (where.file != "--set" && !node.Mark().is_null()) where.line = node.Mark().line + 1;
    throw InputError(where, path, what);
  }

  SourceMap& sources_;
};

}  // namespace

SourceLocation SourceMap::locate(const std::string& path) const {
  for (std::string p = path;; p = p.substr(0, p.find_last_of(".["))) {
    if (overrides_.count(p)) return {"--set", 0};
    if (p.find_last_of(".[") == std::string::npos) break;
  }
  for (std::string p = path;; p = p.substr(0, p.find_last_of(".["))) {
    if (auto it = lines_.find(p); it != lines_.end()) return {file_, it->second};
    if (p.find_last_of(".[") == std::string::npos) break;
  }
  return {file_, 0};
}

std::string yaml_to_json(const YAML::Node& root, const pb::Descriptor& descriptor,
                         SourceMap& sources) {
  return Converter(sources).message(root, descriptor, "");
}

std::string join_path(const std::string& parent, const std::string& child) {
  return parent.empty() ? child : parent + "." + child;
}

std::string enum_value_spelling(const pb::EnumValueDescriptor& value) {
  std::string s = value.name();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace gwsim::config::detail
