#include "sim/sweep/slurm_executor.h"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <set>
#include <sstream>
#include <stdexcept>

namespace gwsim::sweep {
namespace fs = std::filesystem;
namespace {

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

CommandResult run_shell(const std::string& command) {
  std::FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string output;
  std::array<char, 4096> buffer{};
  while (const size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    output.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

std::string shell_quote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string job_script(const config::SweepSpec& spec, const std::vector<const Point*>& todo,
                       const fs::path& gwsim, const SweepFolder& folder,
                       const SlurmOptions& options) {
  const fs::path root = fs::absolute(folder.root()).lexically_normal();
  const fs::path base = fs::absolute(spec.base).lexically_normal();
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# gwsim sweep " << spec.display_name << " (sha256 " << spec.sha256 << ")\n"
    << "# " << todo.size() << " points, one per array task; written by `gwsim sweep --executor "
    << "slurm`.\n"
    << "# Submit with `sbatch " << folder.script_file().filename().string()
    << "` from this folder; merge with `gwsim sweep " << spec.display_name << " --merge-only`.\n"
    << "#SBATCH --job-name=gwsim-sweep\n"
    << "#SBATCH --array=0-" << (todo.empty() ? 0 : todo.size() - 1);
  if (options.max_parallel > 0) s << "%" << options.max_parallel;
  s << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=1\n"
    << "#SBATCH --chdir=" << root.string() << "\n"
    << "#SBATCH --output=" << (root / "logs" / "slurm-%A_%a.out").string() << "\n";
  if (!options.partition.empty()) s << "#SBATCH --partition=" << options.partition << "\n";
  if (!options.account.empty()) s << "#SBATCH --account=" << options.account << "\n";
  if (!options.time.empty()) s << "#SBATCH --time=" << options.time << "\n";
  for (const std::string& arg : options.sbatch_args) s << "#SBATCH " << arg << "\n";
  s << "\n"
    << "gwsim=" << shell_quote(gwsim.string()) << "\n"
    << "base=" << shell_quote(base.string()) << "\n"
    << "case \"$SLURM_ARRAY_TASK_ID\" in\n";
  for (size_t k = 0; k < todo.size(); ++k) {
    s << "  " << k << ") point=" << todo[k]->index << "; set --";
    for (const std::string& o : todo[k]->overrides) s << " --set " << shell_quote(o);
    s << " ;;\n";
  }
  s << "  *) echo \"gwsim sweep: no point for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\n"
    << "esac\n"
    << "rm -f \"logs/$point.exit\"\n"
    << R"("$gwsim" run "$base" -o "points/$point.h5" --quiet "$@" )"
    << R"(> "logs/$point.out" 2> "logs/$point.err")"
    << "\n"
    << "code=$?\n"
    << R"(echo "$code" > "logs/$point.exit.tmp" && mv "logs/$point.exit.tmp" "logs/$point.exit")"
    << "\n"
    << "exit \"$code\"\n";
  return s.str();
}

std::string submit(const fs::path& script) {
  const CommandResult r = run_shell("sbatch --parsable " + shell_quote(script.string()));
  const std::string out = trim(r.output);
  if (r.exit_code != 0) {
    throw std::runtime_error("sbatch failed (exit code " + std::to_string(r.exit_code) +
                             "): " + out);
  }
  // --parsable prints "<job id>" or "<job id>;<cluster>", possibly after warnings.
  std::string id =
      out.substr(out.find_last_of('\n') == std::string::npos ? 0 : out.find_last_of('\n') + 1);
  id = id.substr(0, id.find(';'));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error("sbatch printed no job id: " + out);
  }
  return id;
}

std::optional<QueueState> query_queue(const std::string& job_id) {
  const CommandResult r = run_shell("squeue -h -r -j " + shell_quote(job_id) + " -o '%T|%r'");
  if (r.exit_code == 127) throw std::runtime_error("squeue is not installed: " + trim(r.output));
  // Once the job has left the controller's memory squeue says "Invalid job id specified".
  if (r.exit_code != 0) {
    if (r.output.find("Invalid job id") != std::string::npos) return std::nullopt;
    throw std::runtime_error("squeue failed (exit code " + std::to_string(r.exit_code) +
                             "): " + trim(r.output));
  }
  static const std::set<std::string> kEnded = {"COMPLETED", "FAILED",    "CANCELLED",
                                               "TIMEOUT",   "NODE_FAIL", "PREEMPTED",
                                               "BOOT_FAIL", "DEADLINE",  "OUT_OF_MEMORY"};
  QueueState state;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    line = trim(line);
    if (line.empty()) continue;
    const std::string task_state = line.substr(0, line.find('|'));
    const std::string reason =
        line.find('|') == std::string::npos ? "" : line.substr(line.find('|') + 1);
    if (task_state == "RUNNING") {
      ++state.running;
    } else if (kEnded.count(task_state) == 0) {
      ++state.pending;
      std::string lower = reason;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (lower.find("held") != std::string::npos) {
        if (state.held++ == 0) state.held_reason = reason;
      }
    }
  }
  if (state.running == 0 && state.pending == 0) return std::nullopt;
  return state;
}

void cancel(const std::string& job_id) { run_shell("scancel " + shell_quote(job_id)); }

}  // namespace gwsim::sweep
