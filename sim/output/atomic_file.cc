#include "sim/output/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "sim/core/error.h"

namespace gwsim::output {
namespace {

// The temporary files the signal handler removes. A slot's path is written while the slot is
// kFilling and read by the handler only once kArmed, so the handler never sees a half-copied path.
// Lock-free atomics are async-signal-safe; the mutex serialises only constructors and destructors,
// never the handler.
enum SlotState : int { kFree = 0, kFilling = 1, kArmed = 2 };
struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX] = {};
};
static_assert(std::atomic<int>::is_always_lock_free);

Slot g_slots[AtomicOutputPath::kMaxAlive];
std::mutex g_slots_mutex;
std::atomic<bool> g_handlers_installed{false};

void remove_temp_files_and_exit(int signal_number) {
  for (Slot& slot : g_slots) {
    if (slot.state.load() == kArmed) ::unlink(slot.path);
  }
  static constexpr char kMessage[] = "gwsim: interrupted; partial output removed\n";
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(128 + signal_number);
}

int arm_slot(const std::filesystem::path& temp, const std::filesystem::path& target) {
  const std::string absolute = std::filesystem::absolute(temp).string();
  if (absolute.size() >= PATH_MAX) {
    throw InputError("cannot write " + target.string() + ": path is too long");
  }
  std::lock_guard lock(g_slots_mutex);
  for (Slot& slot : g_slots) {
    if (slot.state.load() == kArmed && absolute == slot.path) {
      throw std::logic_error("cannot write " + target.string() +
                             ": another AtomicOutputPath for it is alive");
    }
  }
  for (int i = 0; i < AtomicOutputPath::kMaxAlive; ++i) {
    Slot& slot = g_slots[i];
    if (slot.state.load() != kFree) continue;
    slot.state.store(kFilling);
    std::memcpy(slot.path, absolute.c_str(), absolute.size() + 1);
    slot.state.store(kArmed);
    return i;
  }
  throw std::logic_error("cannot write " + target.string() + ": more than " +
                         std::to_string(AtomicOutputPath::kMaxAlive) +
                         " output files are being written at once");
}

void release_slot(int index) {
  if (index < 0) return;
  std::lock_guard lock(g_slots_mutex);
  g_slots[index].state.store(kFree);
}

// fsync(2) on a path; returns 0 or an errno value.
int sync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return errno;
  const int result = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return result;
}

}  // namespace

AtomicOutputPath::AtomicOutputPath(std::filesystem::path target) : target_(std::move(target)) {
  const std::string out = target_.string();
  const std::filesystem::path name = target_.filename();
  if (name.empty() || name == "." || name == "..") {
    throw InputError("cannot write " + out + ": not a file name");
  }
  std::filesystem::path dir = target_.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    throw InputError("cannot write " + out + ": directory " + dir.string() + " does not exist");
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    throw InputError("cannot write " + out + ": " + dir.string() + " is not a directory");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw InputError("cannot write " + out + ": directory " + dir.string() + " is not writable");
  }
  if (std::filesystem::is_directory(target_, ec)) {
    throw InputError("cannot write " + out + ": it is a directory");
  }
  temp_ = target_;
  temp_.replace_filename(name.string() + ".tmp-" + std::to_string(::getpid()));
  slot_ = arm_slot(temp_, target_);
}

AtomicOutputPath::~AtomicOutputPath() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
  }
  release_slot(slot_);
}

void AtomicOutputPath::commit() {
  if (committed_)
    throw std::logic_error("AtomicOutputPath::commit called twice for " + target_.string());
  const std::string prefix = "cannot write " + target_.string() + ": ";
  if (const int err = sync_path(temp_, O_RDONLY); err != 0) {
    throw std::runtime_error(prefix + "cannot flush temporary file " + temp_.string() + ": " +
                             std::strerror(err));
  }
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) {
    throw std::runtime_error(prefix + "cannot rename " + temp_.string() +
                             " onto it: " + ec.message());
  }
  committed_ = true;
  // Make the rename itself durable. Best effort: some file systems refuse fsync on a directory.
  std::filesystem::path dir = target_.parent_path();
  sync_path(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY);
  release_slot(slot_);
  slot_ = -1;
}

void install_cleanup_signal_handlers() {
  if (g_handlers_installed.exchange(true)) return;
  struct sigaction action = {};
  action.sa_handler = remove_temp_files_and_exit;
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, SIGINT);
  sigaddset(&action.sa_mask, SIGTERM);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace gwsim::output
