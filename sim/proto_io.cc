#include "sim/proto_io.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/text_format.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "sim/error.h"

namespace dsasim {
namespace {

namespace pb = google::protobuf;

// Collects the first parse error with its position.
class FirstError : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column,
                const std::string& message) override {
    if (!message_.empty()) return;
    line_ = line;
    // The parser counts from zero; editors count from one.
    std::ostringstream out;
    out << "line " << line + 1 << ", column " << column + 1 << ": " << message;
    message_ = out.str();
  }
  const std::string& message() const { return message_; }
  int line() const { return line_; }

 private:
  std::string message_;
  int line_ = -1;
};

// The zero-based line `line` of `text`, trimmed, so that an error about a
// value also shows the field it belongs to.
std::string LineAt(std::string_view text, int line) {
  size_t begin = 0;
  for (int i = 0; i < line && begin != std::string_view::npos; ++i) {
    begin = text.find('\n', begin);
    if (begin != std::string_view::npos) ++begin;
  }
  if (begin == std::string_view::npos || line < 0) return "";
  size_t end = text.find('\n', begin);
  std::string_view row = text.substr(
      begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
  while (!row.empty() && (row.front() == ' ' || row.front() == '\t')) {
    row.remove_prefix(1);
  }
  return std::string(row);
}

// What protobuf logged on this thread while a LogCapture was open; null when
// none is. Per thread, so that simulations on parallel threads never see
// each other's messages.
thread_local std::vector<std::string>* captured_logs = nullptr;

// Collects protobuf's log lines for the duration of one load or save.
class LogCapture {
 public:
  LogCapture() : outer_(captured_logs) { captured_logs = &lines_; }
  ~LogCapture() { captured_logs = outer_; }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  bool empty() const { return lines_.empty(); }
  // "; protobuf: <line>; protobuf: <line>", or "" when nothing was logged.
  std::string Suffix() const {
    std::string out;
    for (const std::string& line : lines_) out += "; protobuf: " + line;
    return out;
  }

 private:
  std::vector<std::string> lines_;
  std::vector<std::string>* outer_;
};

void HandleProtobufLog(pb::LogLevel level, const char* filename, int line,
                       const std::string& message) {
  std::string text = message;
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  if (captured_logs != nullptr && level >= pb::LOGLEVEL_WARNING) {
    captured_logs->push_back(text);
    return;
  }
  spdlog::debug("protobuf ({}:{}): {}", filename, line, text);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path.string() + ": cannot open file");
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

}  // namespace

ProtoFormat FormatForPath(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  if (ext == ".pb" || ext == ".bin" || ext == ".binpb") return ProtoFormat::kBinary;
  if (ext == ".textproto" || ext == ".txtpb" || ext == ".pbtxt" || ext == ".prototxt") {
    return ProtoFormat::kText;
  }
  throw ConfigError(path.string() + ": unknown extension '" + ext +
                    "' (use .pb for binary, .textproto for text format)");
}

void ParseTextMessage(std::string_view text, std::string_view origin, pb::Message& msg) {
  pb::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  msg.Clear();
  if (!parser.ParseFromString(std::string(text), &msg)) {
    throw ConfigError(std::string(origin) + ": " + errors.message() + " (in " +
                      msg.GetDescriptor()->full_name() +
                      "; the line reads: " + LineAt(text, errors.line()) + ")");
  }
}

void LoadMessage(const std::filesystem::path& path, pb::Message& msg) {
  ProtoFormat format = FormatForPath(path);
  std::string data = ReadFile(path);
  if (format == ProtoFormat::kText) {
    ParseTextMessage(data, path.string(), msg);
    return;
  }
  msg.Clear();
  LogCapture logs;
  if (!msg.ParseFromString(data)) {
    throw ConfigError(path.string() + ": not a valid binary " +
                      msg.GetDescriptor()->full_name() +
                      " (malformed or truncated protobuf" + logs.Suffix() + ")");
  }
}

std::string ToTextFormat(const pb::Message& msg) {
  std::string text;
  pb::TextFormat::PrintToString(msg, &text);
  return text;
}

void SaveMessage(const std::filesystem::path& path, const pb::Message& msg) {
  std::string data;
  LogCapture logs;
  if (FormatForPath(path) == ProtoFormat::kText) {
    data = ToTextFormat(msg);
  } else if (!msg.SerializeToString(&data) || !logs.empty()) {
    // Protobuf serializes a string that is not UTF-8 but only logs it; the
    // file would not parse back, so it is not written.
    throw ConfigError(path.string() + ": cannot serialize " +
                      msg.GetDescriptor()->full_name() + logs.Suffix());
  }
  // Write beside the target and rename, so a failure leaves no partial file.
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw ConfigError(path.string() + ": cannot write file");
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) throw ConfigError(path.string() + ": write failed");
  }
  std::filesystem::rename(tmp, path);
}

void RouteProtobufLogs() { pb::SetLogHandler(&HandleProtobufLog); }

}  // namespace dsasim
