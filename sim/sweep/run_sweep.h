// A whole sweep: load and expand the sweep file, claim its output folder, run the points that are
// not done yet (locally or as a Slurm job array), and merge everything into sweep.h5.
// Re-running the same command resumes: done points are kept, failed ones are listed and run again.
#pragma once

#include <cstdio>
#include <filesystem>

#include "sim/sweep/slurm_executor.h"

namespace gwsim::sweep {

enum class Executor { kLocal, kSlurm };

struct SweepOptions {
  Executor executor = Executor::kLocal;
  int jobs = 1;                 // local: points run at once; >= 1
  SlurmOptions slurm;           // slurm: the job array's settings
  bool emit_only = false;       // slurm: write the script and the point list, submit nothing
  bool merge_only = false;      // run nothing; merge what the folder holds
  bool force = false;           // accept an output folder that belongs to a changed sweep file
  bool quiet = false;           // no progress lines
  std::filesystem::path gwsim;  // the binary that runs the points (normally self_executable())
};

// Exit code of a sweep whose points did not all succeed (sweep.h5 is written all the same).
inline constexpr int kExitSomePointsFailed = 3;

// Runs the sweep; the summary goes to `out`, progress and failures to `err`. Returns 0 when every
// point is done or skipped, kExitSomePointsFailed when some failed, 128 + signal when SIGINT or
// SIGTERM stopped it (no merge then). Bad input throws InputError before anything runs.
int run_sweep(const std::filesystem::path& sweep_file, const SweepOptions& options, std::FILE* out,
              std::FILE* err);

}  // namespace gwsim::sweep
