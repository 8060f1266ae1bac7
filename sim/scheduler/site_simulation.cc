#include "sim/scheduler/site_simulation.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <set>

#include "sim/scheduler/step_rate.h"

namespace gwsim::scheduler {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// EASY backfilling considers at most this many waiting jobs behind the head at each event, so an
// oversubscribed queue does not make every event cost its whole length (production schedulers
// bound their backfill scan the same way, e.g. Slurm's bf_max_job_test).
constexpr size_t kBackfillDepth = 500;

struct Running {
  size_t job = 0;          // index into the jobs
  std::vector<int> nodes;  // the nodes it holds
  double done = 0;         // steps done at `since`
  Seconds since;
  double rate = 0;  // steps per second
  Watts power;      // per accelerator
  Seconds end_at;
};

class Site {
 public:
  Site(const SiteOptions& options, const std::vector<SiteJob>& jobs)
      : o_(options),
        jobs_(jobs),
        accelerators_(options.nodes * options.accelerators_per_node),
        overheads_(options.node_overhead * static_cast<double>(options.nodes)),
        ledger_(1, options.accelerator.idle * static_cast<double>(accelerators_), overheads_,
                options.window) {
    for (int n = 0; n < o_.nodes; ++n) free_.insert(free_.end(), n);
    result_.jobs.reserve(jobs.size());
    for (const SiteJob& j : jobs) {
      SiteJobRecord r;
      r.job = j.id;
      r.shape = j.shape;
      r.submit = j.submit;
      r.nodes = j.nodes;
      r.accelerators = j.nodes * o_.accelerators_per_node;
      r.steps = j.steps;
      result_.jobs.push_back(r);
    }
    result_.peak_it_power = ledger_.site_power();
  }

  SiteResult run() {
    const bool grid = o_.grid != nullptr && o_.grid->active();
    Seconds next_limit = grid ? Seconds(0) : Seconds(kInf);
    int64_t limit_count = 0;
    size_t next_job = 0;
    while (true) {
      const Seconds arrival = next_job < jobs_.size() ? jobs_[next_job].submit : Seconds(kInf);
      Seconds next_end(kInf);
      for (const Running& r : running_) next_end = min(next_end, r.end_at);
      const Seconds t = min(min(arrival, next_end), min(next_limit, o_.duration));
      advance(t);
      finish_due(t);
      if (t >= o_.duration) break;
      while (next_job < jobs_.size() && jobs_[next_job].submit <= t) queue_.push_back(next_job++);
      if (next_limit <= t) {
        ++limit_count;
        next_limit = o_.limit_interval * static_cast<double>(limit_count);
        grid_limit_ = o_.grid->over(t, next_limit);
      }
      schedule(t);
      set_rates(t);
      ++result_.events;
    }
    return finish();
  }

 private:
  int running_accelerators() const { return busy_nodes_ * o_.accelerators_per_node; }

  std::optional<Watts> budget() const {
    std::optional<Watts> b = o_.site_it_cap;
    if (grid_limit_) b = b ? min(*b, *grid_limit_) : grid_limit_;
    return b;
  }

  // The per-accelerator cap with `running` accelerators busy (the rest idle).
  std::optional<Watts> cap_for(int running) const {
    std::optional<Watts> cap = o_.accelerator_cap;
    const std::optional<Watts> b = budget();
    if (b && running > 0) {
      const Watts idle = o_.accelerator.idle * static_cast<double>(accelerators_ - running);
      const Watts share = (*b - overheads_ - idle) / static_cast<double>(running);
      cap = cap ? min(*cap, share) : share;
    }
    return cap;
  }

  bool admissible(const SiteJob& job) const {
    return cap_speed(o_.accelerator,
                     cap_for(running_accelerators() + job.nodes * o_.accelerators_per_node))
        .feasible;
  }

  void advance(Seconds t) {
    const Seconds dt = t - now_;
    if (dt > Seconds(0)) {
      for (Running& r : running_) {
        r.done += r.rate * (t - r.since).value();
        r.since = t;
        SiteJobRecord& rec = result_.jobs[r.job];
        rec.accelerator_energy += r.power * static_cast<double>(rec.accelerators) * dt;
        rec.node_energy += o_.node_overhead * static_cast<double>(rec.nodes) * dt;
      }
      busy_accelerator_time_ += dt * static_cast<double>(running_accelerators());
      if (!running_.empty() && speed_.speed < 1) result_.throttled_time += dt;
      if (!running_.empty() && !speed_.feasible) result_.infeasible_time += dt;
    }
    now_ = t;
  }

  void finish_due(Seconds t) {
    for (size_t i = 0; i < running_.size();) {
      Running& r = running_[i];
      if (r.end_at > t) {
        ++i;
        continue;
      }
      SiteJobRecord& rec = result_.jobs[r.job];
      rec.end = t;
      rec.steps_done = static_cast<double>(rec.steps);
      for (int n : r.nodes) free_.insert(n);
      busy_nodes_ -= rec.nodes;
      ++result_.completed;
      running_[i] = std::move(running_.back());
      running_.pop_back();
    }
  }

  void start(size_t job, Seconds t) {
    const SiteJob& j = jobs_[job];
    Running r;
    r.job = job;
    r.since = t;
    r.nodes.reserve(static_cast<size_t>(j.nodes));
    for (int k = 0; k < j.nodes; ++k) {
      r.nodes.push_back(*free_.begin());
      free_.erase(free_.begin());
    }
    SiteJobRecord& rec = result_.jobs[job];
    rec.start = t;
    rec.first_node = r.nodes.front();
    busy_nodes_ += j.nodes;
    ++result_.started;
    wait_total_ += t - j.submit;
    running_.push_back(std::move(r));
  }

  bool fits(const SiteJob& job) const {
    return static_cast<int>(free_.size()) >= job.nodes && admissible(job);
  }

  void schedule(Seconds t) {
    while (!queue_.empty() && fits(jobs_[queue_.front()])) {
      start(queue_.front(), t);
      queue_.pop_front();
    }
    if (o_.policy != config::QueuePolicy::kEasyBackfill || queue_.size() < 2) return;
    const SiteJob& head = jobs_[queue_.front()];
    if (static_cast<int>(free_.size()) >= head.nodes) return;  // blocked by power, not nodes
    // The head's reservation: when enough running jobs will have ended, at their current rates.
    std::vector<std::pair<Seconds, int>> ends;
    ends.reserve(running_.size());
    for (const Running& r : running_) ends.emplace_back(r.end_at, result_.jobs[r.job].nodes);
    std::sort(ends.begin(), ends.end());
    int available = static_cast<int>(free_.size());
    Seconds shadow(kInf);
    int extra = 0;
    for (const auto& [end, nodes] : ends) {
      available += nodes;
      if (available >= head.nodes) {
        shadow = end;
        extra = available - head.nodes;
        break;
      }
    }
    size_t scanned = 0;
    for (size_t q = 1; q < queue_.size() && scanned < kBackfillDepth && !free_.empty(); ++scanned) {
      const SiteJob& j = jobs_[queue_[q]];
      if (!fits(j)) {
        ++q;
        continue;
      }
      const CapSpeed s = cap_speed(
          o_.accelerator, cap_for(running_accelerators() + j.nodes * o_.accelerators_per_node));
      const StepRate rate = step_rate(o_.shapes[static_cast<size_t>(j.shape)], o_.accelerator, s);
      const Seconds predicted_end = t + rate.step_time * static_cast<double>(j.steps);
      const bool before_shadow = predicted_end <= shadow;
      if (!before_shadow && j.nodes > extra) {
        ++q;
        continue;
      }
      if (!before_shadow) extra -= j.nodes;
      start(queue_[q], t);
      queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(q));
    }
  }

  void set_rates(Seconds t) {
    speed_ = cap_speed(o_.accelerator, cap_for(running_accelerators()));
    if (!running_.empty()) result_.min_speed = std::min(result_.min_speed, speed_.speed);
    std::vector<std::optional<StepRate>> by_shape(o_.shapes.size());
    Watts accelerators =
        o_.accelerator.idle * static_cast<double>(accelerators_ - running_accelerators());
    for (Running& r : running_) {
      const SiteJob& j = jobs_[r.job];
      auto& rate = by_shape[static_cast<size_t>(j.shape)];
      if (!rate) rate = step_rate(o_.shapes[static_cast<size_t>(j.shape)], o_.accelerator, speed_);
      r.rate = 1.0 / rate->step_time.value();
      r.power = rate->accelerator_power;
      r.end_at = t + Seconds((static_cast<double>(j.steps) - r.done) / r.rate);
      accelerators += r.power * static_cast<double>(j.nodes * o_.accelerators_per_node);
    }
    ledger_.set(0, t, accelerators);
    result_.peak_it_power = max(result_.peak_it_power, ledger_.site_power());
  }

  SiteResult finish() {
    const Seconds end = o_.duration;
    for (const Running& r : running_) result_.jobs[r.job].steps_done = r.done;
    result_.accelerator_energy = ledger_.energy(0, end);
    result_.node_overhead_energy = overheads_ * end;
    result_.it_energy = ledger_.site_energy(end);
    result_.utilization = busy_accelerator_time_ / (end * static_cast<double>(accelerators_));
    result_.mean_wait =
        result_.started > 0 ? wait_total_ / static_cast<double>(result_.started) : Seconds(0);
    if (const auto& w = ledger_.window()) {
      power::PowerSeries series{w->interval, {}, ledger_.series(end)};
      series.end_s.reserve(series.power_w.size());
      for (size_t i = 0; i < series.power_w.size(); ++i)
        series.end_s.push_back((w->start + w->interval * static_cast<double>(i + 1)).value());
      result_.site_power = std::move(series);
    }
    return std::move(result_);
  }

  const SiteOptions& o_;
  const std::vector<SiteJob>& jobs_;
  int accelerators_;
  Watts overheads_;
  power::PowerLedger ledger_;
  std::set<int> free_;
  int busy_nodes_ = 0;
  std::deque<size_t> queue_;
  std::vector<Running> running_;
  std::optional<Watts> grid_limit_;
  CapSpeed speed_;
  Seconds now_;
  Seconds busy_accelerator_time_;
  Seconds wait_total_;
  SiteResult result_;
};

}  // namespace

SiteResult simulate_site(const SiteOptions& options, const std::vector<SiteJob>& jobs) {
  return Site(options, jobs).run();
}

}  // namespace gwsim::scheduler
