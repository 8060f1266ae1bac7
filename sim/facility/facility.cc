#include "sim/facility/facility.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "sim/facility/cooling_plant.h"
#include "sim/facility/envelope.h"
#include "sim/facility/thermal_loop.h"
#include "sim/facility/weather.h"

namespace gwsim::facility {
namespace {

struct Load {
  Watts cooling;
  Watts site;  // IT and cooling with their delivery losses
};

}  // namespace

FacilityResult run_facility(const config::FacilitySpec& spec, const FacilityInput& input) {
  const Seconds dt = input.interval;
  const config::PowerDeliverySpec& pd = spec.power_delivery;
  const double it_chain =
      pd.transformer_efficiency * pd.ups_efficiency * pd.distribution_efficiency;
  const CoolingPlant plant(spec.cooling);
  const Weather weather(spec.weather);
  ThermalLoop loop(spec.cooling.time_constant);
  std::optional<Smoother> smoother;
  if (spec.envelope.smoothing) smoother.emplace(*spec.envelope.smoothing, input.total_tdp);
  std::optional<Storage> storage;
  std::optional<GridTarget> target;
  if (spec.envelope.storage) {
    storage.emplace(*spec.envelope.storage);
    target.emplace(spec.envelope.storage->smoothing_time);
  }
  const std::optional<Watts> cap = spec.envelope.cap();

  FacilityResult r;
  r.interval = dt;
  FacilitySeries& s = r.series;
  FacilityTotals& t = r.totals;
  const Joules stored_start = storage ? storage->energy() : Joules(0);
  std::optional<Watts> removal_start;
  const size_t n = input.demand_w.size();
  for (auto* v : {&s.end_s, &s.demand_w, &s.it_w, &s.cooling_w, &s.losses_w, &s.total_w, &s.grid_w,
                  &s.storage_w, &s.stored_j, &s.pue, &s.outside_c, &s.throttle})
    v->reserve(n);

  for (size_t i = 0; i < n; ++i) {
    const Watts demand(input.demand_w[i]);
    const Watts wanted = smoother ? smoother->step(demand, dt) : demand;
    const config::Celsius outside = weather.at(dt * (static_cast<double>(i) + 0.5));
    auto load_at = [&](Watts it) {
      const Watts cooling = plant.power(loop.mean_removal(it, dt), outside).total();
      return Load{cooling, it / it_chain + cooling / pd.transformer_efficiency};
    };

    Watts it = wanted;
    Load load = load_at(it);
    const Watts grid_target = target ? target->step(load.site, dt) : load.site;
    const Watts discharge_max = storage ? storage->max_discharge(dt) : Watts(0);
    const Watts charge_max = storage ? storage->max_charge(dt) : Watts(0);
    if (cap && load.site > *cap + discharge_max) {
      const Watts allowed = *cap + discharge_max;
      if (load_at(Watts(0)).site > allowed) {
        it = Watts(0);
        t.over_cap_time += dt;
      } else {  // the largest IT power whose site load fits (cooling is not monotone in heat)
        Watts lo(0), hi = it;
        for (int k = 0; k < 60; ++k) {
          const Watts mid = (lo + hi) / 2;
          (load_at(mid).site <= allowed ? lo : hi) = mid;
        }
        it = lo;
      }
      load = load_at(it);
    }
    if (it < wanted) t.throttled_time += dt;

    // Storage: toward the target, and whatever the cap needs; charging never pushes the draw over
    // the cap.
    Watts discharge(0);
    if (storage) {
      discharge = load.site - grid_target;
      if (cap) discharge = max(discharge, load.site - *cap);
      Watts charge_limit = charge_max;
      if (cap) charge_limit = min(charge_limit, max(Watts(0), *cap - load.site));
      discharge = std::clamp(discharge, -charge_limit, discharge_max);
    }
    const Joules storage_loss = storage ? storage->apply(discharge, dt) : Joules(0);

    if (!removal_start) removal_start = it;  // the loop starts in steady state
    const Watts removed = loop.step(it, dt);
    const Watts delivery_losses = load.site - it - load.cooling;
    const Watts losses = delivery_losses + storage_loss / dt;
    const Watts total = it + load.cooling + losses;
    const Watts grid = load.site - discharge;

    s.end_s.push_back((dt * static_cast<double>(i + 1)).value());
    s.demand_w.push_back(demand.value());
    s.it_w.push_back(it.value());
    s.cooling_w.push_back(load.cooling.value());
    s.losses_w.push_back(losses.value());
    s.total_w.push_back(total.value());
    s.grid_w.push_back(grid.value());
    s.storage_w.push_back(discharge.value());
    s.stored_j.push_back(storage ? storage->energy().value() : 0.0);
    s.pue.push_back(it > Watts(0) ? total / it : std::numeric_limits<double>::quiet_NaN());
    s.outside_c.push_back(outside.value);
    s.throttle.push_back(wanted > Watts(0) ? it / wanted : 1.0);

    t.demand += demand * dt;
    t.smoothing += (wanted - demand) * dt;
    t.it += it * dt;
    t.cooling += load.cooling * dt;
    t.delivery_losses += delivery_losses * dt;
    t.storage_losses += storage_loss;
    t.total += total * dt;
    t.grid += grid * dt;
    t.heat_removed += removed * dt;
  }
  t.storage_change = (storage ? storage->energy() : Joules(0)) - stored_start;
  t.heat_in_loop = removal_start ? loop.stored_since(*removal_start) : Joules(0);
  t.pue = t.it > Joules(0) ? t.total / t.it : std::numeric_limits<double>::quiet_NaN();
  r.grid_metrics = power_metrics(s.grid_w, dt);
  r.it_metrics = power_metrics(s.it_w, dt);
  return r;
}

}  // namespace gwsim::facility
