#include "sim/sweep/local_executor.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

#include "sim/sweep/stop_signal.h"

extern char** environ;

namespace gwsim::sweep {
namespace {

pid_t spawn(const std::vector<std::string>& argv, const SweepFolder& folder, size_t index) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string out = folder.stdout_file(index).string();
  const std::string err = folder.stderr_file(index).string();
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  return pid;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::vector<std::string> point_command(const std::filesystem::path& gwsim,
                                       const std::filesystem::path& base, const SweepFolder& folder,
                                       const Point& point) {
  std::vector<std::string> argv = {
      gwsim.string(), "run", base.string(), "-o", folder.point_file(point.index).string(),
      "--quiet"};
  for (const std::string& o : point.overrides) {
    argv.emplace_back("--set");
    argv.push_back(o);
  }
  return argv;
}

int run_local(const std::vector<const Point*>& todo, const std::filesystem::path& gwsim,
              const std::filesystem::path& base, const SweepFolder& folder, int jobs,
              const LocalProgress& progress) {
  if (jobs < 1) throw std::logic_error("run_local needs jobs >= 1");
  const std::filesystem::path absolute_base = std::filesystem::absolute(base);
  std::map<pid_t, const Point*> running;
  size_t next = 0, done = 0, failed = 0;
  auto report = [&] {
    if (progress) progress(running.size(), done, failed);
  };
  while (next < todo.size() || !running.empty()) {
    if (const int signal = stop_signal(); signal != 0) {
      for (const auto& [pid, point] : running) kill(pid, SIGTERM);
      for (const auto& [pid, point] : running) {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        write_file_atomically(folder.exit_file(point->index),
                              std::to_string(exit_code_of(status)) + "\n");
      }
      return 128 + signal;
    }
    while (next < todo.size() && running.size() < static_cast<size_t>(jobs)) {
      const Point* point = todo[next++];
      folder.clear_logs(point->index);
      running.emplace(
          spawn(point_command(gwsim, absolute_base, folder, *point), folder, point->index), point);
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      const auto it = running.find(pid);
      if (it != running.end()) {
        const Point* point = it->second;
        running.erase(it);
        const int code = exit_code_of(status);
        write_file_atomically(folder.exit_file(point->index), std::to_string(code) + "\n");
        (code == 0 && folder.is_done(*point) ? done : failed) += 1;
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    report();  // the callback decides when a report is due
  }
  report();
  return 0;
}

std::filesystem::path self_executable() { return std::filesystem::read_symlink("/proc/self/exe"); }

}  // namespace gwsim::sweep
