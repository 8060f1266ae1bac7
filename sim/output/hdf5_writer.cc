#include "sim/output/hdf5_writer.h"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <unordered_set>
#include <utility>

namespace gwsim::output {
namespace {

static_assert(std::is_same_v<hid_t, int64_t>, "Hdf5Writer stores the file identifier as int64_t");

constexpr size_t kCompressAboveRows = 1024;  // tables up to this many rows stay contiguous
constexpr hsize_t kChunkValues = 65536;      // values per chunk of a series or a matrix
constexpr size_t kTableChunkBytes = size_t{512} * 1024;  // about the size of a series chunk
constexpr unsigned kDeflateLevel = 4;

// An HDF5 identifier that closes itself.
class Id {
 public:
  using Closer = herr_t (*)(hid_t);
  Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Id(Id&& other) noexcept
      : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  Id& operator=(Id&&) = delete;
  ~Id() {
    if (id_ >= 0) closer_(id_);
  }
  hid_t get() const { return id_; }

 private:
  hid_t id_;
  Closer closer_;
};

// The innermost message of HDF5's error stack (the most specific one), then clears the stack.
std::string hdf5_detail() {
  std::string detail;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned, const H5E_error2_t* error, void* out) -> herr_t {
        auto* text = static_cast<std::string*>(out);
        if (text->empty() && error->desc != nullptr) *text = error->desc;
        return 0;
      },
      &detail);
  H5Eclear2(H5E_DEFAULT);
  return detail;
}

// Names the file and the object of a failed HDF5 call: "HDF5: cannot WHAT OBJECT in FILE: detail".
class Failure {
 public:
  Failure(const std::filesystem::path& file, const std::string& object)
      : file_(file), object_(object) {}

  // The detail is HDF5's own message unless one is given.
  [[noreturn]] void raise(const std::string& what, std::string detail = "") const {
    const std::string hdf5 = hdf5_detail();
    if (detail.empty()) detail = hdf5;
    throw std::runtime_error("HDF5: cannot " + what + " " + object_ + " in " + file_.string() +
                             (detail.empty() ? "" : ": " + detail));
  }
  Id check(hid_t id, Id::Closer closer, const std::string& what) const {
    if (id < 0) raise(what);
    return {id, closer};
  }
  void check(herr_t status, const std::string& what) const {
    if (status < 0) raise(what);
  }

 private:
  const std::filesystem::path& file_;
  const std::string& object_;
};

// A link creation property list that creates missing intermediate groups.
Id intermediate_groups(const Failure& fail) {
  Id lcpl = fail.check(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "create property list for");
  fail.check(H5Pset_create_intermediate_group(lcpl.get(), 1), "set up");
  return lcpl;
}

// Chunked, shuffled and deflated dataset creation properties.
Id compressed_layout(const std::vector<hsize_t>& chunk, const Failure& fail) {
  Id dcpl = fail.check(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create property list for");
  fail.check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "chunk");
  fail.check(H5Pset_shuffle(dcpl.get()), "set the shuffle filter on");
  fail.check(H5Pset_deflate(dcpl.get(), kDeflateLevel), "set the deflate filter on");
  return dcpl;
}

Id variable_string_type(const Failure& fail) {
  Id type = fail.check(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type for");
  fail.check(H5Tset_size(type.get(), H5T_VARIABLE), "create a string type for");
  fail.check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "create a string type for");
  return type;
}

Id fixed_string_type(size_t size, const Failure& fail) {
  Id type = fail.check(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type for");
  fail.check(H5Tset_size(type.get(), size), "create a string type for");
  fail.check(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), "create a string type for");
  fail.check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "create a string type for");
  return type;
}

// Writes an attribute on an open object, replacing one of the same name.
void write_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type,
                     hid_t space, const void* data, const Failure& fail) {
  const std::string what = "write attribute \"" + name + "\" on";
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail.raise(what);
  if (exists > 0) fail.check(H5Adelete(object, name.c_str()), what);
  Id attribute = fail.check(
      H5Acreate2(object, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
  fail.check(H5Awrite(attribute.get(), memory_type, data), what);
}

void write_string_attribute(hid_t object, const std::string& name, const std::string& value,
                            const Failure& fail) {
  Id type = variable_string_type(fail);
  Id space = fail.check(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace for");
  const char* data = value.c_str();
  write_attribute(object, name, type.get(), type.get(), space.get(), &data, fail);
}

// Whether every component of an HDF5 path exists (H5Lexists fails on a missing intermediate group).
bool link_exists(hid_t file, const std::string& path, const Failure& fail) {
  std::string prefix;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) {
      const std::string parent = prefix;
      if (!prefix.empty() || path.front() == '/') prefix += '/';
      prefix += path.substr(start, end - start);
      const htri_t exists = H5Lexists(file, prefix.c_str(), H5P_DEFAULT);
      // H5Lexists fails when the parent is a dataset ("message type not found").
      if (exists < 0) fail.raise("look up", parent + " is not a group");
      if (exists == 0) return false;
    }
    start = end + 1;
  }
  return true;
}

// Creates a dataset, and its missing parent groups, of the given type, shape and layout.
Id create_dataset(hid_t file, const std::string& path, hid_t file_type, hid_t space, hid_t dcpl,
                  const Failure& fail) {
  Id lcpl = intermediate_groups(fail);
  return fail.check(H5Dcreate2(file, path.c_str(), file_type, space, lcpl.get(), dcpl, H5P_DEFAULT),
                    H5Dclose, "create dataset");
}

// The "units" and "description" attributes of a series or a matrix.
void describe(hid_t dataset, const std::string& units, const std::string& description,
              const Failure& fail) {
  write_string_attribute(dataset, "units", units, fail);
  write_string_attribute(dataset, "description", description, fail);
}

// The byte size of one column's field in a row of the compound type.
size_t field_size(const Column& column) {
  if (const auto* strings = std::get_if<std::vector<std::string>>(&column.values)) {
    size_t longest = 0;
    for (const std::string& s : *strings) longest = std::max(longest, s.size());
    return longest + 1;
  }
  return 8;
}

void validate(const Table& table, const std::string& path, const std::filesystem::path& file) {
  const std::string where = "table " + path + " in " + file.string() + ": ";
  if (table.columns.empty()) throw std::invalid_argument(where + "has no columns");
  std::unordered_set<std::string> names;
  const size_t rows = table.columns.front().size();
  for (const Column& column : table.columns) {
    if (column.name.empty()) throw std::invalid_argument(where + "a column has no name");
    if (!names.insert(column.name).second) {
      throw std::invalid_argument(where + "column \"" + column.name + "\" appears twice");
    }
    if (column.size() != rows) {
      throw std::invalid_argument(where + "column \"" + column.name + "\" has " +
                                  std::to_string(column.size()) + " rows, column \"" +
                                  table.columns.front().name + "\" has " + std::to_string(rows));
    }
  }
}

}  // namespace

size_t Column::size() const {
  return std::visit([](const auto& v) { return v.size(); }, values);
}

Hdf5Writer::Hdf5Writer(std::filesystem::path path) : path_(std::move(path)) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string root = "/";
  const Failure fail(path_, root);
  // A strong close degree closes every object still open with the file: close() really releases it.
  Id fapl = fail.check(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create property list for");
  fail.check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "set up");
  const hid_t file = H5Fcreate(path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (file < 0) {
    const std::string detail = hdf5_detail();
    throw std::runtime_error("HDF5: cannot create file " + path_.string() +
                             (detail.empty() ? "" : ": " + detail));
  }
  file_ = file;
}

Hdf5Writer::~Hdf5Writer() {
  if (file_ >= 0) {
    H5Fclose(file_);
    H5Eclear2(H5E_DEFAULT);
  }
}

void Hdf5Writer::close() {
  if (file_ < 0) return;
  const hid_t file = std::exchange(file_, -1);
  const std::string root = "/";
  const Failure fail(path_, root);
  const herr_t flushed = H5Fflush(file, H5F_SCOPE_GLOBAL);
  if (flushed < 0) {
    const std::string detail = hdf5_detail();
    H5Fclose(file);  // release the file anyway; the flush error is the one reported
    fail.raise("flush", detail);
  }
  fail.check(H5Fclose(file), "close");
}

void Hdf5Writer::require_open() const {
  if (file_ < 0) throw std::logic_error("HDF5 file " + path_.string() + " is already closed");
}

void Hdf5Writer::create_group(const std::string& path, const std::string& description) {
  require_open();
  const Failure fail(path_, path);
  if (link_exists(file_, path, fail)) {
    Id group = fail.check(H5Gopen2(file_, path.c_str(), H5P_DEFAULT), H5Gclose, "open group");
    if (!description.empty()) write_string_attribute(group.get(), "description", description, fail);
    return;
  }
  Id lcpl = intermediate_groups(fail);
  Id group = fail.check(H5Gcreate2(file_, path.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
                        H5Gclose, "create group");
  if (!description.empty()) write_string_attribute(group.get(), "description", description, fail);
}

void Hdf5Writer::set_attribute(const std::string& object, const std::string& name,
                               const std::string& value) {
  require_open();
  const Failure fail(path_, object);
  Id target = fail.check(H5Oopen(file_, object.c_str(), H5P_DEFAULT), H5Oclose, "open");
  write_string_attribute(target.get(), name, value, fail);
}

void Hdf5Writer::set_attribute(const std::string& object, const std::string& name, double value) {
  require_open();
  const Failure fail(path_, object);
  Id target = fail.check(H5Oopen(file_, object.c_str(), H5P_DEFAULT), H5Oclose, "open");
  Id space = fail.check(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace for");
  write_attribute(target.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(), &value, fail);
}

void Hdf5Writer::set_attribute(const std::string& object, const std::string& name, int64_t value) {
  require_open();
  const Failure fail(path_, object);
  Id target = fail.check(H5Oopen(file_, object.c_str(), H5P_DEFAULT), H5Oclose, "open");
  Id space = fail.check(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace for");
  write_attribute(target.get(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, space.get(), &value, fail);
}

void Hdf5Writer::write_table(const std::string& path, const Table& table) {
  require_open();
  validate(table, path, path_);
  const Failure fail(path_, path);
  const size_t rows = table.columns.front().size();

  // Rows are packed: each field follows the previous one without padding, in memory as in the file.
  std::vector<size_t> offsets;
  size_t row_size = 0;
  for (const Column& column : table.columns) {
    offsets.push_back(row_size);
    row_size += field_size(column);
  }
  Id memory_type = fail.check(H5Tcreate(H5T_COMPOUND, row_size), H5Tclose, "create a type for");
  Id file_type = fail.check(H5Tcreate(H5T_COMPOUND, row_size), H5Tclose, "create a type for");
  std::vector<char> buffer(rows * row_size, '\0');
  for (size_t c = 0; c < table.columns.size(); ++c) {
    const Column& column = table.columns[c];
    const char* name = column.name.c_str();
    char* field = buffer.data() + offsets[c];
    if (const auto* ints = std::get_if<std::vector<int64_t>>(&column.values)) {
      fail.check(H5Tinsert(memory_type.get(), name, offsets[c], H5T_NATIVE_INT64),
                 "create a type for");
      fail.check(H5Tinsert(file_type.get(), name, offsets[c], H5T_STD_I64LE), "create a type for");
      for (size_t r = 0; r < rows; ++r) std::memcpy(field + r * row_size, &(*ints)[r], 8);
    } else if (const auto* doubles = std::get_if<std::vector<double>>(&column.values)) {
      fail.check(H5Tinsert(memory_type.get(), name, offsets[c], H5T_NATIVE_DOUBLE),
                 "create a type for");
      fail.check(H5Tinsert(file_type.get(), name, offsets[c], H5T_IEEE_F64LE), "create a type for");
      for (size_t r = 0; r < rows; ++r) std::memcpy(field + r * row_size, &(*doubles)[r], 8);
    } else {
      const auto& strings = std::get<std::vector<std::string>>(column.values);
      Id string_type = fixed_string_type(field_size(column), fail);
      fail.check(H5Tinsert(memory_type.get(), name, offsets[c], string_type.get()),
                 "create a type for");
      fail.check(H5Tinsert(file_type.get(), name, offsets[c], string_type.get()),
                 "create a type for");
      for (size_t r = 0; r < rows; ++r) {
        std::copy(strings[r].begin(), strings[r].end(), field + r * row_size);
      }
    }
  }

  const hsize_t dims[1] = {rows};
  Id space = fail.check(H5Screate_simple(1, dims, nullptr), H5Sclose, "create a dataspace for");
  Id dcpl =
      rows > kCompressAboveRows
          ? compressed_layout({std::clamp<hsize_t>(kTableChunkBytes / row_size, 1, rows)}, fail)
          : fail.check(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create property list for");
  Id dataset = create_dataset(file_, path, file_type.get(), space.get(), dcpl.get(), fail);
  if (rows > 0) {
    fail.check(
        H5Dwrite(dataset.get(), memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
        "write dataset");
  }

  std::vector<const char*> units;
  for (const Column& column : table.columns) units.push_back(column.units.c_str());
  Id units_type = variable_string_type(fail);
  const hsize_t units_dims[1] = {units.size()};
  Id units_space =
      fail.check(H5Screate_simple(1, units_dims, nullptr), H5Sclose, "create a dataspace for");
  write_attribute(dataset.get(), "units", units_type.get(), units_type.get(), units_space.get(),
                  units.data(), fail);
  if (!table.description.empty()) {
    write_string_attribute(dataset.get(), "description", table.description, fail);
  }
}

void Hdf5Writer::write_series(const std::string& path, std::span<const double> values,
                              const std::string& units, const std::string& description) {
  require_open();
  const Failure fail(path_, path);
  const hsize_t dims[1] = {values.size()};
  const hsize_t max_dims[1] = {H5S_UNLIMITED};
  Id space = fail.check(H5Screate_simple(1, dims, max_dims), H5Sclose, "create a dataspace for");
  Id dcpl = compressed_layout({std::clamp<hsize_t>(values.size(), 1, kChunkValues)}, fail);
  Id dataset = create_dataset(file_, path, H5T_IEEE_F64LE, space.get(), dcpl.get(), fail);
  if (!values.empty()) {
    fail.check(
        H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        "write dataset");
  }
  describe(dataset.get(), units, description, fail);
}

void Hdf5Writer::write_matrix(const std::string& path, std::span<const double> values, size_t rows,
                              size_t cols, const std::string& units,
                              const std::string& description) {
  require_open();
  if ((cols != 0 && rows > std::numeric_limits<size_t>::max() / cols) ||
      values.size() != rows * cols) {
    throw std::invalid_argument("matrix " + path + " in " + path_.string() + ": " +
                                std::to_string(values.size()) + " values for " +
                                std::to_string(rows) + " x " + std::to_string(cols));
  }
  const Failure fail(path_, path);
  const hsize_t dims[2] = {rows, cols};
  const hsize_t max_dims[2] = {H5S_UNLIMITED, H5S_UNLIMITED};
  Id space = fail.check(H5Screate_simple(2, dims, max_dims), H5Sclose, "create a dataspace for");
  const hsize_t chunk_cols = std::clamp<hsize_t>(cols, 1, kChunkValues);
  const hsize_t chunk_rows =
      std::clamp<hsize_t>(kChunkValues / chunk_cols, 1, std::max<size_t>(rows, 1));
  Id dcpl = compressed_layout({chunk_rows, chunk_cols}, fail);
  Id dataset = create_dataset(file_, path, H5T_IEEE_F64LE, space.get(), dcpl.get(), fail);
  if (!values.empty()) {
    fail.check(
        H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        "write dataset");
  }
  describe(dataset.get(), units, description, fail);
}

}  // namespace gwsim::output
