// `gwsim sweep --executor slurm` against a real Slurm: a single-node slurmctld and slurmd started
// here from Debian's slurm-wlm, in a temporary folder, on free ports, without systemd, cgroups or
// munge; stopped by PID at the end. slurm-wlm is a test dependency (scripts/install-deps.sh): when
// it is missing the test fails, it is not skipped.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "tests/sweep/sweep_test_support.h"

namespace gwsim::sweep::testing {
namespace {

// A port nobody listens on now (the kernel's choice for port 0).
int free_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(s);
    return -1;
  }
  close(s);
  return ntohs(address.sin_port);
}

std::string find_program(const std::string& name) {
  for (const char* dir : {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
    const fs::path p = fs::path(dir) / name;
    if (access(p.c_str(), X_OK) == 0) return p.string();
  }
  return "";
}

pid_t start_daemon(const std::vector<std::string>& argv, const fs::path& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    setsid();  // not in the test's process group: a Ctrl-C of ctest does not reach it first
    freopen(log.c_str(), "w", stdout);
    freopen(log.c_str(), "a", stderr);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

void stop_daemon(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

class SweepSlurm : public TempFolder {
 protected:
  void SetUp() override {
    TempFolder::SetUp();
    const std::string slurmctld = find_program("slurmctld"), slurmd = find_program("slurmd");
    ASSERT_FALSE(slurmctld.empty() || slurmd.empty() || find_program("sbatch").empty())
        << "slurm-wlm is not installed: this test needs Debian's slurm-wlm "
           "(scripts/install-deps.sh "
           "installs it)";
    // A short folder of its own: slurmstepd's socket paths in the spool folder must stay under
    // the 108 bytes of a Unix socket address.
    char folder[] = "/tmp/gwslurm-XXXXXX";
    ASSERT_NE(mkdtemp(folder), nullptr);
    slurm_dir_ = folder;
    const fs::path s = slurm_dir_;
    fs::create_directories(s / "state");
    fs::create_directories(s / "spool");
    const passwd* user = getpwuid(getuid());
    ASSERT_NE(user, nullptr);
    const int controller_port = free_port(), node_port = free_port();
    ASSERT_GT(controller_port, 0);
    ASSERT_GT(node_port, 0);
    conf_ = s / "slurm.conf";
    std::ofstream(conf_)
        << "ClusterName=gwsimtest\n"
        << "SlurmctldHost=localhost\n"
        << "SlurmUser=" << user->pw_name << "\n"
        << "SlurmdUser=" << user->pw_name << "\n"
        << "SlurmctldPort=" << controller_port << "\n"
        << "SlurmdPort=" << node_port << "\n"
        << "AuthType=auth/none\nCredType=cred/none\n"
        << "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
        << "SelectType=select/cons_tres\nSelectTypeParameters=CR_Core\n"
        << "SchedulerParameters=batch_sched_delay=0\nMpiDefault=none\nReturnToService=2\n"
        << "StateSaveLocation=" << (s / "state").string() << "\n"
        << "SlurmdSpoolDir=" << (s / "spool").string() << "\n"
        << "SlurmctldPidFile=" << (s / "slurmctld.pid").string() << "\n"
        << "SlurmdPidFile=" << (s / "slurmd.pid").string() << "\n"
        << "SlurmctldLogFile=" << (s / "slurmctld.log").string() << "\n"
        << "SlurmdLogFile=" << (s / "slurmd.log").string() << "\n"
        << "NodeName=localhost CPUs=2 RealMemory=1000 State=UNKNOWN\n"
        << "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP\n";
    setenv("SLURM_CONF", conf_.c_str(), 1);
    controller_ = start_daemon({slurmctld, "-D", "-f", conf_.string()}, s / "slurmctld.out");
    node_ = start_daemon({slurmd, "-D", "-f", conf_.string(), "-N", "localhost"}, s / "slurmd.out");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (shell("sinfo -h -o %T").out != "idle\n") {
      for (const auto& [pid, log] :
           {std::pair{controller_, s / "slurmctld.out"}, std::pair{node_, s / "slurmd.out"}}) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
          (pid == controller_ ? controller_ : node_) = -1;
          FAIL() << "a Slurm daemon exited at start:\n" << read_text(log);
        }
      }
      ASSERT_LT(std::chrono::steady_clock::now(), deadline)
          << "the Slurm node did not become idle; see " << (s / "slurmctld.log") << " and "
          << (s / "slurmd.log");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  void TearDown() override {
    stop_daemon(node_);
    stop_daemon(controller_);
    unsetenv("SLURM_CONF");
    // slurmstepd may linger a second or two after its job; let it go before removing the folder.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    if (!HasFailure()) fs::remove_all(slurm_dir_);
    TempFolder::TearDown();
  }

  // gwsim with a time limit, so a test that goes wrong fails instead of waiting on the queue.
  Outcome sweep(const std::string& args) const {
    return shell("timeout 120 " + gwsim_binary() + " sweep " + args);
  }

  fs::path slurm_dir_;
  fs::path conf_;
  pid_t controller_ = -1;
  pid_t node_ = -1;
};

TEST_F(SweepSlurm, AFourPointSweepRunsAsAJobArrayAndMerges) {
  write_sweep("four.yaml",
              "axes:\n  platform.accelerators_per_node: [1, 2]\n"
              "  workload.jobs[0].data_parallel.steps: [2, 3]\n");
  const auto start = std::chrono::steady_clock::now();
  const Outcome o = sweep("four.yaml --executor slurm --max-parallel 2 --poll-interval 0.2");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(o.exit_code, 0) << o.err << read_text(slurm_dir_ / "slurmctld.log");
  EXPECT_NE(o.err.find("sweep: submitted job array "), std::string::npos) << o.err;
  EXPECT_NE(o.out.find("sweep: 4 points: 4 done, 0 failed, 0 skipped"), std::string::npos) << o.out;
  const fs::path merged = dir_ / "out/sweep.h5";
  EXPECT_EQ(string_column(merged, "/points", "status"), std::vector<std::string>(4, "done"));
  EXPECT_EQ(string_column(merged, "/points", "platform.accelerators_per_node"),
            (std::vector<std::string>{"1", "1", "2", "2"}));
  EXPECT_EQ(string_column(merged, "/points", "workload.jobs[0].data_parallel.steps"),
            (std::vector<std::string>{"2", "3", "2", "3"}));
  const auto sha = string_column(merged, "/points", "scenario_sha256");
  ASSERT_EQ(sha.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(string_attribute(merged, ("/runs/" + std::to_string(i)).c_str(), "scenario_sha256"),
              sha[i]);
    // Slurm ran it: the task's own log is there.
    EXPECT_EQ(read_text(dir_ / "out/logs" / (std::to_string(i) + ".exit")), "0\n");
  }
  EXPECT_NE(read_text(dir_ / "out/sweep.sbatch").find("#SBATCH --array=0-3%2\n"),
            std::string::npos);
  std::cout << "4-point Slurm sweep: " << seconds << " s\n";

  // Run again: nothing to submit, the index is rewritten from the files.
  const Outcome again = sweep("four.yaml --executor slurm --poll-interval 0.2");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("4 done before, 0 to run"), std::string::npos) << again.err;
  EXPECT_EQ(again.err.find("submitted"), std::string::npos) << again.err;
}

TEST_F(SweepSlurm, AStoppedFollowerLeavesTheJobAndTheNextRunFollowsIt) {
  // Points of about a second each, so the job is still queued when the sweep is run again.
  write_sweep("slow.yaml",
              "set:\n  workload.jobs[0].data_parallel.steps: 20000\naxes:\n  seed: [1, 2]\n");
  const std::string bin = gwsim_binary();
  const pid_t child = fork();
  if (child == 0) {
    if (chdir(dir_.c_str()) != 0) _exit(127);
    freopen("/dev/null", "w", stdout);
    freopen("first.err", "w", stderr);
    execl(bin.c_str(), bin.c_str(), "sweep", "slow.yaml", "--executor", "slurm", "--poll-interval",
          "0.2", static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (read_text(dir_ / "first.err").find("submitted job array") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  const std::string first = read_text(dir_ / "first.err");
  ASSERT_TRUE(WIFEXITED(status)) << first;
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGINT) << first;
  EXPECT_NE(first.find("it keeps running"), std::string::npos) << first;
  const std::string job = read_text(dir_ / "out/slurm-job");
  ASSERT_FALSE(job.empty());

  const Outcome o = sweep("slow.yaml --executor slurm --poll-interval 0.2");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("sweep: following job " + job.substr(0, job.size() - 1) +
                       ", submitted earlier for this folder"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(o.err.find("submitted job array"), std::string::npos) << o.err;
  EXPECT_NE(o.out.find("sweep: 2 points: 2 done, 0 failed, 0 skipped"), std::string::npos) << o.out;
}

}  // namespace
}  // namespace gwsim::sweep::testing
