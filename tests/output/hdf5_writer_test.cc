#include "sim/output/hdf5_writer.h"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace gwsim::output {
namespace {

namespace fs = std::filesystem;

// An HDF5 identifier closed at scope exit (the tests read files back with the C API).
class Handle {
 public:
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), closer_(other.closer_) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) closer_(id_);
  }
  hid_t get() const { return id_; }

 private:
  hid_t id_;
  herr_t (*closer_)(hid_t);
};

// A fresh directory per test, removed afterwards.
class Hdf5WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("gwsim_hdf5_writer_test-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Handle open_file(const fs::path& path) {
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    EXPECT_GE(file.get(), 0) << path;
    return file;
  }

  fs::path dir_;
};

Handle open_object(hid_t file, const std::string& path) {
  Handle object(H5Oopen(file, path.c_str(), H5P_DEFAULT), H5Oclose);
  EXPECT_GE(object.get(), 0) << path;
  return object;
}

std::string string_attribute(hid_t object, const std::string& name) {
  Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
  if (attribute.get() < 0) return "<no attribute " + name + ">";
  Handle type(H5Aget_type(attribute.get()), H5Tclose);
  if (H5Tis_variable_str(type.get()) <= 0) return "<not a variable-length string>";
  if (H5Tget_cset(type.get()) != H5T_CSET_UTF8) return "<not UTF-8>";
  Handle space(H5Aget_space(attribute.get()), H5Sclose);
  if (H5Sget_simple_extent_type(space.get()) != H5S_SCALAR) return "<not a scalar>";
  char* value = nullptr;
  if (H5Aread(attribute.get(), type.get(), &value) < 0) return "<unreadable>";
  std::string result = value;
  H5free_memory(value);
  return result;
}

std::vector<std::string> string_array_attribute(hid_t object, const std::string& name) {
  Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
  if (attribute.get() < 0) return {"<no attribute>"};
  Handle type(H5Aget_type(attribute.get()), H5Tclose);
  if (H5Tis_variable_str(type.get()) <= 0) return {"<not variable-length strings>"};
  Handle space(H5Aget_space(attribute.get()), H5Sclose);
  if (H5Sget_simple_extent_ndims(space.get()) != 1) return {"<not 1-D>"};
  std::vector<char*> values(static_cast<size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (H5Aread(attribute.get(), type.get(), values.data()) < 0) return {"<unreadable>"};
  std::vector<std::string> result(values.begin(), values.end());
  for (char* v : values) H5free_memory(v);
  return result;
}

template <typename T>
T number_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type) {
  Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
  EXPECT_GE(attribute.get(), 0) << name;
  Handle type(H5Aget_type(attribute.get()), H5Tclose);
  EXPECT_GT(H5Tequal(type.get(), file_type), 0) << name;
  T value{};
  EXPECT_GE(H5Aread(attribute.get(), memory_type, &value), 0) << name;
  return value;
}

// One field of a compound dataset, read through a one-member memory type (matched by name).
template <typename T>
std::vector<T> field(hid_t dataset, const std::string& name, hid_t memory_type) {
  Handle compound(H5Tcreate(H5T_COMPOUND, sizeof(T)), H5Tclose);
  H5Tinsert(compound.get(), name.c_str(), 0, memory_type);
  Handle space(H5Dget_space(dataset), H5Sclose);
  std::vector<T> values(static_cast<size_t>(H5Sget_simple_extent_npoints(space.get())));
  EXPECT_GE(H5Dread(dataset, compound.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0)
      << name;
  return values;
}

std::vector<std::string> string_field(hid_t dataset, const std::string& name, size_t size) {
  Handle string_type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(string_type.get(), size);
  H5Tset_cset(string_type.get(), H5T_CSET_UTF8);  // HDF5 does not convert between character sets
  Handle compound(H5Tcreate(H5T_COMPOUND, size), H5Tclose);
  H5Tinsert(compound.get(), name.c_str(), 0, string_type.get());
  Handle space(H5Dget_space(dataset), H5Sclose);
  const auto rows = static_cast<size_t>(H5Sget_simple_extent_npoints(space.get()));
  std::vector<char> buffer(rows * size + 1, '\0');
  EXPECT_GE(H5Dread(dataset, compound.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), 0);
  std::vector<std::string> values;
  for (size_t r = 0; r < rows; ++r) values.emplace_back(buffer.data() + r * size);
  return values;
}

std::vector<double> doubles(hid_t dataset) {
  Handle space(H5Dget_space(dataset), H5Sclose);
  std::vector<double> values(static_cast<size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (!values.empty()) {
    EXPECT_GE(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
  }
  return values;
}

std::vector<hsize_t> dims(hid_t dataset, std::vector<hsize_t>* max_dims = nullptr) {
  Handle space(H5Dget_space(dataset), H5Sclose);
  std::vector<hsize_t> result(static_cast<size_t>(H5Sget_simple_extent_ndims(space.get())));
  std::vector<hsize_t> max(result.size());
  H5Sget_simple_extent_dims(space.get(), result.data(), max.data());
  if (max_dims != nullptr) *max_dims = max;
  return result;
}

struct Layout {
  H5D_layout_t layout = H5D_LAYOUT_ERROR;
  std::vector<hsize_t> chunk;
  std::vector<H5Z_filter_t> filters;
  unsigned deflate_level = 0;
};

Layout layout(hid_t dataset) {
  Layout result;
  Handle dcpl(H5Dget_create_plist(dataset), H5Pclose);
  result.layout = H5Pget_layout(dcpl.get());
  if (result.layout == H5D_CHUNKED) {
    result.chunk.resize(8);
    result.chunk.resize(static_cast<size_t>(H5Pget_chunk(dcpl.get(), 8, result.chunk.data())));
  }
  for (int i = 0; i < H5Pget_nfilters(dcpl.get()); ++i) {
    unsigned flags = 0;
    size_t count = 1;
    unsigned values[1] = {0};
    unsigned config = 0;
    const H5Z_filter_t id = H5Pget_filter2(dcpl.get(), static_cast<unsigned>(i), &flags, &count,
                                           values, 0, nullptr, &config);
    result.filters.push_back(id);
    if (id == H5Z_FILTER_DEFLATE) result.deflate_level = values[0];
  }
  return result;
}

Table jobs_table() {
  Table table;
  table.description = "one row per job";
  table.columns.push_back({"id", "", std::vector<int64_t>{7, -3, 1LL << 40}});
  table.columns.push_back({"start_s", "s", std::vector<double>{0.5, 1e-9, 12345.25}});
  table.columns.push_back({"name", "", std::vector<std::string>{"alpha", "", "gamma!"}});
  table.columns.push_back({"energy_j", "J", std::vector<double>{1.0, 2.0, 3.0}});
  return table;
}

TEST_F(Hdf5WriterTest, TableIsACompoundDatasetWithTypedMembersValuesAndUnits) {
  const fs::path path = dir_ / "t.h5";
  {
    Hdf5Writer writer(path);
    writer.write_table("/jobs", jobs_table());
    writer.close();
  }
  Handle file = open_file(path);
  Handle dataset(H5Dopen2(file.get(), "/jobs", H5P_DEFAULT), H5Dclose);
  ASSERT_GE(dataset.get(), 0);
  EXPECT_EQ(dims(dataset.get()), std::vector<hsize_t>{3});

  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  ASSERT_EQ(H5Tget_class(type.get()), H5T_COMPOUND);
  ASSERT_EQ(H5Tget_nmembers(type.get()), 4);
  const std::vector<std::string> expected_names = {"id", "start_s", "name", "energy_j"};
  for (unsigned i = 0; i < 4; ++i) {
    char* name = H5Tget_member_name(type.get(), i);
    EXPECT_EQ(name, expected_names[i]);
    H5free_memory(name);
  }
  Handle id_type(H5Tget_member_type(type.get(), 0), H5Tclose);
  EXPECT_GT(H5Tequal(id_type.get(), H5T_STD_I64LE), 0);
  Handle start_type(H5Tget_member_type(type.get(), 1), H5Tclose);
  EXPECT_GT(H5Tequal(start_type.get(), H5T_IEEE_F64LE), 0);
  Handle name_type(H5Tget_member_type(type.get(), 2), H5Tclose);
  EXPECT_EQ(H5Tget_class(name_type.get()), H5T_STRING);
  EXPECT_EQ(H5Tis_variable_str(name_type.get()), 0);
  EXPECT_EQ(H5Tget_size(name_type.get()), 7u);  // "gamma!" + NUL

  EXPECT_EQ(field<int64_t>(dataset.get(), "id", H5T_NATIVE_INT64),
            (std::vector<int64_t>{7, -3, 1LL << 40}));
  EXPECT_EQ(field<double>(dataset.get(), "start_s", H5T_NATIVE_DOUBLE),
            (std::vector<double>{0.5, 1e-9, 12345.25}));
  EXPECT_EQ(field<double>(dataset.get(), "energy_j", H5T_NATIVE_DOUBLE),
            (std::vector<double>{1.0, 2.0, 3.0}));
  EXPECT_EQ(string_field(dataset.get(), "name", 7),
            (std::vector<std::string>{"alpha", "", "gamma!"}));

  EXPECT_EQ(string_array_attribute(dataset.get(), "units"),
            (std::vector<std::string>{"", "s", "", "J"}));
  EXPECT_EQ(string_attribute(dataset.get(), "description"), "one row per job");
  EXPECT_EQ(layout(dataset.get()).layout, H5D_CONTIGUOUS);  // small tables are not chunked
}

TEST_F(Hdf5WriterTest, ZeroRowTableKeepsItsColumnsAndUnits) {
  const fs::path path = dir_ / "t.h5";
  {
    Table table;
    table.columns.push_back({"id", "", std::vector<int64_t>{}});
    table.columns.push_back({"label", "", std::vector<std::string>{}});
    table.columns.push_back({"power_w", "W", std::vector<double>{}});
    Hdf5Writer writer(path);
    writer.write_table("/empty", table);
    writer.close();
  }
  Handle file = open_file(path);
  Handle dataset(H5Dopen2(file.get(), "/empty", H5P_DEFAULT), H5Dclose);
  ASSERT_GE(dataset.get(), 0);
  EXPECT_EQ(dims(dataset.get()), std::vector<hsize_t>{0});
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  ASSERT_EQ(H5Tget_nmembers(type.get()), 3);
  Handle label_type(H5Tget_member_type(type.get(), 1), H5Tclose);
  EXPECT_EQ(H5Tget_size(label_type.get()), 1u);  // at least one byte
  EXPECT_EQ(string_array_attribute(dataset.get(), "units"),
            (std::vector<std::string>{"", "", "W"}));
  EXPECT_EQ(H5Aexists(dataset.get(), "description"), 0);  // empty description: no attribute
}

TEST_F(Hdf5WriterTest, LargeTableIsChunkedAndCompressed) {
  const fs::path path = dir_ / "t.h5";
  std::vector<int64_t> ids(5000);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>(i * i);
  {
    Table table;
    table.columns.push_back({"id", "", ids});
    Hdf5Writer writer(path);
    writer.write_table("/big", table);
    writer.close();
  }
  Handle file = open_file(path);
  Handle dataset(H5Dopen2(file.get(), "/big", H5P_DEFAULT), H5Dclose);
  const Layout l = layout(dataset.get());
  EXPECT_EQ(l.layout, H5D_CHUNKED);
  EXPECT_EQ(l.filters, (std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE}));
  EXPECT_EQ(l.deflate_level, 4u);
  EXPECT_EQ(field<int64_t>(dataset.get(), "id", H5T_NATIVE_INT64), ids);
}

TEST_F(Hdf5WriterTest, SeriesIsChunkedCompressedExtendibleAndDescribed) {
  const fs::path path = dir_ / "t.h5";
  std::vector<double> values(70000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = 0.25 * static_cast<double>(i);
  {
    Hdf5Writer writer(path);
    writer.write_series("/power/rack0", values, "W", "rack 0 power draw");
    writer.close();
  }
  Handle file = open_file(path);
  Handle dataset(H5Dopen2(file.get(), "/power/rack0", H5P_DEFAULT), H5Dclose);
  ASSERT_GE(dataset.get(), 0);
  std::vector<hsize_t> max_dims;
  EXPECT_EQ(dims(dataset.get(), &max_dims), std::vector<hsize_t>{70000});
  EXPECT_EQ(max_dims, std::vector<hsize_t>{H5S_UNLIMITED});
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  EXPECT_GT(H5Tequal(type.get(), H5T_IEEE_F64LE), 0);
  const Layout l = layout(dataset.get());
  EXPECT_EQ(l.layout, H5D_CHUNKED);
  EXPECT_EQ(l.chunk, std::vector<hsize_t>{65536});
  EXPECT_EQ(l.filters, (std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE}));
  EXPECT_EQ(l.deflate_level, 4u);
  EXPECT_EQ(doubles(dataset.get()), values);
  EXPECT_EQ(string_attribute(dataset.get(), "units"), "W");
  EXPECT_EQ(string_attribute(dataset.get(), "description"), "rack 0 power draw");
}

TEST_F(Hdf5WriterTest, EmptyAndShortSeries) {
  const fs::path path = dir_ / "t.h5";
  {
    Hdf5Writer writer(path);
    writer.write_series("/empty", {}, "W", "");
    const std::vector<double> three = {1.5, -2.5, 3.5};
    writer.write_series("/three", three, "s", "three values");
    writer.close();
  }
  Handle file = open_file(path);
  Handle empty(H5Dopen2(file.get(), "/empty", H5P_DEFAULT), H5Dclose);
  ASSERT_GE(empty.get(), 0);
  std::vector<hsize_t> max_dims;
  EXPECT_EQ(dims(empty.get(), &max_dims), std::vector<hsize_t>{0});
  EXPECT_EQ(max_dims, std::vector<hsize_t>{H5S_UNLIMITED});
  EXPECT_EQ(layout(empty.get()).chunk, std::vector<hsize_t>{1});
  EXPECT_EQ(string_attribute(empty.get(), "units"), "W");
  EXPECT_EQ(string_attribute(empty.get(), "description"), "");

  Handle three(H5Dopen2(file.get(), "/three", H5P_DEFAULT), H5Dclose);
  EXPECT_EQ(layout(three.get()).chunk, std::vector<hsize_t>{3});
  EXPECT_EQ(doubles(three.get()), (std::vector<double>{1.5, -2.5, 3.5}));
}

TEST_F(Hdf5WriterTest, MatrixIsRowMajorChunkedAndDescribed) {
  const fs::path path = dir_ / "t.h5";
  const std::vector<double> values = {1, 2, 3, 4, 5, 6};
  {
    Hdf5Writer writer(path);
    writer.write_matrix("/links/utilisation", values, 2, 3, "", "link x time");
    writer.close();
  }
  Handle file = open_file(path);
  Handle dataset(H5Dopen2(file.get(), "/links/utilisation", H5P_DEFAULT), H5Dclose);
  ASSERT_GE(dataset.get(), 0);
  std::vector<hsize_t> max_dims;
  EXPECT_EQ(dims(dataset.get(), &max_dims), (std::vector<hsize_t>{2, 3}));
  EXPECT_EQ(max_dims, (std::vector<hsize_t>{H5S_UNLIMITED, H5S_UNLIMITED}));
  const Layout l = layout(dataset.get());
  EXPECT_EQ(l.layout, H5D_CHUNKED);
  EXPECT_EQ(l.chunk, (std::vector<hsize_t>{2, 3}));
  EXPECT_EQ(l.filters, (std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE}));
  EXPECT_EQ(doubles(dataset.get()), values);
  EXPECT_EQ(string_attribute(dataset.get(), "units"), "");
  EXPECT_EQ(string_attribute(dataset.get(), "description"), "link x time");
}

TEST_F(Hdf5WriterTest, MatrixOfWrongSizeThrows) {
  Hdf5Writer writer(dir_ / "t.h5");
  const std::vector<double> values = {1, 2, 3, 4, 5};
  EXPECT_THROW(writer.write_matrix("/m", values, 2, 3, "", ""), std::invalid_argument);
  EXPECT_NO_THROW(writer.write_matrix("/empty", {}, 0, 3, "", ""));
}

TEST_F(Hdf5WriterTest, AttributesOfEachTypeOnRootAndGroup) {
  const fs::path path = dir_ / "t.h5";
  {
    Hdf5Writer writer(path);
    writer.set_attribute("/", "version", std::string("0.1.0"));
    writer.set_attribute("/", "seed", int64_t{-42});
    writer.set_attribute("/", "duration_s", 3600.5);
    writer.set_attribute("/", "seed", int64_t{1234567890123});  // replaces
    writer.create_group("/runs/a", "first run");
    writer.set_attribute("/runs/a", "label", std::string("héllo"));  // UTF-8
    writer.set_attribute("/runs/a", "count", int64_t{3});
    writer.set_attribute("/runs/a", "pue", 1.25);
    writer.create_group("/runs/a");  // existing group: kept, description unchanged
    writer.close();
  }
  Handle file = open_file(path);
  Handle root = open_object(file.get(), "/");
  EXPECT_EQ(string_attribute(root.get(), "version"), "0.1.0");
  EXPECT_EQ(number_attribute<int64_t>(root.get(), "seed", H5T_STD_I64LE, H5T_NATIVE_INT64),
            1234567890123);
  EXPECT_EQ(number_attribute<double>(root.get(), "duration_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE),
            3600.5);
  Handle group = open_object(file.get(), "/runs/a");
  H5O_info_t info;
  ASSERT_GE(H5Oget_info2(group.get(), &info, H5O_INFO_BASIC), 0);
  EXPECT_EQ(info.type, H5O_TYPE_GROUP);
  EXPECT_EQ(string_attribute(group.get(), "description"), "first run");
  EXPECT_EQ(string_attribute(group.get(), "label"), "héllo");
  EXPECT_EQ(number_attribute<int64_t>(group.get(), "count", H5T_STD_I64LE, H5T_NATIVE_INT64), 3);
  EXPECT_EQ(number_attribute<double>(group.get(), "pue", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE), 1.25);
  Handle runs = open_object(file.get(), "/runs");  // the intermediate group exists too
  EXPECT_EQ(H5Aexists(runs.get(), "description"), 0);
}

TEST_F(Hdf5WriterTest, MismatchedColumnLengthsThrowNamingTheColumn) {
  Hdf5Writer writer(dir_ / "t.h5");
  Table table;
  table.columns.push_back({"id", "", std::vector<int64_t>{1, 2, 3}});
  table.columns.push_back({"name", "", std::vector<std::string>{"a", "b"}});
  try {
    writer.write_table("/bad", table);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("\"name\" has 2 rows"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/bad"), std::string::npos) << e.what();
  }
  table.columns[1].values = std::vector<std::string>{"a", "b", "c"};
  table.columns.push_back({"id", "", std::vector<int64_t>{4, 5, 6}});
  EXPECT_THROW(writer.write_table("/dup", table), std::invalid_argument);
  EXPECT_THROW(writer.write_table("/none", Table{}), std::invalid_argument);
}

// The message of the exception fn throws, or "" if it throws none.
template <typename Fn>
std::string error_of(Fn fn) {
  try {
    fn();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST_F(Hdf5WriterTest, ErrorsNameTheFileAndTheObject) {
  const fs::path path = dir_ / "t.h5";
  Hdf5Writer writer(path);
  writer.write_series("/s", std::vector<double>{1.0}, "W", "");

  const std::string duplicate =
      error_of([&] { writer.write_series("/s", std::vector<double>{2.0}, "W", ""); });
  EXPECT_NE(duplicate.find(path.string()), std::string::npos) << duplicate;
  EXPECT_NE(duplicate.find("/s"), std::string::npos) << duplicate;
  EXPECT_NE(duplicate.find("create dataset"), std::string::npos) << duplicate;

  const std::string missing = error_of([&] { writer.set_attribute("/nope", "x", 1.0); });
  EXPECT_NE(missing.find(path.string()), std::string::npos) << missing;
  EXPECT_NE(missing.find("/nope"), std::string::npos) << missing;

  const std::string under_dataset = error_of([&] { writer.create_group("/s/g"); });
  EXPECT_NE(under_dataset.find("/s/g in " + path.string() + ": /s is not a group"),
            std::string::npos)
      << under_dataset;

  const fs::path unreachable = dir_ / "no-such-dir" / "x.h5";
  const std::string create = error_of([&] { Hdf5Writer w(unreachable); });
  EXPECT_NE(create.find(unreachable.string()), std::string::npos) << create;
}

TEST_F(Hdf5WriterTest, CloseIsIdempotentAndLaterWritesThrow) {
  const fs::path path = dir_ / "t.h5";
  Hdf5Writer writer(path);
  writer.create_group("/g");
  writer.close();
  EXPECT_NO_THROW(writer.close());
  EXPECT_THROW(writer.create_group("/h"), std::logic_error);
  EXPECT_THROW(writer.set_attribute("/", "x", 1.0), std::logic_error);
  Handle file = open_file(path);  // closed means readable by another opener
  EXPECT_GT(H5Lexists(file.get(), "/g", H5P_DEFAULT), 0);
}

// Python users read the output with h5py (and pandas, which takes the structured array as is).
TEST_F(Hdf5WriterTest, H5pyReadsTablesSeriesAndAttributes) {
  const fs::path path = dir_ / "t.h5";
  {
    Hdf5Writer writer(path);
    writer.set_attribute("/", "version", std::string("0.1.0"));
    writer.set_attribute("/", "seed", int64_t{99});
    writer.write_table("/jobs", jobs_table());
    writer.write_series("/power/rack0", std::vector<double>{10.0, 20.0}, "W", "rack power");
    const std::vector<double> m = {1, 2, 3, 4, 5, 6};
    writer.write_matrix("/m", m, 3, 2, "", "");
    writer.close();
  }
  const fs::path script = dir_ / "read.py";
  std::ofstream(script) << R"(import sys
import h5py
import numpy as np
with h5py.File(sys.argv[1], "r") as f:
    t = f["jobs"][:]
    assert isinstance(t, np.ndarray), type(t)
    assert t.dtype.names == ("id", "start_s", "name", "energy_j"), t.dtype.names
    assert t.dtype["id"] == np.int64 and t.dtype["start_s"] == np.float64, t.dtype
    assert t["id"][2] == 1 << 40, t["id"]
    assert t["start_s"][0] == 0.5, t["start_s"]
    assert f["jobs"]["name"][2] == b"gamma!", f["jobs"]["name"]
    assert list(f["jobs"].attrs["units"]) == ["", "s", "", "J"], f["jobs"].attrs["units"]
    assert f["jobs"].attrs["description"] == "one row per job"
    assert f.attrs["version"] == "0.1.0", f.attrs["version"]
    assert f.attrs["seed"] == 99
    s = f["power/rack0"]
    assert s.attrs["units"] == "W" and s.compression == "gzip" and s.shuffle, dict(s.attrs)
    assert list(s[:]) == [10.0, 20.0] and s.maxshape == (None,)
    assert f["m"].shape == (3, 2) and f["m"][2, 0] == 5.0
    try:
        import pandas
    except ImportError:
        pass
    else:
        df = pandas.DataFrame(t)
        assert list(df.columns) == ["id", "start_s", "name", "energy_j"]
        assert df["energy_j"].sum() == 6.0
)";
  const std::string python = GWSIM_PYTHON;
  ASSERT_FALSE(python.empty());
  const std::string command = "'" + python + "' '" + script.string() + "' '" + path.string() + "'";
  const int status = std::system(command.c_str());
  ASSERT_NE(status, -1);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << " -> " << status;

  // The check can fail: the same script rejects a file whose table lacks a column.
  const fs::path other = dir_ / "other.h5";
  {
    Table table = jobs_table();
    table.columns.pop_back();
    Hdf5Writer writer(other);
    writer.write_table("/jobs", table);
    writer.close();
  }
  const std::string failing =
      "'" + python + "' '" + script.string() + "' '" + other.string() + "' 2>/dev/null";
  const int failing_status = std::system(failing.c_str());
  EXPECT_FALSE(WIFEXITED(failing_status) && WEXITSTATUS(failing_status) == 0);
}

}  // namespace
}  // namespace gwsim::output
