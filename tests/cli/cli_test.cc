// The gwsim binary as users run it: exit codes, messages, output files (or their absence),
// determinism. The binary's path comes from the GWSIM environment variable that ctest sets.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/command_line.h"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = GWSIM_SOURCE_DIR;
const fs::path kQuickstart = kSource / "configs/quickstart.yaml";

// AddressSanitizer prints a three-line notice when SimGrid switches actor stacks; it is not gwsim's
// output.
std::string without_sanitizer_notice(const std::string& err) {
  std::istringstream lines(err);
  std::string line, kept;
  int skip = 0;
  while (std::getline(lines, line)) {
    if (line.find("ASan is ignoring requested __asan_handle_no_return") != std::string::npos)
      skip = 3;
    if (skip > 0) {
      --skip;
      continue;
    }
    kept += line + "\n";
  }
  return kept;
}

using gwsim::testing::gwsim_binary;
using gwsim::testing::read_text;
using Outcome = gwsim::testing::CommandOutcome;

class Cli : public gwsim::testing::CommandTest {
 protected:
  Cli() : CommandTest("gwsim-cli") {}

  Outcome run(const std::string& args) const { return gwsim(args); }

  // Files in the work folder other than the captured stdout/stderr.
  std::vector<std::string> outputs() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string name = e.path().filename().string();
      if (name != "stdout.txt" && name != "stderr.txt") names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
};

TEST_F(Cli, VersionNamesGitRevisionAndSimGrid) {
  const Outcome o = run("--version");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out.rfind("gwsim 0.", 0), 0u) << o.out;
  EXPECT_NE(o.out.find("(git "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("SimGrid 3."), std::string::npos) << o.out;
}

TEST_F(Cli, QuickstartRunsAndWritesOnlyItsOutput) {
  const Outcome o =
      run("run " + kQuickstart.string() + " -o " + (dir_ / "q.h5").string() + " --quiet");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(outputs(), std::vector<std::string>{"q.h5"});
  EXPECT_NE(o.out.find("gpt2-xl-dp16: 16 ranks, 5 steps"), std::string::npos) << o.out;
  EXPECT_EQ(without_sanitizer_notice(o.err), "");
}

TEST_F(Cli, CheckValidatesWithoutWriting) {
  const Outcome o = run("check " + kQuickstart.string());
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find(": ok ("), std::string::npos) << o.out;
  EXPECT_TRUE(outputs().empty());
}

TEST_F(Cli, EveryMalformedScenarioExitsTwoAndWritesNothing) {
  // An earlier result at the target must survive a failed run untouched.
  const fs::path target = dir_ / "out.h5";
  std::ofstream(target) << "previous result";
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kSource / "tests/config/malformed")) {
    SCOPED_TRACE(entry.path().string());
    const Outcome o = run("run " + entry.path().string() + " -o " + target.string() + " --quiet");
    EXPECT_EQ(o.exit_code, 2);
    std::string expected = read_text(entry.path());
    expected = expected.substr(10, expected.find('\n') - 10);  // after "# expect: "
    expected.replace(expected.find("{file}"), 6, entry.path().string());
    EXPECT_EQ(o.err, "gwsim run: error: " + expected + "\n");
    ++checked;
  }
  EXPECT_GE(checked, 15);
  EXPECT_EQ(outputs(), std::vector<std::string>{"out.h5"});
  EXPECT_EQ(read_text(target), "previous result");
}

TEST_F(Cli, BadFlagsExitTwo) {
  const std::string q = kQuickstart.string();
  EXPECT_EQ(run("run " + q).exit_code, 2);                       // no -o
  EXPECT_EQ(run("run " + q + " -o x.h5 --bogus").exit_code, 2);  // unknown option
  EXPECT_EQ(run("run " + q + " -o " + (dir_ / "x.h5").string() + " --seed abc").exit_code, 2);
  EXPECT_EQ(run("run " + q + " -o /nonexistent-dir/x.h5").exit_code, 2);  // unwritable target
  EXPECT_EQ(run("frobnicate").exit_code, 2);
  const Outcome o = run("run " + q + " -o " + (dir_ / "x.h5").string() + " --set platform.nodez=3");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.err.rfind("gwsim run: error: --set: platform.nodez: unknown field", 0), 0u) << o.err;
  EXPECT_TRUE(outputs().empty());
}

// Every dataset's raw bytes, read with the dataset's own type.
std::string dataset_bytes(const fs::path& file, const char* name) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(f, 0) << file;
  const hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  EXPECT_GE(d, 0) << name;
  const hid_t type = H5Dget_type(d);
  const hid_t space = H5Dget_space(d);
  std::string bytes(H5Tget_size(type) * static_cast<size_t>(H5Sget_simple_extent_npoints(space)),
                    '\0');
  EXPECT_GE(H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), 0);
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(d);
  H5Fclose(f);
  return bytes;
}

TEST_F(Cli, ADataParallelAlgorithmMustExistAndSuitTheGroup) {
  const std::string q = kQuickstart.string();
  const std::string field = "workload.jobs[0].data_parallel.algorithm";
  const Outcome unknown = run("check " + q + " --set " + field + "=bogus");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find(field + ": expected auto or one of"), std::string::npos)
      << unknown.err;
  // The quickstart's switches do not reduce: no in-network all-reduce, and nothing is written.
  const fs::path target = dir_ / "x.h5";
  const Outcome unsuitable =
      run("run " + q + " -q -o " + target.string() + " --set " + field + "=in_network");
  EXPECT_EQ(unsuitable.exit_code, 2);
  EXPECT_NE(unsuitable.err.find("in_network cannot run this job's all-reduce on its 16 ranks"),
            std::string::npos)
      << unsuitable.err;
  EXPECT_FALSE(fs::exists(target));
  EXPECT_EQ(run("run " + q + " -q -o " + target.string() + " --set " + field + "=ring").exit_code,
            0);
  EXPECT_TRUE(fs::exists(target));
}

TEST_F(Cli, SameSeedGivesIdenticalDatasetsAndAnotherSeedDoesNot) {
  const std::string q = kQuickstart.string();
  ASSERT_EQ(run("run " + q + " -q -o " + (dir_ / "a.h5").string() + " --seed 5").exit_code, 0);
  ASSERT_EQ(run("run " + q + " -q -o " + (dir_ / "b.h5").string() + " --seed 5").exit_code, 0);
  ASSERT_EQ(run("run " + q + " -q -o " + (dir_ / "c.h5").string() + " --seed 6").exit_code, 0);
  for (const char* name : {"/jobs", "/steps", "/power/accelerators", "/power/site/power_w"}) {
    SCOPED_TRACE(name);
    const std::string a = dataset_bytes(dir_ / "a.h5", name);
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, dataset_bytes(dir_ / "b.h5", name));
  }
  // The quickstart has straggler noise, so the seed changes every step's compute time.
  EXPECT_NE(dataset_bytes(dir_ / "a.h5", "/steps"), dataset_bytes(dir_ / "c.h5", "/steps"));
}

TEST_F(Cli, SigtermStopsARunAndLeavesThePreviousResult) {
  const fs::path target = dir_ / "out.h5";
  std::ofstream(target) << "previous result";
  const pid_t child = fork();
  if (child == 0) {
    const std::string bin = gwsim_binary(), scenario = kQuickstart.string(), out = target.string();
    const std::string set = "workload.jobs[0].data_parallel.steps=1000000";
    execl(bin.c_str(), bin.c_str(), "run", scenario.c_str(), "-o", out.c_str(), "--quiet", "--set",
          set.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  kill(child, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (waitpid(child, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      FAIL() << "gwsim did not stop on SIGTERM";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal instead of exiting";
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  EXPECT_EQ(outputs(), std::vector<std::string>{"out.h5"});
  EXPECT_EQ(read_text(target), "previous result");
}

TEST_F(Cli, CollectivePrintsNcclTestsRowsThatMatchTheClosedForm) {
  const std::string q = kQuickstart.string();
  const Outcome o = run("collective " + q +
                        " --op all_reduce --algo ring --sizes 1GiB --json --set "
                        "platform.collectives=ideal");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  for (const char* key :
       {"\"op\": \"all_reduce\"", "\"ranks\": 16", "\"algorithm\": \"ring\"",
        "\"protocol\": \"ideal\"", "\"predicted_time_s\": ", "\"fidelity\": \"step\"",
        "\"size_bytes\": 1073741824", "\"time_s\": ", "\"algbw_bytes_per_s\": ",
        "\"busbw_bytes_per_s\": ", "\"wall_s\": ", "\"peak_rss_bytes\": "}) {
    EXPECT_NE(o.out.find(key), std::string::npos) << key << " in " << o.out;
  }
  // 16 ranks on two nodes, a ring channel per local rank: each step, each NIC carries one
  // channel's 1 GiB / 16 / 8 at 400 Gb/s after 2 x 1 us of latency; 30 steps.
  const double closed = 30 * (2e-6 + 1073741824.0 / 16 / 8 / 50e9);
  const size_t at = o.out.find("\"time_s\": ") + 10;
  EXPECT_NEAR(std::stod(o.out.substr(at)), closed, 0.005 * closed);
  EXPECT_EQ(run("collective " + q + " --op all_to_everyone").exit_code, 2);
  EXPECT_EQ(run("collective " + q + " --algo in_network").exit_code, 2);  // spans two nodes
  EXPECT_EQ(run("collective " + q + " --op all_to_all --algo ring").exit_code, 2);
  EXPECT_EQ(run("collective " + q + " --group-shape 8x3").exit_code, 2);
  EXPECT_EQ(run("collective " + q + " --sizes 1GiB:1KiB:x2").exit_code, 2);
  EXPECT_EQ(run("collective " + q + " --ranks 17").exit_code, 2);
}

TEST_F(Cli, StepPrintsTheBreakdownOfOneTransformerStep) {
  const std::string small = (kSource / "tests/executor/small_transformer.yaml").string();
  const Outcome o = run("step " + small + " --json");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  for (const char* key :
       {"\"step_time_s\": ", "\"compute_s\": ", "\"exposed_comm_s\": ", "\"bubble_s\": ",
        "\"tflops_per_gpu\": ", "\"mfu\": ", "\"tokens_per_s\": ", "\"memory_per_rank_bytes\": ",
        "\"ranks\": 32", "\"simulated_ranks\": 4"}) {
    EXPECT_NE(o.out.find(key), std::string::npos) << key << " in " << o.out;
  }
  // The parts add up to the step.
  auto value = [&](const std::string& key) {
    return std::stod(o.out.substr(o.out.find("\"" + key + "\": ") + key.size() + 4));
  };
  EXPECT_NEAR(value("compute_s") + value("exposed_comm_s") + value("bubble_s"),
              value("step_time_s"), 1e-9 * value("step_time_s"));
  EXPECT_EQ(run("step " + kQuickstart.string()).exit_code, 2);  // no transformer job
  // A layout that does not fit its model is refused by every command that loads it, check too,
  // at the layout's line.
  const Outcome bad = run("check " + small + " --set workload.jobs[0].transformer.layout.tp=3");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(small + ":17: workload.jobs[0].transformer.layout.tp: must divide heads"),
            std::string::npos)
      << bad.err;
}

TEST_F(Cli, ChakraWritesOneTracePerRankAndRefusesAnExistingFolder) {
  const std::string small = (kSource / "tests/executor/small_transformer.yaml").string();
  const fs::path traces = dir_ / "et";
  const Outcome o = run("chakra " + small + " -o " + traces.string() +
                        " --set workload.jobs[0].transformer.layout.dp=1");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(traces)) files += e.path().extension() == ".et";
  EXPECT_EQ(files, 16u);  // tp 8 x pp 2, re-targeted from dp 2 to dp 1
  EXPECT_TRUE(fs::exists(traces / "train.15.et"));
  EXPECT_EQ(run("chakra " + small + " -o " + traces.string()).exit_code, 2);
}

TEST_F(Cli, ChakraReplayRunsAndStepsLikeAnyJob) {
  const std::string example = (kSource / "configs/examples/chakra-replay.yaml").string();
  const Outcome o = run("run " + example + " -o " + (dir_ / "c.h5").string() + " --quiet");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(outputs(), std::vector<std::string>{"c.h5"});
  EXPECT_NE(o.out.find("train: 4 ranks, 2 steps"), std::string::npos) << o.out;
  EXPECT_EQ(without_sanitizer_notice(o.err), "");  // nothing from SimGrid either
  const Outcome step = run("step " + example + " --json");
  EXPECT_EQ(step.exit_code, 0) << step.err;
  EXPECT_NE(step.out.find(R"("model": "chakra trace", "ranks": 4)"), std::string::npos) << step.out;
  auto value = [&](const std::string& key) {
    return std::stod(step.out.substr(step.out.find("\"" + key + "\": ") + key.size() + 4));
  };
  EXPECT_GT(value("exposed_comm_s"), 0);
  EXPECT_GT(value("bubble_s"), 0);  // two pipeline stages
  EXPECT_NEAR(value("compute_s") + value("exposed_comm_s") + value("bubble_s"),
              value("step_time_s"), 1e-9 * value("step_time_s"));
}

}  // namespace
