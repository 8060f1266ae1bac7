// A plant of identical electric chillers in the structure of EnergyPlus's Chiller:Electric:EIR
// model (EnergyPlus Engineering Reference, "Electric Chiller Model Based on Condenser Entering
// Temperature"):
//   available capacity  Qavail = Qref * CAPFT(Te, Tc)
//   part-load ratio     PLR    = Q / Qavail (per running chiller)
//   electric power      P      = Qavail / COPref * EIRFT(Te, Tc) * EIRFPLR(max(PLR, PLRmin)) * CR
// with Te the leaving chilled-water and Tc the entering condenser temperature (degrees C), the
// biquadratics
//   CAPFT, EIRFT = a + b Te + c Te^2 + d Tc + e Tc^2 + f Te Tc,   EIRFPLR = a + b PLR + c PLR^2,
// and the cycling ratio CR = min(PLR / PLRmin, 1) below the minimum part load. As in EnergyPlus,
// the curves' inputs are held within their stated validity range (a curve is not extrapolated). The
// plant runs the fewest chillers that carry the load (ceil(Q / Qavail)) and shares it evenly;
// chiller count is unbounded (the plant is sized to the load). Coefficients: config::ChillerSpec.
#pragma once

#include "sim/config/facility_spec.h"
#include "sim/core/units.h"

namespace gwsim::facility {

struct ChillerOperation {
  Watts power;                 // electric input of all running chillers
  int running = 0;             // chillers running
  double part_load_ratio = 0;  // of each running chiller
};

class ChillerPlant {
 public:
  explicit ChillerPlant(config::ChillerSpec spec) : spec_(spec) {}

  double capacity_factor(config::Celsius leaving_chilled, config::Celsius entering_condenser) const;
  double eir_factor(config::Celsius leaving_chilled, config::Celsius entering_condenser) const;
  double part_load_factor(double part_load_ratio) const;

  // The plant removing `load` (>= 0) of heat.
  ChillerOperation run(Watts load, config::Celsius leaving_chilled,
                       config::Celsius entering_condenser) const;

 private:
  config::ChillerSpec spec_;
};

}  // namespace gwsim::facility
