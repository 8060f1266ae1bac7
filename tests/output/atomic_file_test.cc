#include "sim/output/atomic_file.h"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <string>

#include "sim/core/error.h"
#include "sim/output/hdf5_writer.h"

namespace gwsim::output {
namespace {

namespace fs = std::filesystem;

std::string contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The temporary path AtomicOutputPath uses in process pid.
fs::path temp_of(const fs::path& target, pid_t pid) {
  return target.parent_path() / (target.filename().string() + ".tmp-" + std::to_string(pid));
}

// A fresh directory per test, removed afterwards.
class AtomicOutputPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("gwsim_atomic_file_test-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    target_ = dir_ / "out.h5";
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  fs::path target_;
};

TEST_F(AtomicOutputPathTest, TempFileIsBesideTheTargetAndNamedWithThePid) {
  AtomicOutputPath out(target_);
  EXPECT_EQ(out.target(), target_);
  EXPECT_EQ(out.temp_path(), temp_of(target_, ::getpid()));
  EXPECT_FALSE(fs::exists(out.temp_path()));  // nothing is created up front
}

TEST_F(AtomicOutputPathTest, TargetAppearsOnlyOnCommit) {
  {
    AtomicOutputPath out(target_);
    write_file(out.temp_path(), "complete");
    EXPECT_FALSE(fs::exists(target_));
    out.commit();
    EXPECT_TRUE(fs::exists(target_));
    EXPECT_FALSE(fs::exists(out.temp_path()));
    EXPECT_THROW(out.commit(), std::logic_error);
  }
  EXPECT_EQ(contents(target_), "complete");  // the destructor left the committed file alone
}

TEST_F(AtomicOutputPathTest, CommitReplacesAnExistingTarget) {
  write_file(target_, "old");
  AtomicOutputPath out(target_);
  write_file(out.temp_path(), "new");
  EXPECT_EQ(contents(target_), "old");
  out.commit();
  EXPECT_EQ(contents(target_), "new");
}

TEST_F(AtomicOutputPathTest, DestroyingWithoutCommitRemovesTempAndKeepsExistingTarget) {
  const std::string original("previous results\0with a NUL byte", 32);
  write_file(target_, original);
  fs::path temp;
  {
    AtomicOutputPath out(target_);
    temp = out.temp_path();
    write_file(temp, "half-written");
    ASSERT_TRUE(fs::exists(temp));
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(contents(target_), original);
}

TEST_F(AtomicOutputPathTest, DestroyingWithoutCommitAndWithoutTempIsQuiet) {
  EXPECT_NO_THROW({ AtomicOutputPath out(target_); });
  EXPECT_FALSE(fs::exists(target_));
}

TEST_F(AtomicOutputPathTest, MissingDirectoryThrowsInputErrorNamingIt) {
  const fs::path missing = dir_ / "no-such-dir";
  try {
    AtomicOutputPath out(missing / "out.h5");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string expected = "cannot write " + (missing / "out.h5").string() + ": directory " +
                                 missing.string() + " does not exist";
    EXPECT_EQ(std::string(e.what()), expected);
  }
}

TEST_F(AtomicOutputPathTest, TargetThatIsADirectoryThrowsInputError) {
  fs::create_directory(target_);
  EXPECT_THROW(AtomicOutputPath out(target_), InputError);
  EXPECT_THROW(AtomicOutputPath out(dir_ / "."), InputError);
}

TEST_F(AtomicOutputPathTest, UnwritableDirectoryThrowsInputError) {
  // Root writes into read-only directories, so as root (as in CI) the check runs in a child that
  // gives up root for the unprivileged "nobody" user, which owns the read-only directory.
  constexpr uid_t kNobody = 65534;
  const fs::path locked = dir_ / "locked";
  fs::create_directory(locked);
  const bool as_root = ::geteuid() == 0;
  if (as_root) {
    ASSERT_EQ(::chown(locked.c_str(), kNobody, kNobody), 0);
  }
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (as_root && (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0)) ::_exit(3);
    try {
      AtomicOutputPath out(locked / "out.h5");
    } catch (const InputError& e) {
      ::_exit(std::string(e.what()).find("is not writable") != std::string::npos ? 0 : 4);
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "1: no error; 2: another exception; 3: could not drop root; 4: another message";
  fs::permissions(locked, fs::perms::owner_all);
}

TEST_F(AtomicOutputPathTest, CommitWithoutTempFileThrowsNamingBothPaths) {
  AtomicOutputPath out(target_);
  try {
    out.commit();
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(target_.string()), std::string::npos) << message;
    EXPECT_NE(message.find(out.temp_path().string()), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(target_));
}

TEST_F(AtomicOutputPathTest, TwoPathsForOneTargetAreRefused) {
  AtomicOutputPath first(target_);
  EXPECT_THROW(AtomicOutputPath second(target_), std::logic_error);
  AtomicOutputPath other(dir_ / "other.h5");  // a different target is fine
}

TEST_F(AtomicOutputPathTest, Hdf5WriterThroughTheTempPath) {
  {
    AtomicOutputPath out(target_);
    Hdf5Writer writer(out.temp_path());
    writer.write_series("/s", std::vector<double>{1.0, 2.0}, "W", "");
    writer.close();
    EXPECT_FALSE(fs::exists(target_));
    out.commit();
  }
  const hid_t file = H5Fopen(target_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  EXPECT_GT(H5Lexists(file, "/s", H5P_DEFAULT), 0);
  H5Fclose(file);
}

// Child-process exit codes that report a failure before the signal.
constexpr int kChildSetupFailed = 3;
constexpr int kChildSurvived = 4;

struct Child {
  pid_t pid;
  int status;  // as waitpid reports it
};

// Runs body in a child process and waits for it.
template <typename Body>
Child run_child(Body body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    try {
      body();
    } catch (...) {
      ::_exit(kChildSetupFailed);
    }
    ::_exit(kChildSurvived);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {pid, status};
}

TEST_F(AtomicOutputPathTest, SigtermRemovesTheTempFileAndExits143) {
  write_file(target_, "previous");
  const auto [pid, status] = run_child([&] {
    AtomicOutputPath out(target_);
    write_file(out.temp_path(), "partial bytes");
    if (!fs::exists(out.temp_path())) ::_exit(kChildSetupFailed);
    install_cleanup_signal_handlers();
    install_cleanup_signal_handlers();  // idempotent
    std::raise(SIGTERM);
  });
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  EXPECT_FALSE(fs::exists(temp_of(target_, pid)));
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path(), target_) << "left behind: " << entry.path();
  }
  EXPECT_EQ(contents(target_), "previous");
}

// Without the handlers, the same child leaves its temporary file behind: the test above can fail.
TEST_F(AtomicOutputPathTest, WithoutHandlersSigtermLeavesTheTempFile) {
  const auto [pid, status] = run_child([&] {
    AtomicOutputPath out(target_);
    write_file(out.temp_path(), "partial bytes");
    std::raise(SIGTERM);
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_EQ(contents(temp_of(target_, pid)), "partial bytes");
  EXPECT_FALSE(fs::exists(target_));
}

TEST_F(AtomicOutputPathTest, SigintFromAnotherProcessRemovesTheTempFile) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(ready[0]);
    try {
      AtomicOutputPath out(target_);
      install_cleanup_signal_handlers();
      write_file(out.temp_path(), "partial bytes");
      const char byte = 'r';
      if (::write(ready[1], &byte, 1) != 1) ::_exit(kChildSetupFailed);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(kChildSetupFailed);
    }
  }
  ::close(ready[1]);
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ::close(ready[0]);
  const fs::path temp = temp_of(target_, pid);
  EXPECT_TRUE(fs::exists(temp));  // the child is mid-write
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGINT);
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_FALSE(fs::exists(target_));
}

TEST_F(AtomicOutputPathTest, SignalAfterCommitKeepsTheTarget) {
  const Child child = run_child([&] {
    install_cleanup_signal_handlers();
    AtomicOutputPath out(target_);
    write_file(out.temp_path(), "complete");
    out.commit();
    std::raise(SIGTERM);
  });
  ASSERT_TRUE(WIFEXITED(child.status)) << child.status;
  EXPECT_EQ(WEXITSTATUS(child.status), 128 + SIGTERM);
  EXPECT_EQ(contents(target_), "complete");
}

}  // namespace
}  // namespace gwsim::output
