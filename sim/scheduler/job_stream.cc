#include "sim/scheduler/job_stream.h"

#include <algorithm>
#include <cmath>

#include "sim/core/random.h"

namespace gwsim::scheduler {
namespace {

std::vector<SiteJob> generate(const config::JobStreamSpec& stream,
                              const config::JobGeneratorSpec& g, uint64_t seed) {
  RandomStream random(seed, "job_stream/generator");
  double total_weight = 0;
  for (const config::JobClassSpec& c : g.classes) total_weight += c.weight;
  std::vector<SiteJob> jobs;
  Seconds t(0);
  while (true) {
    t += g.mean_interarrival * -std::log(1.0 - random.uniform01());
    if (!(t < stream.duration)) break;
    const double pick = random.uniform01() * total_weight;
    size_t c = 0;
    for (double cumulative = g.classes[0].weight; c + 1 < g.classes.size() && pick >= cumulative;
         cumulative += g.classes[c].weight) {
      ++c;
    }
    Seconds run;
    do {
      run = g.median_duration * std::exp(g.duration_sigma * random.standard_normal());
    } while (g.max_duration && run > *g.max_duration);
    const config::JobClassSpec& cls = g.classes[c];
    const Seconds step = stream.shapes[static_cast<size_t>(cls.shape)].step_time;
    SiteJob job;
    job.id = static_cast<int>(jobs.size());
    job.submit = t;
    job.nodes = cls.nodes;
    job.shape = cls.shape;
    job.steps = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(run / step)));
    jobs.push_back(job);
  }
  return jobs;
}

}  // namespace

std::vector<SiteJob> stream_jobs(const config::JobStreamSpec& stream, uint64_t seed) {
  if (stream.generator) return generate(stream, *stream.generator, seed);
  std::vector<SiteJob> jobs;
  jobs.reserve(stream.trace.size());
  for (const config::StreamJobSpec& row : stream.trace) {
    if (!(row.submit < stream.duration)) break;  // the trace is sorted by submit time
    jobs.push_back(
        SiteJob{static_cast<int>(jobs.size()), row.submit, row.nodes, row.steps, row.shape});
  }
  return jobs;
}

}  // namespace gwsim::scheduler
