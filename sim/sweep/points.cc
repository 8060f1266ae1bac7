#include "sim/sweep/points.h"

#include <fstream>
#include <sstream>

#include "sim/config/loader.h"
#include "sim/core/error.h"

namespace gwsim::sweep {
namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0}, "", "cannot open the base scenario");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

config::Format format_of(const std::filesystem::path& file) {
  return file.extension() == ".json" ? config::Format::kJson : config::Format::kYaml;
}

}  // namespace

std::vector<Point> expand_points(const config::SweepSpec& spec) {
  const std::string base_text = read_text(spec.base);
  const std::vector<std::string> fields = spec.fields();
  const size_t count = spec.point_count();
  // accepted[d][r]: some point with row r of dimension d is a valid scenario.
  std::vector<std::vector<bool>> accepted;
  for (const config::SweepDimension& dim : spec.dims) accepted.emplace_back(dim.rows.size(), false);
  std::vector<Point> points;
  points.reserve(count);
  std::vector<std::vector<size_t>> rows_of;  // rows_of[i][d]: point i's row of dimension d
  for (size_t index = 0; index < count; ++index) {
    Point point;
    point.index = index;
    point.overrides = spec.set;
    // Row-major: the last dimension varies fastest.
    std::vector<size_t> row(spec.dims.size());
    size_t rest = index;
    for (size_t d = spec.dims.size(); d-- > 0;) {
      row[d] = rest % spec.dims[d].rows.size();
      rest /= spec.dims[d].rows.size();
    }
    for (size_t d = 0; d < spec.dims.size(); ++d) {
      const config::SweepDimension& dim = spec.dims[d];
      for (size_t f = 0; f < dim.fields.size(); ++f) {
        point.values.push_back(dim.rows[row[d]][f]);
        point.overrides.push_back(config::assignment_text(dim.fields[f], dim.rows[row[d]][f]));
      }
    }
    config::LoadOptions options;
    options.overrides = point.overrides;
    try {
      const config::Scenario scenario =
          config::load_scenario_text(base_text, format_of(spec.base), spec.base.string(), options);
      point.scenario_sha256 = scenario.source.sha256;
      for (size_t d = 0; d < spec.dims.size(); ++d) accepted[d][row[d]] = true;
    } catch (const InputError& e) {
      std::string reason = e.what();
      if (reason.rfind("--set: ", 0) == 0) reason = reason.substr(7);
      point.skip_reason = reason;
    }
    points.push_back(std::move(point));
    rows_of.push_back(std::move(row));
  }

  // A value that no combination accepts is a mistake in the file ("fast" for a bandwidth), never
  // an invalid combination to skip: it is reported at its own line.
  for (const Point& point : points) {
    if (!point.skipped()) continue;
    for (size_t d = 0; d < spec.dims.size(); ++d) {
      const size_t r = rows_of[point.index][d];
      if (accepted[d][r]) continue;
      const config::SweepDimension& dim = spec.dims[d];
      size_t f = 0;  // the zipped field the reason names, else the first
      for (size_t k = 0; k < dim.fields.size(); ++k) {
        if (point.skip_reason.rfind(dim.fields[k], 0) == 0) f = k;
      }
      throw InputError({spec.display_name, dim.lines[r][f]}, "",
                       point.skip_reason + " (no point with " + dim.fields[f] + "=" +
                           dim.rows[r][f] + " is a valid scenario)");
    }
  }
  if (!spec.skip_invalid) {
    for (const Point& point : points) {
      if (!point.skipped()) continue;
      throw InputError({spec.display_name, 0}, "",
                       "point " + std::to_string(point.index) + " (" + describe(point, fields) +
                           ") is not a valid scenario: " + point.skip_reason +
                           " (set skip_invalid: true to skip such points)");
    }
  }
  return points;
}

std::string describe(const Point& point, const std::vector<std::string>& fields) {
  std::string out;
  for (size_t f = 0; f < fields.size() && f < point.values.size(); ++f) {
    out += (out.empty() ? "" : ", ") + fields[f] + "=" + point.values[f];
  }
  return out;
}

}  // namespace gwsim::sweep
