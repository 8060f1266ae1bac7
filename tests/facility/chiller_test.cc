// The EIR chiller against values computed by hand from the cited coefficients (EnergyPlus
// DataSets/Chillers.idf, McQuay PFH 2124kW/6.03COP/Vanes):
//   CAPFT(7, 20) = 1.040134 - 0.0174565*7 + 0.001084856*49 + 0.006629328*20 - 0.0008008991*400
//                  + 0.001567769*140 = 1.002811
//   EIRFT(7, 20) = 1.157799 - 0.03621524*7 - 0.003684818*49 - 0.01202959*20 - 0.00007378548*400
//                  + 0.003787365*140 = 0.9838613
//   EIRFPLR(0.5) = 0.1051419 + 0.2033679*0.5 + 0.6902026*0.25 = 0.3793765
#include <gtest/gtest.h>

#include "sim/facility/chiller.h"
#include "tests/facility/test_specs.h"

namespace gwsim::facility {
namespace {

using config::Celsius;

TEST(Chiller, CurvesMatchHandComputedValues) {
  const ChillerPlant plant(testing::reference_chiller());
  EXPECT_NEAR(plant.capacity_factor(Celsius{7}, Celsius{20}), 1.002811, 1e-6);
  EXPECT_NEAR(plant.eir_factor(Celsius{7}, Celsius{20}), 0.9838613, 1e-6);
  EXPECT_NEAR(plant.part_load_factor(0.5), 0.3793765, 1e-7);
  // At the reference point both curves are close to 1 (a property of a well-fitted data set).
  EXPECT_NEAR(plant.capacity_factor(Celsius{8.89}, Celsius{23.89}), 1.0, 0.01);
  EXPECT_NEAR(plant.eir_factor(Celsius{8.89}, Celsius{23.89}), 1.0, 0.02);
}

TEST(Chiller, CurveInputsStayInTheirValidityRange) {
  const ChillerPlant plant(testing::reference_chiller());
  EXPECT_DOUBLE_EQ(plant.capacity_factor(Celsius{2}, Celsius{40}),
                   plant.capacity_factor(Celsius{5.56}, Celsius{29.44}));
  EXPECT_DOUBLE_EQ(plant.eir_factor(Celsius{30}, Celsius{0}),
                   plant.eir_factor(Celsius{8.89}, Celsius{12.78}));
}

TEST(Chiller, PowerFollowsTheEirStructure) {
  const ChillerPlant plant(testing::reference_chiller());
  const Celsius te{7}, tc{20};
  const double available = 2124000 * 1.002811024;  // CAPFT(7, 20) to 10 digits
  // One chiller at half load.
  const ChillerOperation half = plant.run(Watts(0.5 * available), te, tc);
  EXPECT_EQ(half.running, 1);
  EXPECT_NEAR(half.part_load_ratio, 0.5, 1e-9);
  EXPECT_NEAR(half.power.value(), available / 6.03 * 0.9838613 * 0.3793765,
              1e-5 * half.power.value());
  // 2.5 chillers' worth of load runs 3 chillers at PLR 5/6.
  const ChillerOperation staged = plant.run(Watts(2.5 * available), te, tc);
  EXPECT_EQ(staged.running, 3);
  EXPECT_NEAR(staged.part_load_ratio, 2.5 / 3, 1e-9);
  const double plr = 2.5 / 3;
  EXPECT_NEAR(
      staged.power.value(),
      3 * available / 6.03 * 0.9838613 * (0.1051419 + 0.2033679 * plr + 0.6902026 * plr * plr),
      1e-5 * staged.power.value());
  // Below the minimum part load the chiller cycles: power scales with PLR / PLRmin at
  // EIRFPLR(PLRmin).
  const ChillerOperation low = plant.run(Watts(0.045 * available), te, tc);
  const double at_min = 0.1051419 + 0.2033679 * 0.09 + 0.6902026 * 0.09 * 0.09;
  EXPECT_NEAR(low.power.value(), available / 6.03 * 0.9838613 * at_min * 0.5,
              1e-5 * low.power.value());
  EXPECT_EQ(plant.run(Watts(0), te, tc).power, Watts(0));
}

TEST(Chiller, HotterCondenserCostsMore) {
  const ChillerPlant plant(testing::reference_chiller());
  const Watts load(1e6);
  EXPECT_LT(plant.run(load, Celsius{7}, Celsius{15}).power,
            plant.run(load, Celsius{7}, Celsius{28}).power);
}

}  // namespace
}  // namespace gwsim::facility
