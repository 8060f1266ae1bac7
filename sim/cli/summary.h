// The short human summary that `gwsim run` prints on stdout.
#pragma once

#include <string>

#include "sim/config/scenario.h"
#include "sim/run/run_result.h"
#include "sim/run/run_site.h"

namespace gwsim::cli {

std::string summarize(const config::Scenario& scenario, const run::RunResult& result);
// The same for a run at job resolution, with the queue's figures.
std::string summarize_site(const config::Scenario& scenario, const run::SiteRunResult& result);

}  // namespace gwsim::cli
