#include "sim/workload/chakra/record_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <google/protobuf/io/coded_stream.h>

#include "sim/core/error.h"

namespace gwsim::chakra {

namespace pbio = google::protobuf::io;

RecordInput::RecordInput(const std::string& file) : file_(file) {
  fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat info {};
  if (fd_ < 0 || ::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
    const std::string why = fd_ < 0 ? std::strerror(errno) : "not a regular file";
    if (fd_ >= 0) ::close(fd_);
    throw InputError(SourceLocation{file, 0}, "", "cannot read Chakra trace: " + why);
  }
  file_size_ = static_cast<uint64_t>(info.st_size);
  stream_ = std::make_unique<pbio::FileInputStream>(fd_);
  stream_->SetCloseOnDelete(true);
}

RecordInput::~RecordInput() = default;

bool RecordInput::read(google::protobuf::MessageLite& message,
                       const std::function<std::string()>& context) {
  const auto offset = static_cast<uint64_t>(stream_->ByteCount());
  auto fail = [&](const std::string& what) {
    throw InputError(SourceLocation{file_, 0}, "",
                     "record at byte " + std::to_string(offset) + " (" + context() + "): " + what);
  };
  // Destroying `coded` hands unread buffered bytes back to stream_, so ByteCount() stays exact.
  pbio::CodedInputStream coded(stream_.get());
  const void* data = nullptr;
  int size = 0;
  if (!coded.GetDirectBufferPointer(&data, &size)) {
    if (stream_->GetErrno() != 0)
      fail(std::string("read error: ") + std::strerror(stream_->GetErrno()));
    return false;  // clean end of file
  }
  uint32_t length = 0;
  if (!coded.ReadVarint32(&length)) fail("truncated: the length prefix is cut off");
  if (length > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
    fail("a record of " + std::to_string(length) + " bytes exceeds protobuf's 2 GiB message limit");
  }
  const uint64_t body = offset + static_cast<uint64_t>(coded.CurrentPosition());
  if (body + length > file_size_) {
    fail("truncated: the length prefix says " + std::to_string(length) + " bytes but only " +
         std::to_string(file_size_ - body) + " remain");
  }
  const pbio::CodedInputStream::Limit limit = coded.PushLimit(static_cast<int>(length));
  if (!message.ParseFromCodedStream(&coded) || coded.BytesUntilLimit() != 0) {
    fail("malformed: " + std::to_string(length) + " bytes do not parse as a " +
         message.GetTypeName());
  }
  coded.PopLimit(limit);
  record_offset_ = offset;
  return true;
}

RecordOutput::RecordOutput(const std::string& file) : file_(file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw InputError(SourceLocation{file, 0}, "",
                     std::string("cannot create Chakra trace: ") + std::strerror(errno));
  }
  stream_ = std::make_unique<pbio::FileOutputStream>(fd);
}

RecordOutput::~RecordOutput() {
  if (stream_) stream_->Close();  // errors are reported only by an explicit close()
}

void RecordOutput::write(const google::protobuf::MessageLite& message) {
  if (!stream_) throw std::logic_error("chakra: write after close on " + file_);
  const size_t size = message.ByteSizeLong();
  if (size > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    throw std::invalid_argument("chakra: a record of " + std::to_string(size) +
                                " bytes exceeds protobuf's 2 GiB message limit");
  }
  pbio::CodedOutputStream coded(stream_.get());
  coded.WriteVarint32(static_cast<uint32_t>(size));
  message.SerializeWithCachedSizes(&coded);
  if (coded.HadError()) {
    throw std::runtime_error(file_ + ": write error: " + std::strerror(stream_->GetErrno()));
  }
}

void RecordOutput::close() {
  if (!stream_) return;
  const bool ok = stream_->Close();
  const int err = stream_->GetErrno();
  stream_.reset();
  if (!ok) throw std::runtime_error(file_ + ": cannot close Chakra trace: " + std::strerror(err));
}

}  // namespace gwsim::chakra
