#include "sim/cli/progress_printer.h"

#include <unistd.h>

#include <string>

#include "sim/core/quantity_parse.h"

namespace gwsim::cli {

ProgressPrinter::ProgressPrinter(std::FILE* out)
    : out_(out), interactive_(isatty(fileno(out)) == 1) {}

void ProgressPrinter::report(const engine::ProgressSnapshot& s) {
  // A run that ends before the first interval prints nothing: its summary says it all.
  if (s.final && !printed_) return;
  const double rate = s.wall_s > 0 ? static_cast<double>(s.events) / s.wall_s : 0.0;
  std::string line = "simulated " + format_duration(Seconds(s.simulated_s)) + " | wall " +
                     format_duration(Seconds(s.wall_s)) + " | ";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g events/s", rate);
  line += buf;
  if (s.fraction) {
    std::snprintf(buf, sizeof buf, " | %.0f%% done", 100.0 * *s.fraction);
    line += buf;
    if (*s.fraction > 0 && !s.final) {
      line += " | about " + format_duration(Seconds(s.wall_s * (1.0 - *s.fraction) / *s.fraction)) +
              " left";
    }
  }
  if (interactive_) {
    std::fprintf(out_, "\r\033[K%s%s", line.c_str(), s.final ? "\n" : "");
  } else {
    std::fprintf(out_, "progress: %s\n", line.c_str());
  }
  std::fflush(out_);
  printed_ = true;
}

}  // namespace gwsim::cli
