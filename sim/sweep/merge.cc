#include "sim/sweep/merge.h"

#include <hdf5.h>

#include <limits>
#include <stdexcept>

#include "sim/core/version.h"
#include "sim/output/atomic_file.h"
#include "sim/output/hdf5_writer.h"
#include "sim/sweep/point_file.h"

namespace gwsim::sweep {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Adds /runs/<index> external links to the closed file at `path`.
void link_runs(const std::filesystem::path& path, const std::vector<Point>& points,
               const std::vector<Outcome>& outcomes) {
  const auto fail = [&](const std::string& what) {
    H5Eclear2(H5E_DEFAULT);
    throw std::runtime_error("HDF5: cannot " + what + " in " + path.string());
  };
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (file < 0) fail("reopen the file");
  const hid_t group = H5Gcreate2(file, "/runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (group < 0) {
    H5Fclose(file);
    fail("create /runs");
  }
  bool ok = true;
  for (size_t i = 0; i < points.size() && ok; ++i) {
    if (outcomes[i].status != Status::kDone) continue;
    const std::string index = std::to_string(points[i].index);
    const std::string target = "points/" + index + ".h5";  // relative to sweep.h5's folder
    ok = H5Lcreate_external(target.c_str(), "/", group, index.c_str(), H5P_DEFAULT, H5P_DEFAULT) >=
         0;
  }
  H5Gclose(group);
  if (H5Fclose(file) < 0 || !ok) fail("link the point files under /runs");
}

}  // namespace

void write_sweep_index(const config::SweepSpec& spec, const std::vector<Point>& points,
                       const std::vector<Outcome>& given, const SweepFolder& folder) {
  std::vector<Outcome> outcomes = given;
  std::vector<PointMetrics> metrics(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    if (outcomes[i].status != Status::kDone) continue;
    try {
      metrics[i] = read_point_metrics(folder.point_file(points[i].index));
    } catch (const std::exception& e) {
      outcomes[i].status = Status::kFailed;
      outcomes[i].message = e.what();
    }
  }

  const std::vector<std::string> fields = spec.fields();
  std::vector<int64_t> index, exit_code;
  std::vector<std::string> status, sha;
  std::vector<int64_t> message_index;
  std::vector<std::string> message;
  std::vector<std::vector<std::string>> values(fields.size());
  std::vector<double> simulated, wall, step, tokens, energy;
  for (size_t i = 0; i < points.size(); ++i) {
    const bool done = outcomes[i].status == Status::kDone;
    index.push_back(static_cast<int64_t>(points[i].index));
    status.emplace_back(status_name(outcomes[i].status));
    exit_code.push_back(outcomes[i].exit_code);
    if (!done) {
      message_index.push_back(static_cast<int64_t>(points[i].index));
      message.push_back(outcomes[i].message);
    }
    for (size_t f = 0; f < fields.size(); ++f) values[f].push_back(points[i].values[f]);
    sha.push_back(points[i].scenario_sha256);
    simulated.push_back(done ? metrics[i].simulated_time_s : kNaN);
    wall.push_back(done ? metrics[i].wall_time_s : kNaN);
    step.push_back(done ? metrics[i].mean_step_duration_s : kNaN);
    tokens.push_back(done ? metrics[i].tokens_per_s : kNaN);
    energy.push_back(done ? metrics[i].energy_j : kNaN);
  }
  output::Table table;
  table.description =
      "one row per point of the sweep; figures are NaN unless status is done; job figures are "
      "those of job 0";
  table.columns.push_back({"index", "", index});
  table.columns.push_back({"status", "", status});
  table.columns.push_back({"exit_code", "", exit_code});
  for (size_t f = 0; f < fields.size(); ++f) table.columns.push_back({fields[f], "", values[f]});
  table.columns.push_back({"scenario_sha256", "", sha});
  table.columns.push_back({"simulated_time_s", "s", simulated});
  table.columns.push_back({"wall_time_s", "s", wall});
  table.columns.push_back({"mean_step_duration_s", "s", step});
  table.columns.push_back({"tokens_per_s", "tokens/s", tokens});
  table.columns.push_back({"energy_j", "J", energy});

  output::AtomicOutputPath out(folder.merged_file());
  {
    output::Hdf5Writer writer(out.temp_path());
    writer.set_attribute("/", "format", std::string("gwsim-sweep"));
    writer.set_attribute("/", "format_version", kSweepFormatVersion);
    writer.set_attribute("/", "gwsim_version", std::string(kVersion));
    writer.set_attribute("/", "sweep_path", spec.display_name);
    writer.set_attribute("/", "sweep_text", spec.text);
    writer.set_attribute("/", "sweep_sha256", spec.sha256);
    writer.set_attribute("/", "base_path", spec.base.string());
    std::string swept;
    for (const std::string& f : fields) swept += (swept.empty() ? "" : "\n") + f;
    writer.set_attribute("/", "fields", swept);
    writer.write_table("/points", table);
    output::Table messages;
    messages.description = "why each point that is not done failed or was skipped";
    messages.columns = {{"index", "", message_index}, {"message", "", message}};
    writer.write_table("/messages", messages);
    writer.close();
  }
  link_runs(out.temp_path(), points, outcomes);
  out.commit();
}

}  // namespace gwsim::sweep
