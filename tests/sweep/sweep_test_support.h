// Helpers of the sweep tests that run the gwsim binary: a temporary folder, running a command with
// its output captured, and reading sweep.h5 back with the HDF5 C API (independently of the code
// under test).
#pragma once

#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/command_line.h"

namespace gwsim::sweep::testing {

namespace fs = std::filesystem;

inline const fs::path kSweepTests = fs::path(GWSIM_SOURCE_DIR) / "tests/sweep";

using gwsim::testing::gwsim_binary;
using gwsim::testing::read_text;
using Outcome = gwsim::testing::CommandOutcome;

// A fresh folder per test (tests/command_line.h) and sweep files in it.
class TempFolder : public gwsim::testing::CommandTest {
 protected:
  TempFolder() : CommandTest("gwsim-sweep") {}

  // Writes a sweep file whose base is tests/sweep/tiny.yaml and whose output is `output`.
  fs::path write_sweep(const std::string& name, const std::string& body,
                       const std::string& output = "out") const {
    const fs::path file = dir_ / name;
    std::ofstream(file) << "base: " << (kSweepTests / "tiny.yaml").string()
                        << "\noutput: " << output << "\n"
                        << body;
    return file;
  }
};

// A string attribute of an object of an HDF5 file ("" if it cannot be read). The object may be
// reached through an external link.
inline std::string string_attribute(const fs::path& file, const char* object, const char* name) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  std::string value;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return value;
  const hid_t o = H5Oopen(f, object, H5P_DEFAULT);
  const hid_t a = o >= 0 ? H5Aopen(o, name, H5P_DEFAULT) : -1;
  if (a >= 0) {
    const hid_t type = H5Aget_type(a);
    if (H5Tis_variable_str(type) > 0) {
      char* text = nullptr;
      if (H5Aread(a, type, &text) >= 0 && text != nullptr) {
        value = text;
        H5free_memory(text);
      }
    }
    H5Tclose(type);
    H5Aclose(a);
  }
  if (o >= 0) H5Oclose(o);
  H5Fclose(f);
  return value;
}

inline int64_t int_attribute(const fs::path& file, const char* name) {
  int64_t value = -1;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return value;
  const hid_t a = H5Aopen(f, name, H5P_DEFAULT);
  if (a >= 0) {
    H5Aread(a, H5T_NATIVE_INT64, &value);
    H5Aclose(a);
  }
  H5Fclose(f);
  return value;
}

// One column of a compound table, read by member name with HDF5's conversion to T.
template <typename T>
std::vector<T> number_column(const fs::path& file, const char* table, const char* member,
                             hid_t memory_type) {
  std::vector<T> values;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return values;
  const hid_t d = H5Dopen2(f, table, H5P_DEFAULT);
  const hid_t space = H5Dget_space(d);
  values.resize(static_cast<size_t>(H5Sget_simple_extent_npoints(space)));
  const hid_t type = H5Tcreate(H5T_COMPOUND, sizeof(T));
  H5Tinsert(type, member, 0, memory_type);
  if (H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) values.clear();
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  return values;
}

inline std::vector<std::string> string_column(const fs::path& file, const char* table,
                                              const char* member) {
  std::vector<std::string> values;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return values;
  const hid_t d = H5Dopen2(f, table, H5P_DEFAULT);
  const hid_t file_type = H5Dget_type(d);
  const int at = H5Tget_member_index(file_type, member);
  if (at >= 0) {
    const hid_t member_type = H5Tget_member_type(file_type, static_cast<unsigned>(at));
    const size_t size = H5Tget_size(member_type);
    const hid_t space = H5Dget_space(d);
    const auto rows = static_cast<size_t>(H5Sget_simple_extent_npoints(space));
    const hid_t type = H5Tcreate(H5T_COMPOUND, size);
    H5Tinsert(type, member, 0, member_type);
    std::string buffer(rows * size, '\0');
    if (H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) >= 0) {
      for (size_t r = 0; r < rows; ++r) {
        const std::string cell = buffer.substr(r * size, size);
        values.push_back(cell.substr(0, cell.find('\0')));
      }
    }
    H5Tclose(type);
    H5Sclose(space);
    H5Tclose(member_type);
  }
  H5Tclose(file_type);
  H5Dclose(d);
  H5Fclose(f);
  return values;
}

}  // namespace gwsim::sweep::testing
