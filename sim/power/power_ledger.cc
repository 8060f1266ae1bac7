#include "sim/power/power_ledger.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace gwsim::power {

PowerLedger::PowerLedger(size_t hosts, Watts initial, Watts base,
                         std::optional<SampleWindow> window)
    : leader_(hosts),
      weight_(hosts, 1.0),
      power_(hosts, initial),
      since_(hosts, Seconds(0)),
      energy_(hosts, Joules(0)),
      base_(base),
      site_(initial * static_cast<double>(hosts) + base),
      window_(window) {
  for (size_t h = 0; h < hosts; ++h) leader_[h] = h;
  if (window_) {
    assert(window_->interval > Seconds(0) && window_->start < window_->end);
    // An open-ended window (end = infinity) grows its bins as time advances.
    if (std::isfinite(window_->end.value())) {
      max_bins_ = static_cast<size_t>(
          std::floor((window_->end - window_->start) / window_->interval + 1e-9));
      bins_j_.assign(max_bins_, 0.0);
    } else {
      max_bins_ = std::numeric_limits<size_t>::max();
    }
  }
}

void PowerLedger::advance(Seconds t) {
  assert(t >= now_);
  site_energy_ += site_ * (t - now_);
  if (window_ && max_bins_ > 0) {
    const SampleWindow& w = *window_;
    Seconds from = max(now_, w.start);
    const Seconds to = min(t, w.end);
    while (from < to) {
      auto bin = static_cast<size_t>((from - w.start) / w.interval);
      // (from - start) / interval may round down across a boundary: then the bin is the next one.
      if (w.start + w.interval * static_cast<double>(bin + 1) <= from) ++bin;
      if (bin >= max_bins_) break;
      if (bin >= bins_j_.size()) bins_j_.resize(bin + 1, 0.0);
      const Seconds bin_end = min(to, w.start + w.interval * static_cast<double>(bin + 1));
      bins_j_[bin] += (site_ * (bin_end - from)).value();
      from = bin_end;
    }
  }
  now_ = t;
}

void PowerLedger::follow(size_t follower, size_t leader) {
  assert(leader_[follower] == follower && leader_[leader] == leader && weight_[follower] == 1.0);
  assert(now_ == Seconds(0) && power_[follower] == power_[leader]);
  leader_[follower] = leader;
  weight_[leader] += 1.0;
  weight_[follower] = 0.0;
}

void PowerLedger::set(size_t host, Seconds t, Watts p) {
  assert(leader_[host] == host);
  advance(t);
  energy_[host] += power_[host] * (t - since_[host]);
  since_[host] = t;
  site_ += (p - power_[host]) * weight_[host];
  power_[host] = p;
}

Joules PowerLedger::energy(size_t host, Seconds t) const {
  const size_t h = leader_[host];
  return energy_[h] + power_[h] * (t - since_[h]);
}

Joules PowerLedger::site_energy(Seconds t) const { return site_energy_ + site_ * (t - now_); }

std::vector<double> PowerLedger::series(Seconds t) {
  advance(max(t, now_));
  if (!window_) return {};
  const size_t complete = std::min(
      bins_j_.size(), static_cast<size_t>(std::max(
                          0.0, std::floor((now_ - window_->start) / window_->interval + 1e-9))));
  std::vector<double> out(complete);
  for (size_t i = 0; i < complete; ++i) out[i] = bins_j_[i] / window_->interval.value();
  return out;
}

}  // namespace gwsim::power
