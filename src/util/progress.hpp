#pragma once

#include <chrono>
#include <string>

namespace ropecert {

// A one-line progress display on standard error, shown only when standard
// error is a terminal, so that logs and pipes stay clean.
class Progress {
 public:
  explicit Progress(std::string label);
  ~Progress();

  // Redraws at most ten times a second.
  void update(double done_fraction);

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace ropecert
