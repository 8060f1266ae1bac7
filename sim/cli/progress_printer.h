// Prints a run's progress on stderr: one line rewritten in place when stderr is a terminal, plain
// periodic lines otherwise (logs of batch jobs), nothing with --quiet (the printer is then not
// created).
#pragma once

#include <cstdio>

#include "sim/engine/progress.h"

namespace gwsim::cli {

class ProgressPrinter : public engine::ProgressSink {
 public:
  explicit ProgressPrinter(std::FILE* out);
  double report_interval_s() const override { return interactive_ ? 0.25 : 10.0; }
  void report(const engine::ProgressSnapshot& snapshot) override;

 private:
  std::FILE* out_;
  bool interactive_;
  bool printed_ = false;
};

}  // namespace gwsim::cli
