#include "sim/core/error.h"

namespace gwsim {
namespace {

std::string format(const SourceLocation& where, const std::string& field, const std::string& what) {
  std::string out = where.file;
  if (where.line > 0) out += ":" + std::to_string(where.line);
  if (!out.empty()) out += ": ";
  if (!field.empty()) out += field + ": ";
  return out + what;
}

}  // namespace

InputError::InputError(const SourceLocation& where, const std::string& field,
                       const std::string& what)
    : std::runtime_error(format(where, field, what)) {}

}  // namespace gwsim
