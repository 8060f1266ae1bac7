#include "sim/sweep/point_file.h"

#include <hdf5.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace gwsim::sweep {
namespace {

// An HDF5 identifier that closes itself.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) closer_(id_);
  }
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  Closer closer_;
};

class Reader {
 public:
  explicit Reader(const std::filesystem::path& file) : file_(file), id_(open(file), H5Fclose) {}
  bool ok() const { return id_.ok(); }

  std::string string_attribute(const char* name) const {
    Handle attribute(H5Aopen(id_.get(), name, H5P_DEFAULT), H5Aclose);
    if (!attribute.ok()) fail(std::string("attribute ") + name);
    Handle type(H5Aget_type(attribute.get()), H5Tclose);
    if (!type.ok() || H5Tget_class(type.get()) != H5T_STRING)
      fail(std::string("attribute ") + name);
    if (H5Tis_variable_str(type.get()) > 0) {
      // Read with the attribute's own type: HDF5 does not convert between ASCII and UTF-8.
      char* value = nullptr;
      if (H5Aread(attribute.get(), type.get(), &value) < 0 || value == nullptr) {
        fail(std::string("attribute ") + name);
      }
      std::string out(value);
      H5free_memory(value);
      return out;
    }
    std::string out(H5Tget_size(type.get()), '\0');
    if (H5Aread(attribute.get(), type.get(), out.data()) < 0)
      fail(std::string("attribute ") + name);
    return out.substr(0, out.find('\0'));
  }

  double double_attribute(const char* name) const {
    Handle attribute(H5Aopen(id_.get(), name, H5P_DEFAULT), H5Aclose);
    double value = 0;
    if (!attribute.ok() || H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0) {
      fail(std::string("attribute ") + name);
    }
    return value;
  }

  // One member of a compound table, converted to T by HDF5 (matched by member name).
  template <typename T>
  std::vector<T> column(const char* table, const char* member, hid_t memory_type) const {
    const std::string what = std::string(table) + ":" + member;
    Handle dataset(H5Dopen2(id_.get(), table, H5P_DEFAULT), H5Dclose);
    if (!dataset.ok()) fail(what);
    Handle space(H5Dget_space(dataset.get()), H5Sclose);
    const hssize_t rows = H5Sget_simple_extent_npoints(space.get());
    if (rows < 0) fail(what);
    Handle type(H5Tcreate(H5T_COMPOUND, sizeof(T)), H5Tclose);
    if (H5Tinsert(type.get(), member, 0, memory_type) < 0) fail(what);
    std::vector<T> values(static_cast<size_t>(rows));
    if (rows > 0 &&
        H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
      fail(what);
    }
    return values;
  }

  [[noreturn]] void fail(const std::string& what) const {
    H5Eclear2(H5E_DEFAULT);
    throw std::runtime_error("cannot read " + what + " of " + file_.string());
  }

 private:
  static hid_t open(const std::filesystem::path& file) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return H5I_INVALID_HID;
    return H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  }

  std::filesystem::path file_;
  Handle id_;
};

}  // namespace

std::optional<std::string> read_scenario_sha256(const std::filesystem::path& file) {
  try {
    const Reader reader(file);
    if (!reader.ok()) return std::nullopt;
    return reader.string_attribute("scenario_sha256");
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

PointMetrics read_point_metrics(const std::filesystem::path& file) {
  const Reader reader(file);
  if (!reader.ok()) reader.fail("the file");
  PointMetrics m;
  m.scenario_sha256 = reader.string_attribute("scenario_sha256");
  m.simulated_time_s = reader.double_attribute("simulated_time_s");
  m.wall_time_s = reader.double_attribute("wall_time_s");

  const auto job_of_step = reader.column<int64_t>("/steps", "job", H5T_NATIVE_INT64);
  const auto durations = reader.column<double>("/steps", "duration_s", H5T_NATIVE_DOUBLE);
  double sum = 0;
  size_t count = 0;
  for (size_t i = 0; i < durations.size(); ++i) {
    if (job_of_step[i] != 0) continue;
    sum += durations[i];
    ++count;
  }
  if (count == 0) reader.fail("/steps rows of job 0");
  m.mean_step_duration_s = sum / static_cast<double>(count);

  const auto jobs = reader.column<int64_t>("/jobs", "job", H5T_NATIVE_INT64);
  const auto tokens_per_s = reader.column<double>("/jobs", "tokens_per_s", H5T_NATIVE_DOUBLE);
  const auto energy = reader.column<double>("/jobs", "energy_j", H5T_NATIVE_DOUBLE);
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (jobs[i] != 0) continue;
    m.tokens_per_s = tokens_per_s[i];
    m.energy_j = energy[i];
    return m;
  }
  reader.fail("/jobs row of job 0");
}

}  // namespace gwsim::sweep
