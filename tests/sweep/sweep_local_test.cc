// `gwsim sweep --executor local` as users run it: a sweep that completes and merges, one killed
// halfway and resumed, failed points listed and rerun, a changed sweep file refused, bad files.
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <thread>

#include "sim/core/sha256.h"
#include "tests/sweep/sweep_test_support.h"

namespace gwsim::sweep::testing {
namespace {

constexpr const char* kSixPoints =
    "axes:\n"
    "  platform.accelerators_per_node: [1, 2, 4]\n"
    "  workload.jobs[0].data_parallel.steps: [2, 3]\n";

using SweepLocal = TempFolder;

TEST_F(SweepLocal, SixPointsCompleteAndMergeOneRowEach) {
  const fs::path sweep = write_sweep("six.yaml", kSixPoints);
  const Outcome o = gwsim("sweep six.yaml -j 2 --quiet");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("sweep: 6 points: 6 done, 0 failed, 0 skipped"), std::string::npos) << o.out;

  const fs::path merged = dir_ / "out/sweep.h5";
  EXPECT_EQ(string_attribute(merged, "/", "format"), "gwsim-sweep");
  EXPECT_EQ(int_attribute(merged, "format_version"), 1);
  EXPECT_EQ(string_attribute(merged, "/", "sweep_text"), read_text(sweep));
  EXPECT_EQ(string_attribute(merged, "/", "sweep_sha256"), sha256_hex(read_text(sweep)));

  const auto index = number_column<int64_t>(merged, "/points", "index", H5T_NATIVE_INT64);
  const auto exit_code = number_column<int64_t>(merged, "/points", "exit_code", H5T_NATIVE_INT64);
  const auto status = string_column(merged, "/points", "status");
  const auto per_node = string_column(merged, "/points", "platform.accelerators_per_node");
  const auto steps = string_column(merged, "/points", "workload.jobs[0].data_parallel.steps");
  const auto sha = string_column(merged, "/points", "scenario_sha256");
  const auto step_s =
      number_column<double>(merged, "/points", "mean_step_duration_s", H5T_NATIVE_DOUBLE);
  const auto tokens_per_s =
      number_column<double>(merged, "/points", "tokens_per_s", H5T_NATIVE_DOUBLE);
  const auto energy = number_column<double>(merged, "/points", "energy_j", H5T_NATIVE_DOUBLE);
  ASSERT_EQ(index.size(), 6u);
  ASSERT_EQ(per_node.size(), 6u);
  ASSERT_EQ(steps.size(), 6u);
  ASSERT_EQ(step_s.size(), 6u);
  const std::vector<std::string> nodes_values = {"1", "2", "4"}, steps_values = {"2", "3"};
  for (size_t i = 0; i < 6; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(index[i], static_cast<int64_t>(i));
    EXPECT_EQ(status[i], "done");
    EXPECT_EQ(exit_code[i], 0);
    EXPECT_EQ(per_node[i], nodes_values[i / 2]);
    EXPECT_EQ(steps[i], steps_values[i % 2]);
    // The point file holds the scenario of its row: its overrides and hash.
    const fs::path point = dir_ / "out/points" / (std::to_string(i) + ".h5");
    EXPECT_EQ(string_attribute(point, "/", "scenario_overrides"),
              "platform.accelerators_per_node=" + per_node[i] +
                  "\nworkload.jobs[0].data_parallel.steps=" + steps[i]);
    EXPECT_EQ(sha[i], string_attribute(point, "/", "scenario_sha256"));
    // /runs/<i> is an external link to that file's root.
    EXPECT_EQ(string_attribute(merged, ("/runs/" + std::to_string(i)).c_str(), "scenario_sha256"),
              sha[i]);
  }
  // One accelerator has no all-reduce: a step is 6 N D / (peak x efficiency)
  // = 6 x 1e6 x 1000 / (100e12 x 0.5) = 1.2e-4 s at 500 W, 1000 tokens per step.
  for (size_t i : {0, 1}) {
    const double n_steps = i == 0 ? 2 : 3;
    EXPECT_NEAR(step_s[i], 1.2e-4, 1e-12);
    EXPECT_NEAR(tokens_per_s[i], 1000 / 1.2e-4, 1e-3);
    EXPECT_NEAR(energy[i], 500 * 1.2e-4 * n_steps, 1e-9);
  }
  // Every column is documented in docs/sweeps.md's layout table (swept fields as <field.path>).
  const std::string doc = read_text(kSweepTests / "../../docs/sweeps.md");
  const hid_t f = H5Fopen(merged.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t d = H5Dopen2(f, "/points", H5P_DEFAULT);
  const hid_t type = H5Dget_type(d);
  const int members = H5Tget_nmembers(type);
  EXPECT_EQ(members, 11);  // 3 bookkeeping + 2 swept fields + the hash + 5 figures
  for (int m = 0; m < members; ++m) {
    char* name = H5Tget_member_name(type, static_cast<unsigned>(m));
    const std::string column = name;
    H5free_memory(name);
    if (column.find('.') != std::string::npos) continue;  // a swept field path
    EXPECT_NE(doc.find("| `/points:" + column + "` |"), std::string::npos) << column;
  }
  H5Tclose(type);
  H5Dclose(d);
  H5Fclose(f);

  // More ranks split the same work but add an all-reduce: steps get shorter, not free.
  EXPECT_LT(step_s[2], step_s[0]);
  EXPECT_GT(step_s[2], 1.2e-4 / 2);
}

TEST_F(SweepLocal, TheMergedFileReadsWithH5pyAfterTheFolderMoves) {
  write_sweep("six.yaml", kSixPoints);
  ASSERT_EQ(gwsim("sweep six.yaml -j 2 --quiet").exit_code, 0);
  fs::create_directories(dir_ / "elsewhere");
  fs::rename(dir_ / "out", dir_ / "elsewhere/moved");
  const std::string script =
      "import h5py, pandas as pd\n"
      "f = h5py.File('elsewhere/moved/sweep.h5', 'r')\n"
      "points = pd.DataFrame(f['points'][:])\n"
      "assert len(points) == 6, points\n"
      "assert sorted(f['runs'].keys(), key=int) == [str(i) for i in range(6)]\n"
      "for i in range(6):\n"
      "    run = f['runs'][str(i)]\n"
      "    assert run.attrs['scenario_sha256'] == points['scenario_sha256'][i].decode()\n"
      "    assert len(run['steps']) == int(points['workload.jobs[0].data_parallel.steps'][i])\n"
      "units = dict(zip(f['points'].dtype.names, f['points'].attrs['units']))\n"
      "assert units['energy_j'] == 'J' and units['mean_step_duration_s'] == 's', units\n"
      "print('ok')\n";
  std::ofstream(dir_ / "check.py") << script;
  const Outcome o = shell(std::string(GWSIM_PYTHON) + " check.py");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "ok\n");
}

// inode and modification time: a point file that was not rewritten keeps both.
std::pair<ino_t, int64_t> identity(const fs::path& file) {
  struct stat s {};
  if (stat(file.c_str(), &s) != 0) return {0, 0};
  return {s.st_ino, static_cast<int64_t>(s.st_mtim.tv_sec) * 1'000'000'000 + s.st_mtim.tv_nsec};
}

TEST_F(SweepLocal, AKilledSweepResumesWithoutRedoingFinishedPoints) {
  // Points of a few hundred milliseconds each, one at a time, so the kill lands mid-sweep.
  write_sweep("slow.yaml",
              "set:\n  workload.jobs[0].data_parallel.steps: 300\n"
              "axes:\n  platform.accelerators_per_node: [2, 4, 8]\n  seed: [1, 2]\n");
  const std::string bin = gwsim_binary();
  const pid_t child = fork();
  if (child == 0) {
    if (chdir(dir_.c_str()) != 0) _exit(127);
    freopen("/dev/null", "w", stdout);
    freopen("first.err", "w", stderr);
    execl(bin.c_str(), bin.c_str(), "sweep", "slow.yaml", "-j", "1", static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto count_done = [&] {
    size_t n = 0;
    for (size_t i = 0; i < 6; ++i)
      n += fs::exists(dir_ / "out/points" / (std::to_string(i) + ".h5"));
    return n;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (count_done() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(child, SIGTERM);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM) << read_text(dir_ / "first.err");
  const size_t done_first = count_done();
  ASSERT_GE(done_first, 2u);
  ASSERT_LT(done_first, 6u) << "the sweep ended before it was killed; make its points slower";
  EXPECT_FALSE(fs::exists(dir_ / "out/sweep.h5"));
  std::map<size_t, std::pair<ino_t, int64_t>> before;
  for (const auto& e : fs::directory_iterator(dir_ / "out/points")) {
    const std::string name = e.path().filename().string();
    EXPECT_EQ(name.find(".tmp-"), std::string::npos) << "a stopped point left " << name;
    before[std::stoul(name)] = identity(e.path());
  }

  const Outcome o = gwsim("sweep slow.yaml -j 2 --quiet");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("sweep: 6 points: " + std::to_string(done_first) + " done before, " +
                       std::to_string(6 - done_first) + " to run"),
            std::string::npos)
      << o.err;
  for (const auto& [index, id] : before) {
    EXPECT_EQ(identity(dir_ / "out/points" / (std::to_string(index) + ".h5")), id)
        << "point " << index << " was run again";
  }
  const auto status_column = string_column(dir_ / "out/sweep.h5", "/points", "status");
  EXPECT_EQ(status_column, std::vector<std::string>(6, "done"));
}

TEST_F(SweepLocal, FailedPointsAreListedWithTheirErrorAndRunAgain) {
  write_sweep("six.yaml", kSixPoints);
  // A folder where point 4's file goes makes `gwsim run` refuse its output path (exit code 2).
  fs::create_directories(dir_ / "out/points/4.h5");
  Outcome o = gwsim("sweep six.yaml -j 2 --quiet");
  EXPECT_EQ(o.exit_code, 3) << o.err;
  EXPECT_NE(o.out.find("6 points: 5 done, 1 failed, 0 skipped"), std::string::npos) << o.out;
  EXPECT_NE(
      o.err.find("sweep: failed point 4 (platform.accelerators_per_node=4, "
                 "workload.jobs[0].data_parallel.steps=2): exit code 2\n    | gwsim run: error:"),
      std::string::npos)
      << o.err;
  const fs::path merged = dir_ / "out/sweep.h5";
  EXPECT_EQ(string_column(merged, "/points", "status")[4], "failed");
  EXPECT_EQ(number_column<int64_t>(merged, "/points", "exit_code", H5T_NATIVE_INT64)[4], 2);
  EXPECT_EQ(number_column<int64_t>(merged, "/messages", "index", H5T_NATIVE_INT64),
            std::vector<int64_t>{4});
  EXPECT_EQ(string_column(merged, "/messages", "message")[0].rfind("gwsim run: error:", 0), 0u);
  EXPECT_TRUE(
      std::isnan(number_column<double>(merged, "/points", "energy_j", H5T_NATIVE_DOUBLE)[4]));
  EXPECT_EQ(string_attribute(merged, "/runs/4", "scenario_sha256"), "");

  fs::remove(dir_ / "out/points/4.h5");
  o = gwsim("sweep six.yaml -j 2 --quiet");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("5 done before, 1 to run"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("sweep: running again point 4 ("), std::string::npos) << o.err;
  EXPECT_EQ(string_column(merged, "/points", "status")[4], "done");
}

TEST_F(SweepLocal, InvalidCombinationsAreSkippedAndListedWithTheirReason) {
  write_sweep("ranks.yaml",
              "skip_invalid: true\n"
              "axes:\n  platform.accelerators_per_node: [1, 2]\n"
              "  workload.jobs[0].data_parallel.ranks: [1, 2]\n");
  const Outcome o = gwsim("sweep ranks.yaml -j 2 --quiet");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("4 points: 3 done, 0 failed, 1 skipped"), std::string::npos) << o.out;
  const fs::path merged = dir_ / "out/sweep.h5";
  EXPECT_EQ(string_column(merged, "/points", "status"),
            (std::vector<std::string>{"done", "skipped", "done", "done"}));
  EXPECT_EQ(number_column<int64_t>(merged, "/points", "exit_code", H5T_NATIVE_INT64),
            (std::vector<int64_t>{0, -1, 0, 0}));
  EXPECT_EQ(number_column<int64_t>(merged, "/messages", "index", H5T_NATIVE_INT64),
            std::vector<int64_t>{1});
  const std::string reason = string_column(merged, "/messages", "message").at(0);
  EXPECT_EQ(reason.rfind("workload.jobs[0].data_parallel.ranks: ", 0), 0u) << reason;
  EXPECT_FALSE(fs::exists(dir_ / "out/points/1.h5"));
}

TEST_F(SweepLocal, AnEditedBaseScenarioRunsItsPointsAgain) {
  const std::string tiny = read_text(kSweepTests / "tiny.yaml");
  std::ofstream(dir_ / "base.yaml") << tiny;
  std::ofstream(dir_ / "s.yaml") << "base: base.yaml\noutput: out\naxes:\n  seed: [1, 2]\n";
  ASSERT_EQ(gwsim("sweep s.yaml -j 2 --quiet").exit_code, 0);
  const std::string before = string_column(dir_ / "out/sweep.h5", "/points", "scenario_sha256")[0];
  std::string edited = tiny;
  edited.replace(edited.find("steps: 2"), 8, "steps: 4");
  std::ofstream(dir_ / "base.yaml") << edited;
  const Outcome o = gwsim("sweep s.yaml -j 2 --quiet");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("2 points: 0 done before, 2 to run"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("sweep: point 0's scenario changed since its file was written"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(o.err.find("running again"), std::string::npos) << o.err;
  EXPECT_NE(string_column(dir_ / "out/sweep.h5", "/points", "scenario_sha256")[0], before);
  EXPECT_EQ(number_column<double>(dir_ / "out/points/0.h5", "/jobs", "steps", H5T_NATIVE_DOUBLE),
            std::vector<double>{4});
}

TEST_F(SweepLocal, AChangedSweepFileIsRefusedUnlessForced) {
  write_sweep("six.yaml", kSixPoints);
  ASSERT_EQ(gwsim("sweep six.yaml -j 2 --quiet").exit_code, 0);
  write_sweep("six.yaml", "axes:\n  platform.accelerators_per_node: [1, 2]\n");
  Outcome o = gwsim("sweep six.yaml -j 2 --quiet");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("holds the results of a different sweep file"), std::string::npos) << o.err;
  o = gwsim("sweep six.yaml -j 2 --quiet --force");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  // Point 0 is the old point 0's scenario (steps 2 is the base's value), so its file is kept; the
  // old logs belong to the old sweep and are not reported as failures of the new one.
  EXPECT_NE(o.err.find("2 points: 1 done before, 1 to run"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find("running again"), std::string::npos) << o.err;
}

TEST_F(SweepLocal, BadSweepFilesExitTwoAndCreateNothing) {
  struct Case {
    std::string body;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"axes:\n  platform.nodez: [1, 2]\n", "bad.yaml:4: platform.nodez: unknown field \"nodez\""},
      {"axes:\n  platform.nodes: []\n", "bad.yaml:4: axes.platform.nodes: the axis is empty"},
      {"axes:\n  platform.nodes: [1, two]\n",
       "bad.yaml:4: platform.nodes: expected a whole number >= 0, got \"two\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    write_sweep("bad.yaml", c.body);
    const Outcome o = gwsim("sweep bad.yaml --quiet");
    EXPECT_EQ(o.exit_code, 2);
    EXPECT_EQ(o.err.rfind("gwsim sweep: error: " + c.error, 0), 0u) << o.err;
    EXPECT_FALSE(fs::exists(dir_ / "out"));
  }
  EXPECT_EQ(gwsim("sweep bad.yaml -j 0").exit_code, 2);
  EXPECT_EQ(gwsim("sweep bad.yaml --executor cloud").exit_code, 2);
  EXPECT_EQ(gwsim("sweep bad.yaml --partition x").exit_code, 2);  // slurm only
}

TEST_F(SweepLocal, TheEmittedSlurmScriptRunsEachPointAndMergeOnlyMerges) {
  write_sweep("four.yaml", "axes:\n  platform.accelerators_per_node: [1, 2]\n  seed: [3, 4]\n");
  Outcome o = gwsim(
      "sweep four.yaml --executor slurm --emit-only --max-parallel 2 --partition debug "
      "--time 00:05:00 --sbatch-arg=--mem=100M");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string script = read_text(dir_ / "out/sweep.sbatch");
  for (const char* line : {"#SBATCH --array=0-3%2\n", "#SBATCH --partition=debug\n",
                           "#SBATCH --time=00:05:00\n", "#SBATCH --mem=100M\n"}) {
    EXPECT_NE(script.find(line), std::string::npos) << line << script;
  }
  EXPECT_NE(script.find("#SBATCH --chdir=" + (dir_ / "out").string() + "\n"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "out/sweep.h5"));
  const std::string list = read_text(dir_ / "out/points.tsv");
  EXPECT_EQ(list.substr(0, list.find('\n')),
            "index\tstatus\tscenario_sha256\tplatform.accelerators_per_node\tseed");
  EXPECT_EQ(std::count(list.begin(), list.end(), '\n'), 5);

  // What Slurm would do: run the script once per array task, in the folder.
  for (int task = 0; task < 4; ++task) {
    const Outcome t =
        shell("cd out && SLURM_ARRAY_TASK_ID=" + std::to_string(task) + " bash sweep.sbatch");
    EXPECT_EQ(t.exit_code, 0) << t.err;
  }
  EXPECT_EQ(shell("cd out && SLURM_ARRAY_TASK_ID=4 bash sweep.sbatch").exit_code, 2);
  o = gwsim("sweep four.yaml --merge-only");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(string_column(dir_ / "out/sweep.h5", "/points", "status"),
            std::vector<std::string>(4, "done"));
  EXPECT_EQ(string_column(dir_ / "out/sweep.h5", "/points", "seed"),
            (std::vector<std::string>{"3", "4", "3", "4"}));
}

}  // namespace
}  // namespace gwsim::sweep::testing
