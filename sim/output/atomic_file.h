// Output files are never half-written: each is written under a temporary name beside its target and
// renamed onto the target only once complete. rename(2) within one directory is atomic, so a reader
// sees either the previous target or the complete new one, never a mixture.
//
//   install_cleanup_signal_handlers();          // once, early in main()
//   AtomicOutputPath out("results.h5");         // throws InputError if the directory is unusable
//   Hdf5Writer writer(out.temp_path());
//   ...                                         // write everything
//   writer.close();
//   out.commit();                               // results.h5 appears, complete
//
// If the scope is left without commit() (an exception), the temporary file is removed and an
// existing target is left untouched. A SIGINT or SIGTERM while writing removes the temporary file
// too (see install_cleanup_signal_handlers).
#pragma once

#include <filesystem>

namespace gwsim::output {

class AtomicOutputPath {
 public:
  // The temporary file is "<target name>.tmp-<pid>" in the target's directory (so the final rename
  // stays within one file system). Throws gwsim::InputError naming the target when its directory
  // does not exist or is not writable, or when the target is a directory. Does not create any file.
  // At most kMaxAlive paths may be alive at once (std::logic_error otherwise).
  explicit AtomicOutputPath(std::filesystem::path target);
  ~AtomicOutputPath();  // without commit(): removes the temporary file if present; never throws

  AtomicOutputPath(const AtomicOutputPath&) = delete;
  AtomicOutputPath& operator=(const AtomicOutputPath&) = delete;

  const std::filesystem::path& temp_path() const { return temp_; }
  const std::filesystem::path& target() const { return target_; }

  // Flushes the temporary file to disk (fsync) and renames it onto the target, replacing any
  // existing file atomically. REQUIRES: the file at temp_path() is complete and closed; not yet
  // committed. Throws std::runtime_error naming both paths if the temporary file is missing or the
  // rename fails (the temporary file is then still removed by the destructor).
  void commit();

  static constexpr int kMaxAlive = 8;

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  int slot_ = -1;  // index in the signal handler's table of temporary files
  bool committed_ = false;
};

// Installs SIGINT and SIGTERM handlers that unlink the temporary file of every AtomicOutputPath
// alive at that moment, write one line to stderr and _exit(128 + signal). Only async-signal-safe
// calls are made (unlink, write, _exit). Idempotent; call it before writing output.
void install_cleanup_signal_handlers();

}  // namespace gwsim::output
