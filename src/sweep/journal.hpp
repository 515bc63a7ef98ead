#pragma once

// The resume journal of a sweep: a JSON Lines file next to the output. The
// first line records the grid hash and the number of points; every later line
// is one finished point (its row and timing), appended as soon as the point is
// done. A sweep that stops part-way restarts from the points already written.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace ropecert::sweep {

struct JournalEntry {
  nlohmann::json row;
  double seconds = 0.0;
  int rank = 0;
};

class Journal {
 public:
  // Opens `path` for appending, creating it with a header when it does not
  // exist. An existing journal is read back: raises InputError when its
  // header records another grid hash or point count, or when a line before the
  // last is not valid JSON. A last line cut short by a crash is dropped and
  // the file is truncated to the last complete line.
  Journal(std::string path, const std::string& grid_hash, std::int64_t points);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Points read back from an earlier run, by index.
  const std::map<std::int64_t, JournalEntry>& completed() const { return completed_; }

  // Appends one finished point with a single write(2), so that a process
  // killed at any moment leaves whole lines only, apart from the last one.
  // Safe to call from several threads.
  void append(std::int64_t index, const std::string& row_text, double seconds, int rank);

  // Deletes the journal once the final outputs are written.
  void remove();

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::mutex mutex_;
  std::map<std::int64_t, JournalEntry> completed_;
};

}  // namespace ropecert::sweep
