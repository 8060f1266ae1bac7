#include "sim/engine/compute_contention.h"

#include <cassert>
#include <string_view>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Host.hpp>

#include "sim/engine/host_index.h"
#include "sim/engine/modelled_activity.h"

namespace gwsim::engine {

namespace sg4 = simgrid::s4u;

namespace {
constexpr std::string_view kBackgroundName = "collective kernels";
// Never finishes before it is cancelled: a collective ends long before any host gets this far.
constexpr double kBackgroundFlops = 1e300;
}  // namespace

ComputeContention::~ComputeContention() {
  // SimGrid 3.32 cannot disconnect Exec::on_start; its slot checks connected_.
  if (connected_) on_modelled_communication.disconnect(connection_);
  connected_ = false;
}

void ComputeContention::connect() {
  if (slowdown_ <= 0 || connected_) return;
  connection_ = on_modelled_communication.connect(
      [this](const sg4::Host* host, bool starts) { change(host, starts); });
  // A computation that starts while a collective runs on its host.
  sg4::Exec::on_start_cb([this](const sg4::Exec& exec) {
    if (!connected_ || is_background(exec)) return;
    const size_t i = host_index(exec.get_host());
    if (i < hosts_.size() && hosts_[i].collectives > 0 && !hosts_[i].background)
      start_background(exec.get_host(), hosts_[i]);
  });
  connected_ = true;
}

void ComputeContention::start_background(sg4::Host* host, HostState& state) const {
  state.background = sg4::Exec::init()
                         ->set_host(host)
                         ->set_flops_amount(kBackgroundFlops)
                         ->set_name(std::string(kBackgroundName))
                         ->set_priority(slowdown_)
                         ->start();
}

bool ComputeContention::is_background(const sg4::Exec& exec) {
  return exec.get_name() == kBackgroundName;
}

void ComputeContention::change(const sg4::Host* host, bool starts) {
  const size_t i = host_index(host);
  if (i >= hosts_.size()) hosts_.resize(i + 1);
  HostState& state = hosts_[i];
  if (starts) {
    if (state.collectives++ > 0) return;
    // Only when something computes there (the host has load): a collective that compute waits for
    // needs no background, and most do. Announcers run on the host they announce.
    sg4::Host* self = sg4::this_actor::get_host();
    assert(self == host);
    if (self->get_load() > 0) start_background(self, state);
    return;
  }
  assert(state.collectives > 0);
  if (--state.collectives > 0 || !state.background) return;
  state.background->cancel();
  state.background = nullptr;
}

}  // namespace gwsim::engine
