// The merge: sweep.h5, one index over every point of a sweep (layout in docs/sweeps.md).
//   /@format = "gwsim-sweep", /@format_version = 1, /@sweep_text, /@sweep_sha256, ...
//   /points      one row per point: index, status, exit_code, one string column per swept field
//                named by its path, and the point's headline figures (NaN unless done)
//   /messages    one row per point not done: index, message (why it failed or was skipped)
//   /runs/<i>    an HDF5 external link to the root of points/<i>.h5 (done points only), relative,
//                so the folder can be moved
#pragma once

#include <vector>

#include "sim/config/sweep.h"
#include "sim/sweep/points.h"
#include "sim/sweep/sweep_folder.h"

namespace gwsim::sweep {

inline constexpr int64_t kSweepFormatVersion = 1;

// Writes folder.merged_file() atomically from the points and what they left (outcomes[i] belongs to
// points[i]). A done point whose file cannot be read is written as failed, with the reason.
void write_sweep_index(const config::SweepSpec& spec, const std::vector<Point>& points,
                       const std::vector<Outcome>& outcomes, const SweepFolder& folder);

}  // namespace gwsim::sweep
