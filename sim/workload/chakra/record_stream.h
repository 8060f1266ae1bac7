// Internal to gwsim_chakra: the file framing of a Chakra ET, a sequence of protobuf messages each
// preceded by its byte length as a varint. One message is decoded at a time through a fresh
// CodedInputStream over the file, so memory stays bounded by the largest record and the protobuf
// 2 GiB per-stream byte limit applies per record, not per file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/message_lite.h>

namespace gwsim::chakra {

class RecordInput {
 public:
  // Opens `file`; throws gwsim::InputError if it cannot be opened.
  explicit RecordInput(const std::string& file);
  ~RecordInput();

  // Decodes the next record into `message`; false at the clean end of the file. Throws
  // gwsim::InputError naming the file, the byte offset and `context()` (e.g. "after node 41") when
  // the record is cut off or does not parse. `context` is called only then, so the normal path
  // allocates nothing per record.
  bool read(google::protobuf::MessageLite& message, const std::function<std::string()>& context);

  // Byte offset of the record last returned by read().
  uint64_t record_offset() const { return record_offset_; }

 private:
  std::string file_;
  int fd_ = -1;
  uint64_t file_size_ = 0;
  uint64_t record_offset_ = 0;
  std::unique_ptr<google::protobuf::io::FileInputStream> stream_;
};

class RecordOutput {
 public:
  // Creates or truncates `file`; throws gwsim::InputError if it cannot be created.
  explicit RecordOutput(const std::string& file);
  ~RecordOutput();

  void write(const google::protobuf::MessageLite& message);
  // Flushes and closes; throws std::runtime_error naming the file on failure. Idempotent.
  void close();

 private:
  std::string file_;
  std::unique_ptr<google::protobuf::io::FileOutputStream> stream_;
};

}  // namespace gwsim::chakra
