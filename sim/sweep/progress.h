// Progress of a sweep on stderr: points done, failed, running, skipped, and an estimate of the time
// left from the rate at which this invocation has finished points. On a terminal one line is
// rewritten in place; otherwise (batch logs) a plain line every 10 seconds.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace gwsim::sweep {

struct Counts {
  size_t total = 0;    // points of the sweep
  size_t done = 0;     // including those done by an earlier invocation
  size_t failed = 0;   // in this invocation
  size_t running = 0;  // now
  size_t skipped = 0;  // invalid points dropped (skip_invalid)
};

// "12/200 done, 1 failed, 2 running, 3 skipped, 0:52 elapsed, ~1:20 left".
// `finished_here` = points finished by this invocation; the estimate needs one.
std::string format_progress(const Counts& counts, size_t finished_here, double elapsed_s);

class ProgressLine {
 public:
  // `done_before`: points already done when this invocation started (not counted in the rate).
  // A null `out` prints nothing.
  ProgressLine(std::FILE* out, size_t done_before);
  // Prints when a report is due.
  void update(const Counts& counts);
  // Prints the final state and ends the line.
  void finish(const Counts& counts);

 private:
  void print(const Counts& counts);

  std::FILE* out_;
  size_t done_before_;
  bool interactive_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace gwsim::sweep
