// The output folder of a sweep and what each point left in it:
//   sweep.yaml           the sweep file the folder belongs to (a changed file is refused without
//   --force) points.tsv           the point list: index, status, scenario hash, swept values
//   points/<index>.h5    each point's result, written atomically by `gwsim run`
//   logs/<index>.out     its stdout, logs/<index>.err its stderr, logs/<index>.exit its exit code
//   sweep.sbatch         the Slurm job-array script (--executor slurm)
//   sweep.h5             the merged index (merge.h)
// A point is done when points/<index>.h5 exists and its scenario_sha256 equals the point's own: the
// file is complete (it was renamed into place when complete) and it is the same scenario.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sim/config/sweep.h"
#include "sim/sweep/points.h"

namespace gwsim::sweep {

enum class Status { kDone, kFailed, kSkipped };

// "done", "failed", "skipped": the spelling of the merged table's status column.
const char* status_name(Status status);

struct Outcome {
  Status status = Status::kFailed;
  int exit_code = -1;                   // of `gwsim run`; -1 when unknown (never ran, killed)
  std::string message;                  // one line: why it failed or was skipped; empty when done
  std::vector<std::string> error_tail;  // the last lines of its stderr (failed points)
};

class SweepFolder {
 public:
  explicit SweepFolder(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path point_file(size_t index) const;
  std::filesystem::path stdout_file(size_t index) const;
  std::filesystem::path stderr_file(size_t index) const;
  std::filesystem::path exit_file(size_t index) const;
  std::filesystem::path merged_file() const { return root_ / "sweep.h5"; }
  std::filesystem::path script_file() const { return root_ / "sweep.sbatch"; }
  std::filesystem::path point_list_file() const { return root_ / "points.tsv"; }
  std::filesystem::path slurm_job_file() const { return root_ / "slurm-job"; }

  // Creates the folder (and points/, logs/) and records the sweep file in it. Throws InputError
  // when the folder already belongs to a different sweep file, unless `force`.
  void claim(const config::SweepSpec& spec, bool force) const;

  // Whether the point's result is complete and of the point's own scenario.
  bool is_done(const Point& point) const;

  // What the point left: done, failed (with its exit code and the end of its stderr), or skipped.
  Outcome outcome(const Point& point) const;

  // Removes the point's logs before it runs again, so an old exit code is never mistaken for a new.
  void clear_logs(size_t index) const;

  // Writes points.tsv (atomically).
  void write_point_list(const std::vector<Point>& points,
                        const std::vector<std::string>& fields) const;

 private:
  std::filesystem::path root_;
};

// Writes `text` to `file` under a temporary name and renames it into place. Throws
// std::runtime_error naming the file on failure.
void write_file_atomically(const std::filesystem::path& file, const std::string& text);

// The last `count` non-empty lines of a text file (fewer if it is shorter; none if it is missing).
std::vector<std::string> last_lines(const std::filesystem::path& file, size_t count);

}  // namespace gwsim::sweep
