#include "sweep/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "util/input_error.hpp"

namespace ropecert::sweep {

namespace {

constexpr const char* kJournalFormat = "ropecert-sweep-journal";

void write_all(int fd, const std::string& text, const std::string& path) {
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw InputError("failed to write journal '" + path + "': " + std::strerror(errno));
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
}

}  // namespace

Journal::Journal(std::string path, const std::string& grid_hash, std::int64_t points)
    : path_(std::move(path)) {
  namespace fs = std::filesystem;
  std::uintmax_t keep_bytes = 0;
  bool exists = fs::exists(path_);
  if (exists) {
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw InputError("cannot read journal '" + path_ + "'");
    std::string line;
    std::int64_t line_number = 0;
    std::uintmax_t offset = 0;
    while (std::getline(in, line)) {
      ++line_number;
      bool complete = !in.eof();  // getline stopped at a newline
      nlohmann::json value;
      try {
        value = nlohmann::json::parse(line);
      } catch (const nlohmann::json::parse_error&) {
        if (!complete || in.peek() == EOF) break;  // the torn last line of a crash
        throw InputError("journal '" + path_ + "': line " + std::to_string(line_number) +
                         " is not valid JSON; delete the journal to start the sweep afresh");
      }
      if (!complete) break;
      if (line_number == 1) {
        if (value.value("format", "") != kJournalFormat) {
          throw InputError("'" + path_ + "' is not a sweep journal; move it away or choose "
                           "another --output");
        }
        std::string recorded = value.value("grid_hash", "");
        if (recorded != grid_hash || value.value("points", std::int64_t{-1}) != points) {
          throw InputError("journal '" + path_ + "' was written for a different grid (hash " +
                           recorded + ", this grid " + grid_hash +
                           "); delete the journal or choose another --output");
        }
      } else try {
        std::int64_t index = value.at("index").get<std::int64_t>();
        if (index < 0 || index >= points) {
          throw InputError("journal '" + path_ + "': line " + std::to_string(line_number) +
                           " holds point " + std::to_string(index) +
                           ", outside the grid; delete the journal");
        }
        completed_.emplace(index, JournalEntry{value.at("row"), value.at("seconds").get<double>(),
                                               value.at("rank").get<int>()});
      } catch (const nlohmann::json::exception& e) {
        throw InputError("journal '" + path_ + "': line " + std::to_string(line_number) +
                         " is not a sweep journal entry (" + e.what() + "); delete the journal");
      }
      offset += line.size() + 1;
      keep_bytes = offset;
    }
    if (keep_bytes == 0) exists = false;  // not even a complete header: start afresh
  }

  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw InputError("cannot open journal '" + path_ + "': " + std::strerror(errno) +
                     "; check that the output directory exists and is writable");
  }
  if (::ftruncate(fd_, static_cast<off_t>(keep_bytes)) != 0) {
    throw InputError("cannot truncate journal '" + path_ + "': " + std::strerror(errno));
  }
  if (!exists) {
    nlohmann::json header = {{"format", kJournalFormat},
                             {"format_version", 1},
                             {"grid_hash", grid_hash},
                             {"points", points}};
    write_all(fd_, header.dump() + "\n", path_);
  }
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(std::int64_t index, const std::string& row_text, double seconds, int rank) {
  // The row is already serialized; splice it in so that it is not parsed again.
  nlohmann::json wrapper = {{"index", index}, {"seconds", seconds}, {"rank", rank}};
  std::string line = wrapper.dump();
  line.pop_back();  // the closing brace
  line += ",\"row\":" + row_text + "}\n";
  std::lock_guard<std::mutex> lock(mutex_);
  write_all(fd_, line, path_);
}

void Journal::remove() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace ropecert::sweep
