// Shared facility specs for the tests: the documented defaults with the reference chiller.
#pragma once

#include "sim/config/facility_spec.h"

namespace gwsim::facility::testing {

// The reference chiller of docs/facility.md (EnergyPlus DataSets/Chillers.idf, "ElectricEIRChiller
// McQuay PFH 2124kW/6.03COP/Vanes").
inline config::ChillerSpec reference_chiller() {
  config::ChillerSpec c;
  c.reference_capacity = Watts(2124000);
  c.reference_cop = 6.03;
  c.capacity_curve = {1.040134,     -1.745650e-02, 1.084856e-03,
                      6.629328e-03, -8.008991e-04, 1.567769e-03};
  c.eir_curve = {1.157799,      -3.621524e-02, -3.684818e-03,
                 -1.202959e-02, -7.378548e-05, 3.787365e-03};
  c.part_load_curve = {1.051419e-01, 2.033679e-01, 6.902026e-01};
  c.min_part_load_ratio = 0.09;
  c.min_leaving_chilled = config::Celsius{5.56};
  c.max_leaving_chilled = config::Celsius{8.89};
  c.min_entering_condenser = config::Celsius{12.78};
  c.max_entering_condenser = config::Celsius{29.44};
  return c;
}

inline config::FacilitySpec facility_at(
    double outside_c, config::HeatRejection kind = config::HeatRejection::kDryCooler) {
  config::FacilitySpec spec;
  spec.cooling.heat_rejection = kind;
  spec.cooling.chiller = reference_chiller();
  if (kind == config::HeatRejection::kCoolingTower)
    spec.cooling.wet_bulb_depression = config::Kelvin{6};
  spec.weather.source = config::ConstantTemperature{config::Celsius{outside_c}};
  return spec;
}

}  // namespace gwsim::facility::testing
