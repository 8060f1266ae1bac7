// Loading a sweep file: a base scenario, fixed assignments, axes combined as a product, zipped axes
// that vary together, and an output folder (schema: sweep.proto; user's guide: docs/sweeps.md).
//
// Every problem is a gwsim::InputError naming the sweep file, the line, the field and what was
// expected, e.g.
//   study.yaml:9: platform.nodes: expected a whole number >= 0, got "four"
// Each value is checked against the scenario schema here (its field path exists, its type fits), so
// a typo never reaches a running sweep. Whether a whole point is a valid scenario (ranges, fields
// that must agree) is checked when the points are expanded (sim/sweep/points.h), since a value may
// be valid only beside another axis's value.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gwsim::config {

// One dimension of the product: a single axis, or a group of zipped axes.
struct SweepDimension {
  std::vector<std::string> fields;             // scenario field paths; one for a plain axis
  std::vector<std::vector<std::string>> rows;  // rows[i][f]: value of fields[f] at position i
  std::vector<std::vector<int>> lines;         // line of each value, like rows (0 if unknown)
};

struct SweepSpec {
  std::string display_name;          // the sweep file as the user named it
  std::string text;                  // the file exactly as read
  std::string sha256;                // of text
  std::filesystem::path base;        // base scenario, resolved against the sweep file's folder
  std::filesystem::path output;      // output folder, resolved likewise
  std::vector<std::string> set;      // "field=value" assignments applied to every point first
  std::vector<SweepDimension> dims;  // product dimensions: axes in order, then zip groups
  bool skip_invalid = false;

  // Number of points of the full product (before any is skipped).
  size_t point_count() const;
  // Every swept field path, in dimension order.
  std::vector<std::string> fields() const;
};

// More points than this is refused as a likely mistake (an axis too many).
inline constexpr size_t kMaxSweepPoints = 1'000'000;

// Reads and validates a sweep file (YAML).
SweepSpec load_sweep(const std::filesystem::path& file);

// The same from text; `folder` is where relative paths in the file are resolved.
SweepSpec load_sweep_text(std::string_view text, const std::string& display_name,
                          const std::filesystem::path& folder);

// "field=value" as --set takes it. The value is quoted when YAML would otherwise read it as
// something other than the same scalar text (a mapping, a list, a comment), so the scenario sees
// exactly the text written in the sweep file.
std::string assignment_text(const std::string& field, const std::string& value);

}  // namespace gwsim::config
