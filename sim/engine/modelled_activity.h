// Activities that take simulated time without being SimGrid activities of their own: a collective
// waited in closed form (sim/executor/transformer_job.h, symmetric ranks) is a sleep, which SimGrid
// reports to no one. Whoever models one announces its start and end here, so that observers such as
// the power tracker (sim/power/activity_tracker.h) see the host communicating meanwhile.
#pragma once

#include <xbt/signal.hpp>

namespace simgrid::s4u {
class Host;
}

namespace gwsim::engine {

// (host, true) when a modelled communication starts on the host, (host, false) when it ends.
inline simgrid::xbt::signal<void(const simgrid::s4u::Host*, bool)> on_modelled_communication;

}  // namespace gwsim::engine
