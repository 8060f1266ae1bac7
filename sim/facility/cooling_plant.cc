#include "sim/facility/cooling_plant.h"

#include <algorithm>

namespace gwsim::facility {

config::Celsius CoolingPlant::sink(config::Celsius outside) const {
  if (spec_.heat_rejection == config::HeatRejection::kCoolingTower)
    return outside - *spec_.wet_bulb_depression;
  return outside;
}

double CoolingPlant::free_fraction(const config::LoopSpec& loop, config::Celsius outside) const {
  if (spec_.heat_rejection == config::HeatRejection::kChiller) return 0;
  const config::Celsius coldest = sink(outside) + spec_.approach;
  return std::clamp((loop.return_temperature() - coldest).value / loop.delta_t.value, 0.0, 1.0);
}

CoolingPower CoolingPlant::power(Watts heat, config::Celsius outside) const {
  CoolingPower p;
  const Watts liquid = heat * spec_.liquid_fraction;
  const Watts air = heat - liquid;
  p.liquid_free_fraction = free_fraction(spec_.liquid, outside);
  p.air_free_fraction = free_fraction(spec_.chilled_water, outside);
  const config::Celsius condenser = sink(outside) + spec_.approach;
  p.chillers =
      chillers_.run(liquid * (1 - p.liquid_free_fraction), spec_.liquid.supply, condenser).power +
      chillers_.run(air * (1 - p.air_free_fraction), spec_.chilled_water.supply, condenser).power;
  p.cdu_pumps = liquid * spec_.cdu_pump_fraction;
  p.air_fans = air * spec_.air_fan_fraction;
  p.rejection_fans = (heat + p.chillers) * spec_.rejection_fan_fraction;
  return p;
}

}  // namespace gwsim::facility
