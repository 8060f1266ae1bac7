// SIGINT and SIGTERM stop a sweep cleanly: the handlers only record the signal; the executors poll
// stop_signal() and then stop their points (local) or their following (Slurm).
#pragma once

namespace gwsim::sweep {

// Installs the handlers (idempotent).
void install_stop_handlers();

// The first stop signal received (SIGINT or SIGTERM), or 0.
int stop_signal();

}  // namespace gwsim::sweep
