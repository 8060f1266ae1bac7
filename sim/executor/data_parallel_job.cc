#include "sim/executor/data_parallel_job.h"

#include <algorithm>
#include <cassert>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "sim/core/error.h"
#include "sim/core/random.h"
#include "sim/network/collective_runner.h"
#include "sim/network/group_costs.h"

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
  std::unique_ptr<network::CollectiveRunner> all_reduce;  // null for a job of one rank
  std::vector<std::vector<RankStep>> times;               // [rank][step]

  JobState(int index, std::string job_name, const config::DataParallelJobSpec& s,
           std::vector<sg4::Host*> h, uint64_t seed, engine::WorkCounter* w, JobEnvironment e)
      : job_index(index),
        name(std::move(job_name)),
        spec(s),
        hosts(std::move(h)),
        master_seed(seed),
        work(w),
        environment(std::move(e)),
        times(hosts.size(), std::vector<RankStep>(static_cast<size_t>(s.steps))) {
    if (hosts.size() < 2) return;
    std::vector<int64_t> accelerators;
    accelerators.reserve(hosts.size());
    for (size_t r = 0; r < hosts.size(); ++r)
      accelerators.push_back(spec.first_accelerator + static_cast<int64_t>(r));
    network::TopologyGroup group =
        network::topology_group(*environment.topology, std::move(accelerators),
                                environment.scale_up_in_network, environment.scale_out_in_network);
    network::CollectiveSpec collective;
    collective.op = network::CollectiveOp::kAllReduce;
    collective.size = spec.gradient_size();
    collective.ranks = static_cast<int>(hosts.size());
    collective.levels = group.levels;
    collective.chunk = environment.library.chunk;
    const network::Choice choice = network::choose(collective, environment.library, group.costs,
                                                   forced_algorithm(collective, group.costs));
    collective.algorithm = choice.algorithm;
    all_reduce = std::make_unique<network::CollectiveRunner>(
        "job/" + name + "/grad", collective,
        spec.collective_fidelity == config::CollectiveFidelity::kFluid ? network::Fidelity::kFluid
                                                                       : network::Fidelity::kStep,
        choice.protocol, environment.library, std::move(group.edge));
  }

  // The scenario's algorithm, if it names one, when it can run the all-reduce on this group.
  std::optional<network::Algorithm> forced_algorithm(const network::CollectiveSpec& collective,
                                                     const network::GroupCosts& costs) const {
    if (spec.algorithm == "auto") return std::nullopt;
    const std::optional<network::Algorithm> algorithm = network::parse_algorithm(spec.algorithm);
    if (!algorithm) {
      throw InputError(spec.algorithm_at, spec.algorithm_path,
                       "expected auto or one of " + network::algorithm_names() + ", got \"" +
                           spec.algorithm + "\"");
    }
    const std::vector<network::Algorithm> can = network::candidate_algorithms(collective, costs);
    if (std::find(can.begin(), can.end(), *algorithm) == can.end()) {
      std::string names;
      for (network::Algorithm a : can)
        names += (names.empty() ? "" : ", ") + network::algorithm_name(a);
      throw InputError(spec.algorithm_at, spec.algorithm_path,
                       spec.algorithm + " cannot run this job's all-reduce on its " +
                           std::to_string(collective.ranks) + " ranks; it can use " + names);
    }
    return algorithm;
  }

  void run_rank(int rank) {
    RandomStream noise(master_seed, "job/" + name + "/rank/" + std::to_string(rank));
    // The host computes at the full peak rate; the efficiency and a binding power cap show as
    // more work at that rate, so compute time = FLOPs / (efficiency * speed * peak).
    const double flops = spec.flops_per_rank_per_step().value() /
                         (spec.compute_efficiency * environment.compute_speed);
    sg4::this_actor::sleep_until(spec.start_time.value());
    for (int step = 0; step < spec.steps; ++step) {
      RankStep& t = times[rank][step];
      t.compute_start = sg4::Engine::get_clock();
      sg4::this_actor::execute(flops * noise.lognormal_factor(spec.compute_jitter_cv));
      t.compute_end = sg4::Engine::get_clock();
      if (all_reduce) all_reduce->run(rank);
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
  assert(spec.ranks < 2 || state_->environment.topology != nullptr);
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
