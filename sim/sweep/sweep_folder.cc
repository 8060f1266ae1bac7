#include "sim/sweep/sweep_folder.h"

#include <unistd.h>

#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/core/error.h"
#include "sim/sweep/point_file.h"

namespace gwsim::sweep {
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr size_t kErrorTailLines = 5;

}  // namespace

const char* status_name(Status status) {
  switch (status) {
    case Status::kDone:
      return "done";
    case Status::kFailed:
      return "failed";
    case Status::kSkipped:
      return "skipped";
  }
  return "failed";
}

fs::path SweepFolder::point_file(size_t index) const {
  return root_ / "points" / (std::to_string(index) + ".h5");
}
fs::path SweepFolder::stdout_file(size_t index) const {
  return root_ / "logs" / (std::to_string(index) + ".out");
}
fs::path SweepFolder::stderr_file(size_t index) const {
  return root_ / "logs" / (std::to_string(index) + ".err");
}
fs::path SweepFolder::exit_file(size_t index) const {
  return root_ / "logs" / (std::to_string(index) + ".exit");
}

void SweepFolder::claim(const config::SweepSpec& spec, bool force) const {
  std::error_code ec;
  fs::create_directories(root_ / "points", ec);
  if (!ec) fs::create_directories(root_ / "logs", ec);
  if (ec) {
    throw InputError({spec.display_name, 0}, "output",
                     "cannot create the folder " + root_.string() + ": " + ec.message());
  }
  const fs::path recorded = root_ / "sweep.yaml";
  const bool changed = fs::exists(recorded) && read_all(recorded) != spec.text;
  if (changed && !force) {
    throw InputError({spec.display_name, 0}, "output",
                     "the folder " + root_.string() +
                         " holds the results of a different sweep file (kept in " +
                         recorded.string() +
                         "); use another output folder, or --force to continue there (points "
                         "whose scenario is unchanged are kept, the others are run again)");
  }
  if (changed) {
    // The logs are of the old sweep's points: they would be mistaken for failures of the new one.
    for (const auto& entry : fs::directory_iterator(root_ / "logs")) fs::remove(entry.path(), ec);
    fs::remove(slurm_job_file(), ec);
  }
  write_file_atomically(recorded, spec.text);
}

bool SweepFolder::is_done(const Point& point) const {
  if (point.skipped()) return false;
  const auto sha = read_scenario_sha256(point_file(point.index));
  return sha && *sha == point.scenario_sha256;
}

Outcome SweepFolder::outcome(const Point& point) const {
  Outcome out;
  if (point.skipped()) {
    out.status = Status::kSkipped;
    out.message = point.skip_reason;
    return out;
  }
  if (is_done(point)) {
    out.status = Status::kDone;
    out.exit_code = 0;
    return out;
  }
  out.status = Status::kFailed;
  out.error_tail = last_lines(stderr_file(point.index), kErrorTailLines);
  const std::string code = read_all(exit_file(point.index));
  try {
    out.exit_code = code.empty() ? -1 : std::stoi(code);
  } catch (const std::exception&) {
    out.exit_code = -1;
  }
  if (out.exit_code == -1) {
    out.message = "no result: the point did not run, or was stopped before it ended";
  } else if (out.exit_code == 0) {
    out.message =
        "exited with 0 but left no result of this scenario in " + point_file(point.index).string();
  } else {
    out.message = out.error_tail.empty() ? "exit code " + std::to_string(out.exit_code)
                                         : out.error_tail.back();
  }
  return out;
}

void SweepFolder::clear_logs(size_t index) const {
  std::error_code ec;
  fs::remove(exit_file(index), ec);
  fs::remove(stderr_file(index), ec);
  fs::remove(stdout_file(index), ec);
}

void SweepFolder::write_point_list(const std::vector<Point>& points,
                                   const std::vector<std::string>& fields) const {
  std::string text = "index\tstatus\tscenario_sha256";
  for (const std::string& f : fields) text += "\t" + f;
  text += "\n";
  for (const Point& p : points) {
    text += std::to_string(p.index) + "\t" + (p.skipped() ? "skipped" : "valid") + "\t" +
            (p.skipped() ? "-" : p.scenario_sha256);
    for (const std::string& v : p.values) text += "\t" + v;
    text += "\n";
  }
  write_file_atomically(point_list_file(), text);
}

void write_file_atomically(const fs::path& file, const std::string& text) {
  const fs::path temp = file.string() + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temp.string());
  }
  std::error_code ec;
  fs::rename(temp, file, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw std::runtime_error("cannot rename " + temp.string() + " onto " + file.string());
  }
}

std::vector<std::string> last_lines(const fs::path& file, size_t count) {
  std::ifstream in(file);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    lines.push_back(line);
    if (lines.size() > count) lines.pop_front();
  }
  return {lines.begin(), lines.end()};
}

}  // namespace gwsim::sweep
