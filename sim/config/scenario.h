// The typed scenario: what the rest of gwsim sees once a scenario file has been loaded and
// validated.
//
// Every quantity carries its unit in its type and every value has been range-checked by the loader
// (sim/config/loader.h), so code below this layer never parses strings or re-checks input.
// The meaning and unit of each field is documented once, in scenario.proto.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/config/collective_library.h"
#include "sim/config/facility_spec.h"
#include "sim/config/model_catalog.h"
#include "sim/config/parallel_layout.h"
#include "sim/core/units.h"

namespace gwsim::config {

enum class Resolution { kAccelerator, kDomain, kJob };

struct AcceleratorSpec {
  std::string name;
  FlopsPerSecond peak_flop_rate;
  Watts idle_power;
  Watts peak_power;
};

// One kind of link: bandwidth per direction and latency per traversal.
struct LinkSpec {
  BytesPerSecond bandwidth;
  Seconds latency;
};

enum class ScaleUpKind { kSwitch, kTorus };

// The fabric inside a node. Switch: bandwidth and latency of each accelerator's link to the switch.
// Torus: of each torus link.
struct ScaleUpSpec {
  ScaleUpKind kind = ScaleUpKind::kSwitch;
  BytesPerSecond bandwidth;
  Seconds latency;
  std::vector<int> torus_dims;        // torus only; product == accelerators_per_node
  bool in_network_reduction = false;  // the switch reduces (NVLink SHARP); switch only
};

// A dragonfly (scenario.proto, message Dragonfly): `groups` groups of `routers_per_group`
// all-to-all routers, each with `nic_ports` NIC ports and `global_ports` global ports.
// `links_per_group_pair` is 0 when every global port is used (as evenly as possible over the pairs
// of groups).
struct DragonflySpec {
  int groups = 1;
  int routers_per_group = 1;
  int nic_ports = 1;
  int global_ports = 1;
  int links_per_group_pair = 0;
  BytesPerSecond local_bandwidth;   // one local link, per direction
  BytesPerSecond global_bandwidth;  // one global link, per direction
};

enum class ScaleOutKind { kSingleSwitch, kFatTree, kDragonfly };

struct FatTreeSpec {
  int tiers = 2;                         // 2 or 3
  int scalable_unit = 1;                 // nodes per SU
  int scalable_units_per_pod = 1;        // 3 tiers only
  int switch_radix = 64;                 // ports per switch
  std::vector<double> oversubscription;  // down:up per tier above the leaves; size tiers - 1
  bool rail_optimized = true;
  int planes = 1;  // independent identical trees, each at nic_bandwidth / planes per port
};

// Buildings and sites above the scale-out fabric (scenario.proto, message Interconnect).
struct InterconnectSpec {
  int buildings = 1;
  BytesPerSecond building_bandwidth;  // each building's uplink, per direction
  Seconds building_latency;
  int sites = 1;
  BytesPerSecond site_bandwidth;  // each site's long-haul link, per direction (sites > 1)
  Seconds site_latency;
};

// The fabric between nodes: each accelerator's NIC (bandwidth per direction) and the latency of
// every hop.
struct ScaleOutSpec {
  ScaleOutKind kind = ScaleOutKind::kSingleSwitch;
  BytesPerSecond bandwidth;
  Seconds latency;
  std::optional<FatTreeSpec> fat_tree;                    // set when kind == kFatTree
  std::optional<InterconnectSpec> interconnect;           // buildings and sites, when given
  std::optional<DragonflySpec> dragonfly = std::nullopt;  // set when kind == kDragonfly
  bool in_network_reduction = false;                      // the switches reduce (SHARP)
};

struct PlatformSpec {
  Resolution resolution = Resolution::kAccelerator;
  AcceleratorSpec accelerator;
  int nodes = 0;
  int accelerators_per_node = 0;
  std::optional<ScaleUpSpec> scale_up;    // set when accelerators_per_node > 1
  std::optional<ScaleOutSpec> scale_out;  // set when nodes > 1

  // From the catalog, when the scenario names entries there (empty or unset otherwise).
  std::string accelerator_id;
  std::string domain_id;
  std::string precision;  // "bf16", "fp8" or "fp4"; catalog accelerators only
  std::map<std::string, FlopsPerSecond>
      peak_flop_rates;  // the accelerator's dense peak by precision
  std::optional<Watts>
      node_overhead_power;        // a node's power besides its accelerators, at full load
  CollectiveLibrary collectives;  // platforms/collectives/<id>.yaml (default "nccl")

  int accelerator_count() const { return nodes * accelerators_per_node; }
};

// How a job's collectives are simulated (scenario.proto, DataParallelJob.collective_fidelity).
enum class CollectiveFidelity { kStep, kFluid };

struct DataParallelJobSpec {
  int first_accelerator =
      0;  // ranks occupy accelerators first_accelerator .. first_accelerator + ranks - 1
  int ranks = 0;
  int steps = 0;
  double parameters = 0;
  double tokens_per_step = 0;
  int gradient_bytes_per_parameter = 2;
  double compute_efficiency = 0;
  double compute_jitter_cv = 0;
  Seconds start_time;
  CollectiveFidelity collective_fidelity = CollectiveFidelity::kStep;  // default by ranks, at load
  // "auto" or an algorithm name of sim/network (checked there, at `algorithm_at`).
  std::string algorithm = "auto";
  SourceLocation algorithm_at;
  std::string algorithm_path;  // "workload.jobs[i].data_parallel.algorithm"

  // 6 * N * D for one step, split evenly over the ranks (see scenario.proto).
  Flops flops_per_rank_per_step() const {
    return Flops(6.0 * parameters * tokens_per_step / ranks);
  }
  Bytes gradient_size() const { return Bytes(parameters * gradient_bytes_per_parameter); }
};

// A transformer job (scenario.proto, message TransformerJob). The layout is checked against the
// model by the workload layer (workload/transformer/layout.h, validate_layout) at `layout_at`.
struct TransformerJobSpec {
  int first_accelerator = 0;  // ranks occupy first_accelerator .. + layout.world() - 1
  std::string model_id;
  ModelSpec model;
  ParallelLayout layout;
  std::optional<PipelineSchedule> schedule;  // default: 1F1B, interleaved with virtual stages
  int steps = 0;
  Seconds start_time;
  bool overlap_grad_reduce = true;
  bool overlap_param_gather = true;
  bool overlap_tp_comm = false;      // needs sequence parallelism (rank_dag.h)
  bool overlap_tp_backward = false;  // rank_dag.h
  bool symmetric_ranks = true;
  bool inline_blocking_collectives = true;  // executor/stream_plan.h
  bool fused_attention = true;
  CollectiveFidelity collective_fidelity = CollectiveFidelity::kFluid;
  SourceLocation layout_at;
  std::string layout_path;  // "workload.jobs[i].transformer.layout"
  int ranks() const { return layout.world(); }
};

// How a Chakra replay times its compute nodes (scenario.proto, ChakraJob.timing).
enum class ChakraTiming { kRecorded, kRoofline };

// A named process group of a Chakra replay: its members' ranks, in the group's order.
struct ChakraProcessGroup {
  std::string name;
  std::vector<int> ranks;
};

// A replay of Chakra traces (scenario.proto, message ChakraJob). The files exist when loading
// succeeds; their contents are checked as they are replayed.
struct ChakraJobSpec {
  int first_accelerator = 0;  // ranks occupy first_accelerator .. + ranks - 1
  int ranks = 0;
  std::string folder;       // the traces' folder, resolved against the scenario file's folder
  std::string file_prefix;  // rank r's file: folder / (file_prefix + r + ".et")
  ChakraTiming timing = ChakraTiming::kRecorded;
  ModelPrecision precision = ModelPrecision::kBf16;
  std::optional<ParallelLayout> layout;  // tp, pp, dp, cp, ep only
  std::vector<ChakraProcessGroup> process_groups;
  int steps = 1;
  Seconds start_time;
  int window = 1024;
  CollectiveFidelity collective_fidelity = CollectiveFidelity::kFluid;
  double tokens_per_step = 0;  // tokens one iteration trains on; 0: not known
  std::string path;            // "workload.jobs[i].chakra", for errors found while replaying
  SourceLocation at;
  std::string file(int rank) const {
    return folder + "/" + file_prefix + std::to_string(rank) + ".et";
  }
};

struct JobSpec {
  std::string name;
  std::variant<DataParallelJobSpec, TransformerJobSpec, ChakraJobSpec> kind;
};

struct RecordSpec {
  std::optional<Seconds> power_interval;
  Seconds power_window_start;               // default 0
  std::optional<Seconds> power_window_end;  // default: the end of the run
};

// How accelerators draw power by activity (scenario.proto, message Power); defaults filled in by
// the loader.
struct PowerSpec {
  Watts communicating_power;  // default: the accelerator's idle power
  double memory_bound_load = 1;
  std::vector<double> curve_load;  // empty: linear
  std::vector<double> curve_fraction;
  Watts node_overhead_power;                   // per node; default: the catalog domain's, else 0
  std::optional<Watts> accelerator_power_cap;  // as written; none by default
  std::optional<Watts> site_it_power_cap;      // as written; none by default
  std::vector<double> cap_curve_speed;         // power-vs-speed points; set with a cap
  std::vector<double> cap_curve_power;
  // The cap each accelerator runs under: the tighter of accelerator_power_cap and the even split of
  // site_it_power_cap after node overheads. Set when either cap is; checked against the curve.
  std::optional<Watts> effective_accelerator_cap;
};

// A job's step-time model at job resolution (scenario.proto, JobShape): one step at full speed is
// compute + exposed_comm + bubble + the rest (time the breakdown does not attribute, counted idle).
struct JobShapeSpec {
  std::string name;
  Seconds step_time;
  Seconds compute;
  Seconds exposed_comm;
  Seconds bubble;
  int measured_accelerators = 0;  // the size the shape was measured at; 0 for an inline shape
  std::string source;             // "<file>:<line>" of a measured shape, "inline" otherwise
  // Mean time per accelerator and step in each activity, when measured (gwsim step --json prints
  // them for a job that fills its platform); they sum to step_time. Without them the step model
  // takes compute as computing, exposed_comm as communicating and the rest as idle.
  struct Activity {
    Seconds computing, computing_communicating, communicating, idle;
  };
  std::optional<Activity> activity;
};

// One job of a trace: when it arrives, how many whole nodes it takes, how many steps it runs.
struct StreamJobSpec {
  Seconds submit;
  int nodes = 0;
  int64_t steps = 0;
  int shape = 0;  // index into JobStreamSpec::shapes
};

struct JobClassSpec {
  int shape = 0;  // index into JobStreamSpec::shapes
  int nodes = 0;
  double weight = 0;
};

// Poisson arrivals, classes by weight, lognormal run times at full speed (scenario.proto,
// JobGenerator).
struct JobGeneratorSpec {
  Seconds mean_interarrival;
  std::vector<JobClassSpec> classes;
  Seconds median_duration;
  double duration_sigma = 0;
  std::optional<Seconds> max_duration;
};

enum class QueuePolicy { kFifo, kEasyBackfill };

struct JobStreamSpec {
  Seconds duration;
  std::vector<JobShapeSpec> shapes;
  std::vector<StreamJobSpec> trace;           // from trace_csv, in submit order
  std::optional<JobGeneratorSpec> generator;  // set when the stream is generated
  std::string trace_path;                     // as resolved, for messages
  QueuePolicy policy = QueuePolicy::kFifo;
};

// Where the scenario came from, kept for the output's provenance attributes.
struct ScenarioSource {
  std::string path;                    // as the user named it
  std::string file_text;               // the file exactly as read
  std::vector<std::string> overrides;  // the --set arguments, in order
  std::string canonical_json;  // the effective scenario (file + overrides + seed) as proto3 JSON
  std::string sha256;          // of canonical_json: equal hashes mean equal scenarios
};

struct Scenario {
  std::string name;
  uint64_t seed = 1;
  PlatformSpec platform;
  std::vector<JobSpec> jobs;                // accelerator resolution
  std::optional<JobStreamSpec> job_stream;  // job resolution
  RecordSpec record;
  PowerSpec power;
  std::optional<FacilitySpec> facility;  // set when the scenario has a facility
  ScenarioSource source;
};

}  // namespace gwsim::config
