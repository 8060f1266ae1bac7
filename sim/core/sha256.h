// SHA-256 digests, e.g. of a scenario's canonical text, written beside results so a run can be
// traced back to its exact input.
#pragma once

#include <string>
#include <string_view>

namespace gwsim {

// The SHA-256 digest of data as 64 lowercase hexadecimal digits (OpenSSL's EVP_sha256).
std::string sha256_hex(std::string_view data);

}  // namespace gwsim
