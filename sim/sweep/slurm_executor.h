// Runs sweep points as a Slurm job array: one point per array task. gwsim writes the script,
// submits it with sbatch and follows it with squeue; Slurm does the scheduling.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/sweep.h"
#include "sim/sweep/points.h"
#include "sim/sweep/sweep_folder.h"

namespace gwsim::sweep {

struct SlurmOptions {
  std::string partition;                 // #SBATCH --partition; empty: the cluster's default
  std::string account;                   // #SBATCH --account; empty: the user's default
  std::string time;                      // #SBATCH --time per task, e.g. "01:00:00"; empty: default
  int max_parallel = 0;                  // tasks running at once (--array=...%K); 0: no limit
  std::vector<std::string> sbatch_args;  // extra "#SBATCH <arg>" lines, e.g. "--mem=4G"
  double poll_interval_s = 1.0;          // between squeue calls
};

// The job-array script: task k runs `todo[k]` with `gwsim` (an absolute path that the compute nodes
// must see) and records its exit code in logs/<index>.exit. The folder and base are made absolute.
std::string job_script(const config::SweepSpec& spec, const std::vector<const Point*>& todo,
                       const std::filesystem::path& gwsim, const SweepFolder& folder,
                       const SlurmOptions& options);

// Submits `script` with `sbatch --parsable`; returns the job id. Throws std::runtime_error with
// sbatch's own message when it fails.
std::string submit(const std::filesystem::path& script);

struct QueueState {
  size_t running = 0;
  size_t pending = 0;  // every other state still in the queue (pending, configuring, completing)
  size_t held = 0;     // of the pending: held by Slurm or an admin, which never start on their own
  std::string held_reason;  // Slurm's reason for the first held task
};

// The job's tasks still in the queue (`squeue -h -r -j ID -o "%T|%r"`), or nothing once none is.
// Throws std::runtime_error when squeue cannot be run at all.
std::optional<QueueState> query_queue(const std::string& job_id);

// Cancels the job (`scancel ID`); errors are ignored.
void cancel(const std::string& job_id);

// `value` quoted for a POSIX shell: 'a b' -> "'a b'", with ' written as '\''.
std::string shell_quote(const std::string& value);

}  // namespace gwsim::sweep
