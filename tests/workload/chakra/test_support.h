// Helpers for the Chakra tests: a scratch directory per test and a minimal protobuf wire encoder,
// written from the protobuf encoding specification (varints, tags, length-delimited fields), so
// that byte streams can be built without gwsim's generated code.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace gwsim::chakra::testing {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class ChakraTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("gwsim_chakra_test-" + std::to_string(::getpid()) + "-" +
                                        info->test_suite_name() + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write_bytes(const std::string& name, const std::string& bytes) const {
    const fs::path path = dir_ / name;
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
  }

  static std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  fs::path dir_;
};

// Wire types of the protobuf encoding.
enum Wire { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

inline std::string varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

inline std::string key(int field, Wire wire) {
  return varint((static_cast<uint64_t>(field) << 3) | static_cast<uint64_t>(wire));
}

inline std::string varint_field(int field, uint64_t v) { return key(field, kVarint) + varint(v); }

inline std::string len_field(int field, const std::string& bytes) {
  return key(field, kLen) + varint(bytes.size()) + bytes;
}

inline std::string fixed64_field(int field, uint64_t v) {
  std::string out = key(field, kFixed64);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

inline uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

// A length-prefixed record of the ET stream.
inline std::string record(const std::string& message) { return varint(message.size()) + message; }

// An AttributeProto (name = 1, then the value's own field) as Node field 10.
inline std::string attr(const std::string& name, const std::string& value_field) {
  return len_field(10, len_field(1, name) + value_field);
}

// A GlobalMetadata record with only its version.
inline std::string metadata_record(const std::string& version) {
  return record(len_field(1, version));
}

}  // namespace gwsim::chakra::testing
