#pragma once

// Runs a sweep: computes the points not yet in the journal, on a thread pool
// (and, in an MPI build launched by mpirun or srun, over MPI ranks), and
// gathers one row per point in grid order.

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sweep/grid.hpp"
#include "sweep/journal.hpp"
#include "util/progress.hpp"

namespace ropecert::sweep {

// The row of one point as JSON text: index, parameters, resolved inputs, the
// cells and the enclosures behind them. Depends only on the point and the
// quantities, never on timing, thread or rank.
std::string compute_row(const SweepSpec& spec, const SweepPoint& point);

// Indices of the points still to compute, most expensive first (ties in
// index order), so that the longest points do not start last.
std::vector<std::int64_t> pending_points(const SweepSpec& spec,
                                         const std::map<std::int64_t, JournalEntry>& completed);

// Hands out point indices to threads (and ranks) in order, until the list is
// exhausted or stop() is called.
class Dispenser {
 public:
  explicit Dispenser(std::vector<std::int64_t> order) : order_(std::move(order)) {}
  std::optional<std::int64_t> next();
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }

 private:
  std::vector<std::int64_t> order_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stopped_{false};
};

// Collects finished points on the rank that writes the output: stores the
// row, appends it to the journal and advances the progress display.
class ResultSink {
 public:
  ResultSink(const SweepSpec& spec, Journal& journal);

  void add(std::int64_t index, const std::string& row_text, double seconds, int rank);
  // Records the first failure; the sweep stops handing out points.
  void fail(const std::string& message, bool input_error);

  // Clears the progress line, so that messages after the sweep start on a clean line.
  void end_progress();

  std::vector<JournalEntry> take_entries();
  std::optional<std::string> failure() const;
  bool failure_is_input_error() const { return failure_is_input_error_; }
  std::int64_t computed() const { return computed_; }

 private:
  const SweepSpec& spec_;
  Journal& journal_;
  mutable std::mutex mutex_;
  std::vector<std::optional<JournalEntry>> entries_;
  double total_cost_ = 0.0;
  double done_cost_ = 0.0;
  std::int64_t computed_ = 0;
  std::int64_t abort_after_ = -1;
  std::optional<std::string> failure_;
  bool failure_is_input_error_ = false;
  std::optional<Progress> progress_;
};

struct PoolCallbacks {
  std::function<std::optional<std::int64_t>()> next;  // the next point, or none when done
  std::function<void(std::int64_t index, const std::string& row_text, double seconds)> deliver;
  // Called once per failing point; the pool then stops asking `next` on that thread.
  std::function<void(const std::string& message, bool input_error)> on_error;
};

// Runs `threads` workers that take indices from `next`, compute the rows and
// pass them to `deliver`, and returns when every worker has finished. With
// one thread the work runs on the calling thread, so that an MPI library
// initialized for the main thread only may be called from the callbacks.
void run_thread_pool(const SweepSpec& spec, int threads, const PoolCallbacks& callbacks);

}  // namespace ropecert::sweep
