// Errors of bad input: a scenario, a flag, a trace. Each names where (file and line when known),
// which field, and what was expected. The CLI turns an InputError into its message on stderr and
// exit code 2. Programmer errors are assertions, not InputErrors; simulated failures are recorded
// results, not errors.
#pragma once

#include <stdexcept>
#include <string>

namespace gwsim {

struct SourceLocation {
  std::string file;  // as the user named it; "--set" for command-line overrides
  int line = 0;      // 1-based; 0 when unknown
};

class InputError : public std::runtime_error {
 public:
  // Formats "file:line: field: what" (the line and the field are left out when unknown).
  InputError(const SourceLocation& where, const std::string& field, const std::string& what);
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace gwsim
