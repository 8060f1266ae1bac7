// Checks of the fields of one section of a scenario, each failure an InputError at the field's
// line: "file:line: facility.cooling.cop: must be > 0, got -1". Shared by every builder that
// validates fields (scenario, facility, job stream, Chakra job) and the model and kernel catalogs;
// `prefix` is the section's path in the scenario ("" for a catalog file, whose paths are whole).
#pragma once

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "sim/config/yaml_mapping.h"
#include "sim/core/error.h"
#include "sim/core/quantity_parse.h"

namespace gwsim::config::detail {

inline std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

class FieldCheck {
 public:
  FieldCheck(const SourceMap& sources, std::string prefix)
      : sources_(sources), prefix_(std::move(prefix)) {}

  // Fields of a whole file (catalog entries) take the empty prefix.
  std::string path(const std::string& field) const {
    return prefix_.empty() ? field : prefix_ + "." + field;
  }
  FieldCheck child(const std::string& field) const { return {sources_, path(field)}; }

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InputError(sources_.locate(path(field)), path(field), what);
  }

  // A number in [lo, hi] (open at lo when lo_open).
  double in_range(double v, double lo, double hi, bool lo_open, const std::string& field) const {
    const bool ok = (lo_open ? v > lo : v >= lo) && v <= hi;
    if (!ok) {
      fail(field, std::string("must be in ") + (lo_open ? "(" : "[") + number_text(lo) + ", " +
                      number_text(hi) + "], got " + number_text(v));
    }
    return v;
  }
  double non_negative(double v, const std::string& field) const {
    if (!(v >= 0) || !std::isfinite(v)) fail(field, "must be >= 0, got " + number_text(v));
    return v;
  }
  double positive(double v, const std::string& field) const {
    if (!(v > 0) || !std::isfinite(v)) fail(field, "must be > 0, got " + number_text(v));
    return v;
  }
  // A whole number >= 1 that protobuf reads as 0 when absent.
  int count(uint32_t v, const std::string& field) const {
    if (v < 1) fail(field, "required: a whole number >= 1");
    return static_cast<int>(v);
  }
  double finite(double v, const std::string& field) const {
    if (!std::isfinite(v)) fail(field, "must be a finite number, got " + number_text(v));
    return v;
  }

  // Presence, for fields protobuf cannot tell absent from zero without has_.
  void require(bool present, const std::string& field, const std::string& expected) const {
    if (!present) fail(field, "required: expected " + expected);
  }
  // A typed value, checked against its own zero; `text` is the value as written, for the message.
  template <typename Q>
  Q positive(Q value, const std::string& field, const std::string& text) const {
    if (!(value > Q(0))) fail(field, "must be > 0, got \"" + text + "\"");
    return value;
  }
  template <typename Q>
  Q non_negative(Q value, const std::string& field, const std::string& text) const {
    if (value < Q(0)) fail(field, "must be >= 0, got \"" + text + "\"");
    return value;
  }

  // A quantity with its unit ("60MW"); absent when the text is empty.
  template <typename Q>
  std::optional<Q> optional_quantity(const std::string& text, Dimension dimension,
                                     const std::string& field) const {
    if (text.empty()) return std::nullopt;
    const std::optional<double> value = parse_quantity(text, dimension);
    if (!value || !std::isfinite(*value)) {
      const DimensionInfo info = describe(dimension);
      fail(field, std::string("expected ") + info.noun + " such as \"" + info.example +
                      "\", got \"" + text + "\"");
    }
    return Q(*value);
  }
  template <typename Q>
  Q quantity(const std::string& text, Dimension dimension, const std::string& field) const {
    const std::optional<Q> q = optional_quantity<Q>(text, dimension, field);
    if (!q) {
      const DimensionInfo info = describe(dimension);
      fail(field,
           std::string("required: expected ") + info.noun + " such as \"" + info.example + "\"");
    }
    return *q;
  }
  template <typename Q>
  Q positive_quantity(const std::string& text, Dimension dimension,
                      const std::string& field) const {
    return positive(quantity<Q>(text, dimension, field), field, text);
  }

  SourceLocation locate(const std::string& field) const { return sources_.locate(path(field)); }
  const SourceMap& sources() const { return sources_; }

  // A path as written in the scenario: relative ones are relative to the scenario's folder.
  std::filesystem::path relative_to_scenario(const std::string& path) const {
    std::filesystem::path file(path);
    if (file.is_relative()) file = std::filesystem::path(sources_.file()).parent_path() / file;
    return file;
  }

 private:
  const SourceMap& sources_;
  std::string prefix_;
};

}  // namespace gwsim::config::detail
