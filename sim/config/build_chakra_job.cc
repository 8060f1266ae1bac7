#include "sim/config/build_chakra_job.h"

#include <filesystem>
#include <map>
#include <set>

#include "sim/config/field_check.h"
#include "sim/core/quantity_parse.h"

namespace gwsim::config::detail {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const SourceMap& sources, const std::string& path, const std::string& what) {
  throw InputError(sources.locate(path), path, what);
}

ParallelLayout build_layout(const pb::ChakraLayout& l, const SourceMap& sources,
                            const std::string& lp) {
  auto degree = [&](bool present, uint32_t value, const std::string& field) {
    if (!present) return 1;
    if (value < 1) fail(sources, lp + "." + field, "must be >= 1, got " + std::to_string(value));
    return static_cast<int>(value);
  };
  ParallelLayout layout;
  layout.tp = degree(l.has_tp(), l.tp(), "tp");
  layout.pp = degree(l.has_pp(), l.pp(), "pp");
  layout.dp = degree(l.has_dp(), l.dp(), "dp");
  layout.cp = degree(l.has_cp(), l.cp(), "cp");
  layout.ep = degree(l.has_ep(), l.ep(), "ep");
  if (!l.rank_order().empty()) {
    const auto order = parse_rank_order(l.rank_order());
    if (!order)
      fail(sources, lp + ".rank_order",
           std::string(kRankOrderExpected) + ", got \"" + l.rank_order() + "\"");
    layout.rank_order = *order;
  }
  if ((layout.dp * layout.cp) % layout.ep != 0) {
    fail(sources, lp + ".ep",
         "must divide dp * cp = " + std::to_string(layout.dp * layout.cp) + ", got " +
             std::to_string(layout.ep));
  }
  return layout;
}

}  // namespace

ChakraJobSpec build_chakra_job(const pb::ChakraJob& m, const SourceMap& sources,
                               const std::string& path, const std::string& job_name, int first_free,
                               int accelerator_count) {
  ChakraJobSpec spec;
  spec.first_accelerator = first_free;
  spec.path = path;
  spec.at = sources.locate(path);

  if (m.traces().empty())
    fail(sources, path + ".traces", "required: expected the folder of the trace files");
  spec.file_prefix = m.file_prefix().empty() ? job_name + "." : m.file_prefix();
  if (spec.file_prefix.find('/') != std::string::npos)
    fail(sources, path + ".file_prefix", "must be a file name prefix without '/'");

  if (m.has_layout()) spec.layout = build_layout(m.layout(), sources, path + ".layout");
  if (m.has_ranks()) {
    if (m.ranks() < 1) fail(sources, path + ".ranks", "must be >= 1, got 0");
    spec.ranks = static_cast<int>(m.ranks());
    if (spec.layout && spec.layout->world() != spec.ranks) {
      fail(sources, path + ".ranks",
           "the layout has tp * pp * dp * cp = " + std::to_string(spec.layout->world()) +
               " ranks, got " + std::to_string(spec.ranks));
    }
  } else if (spec.layout) {
    spec.ranks = spec.layout->world();
  }
  const std::map<std::string, ChakraTiming> timings = {{"", ChakraTiming::kRecorded},
                                                       {"recorded", ChakraTiming::kRecorded},
                                                       {"roofline", ChakraTiming::kRoofline}};
  if (!timings.count(m.timing()))
    fail(sources, path + ".timing", "expected recorded or roofline, got \"" + m.timing() + "\"");
  spec.timing = timings.at(m.timing());
  const std::map<std::string, ModelPrecision> precisions = {{"", ModelPrecision::kBf16},
                                                            {"bf16", ModelPrecision::kBf16},
                                                            {"fp16", ModelPrecision::kFp16},
                                                            {"fp8", ModelPrecision::kFp8}};
  if (!precisions.count(m.precision()))
    fail(sources, path + ".precision", "expected bf16, fp16 or fp8, got \"" + m.precision() + "\"");
  spec.precision = precisions.at(m.precision());

  if (m.has_steps()) {
    if (m.steps() < 1) fail(sources, path + ".steps", "must be >= 1, got 0");
    spec.steps = static_cast<int>(m.steps());
  }
  if (!m.start_time().empty()) {
    const std::optional<double> t = parse_quantity(m.start_time(), Dimension::kDuration);
    if (!t || *t < 0) {
      fail(sources, path + ".start_time",
           R"(expected a duration >= 0 such as "10s", got ")" + m.start_time() + "\"");
    }
    spec.start_time = Seconds(*t);
  }
  if (m.has_tokens_per_step())
    spec.tokens_per_step =
        FieldCheck(sources, path).non_negative(m.tokens_per_step(), "tokens_per_step");
  if (m.has_window()) {
    if (m.window() < 16)
      fail(sources, path + ".window", "must be >= 16, got " + std::to_string(m.window()));
    spec.window = static_cast<int>(m.window());
  }
  spec.collective_fidelity = m.collective_fidelity() == pb::DataParallelJob::STEP
                                 ? CollectiveFidelity::kStep
                                 : CollectiveFidelity::kFluid;
  // The files last, so that the fields above are checked even where the traces are elsewhere.
  fs::path folder(m.traces());
  if (folder.is_relative()) folder = fs::path(sources.file()).parent_path() / folder;
  if (!fs::is_directory(folder)) fail(sources, path + ".traces", "no folder " + folder.string());
  spec.folder = folder.lexically_normal().string();
  if (spec.ranks == 0) {
    while (fs::exists(spec.file(spec.ranks))) ++spec.ranks;
    if (spec.ranks == 0)
      fail(sources, path + ".traces", "no trace file " + spec.file(0) + " (rank 0)");
  }
  for (int r = 0; r < spec.ranks; ++r) {
    if (!fs::is_regular_file(spec.file(r))) {
      fail(sources, path + ".traces",
           "missing the trace file of rank " + std::to_string(r) + ": " + spec.file(r));
    }
  }
  const int free = accelerator_count - first_free;
  if (spec.ranks > free) {
    fail(sources, path + ".ranks",
         std::to_string(spec.ranks) + " ranks, but only " + std::to_string(free) +
             " accelerators are free");
  }

  std::set<std::string> names;
  for (int g = 0; g < m.process_groups_size(); ++g) {
    const pb::ChakraProcessGroup& pg = m.process_groups(g);
    const std::string gp = path + ".process_groups[" + std::to_string(g) + "]";
    if (pg.name().empty()) fail(sources, gp + ".name", "required: the pg_name the traces use");
    if (!names.insert(pg.name()).second)
      fail(sources, gp + ".name", "another process group is named \"" + pg.name() + "\"");
    if (pg.ranks().empty()) fail(sources, gp + ".ranks", "required: a list of at least one rank");
    ChakraProcessGroup group{pg.name(), {}};
    std::set<uint32_t> seen;
    for (uint32_t r : pg.ranks()) {
      if (static_cast<int64_t>(r) >= spec.ranks) {
        fail(sources, gp + ".ranks",
             "rank " + std::to_string(r) + " is not one of the job's " +
                 std::to_string(spec.ranks) + " ranks");
      }
      if (!seen.insert(r).second)
        fail(sources, gp + ".ranks", "rank " + std::to_string(r) + " is listed twice");
      group.ranks.push_back(static_cast<int>(r));
    }
    spec.process_groups.push_back(std::move(group));
  }

  return spec;
}

}  // namespace gwsim::config::detail
