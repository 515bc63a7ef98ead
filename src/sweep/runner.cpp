#include "sweep/runner.hpp"

#include <flint/flint.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "sweep/quantities.hpp"
#include "util/input_error.hpp"

namespace ropecert::sweep {

std::string compute_row(const SweepSpec& spec, const SweepPoint& point) {
  // Arb caches constants such as pi per thread at the largest precision asked
  // so far and rounds them for later requests, so a radius could depend on
  // which points this thread computed before. Starting every point from empty
  // caches makes each row independent of threads, ranks and order.
  flint_cleanup();
  model::RopeProduct product(point.schedule, point.vectors, point.scale);
  QuantityOptions options{point.format, point.eps, point.scale, point.keys};
  nlohmann::json cells = nlohmann::json::object();
  nlohmann::json enclosures = nlohmann::json::object();
  for (const std::string& name : spec.quantities) {
    QuantityResult result = find_sweep_quantity(name).compute(product, point.M, options);
    for (const Cell& cell : result.cells) {
      cells[cell.name] = {{"lower", cell.lower}, {"upper", cell.upper}};
    }
    for (auto& [key, value] : result.enclosures.items()) enclosures[key] = value;
  }
  nlohmann::json row = {{"index", point.index},
                        {"parameters", point.parameters},
                        {"inputs", point.inputs},
                        {"cells", cells},
                        {"enclosures", enclosures}};
  return row.dump();
}

std::vector<std::int64_t> pending_points(const SweepSpec& spec,
                                         const std::map<std::int64_t, JournalEntry>& completed) {
  std::vector<std::int64_t> order;
  for (const SweepPoint& point : spec.points) {
    if (completed.count(point.index) == 0) order.push_back(point.index);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
    return spec.points[a].cost > spec.points[b].cost;
  });
  return order;
}

std::optional<std::int64_t> Dispenser::next() {
  if (stopped_) return std::nullopt;
  std::size_t position = next_.fetch_add(1);
  if (position >= order_.size()) return std::nullopt;
  return order_[position];
}

ResultSink::ResultSink(const SweepSpec& spec, Journal& journal)
    : spec_(spec), journal_(journal), entries_(spec.points.size()) {
  progress_.emplace("sweep");
  for (const SweepPoint& point : spec.points) total_cost_ += point.cost;
  for (const auto& [index, entry] : journal.completed()) {
    entries_[index] = entry;
    done_cost_ += spec.points[index].cost;
  }
  // Test hook: ROPECERT_SWEEP_ABORT_AFTER=K kills this process with SIGKILL
  // once K points have been journaled by this run, to test resuming.
  if (const char* text = std::getenv("ROPECERT_SWEEP_ABORT_AFTER")) {
    abort_after_ = std::atoll(text);
  }
}

void ResultSink::add(std::int64_t index, const std::string& row_text, double seconds, int rank) {
  if (index < 0 || index >= static_cast<std::int64_t>(entries_.size())) {
    throw std::out_of_range("result for point " + std::to_string(index) + ", outside the grid");
  }
  // Parsing the text, never the in-memory JSON, makes a fresh row identical
  // to one read back from the journal or received from another rank.
  nlohmann::json row = nlohmann::json::parse(row_text);
  journal_.append(index, row_text, seconds, rank);
  std::lock_guard<std::mutex> lock(mutex_);
  entries_[index] = JournalEntry{std::move(row), seconds, rank};
  ++computed_;
  done_cost_ += spec_.points[index].cost;
  if (progress_) progress_->update(total_cost_ > 0 ? done_cost_ / total_cost_ : 1.0);
  if (abort_after_ >= 0 && computed_ >= abort_after_) std::raise(SIGKILL);
}

void ResultSink::end_progress() {
  std::lock_guard<std::mutex> lock(mutex_);
  progress_.reset();
}

void ResultSink::fail(const std::string& message, bool input_error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failure_) return;
  failure_ = message;
  failure_is_input_error_ = input_error;
}

std::optional<std::string> ResultSink::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

std::vector<JournalEntry> ResultSink::take_entries() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<JournalEntry> out;
  out.reserve(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (!entries_[i]) throw std::logic_error("sweep point " + std::to_string(i) + " has no result");
    out.push_back(std::move(*entries_[i]));
  }
  return out;
}

void run_thread_pool(const SweepSpec& spec, int threads, const PoolCallbacks& callbacks) {
  auto work = [&] {
    while (std::optional<std::int64_t> index = callbacks.next()) {
      const SweepPoint& point = spec.points[*index];
      try {
        auto start = std::chrono::steady_clock::now();
        std::string row = compute_row(spec, point);
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        callbacks.deliver(*index, row, seconds);
      } catch (const InputError& e) {
        callbacks.on_error("point " + std::to_string(*index) + ": " + e.what(), true);
        break;
      } catch (const std::exception& e) {
        callbacks.on_error("point " + std::to_string(*index) + " failed: " + e.what(), false);
        break;
      }
    }
  };
  if (threads <= 1) {
    work();
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      work();
      flint_cleanup();  // frees this thread's Arb and FLINT caches
    });
  }
  for (std::thread& thread : pool) thread.join();
}

}  // namespace ropecert::sweep
