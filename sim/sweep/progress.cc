#include "sim/sweep/progress.h"

#include <unistd.h>

#include <cmath>

namespace gwsim::sweep {
namespace {

std::string clock_text(double seconds) {
  const auto total = static_cast<long long>(std::llround(seconds));
  char buf[32];
  if (total >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", total / 60, total % 60);
  }
  return buf;
}

}  // namespace

std::string format_progress(const Counts& c, size_t finished_here, double elapsed_s) {
  std::string line = std::to_string(c.done) + "/" + std::to_string(c.total) + " done, " +
                     std::to_string(c.failed) + " failed, " + std::to_string(c.running) +
                     " running";
  if (c.skipped > 0) line += ", " + std::to_string(c.skipped) + " skipped";
  line += ", " + clock_text(elapsed_s) + " elapsed";
  const size_t settled = c.done + c.failed + c.skipped;
  const size_t remaining = c.total > settled ? c.total - settled : 0;
  if (remaining > 0 && finished_here > 0) {
    line += ", ~" +
            clock_text(elapsed_s * static_cast<double>(remaining) /
                       static_cast<double>(finished_here)) +
            " left";
  }
  return line;
}

ProgressLine::ProgressLine(std::FILE* out, size_t done_before)
    : out_(out),
      done_before_(done_before),
      interactive_(out != nullptr && isatty(fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void ProgressLine::update(const Counts& counts) {
  if (out_ == nullptr) return;
  const auto now = std::chrono::steady_clock::now();
  const double interval = interactive_ ? 0.25 : 10.0;
  if (std::chrono::duration<double>(now - last_).count() < interval) return;
  last_ = now;
  print(counts);
}

void ProgressLine::finish(const Counts& counts) {
  if (out_ == nullptr) return;
  print(counts);
  if (interactive_) std::fputc('\n', out_);
  std::fflush(out_);
}

void ProgressLine::print(const Counts& counts) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const size_t finished_here =
      counts.done + counts.failed > done_before_ ? counts.done + counts.failed - done_before_ : 0;
  const std::string text = "sweep: " + format_progress(counts, finished_here, elapsed);
  if (interactive_) {
    std::fprintf(out_, "\r%s\x1b[K", text.c_str());
  } else {
    std::fprintf(out_, "%s\n", text.c_str());
  }
  std::fflush(out_);
}

}  // namespace gwsim::sweep
