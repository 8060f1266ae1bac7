#include "sim/executor/data_parallel_job.h"

#include <algorithm>
#include <cassert>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Barrier.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include "sim/core/random.h"
#include "sim/network/ring_collective.h"

namespace gwsim::executor {
namespace sg4 = simgrid::s4u;

// Times of one rank in one step, in simulated seconds.
struct RankStep {
  double compute_start = 0;
  double compute_end = 0;
  double comm_end = 0;
};

struct DataParallelJob::JobState {
  int job_index;
  std::string name;
  config::DataParallelJobSpec spec;
  std::vector<sg4::Host*> hosts;
  uint64_t master_seed;
  engine::WorkCounter* work;
  JobEnvironment environment;
  network::RingCollective all_reduce;
  std::vector<std::vector<RankStep>> times;  // [rank][step]
  // Fluid fidelity only: see hold_until_all_done.
  sg4::BarrierPtr done;
  std::vector<sg4::Mailbox*> hold;

  JobState(int index, std::string job_name, const config::DataParallelJobSpec& s,
           std::vector<sg4::Host*> h, uint64_t seed, engine::WorkCounter* w, JobEnvironment e)
      : job_index(index),
        name(std::move(job_name)),
        spec(s),
        hosts(std::move(h)),
        master_seed(seed),
        work(w),
        environment(std::move(e)),
        all_reduce("job/" + name + "/grad", static_cast<int>(hosts.size())),
        times(hosts.size(), std::vector<RankStep>(static_cast<size_t>(s.steps))) {
    if (s.collective_fidelity == config::CollectiveFidelity::kFluid && hosts.size() > 1) {
      done = sg4::Barrier::create(static_cast<unsigned>(hosts.size()));
      for (size_t r = 0; r < hosts.size(); ++r)
        hold.push_back(sg4::Mailbox::by_name("job/" + name + "/hold/" + std::to_string(r)));
    }
  }

  // The fluid all-reduce lets a rank whose two ring edges are fast (inside a node) finish long
  // before the slow edges do, whereas in a real ring (and at step fidelity) every step waits for
  // the slowest edge and all ranks finish together. So at fluid fidelity each rank, once done,
  // waits for all others (a barrier), and counts as communicating from the start of the
  // all-reduce until then: it posts a receive on its own hold mailbox first (the power tracker
  // counts a posted receive as communicating) and, after the barrier, sends the next rank's
  // release, a 0-byte message that costs one edge latency.
  template <typename Body>
  void hold_until_all_done(int rank, Body body) {
    if (!done) {
      body();
      return;
    }
    static int token = 0;  // never read
    void* received = nullptr;
    const sg4::CommPtr held = hold[static_cast<size_t>(rank)]->get_async(&received);
    body();
    done->wait();
    const sg4::CommPtr release =
        hold[static_cast<size_t>(rank + 1) % hold.size()]->put_async(&token, 0);
    release->wait();
    held->wait();
  }

  void run_rank(int rank) {
    RandomStream noise(master_seed, "job/" + name + "/rank/" + std::to_string(rank));
    // The host computes at the full peak rate; the efficiency and a binding power cap show as
    // more work at that rate, so compute time = FLOPs / (efficiency * speed * peak).
    const double flops = spec.flops_per_rank_per_step().value() /
                         (spec.compute_efficiency * environment.compute_speed);
    const bool fluid = spec.collective_fidelity == config::CollectiveFidelity::kFluid;
    const network::Fidelity fidelity = fluid ? network::Fidelity::kFluid : network::Fidelity::kStep;
    const Seconds edge_latency = fluid ? environment.edge_latency.at(rank) : Seconds(0);
    sg4::this_actor::sleep_until(spec.start_time.value());
    for (int step = 0; step < spec.steps; ++step) {
      RankStep& t = times[rank][step];
      t.compute_start = sg4::Engine::get_clock();
      sg4::this_actor::execute(flops * noise.lognormal_factor(spec.compute_jitter_cv));
      t.compute_end = sg4::Engine::get_clock();
      hold_until_all_done(rank, [&] {
        all_reduce.run(rank, network::CollectiveOp::kAllReduce, spec.gradient_size(), fidelity,
                       edge_latency);
      });
      t.comm_end = sg4::Engine::get_clock();
      if (rank == 0 && work != nullptr) ++work->completed;
    }
  }
};

DataParallelJob::DataParallelJob(int job_index, const std::string& name,
                                 const config::DataParallelJobSpec& spec,
                                 std::vector<sg4::Host*> hosts, uint64_t master_seed,
                                 engine::WorkCounter* work, JobEnvironment environment)
    : state_(std::make_shared<JobState>(job_index, name, spec, std::move(hosts), master_seed, work,
                                        std::move(environment))) {
  assert(static_cast<int>(state_->hosts.size()) == spec.ranks);
  assert(state_->environment.compute_speed > 0 && state_->environment.compute_speed <= 1);
  assert(spec.collective_fidelity != config::CollectiveFidelity::kFluid ||
         static_cast<int>(state_->environment.edge_latency.size()) == spec.ranks);
  if (work != nullptr) work->total += static_cast<uint64_t>(spec.steps);
}

DataParallelJob::~DataParallelJob() = default;

void DataParallelJob::start() {
  for (int rank = 0; rank < static_cast<int>(state_->hosts.size()); ++rank) {
    std::shared_ptr<JobState> state = state_;
    sg4::Actor::create(state->name + "/rank" + std::to_string(rank), state->hosts[rank],
                       [state, rank] { state->run_rank(rank); });
  }
}

std::vector<StepRecord> DataParallelJob::step_records() const {
  const JobState& s = *state_;
  std::vector<StepRecord> records;
  double step_start = s.spec.start_time.value();
  for (int step = 0; step < s.spec.steps; ++step) {
    double end = 0;
    double longest_compute = 0;
    for (const auto& rank : s.times) {
      end = std::max(end, rank[step].comm_end);
      longest_compute =
          std::max(longest_compute, rank[step].compute_end - rank[step].compute_start);
    }
    StepRecord r;
    r.job = s.job_index;
    r.step = step;
    r.start = Seconds(step_start);
    r.end = Seconds(end);
    r.compute = Seconds(longest_compute);
    r.exposed_comm = Seconds(end - step_start - longest_compute);
    r.tokens = s.spec.tokens_per_step;
    r.model_flops = s.spec.flops_per_rank_per_step() * static_cast<double>(s.spec.ranks);
    r.ranks = s.spec.ranks;
    r.peak = FlopsPerSecond(s.hosts.front()->get_speed());
    records.push_back(r);
    step_start = end;
  }
  return records;
}

JobRecord DataParallelJob::job_record() const {
  const JobState& s = *state_;
  const std::vector<StepRecord> steps = step_records();
  JobRecord record;
  record.job = s.job_index;
  record.name = s.name;
  record.ranks = s.spec.ranks;
  record.first_accelerator = s.spec.first_accelerator;
  record.steps = s.spec.steps;
  record.start = s.spec.start_time;
  record.end = steps.empty() ? s.spec.start_time : steps.back().end;
  record.tokens = s.spec.tokens_per_step * s.spec.steps;
  record.work = s.spec.flops_per_rank_per_step() * static_cast<double>(s.spec.ranks * s.spec.steps);
  return record;
}

}  // namespace gwsim::executor
