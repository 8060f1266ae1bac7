#include "sim/sweep/run_sweep.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/config/sweep.h"
#include "sim/core/error.h"
#include "sim/sweep/local_executor.h"
#include "sim/sweep/merge.h"
#include "sim/sweep/points.h"
#include "sim/sweep/progress.h"
#include "sim/sweep/stop_signal.h"
#include "sim/sweep/sweep_folder.h"

namespace gwsim::sweep {
namespace {

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void print_failure(std::FILE* err, const Point& point, const Outcome& outcome,
                   const std::vector<std::string>& fields, const char* lead) {
  std::fprintf(err, "%spoint %zu (%s): exit code %d\n", lead, point.index,
               describe(point, fields).c_str(), outcome.exit_code);
  if (outcome.error_tail.empty()) {
    std::fprintf(err, "    %s\n", outcome.message.c_str());
  }
  for (const std::string& line : outcome.error_tail) std::fprintf(err, "    | %s\n", line.c_str());
}

// Points finished under Slurm, from their exit files: {done, failed}.
std::pair<size_t, size_t> count_finished(const std::vector<const Point*>& todo,
                                         const SweepFolder& folder) {
  size_t done = 0, failed = 0;
  for (const Point* p : todo) {
    const std::string code = read_all(folder.exit_file(p->index));
    if (code.empty()) continue;
    (code == "0" ? done : failed) += 1;
  }
  return {done, failed};
}

// Submits (or finds the job submitted by an earlier invocation) and follows it until no task is in
// the queue. Returns 0, or 128 + signal when stopped (the job keeps running).
int run_slurm(const config::SweepSpec& spec, const std::vector<const Point*>& todo,
              const SweepOptions& options, const SweepFolder& folder, Counts counts, std::FILE* out,
              std::FILE* err) {
  std::string job = read_all(folder.slurm_job_file());
  if (!job.empty() && query_queue(job)) {
    std::fprintf(err, "sweep: following job %s, submitted earlier for this folder\n", job.c_str());
  } else {
    write_file_atomically(folder.script_file(),
                          job_script(spec, todo, options.gwsim, folder, options.slurm));
    if (options.emit_only) {
      std::fprintf(out,
                   "wrote %s (%zu points, one per array task) and %s\n"
                   "submit with: cd %s && sbatch %s\n"
                   "merge when it has ended: gwsim sweep %s --merge-only\n",
                   folder.script_file().c_str(), todo.size(), folder.point_list_file().c_str(),
                   folder.root().c_str(), folder.script_file().filename().c_str(),
                   spec.display_name.c_str());
      return 0;
    }
    for (const Point* p : todo) folder.clear_logs(p->index);
    job = submit(folder.script_file());
    write_file_atomically(folder.slurm_job_file(), job + "\n");
    std::fprintf(err, "sweep: submitted job array %s (%zu tasks)\n", job.c_str(), todo.size());
  }
  const size_t done_before = counts.done;
  ProgressLine progress(options.quiet ? nullptr : err, done_before);
  const auto interval = std::chrono::duration<double>(options.slurm.poll_interval_s);
  for (;;) {
    const std::optional<QueueState> state = query_queue(job);
    const auto [done, failed] = count_finished(todo, folder);
    counts.done = done_before + done;
    counts.failed = failed;
    counts.running = state ? state->running : 0;
    if (!state) {
      progress.finish(counts);
      return 0;
    }
    if (state->running == 0 && state->held == state->pending) {
      // Held tasks never start by themselves: waiting for them would wait forever.
      progress.finish(counts);
      std::string message = "Slurm holds every remaining task of job ";
      message += job + " (" + state->held_reason + "): see logs/slurm-";
      message += job + "_*.out and the cluster's slurmd logs; `scontrol release ";
      message += job + "` or `scancel ";
      message += job + "`, then run the sweep again";
      throw InputError(message);
    }
    progress.update(counts);
    const auto until = std::chrono::steady_clock::now() + interval;
    while (std::chrono::steady_clock::now() < until) {
      if (const int signal = stop_signal(); signal != 0) {
        progress.finish(counts);
        std::fprintf(err,
                     "sweep: stopped following job %s; it keeps running (scancel %s stops it). "
                     "Run the same command again to follow it and merge.\n",
                     job.c_str(), job.c_str());
        return 128 + signal;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

}  // namespace

int run_sweep(const std::filesystem::path& sweep_file, const SweepOptions& options, std::FILE* out,
              std::FILE* err) {
  const config::SweepSpec spec = config::load_sweep(sweep_file);
  const std::vector<Point> points = expand_points(spec);
  const std::vector<std::string> fields = spec.fields();
  const SweepFolder folder(spec.output);
  folder.claim(spec, options.force);
  folder.write_point_list(points, fields);
  install_stop_handlers();

  Counts counts;
  counts.total = points.size();
  std::vector<const Point*> todo;
  for (const Point& p : points) {
    if (p.skipped()) {
      ++counts.skipped;
    } else if (folder.is_done(p)) {
      ++counts.done;
    } else {
      todo.push_back(&p);
    }
  }
  std::fprintf(err, "sweep: %zu points: %zu done before, %zu to run, %zu skipped (invalid)\n",
               points.size(), counts.done, todo.size(), counts.skipped);
  if (!options.merge_only) {
    for (const Point* p : todo) {
      if (!std::filesystem::exists(folder.exit_file(p->index))) continue;
      const Outcome before = folder.outcome(*p);
      if (before.exit_code == 0 && std::filesystem::exists(folder.point_file(p->index))) {
        // It succeeded, but its scenario has changed since (an edited base): not a failure.
        std::fprintf(err, "sweep: point %zu's scenario changed since its file was written\n",
                     p->index);
        continue;
      }
      print_failure(err, *p, before, fields, "sweep: running again ");
    }
  }

  int stopped = 0;
  if (!options.merge_only && !todo.empty()) {
    if (options.executor == Executor::kLocal) {
      ProgressLine progress(options.quiet ? nullptr : err, counts.done);
      const size_t done_before = counts.done;
      stopped = run_local(todo, options.gwsim, spec.base, folder, options.jobs,
                          [&](size_t running, size_t done, size_t failed) {
                            counts.running = running;
                            counts.done = done_before + done;
                            counts.failed = failed;
                            progress.update(counts);
                          });
      counts.running = 0;
      progress.finish(counts);
    } else {
      stopped = run_slurm(spec, todo, options, folder, counts, out, err);
      if (options.emit_only && stopped == 0) return 0;
    }
  } else if (options.emit_only) {
    std::fprintf(out, "nothing to run: every point is done or skipped\n");
  }
  if (stopped != 0) {
    std::fprintf(err, "sweep: stopped; run the same command again to resume\n");
    return stopped;
  }

  std::vector<Outcome> outcomes;
  size_t done = 0, failed = 0, skipped = 0;
  for (const Point& p : points) {
    outcomes.push_back(folder.outcome(p));
    switch (outcomes.back().status) {
      case Status::kDone:
        ++done;
        break;
      case Status::kFailed:
        ++failed;
        print_failure(err, p, outcomes.back(), fields, "sweep: failed ");
        break;
      case Status::kSkipped:
        ++skipped;
        break;
    }
  }
  write_sweep_index(spec, points, outcomes, folder);
  std::fprintf(out, "sweep: %zu points: %zu done, %zu failed, %zu skipped\nwrote %s\n",
               points.size(), done, failed, skipped, folder.merged_file().c_str());
  return failed > 0 ? kExitSomePointsFailed : 0;
}

}  // namespace gwsim::sweep
