// Every file in tests/config/malformed/ is a broken scenario whose first line states the exact
// error the loader must give ("# expect: {file}:LINE: field.path: what"). tests/cli checks the same
// files through the gwsim binary: exit code 2 and no output file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/config/loader.h"
#include "sim/core/error.h"

namespace gwsim::config {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> malformed_files() {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(GWSIM_SOURCE_DIR) / "tests/config/malformed")) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string expected_error(const fs::path& file) {
  std::ifstream in(file);
  std::string first;
  std::getline(in, first);
  const std::string prefix = "# expect: ";
  EXPECT_EQ(first.rfind(prefix, 0), 0u) << file << " must start with '" << prefix << "'";
  std::string expected = first.substr(prefix.size());
  const size_t at = expected.find("{file}");
  if (at != std::string::npos) expected.replace(at, 6, file.string());
  return expected;
}

TEST(Malformed, CorpusIsLargeEnough) { EXPECT_GE(malformed_files().size(), 15u); }

TEST(Malformed, EachFileGivesItsExactError) {
  for (const fs::path& file : malformed_files()) {
    SCOPED_TRACE(file.string());
    try {
      load_scenario(file);
      ADD_FAILURE() << "loaded without error";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), expected_error(file));
    }
  }
}

}  // namespace
}  // namespace gwsim::config
