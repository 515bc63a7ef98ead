#pragma once

// Rotary frequency schedules: which frequency theta_n each of the h = d/2
// rotation pairs turns at, and the attention factor a schedule applies.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "interval/ball.hpp"

namespace ropecert::model {

using interval::Ball;
using interval::Precision;

enum class Pairing { Half, Interleaved };
enum class ScheduleKind { Default, Linear, Ntk, Yarn, Llama3 };
enum class PrecisionMode { Exact, Float32 };

// Parameters of the frequency scaling schemes, named as in Hugging Face
// transformers' rope_scaling dictionaries.
struct Scaling {
  ScheduleKind kind = ScheduleKind::Default;
  double factor = 1.0;

  // yarn and llama3: the context length the model was trained at.
  std::int64_t original_context = 0;

  // yarn
  double beta_fast = 32.0;
  double beta_slow = 1.0;
  bool truncate = true;
  std::optional<double> mscale;
  std::optional<double> mscale_all_dim;
  std::optional<double> attention_factor;

  // llama3
  double low_freq_factor = 1.0;
  double high_freq_factor = 4.0;
};

// Everything that fixes the frequencies of one attention head.
struct RopeSchedule {
  std::string name = "custom";
  int rotary_dim = 0;  // d, even
  double base = 10000.0;
  Scaling scaling;
  Pairing pairing = Pairing::Half;
  PrecisionMode precision = PrecisionMode::Exact;
  std::int64_t context_length = 0;  // informational: the model's maximum context
  std::string source;              // where the numbers come from

  int pairs() const { return rotary_dim / 2; }
};

// The frequencies theta_0 .. theta_{h-1} and the attention factor, each as a
// ball at the requested precision (exact dyadic balls in float32 mode).
struct FrequencyTable {
  std::vector<Ball> theta;
  Ball attention_factor;
};

// Raises InputError naming the value and the fix when a field is out of range.
void validate(const RopeSchedule& schedule);

FrequencyTable compute_frequencies(const RopeSchedule& schedule, Precision prec);

// The float32 mode alone: the float32 frequencies exactly as reference model
// code (Hugging Face transformers, Meta's llama code) computes them.
std::vector<float> float32_frequencies(const RopeSchedule& schedule);

// The attention factor as reference code computes it, a double, before it is
// cast to float32 and multiplied into the cos and sin caches.
double float32_mode_attention_factor(const RopeSchedule& schedule);

std::string to_string(Pairing pairing);
std::string to_string(ScheduleKind kind);
std::string to_string(PrecisionMode mode);
Pairing parse_pairing(const std::string& text);
ScheduleKind parse_schedule_kind(const std::string& text);
PrecisionMode parse_precision_mode(const std::string& text);

}  // namespace ropecert::model
