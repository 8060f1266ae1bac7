// The low-level HDF5 layer of gwsim's output: groups, attributes, tables, series and matrices,
// written so that Python reads them directly (h5py; pandas.DataFrame(f["jobs"][:])).
//
// Every HDF5 failure becomes a std::runtime_error naming the file and the object path, e.g.
//   "HDF5: cannot create dataset /jobs in out.h5.tmp-42: name already exists".
// HDF5's own printing of its error stack is switched off by the first Hdf5Writer.
//
// Object paths are HDF5 paths ("/power/rack0/series"); missing intermediate groups are created.
// Numbers are stored little-endian (int64, IEEE float64); strings as UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace gwsim::output {

// One column of a Table.
struct Column {
  std::string name;   // the field name, carrying the unit: "start_s", "energy_j"
  std::string units;  // "s", "J"; "" for dimensionless values and identifiers
  std::variant<std::vector<int64_t>, std::vector<double>, std::vector<std::string>> values;

  size_t size() const;
};

// A column-oriented table, written as one HDF5 compound dataset (a structured numpy array in h5py).
// REQUIRES: at least one column, all columns the same length, column names non-empty and distinct
// (write_table throws std::invalid_argument otherwise).
struct Table {
  std::vector<Column> columns;
  std::string description;
};

class Hdf5Writer {
 public:
  // Creates the file, truncating any existing one. The caller passes AtomicOutputPath::temp_path().
  explicit Hdf5Writer(std::filesystem::path path);
  // Closes the file if close() was not called; errors are then swallowed, so call close() to see
  // them.
  ~Hdf5Writer();

  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Flushes and closes the file. Idempotent. Must be called before the file is renamed onto its
  // target. Any other call after close() throws std::logic_error.
  void close();

  // Creates a group and any missing intermediate groups; an existing group is kept. Sets a
  // "description" string attribute when description is non-empty.
  void create_group(const std::string& path, const std::string& description = "");

  // Attributes on an existing group or dataset ("/" is the root). An attribute of the same name is
  // replaced. Strings are variable-length UTF-8 scalars; numbers are float64 or int64 scalars (an
  // int literal is ambiguous: write int64_t{3} or 3.0).
  void set_attribute(const std::string& object, const std::string& name, const std::string& value);
  void set_attribute(const std::string& object, const std::string& name, double value);
  void set_attribute(const std::string& object, const std::string& name, int64_t value);

  // A compound dataset with one member per column, in order: int64, float64, or a fixed-length
  // NUL-terminated string of (longest value + 1) bytes, at least 1 (h5py reads these as bytes).
  // Attributes: "units", a 1-D array of variable-length strings, one per column in order;
  // "description" when non-empty. Zero rows are allowed. Tables of more than 1024 rows are chunked
  // and compressed (shuffle + deflate level 4).
  void write_table(const std::string& path, const Table& table);

  // A 1-D float64 dataset, chunked (min(n, 65536) values per chunk, at least 1), compressed
  // (shuffle + deflate level 4) and extendible (unlimited maximum size). Attributes "units" and
  // "description" (scalar strings, always present). Zero length is allowed.
  void write_series(const std::string& path, std::span<const double> values,
                    const std::string& units, const std::string& description);

  // A 2-D float64 dataset of rows x cols from row-major values, chunked (at most 65536 values per
  // chunk), compressed and extendible in both dimensions like a series, with the same attributes.
  // Throws std::invalid_argument unless values.size() == rows * cols.
  void write_matrix(const std::string& path, std::span<const double> values, size_t rows,
                    size_t cols, const std::string& units, const std::string& description);

 private:
  void require_open() const;

  std::filesystem::path path_;
  int64_t file_ = -1;  // the HDF5 file identifier (hid_t); -1 once closed
};

}  // namespace gwsim::output
