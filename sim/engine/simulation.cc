#include "sim/engine/simulation.h"

#include <malloc.h>

#include <cassert>
#include <chrono>

#include <simgrid/plugins/energy.h>
#include <simgrid/version.h>
#include <simgrid/s4u/Activity.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace gwsim::engine {
namespace sg4 = simgrid::s4u;

namespace {
// SimGrid's signals are process-wide; this guards against a second engine in one process.
bool engine_created = false;
}  // namespace

Simulation::Simulation(const Simulation::Options& options) {
  assert(!engine_created && "SimGrid supports one engine per process");
  engine_created = true;
  int argc = 2;
  std::string program = "gwsim";
  std::string quiet = "--log=root.thres:warning";
  char* argv[] = {program.data(), quiet.data(), nullptr};
  engine_ = std::make_unique<sg4::Engine>(&argc, argv);
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/TCP-gamma:0");
  sg4::Engine::set_config("network/crosstraffic:0");
  // Tens of thousands of actors (a rank has one per stream): without guard pages each actor's stack
  // is one mapping instead of three, and glibc may keep many more mappings than its default 65,536
  // (docs/engine.md; SimGrid's own advice for many actors).
  sg4::Engine::set_config("contexts/guard-size:0");
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  mallopt(M_MMAP_MAX, 4'000'000);
  if (options.host_energy) sg_host_energy_plugin_init();
  sg4::Activity::on_completion_cb([this](const sg4::Activity&) { ++events_; });
}

Simulation::~Simulation() = default;

sg4::Engine& Simulation::engine() { return *engine_; }

double Simulation::now() const { return sg4::Engine::get_clock(); }

std::string Simulation::simgrid_version() {
  return std::to_string(SIMGRID_VERSION_MAJOR) + "." + std::to_string(SIMGRID_VERSION_MINOR) + "." +
         std::to_string(SIMGRID_VERSION_PATCH);
}

void Simulation::run(ProgressSink* progress) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  auto snapshot = [&](bool final) {
    ProgressSnapshot s;
    s.simulated_s = now();
    s.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
    s.events = events_;
    if (work_.total > 0)
      s.fraction = static_cast<double>(work_.completed) / static_cast<double>(work_.total);
    s.final = final;
    return s;
  };
  if (progress != nullptr) {
    // Reads the wall clock only to decide when to print: nothing here schedules a simulated event.
    const auto interval = std::chrono::duration<double>(progress->report_interval_s());
    auto next_report = start + std::chrono::duration_cast<Clock::duration>(interval);
    sg4::Engine::on_time_advance_cb([progress, interval, next_report, snapshot](double) mutable {
      const Clock::time_point t = Clock::now();
      if (t < next_report) return;
      next_report = t + std::chrono::duration_cast<Clock::duration>(interval);
      progress->report(snapshot(false));
    });
  }
  engine_->run();
  if (progress != nullptr) progress->report(snapshot(true));
}

}  // namespace gwsim::engine
