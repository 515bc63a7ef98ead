#include "model/schedule.hpp"

#include <cmath>
#include <sstream>

#include "util/input_error.hpp"

namespace ropecert::model {

FrequencyTable exact_frequencies(const RopeSchedule& schedule, Precision prec);

namespace {

std::string number(double x) {
  std::ostringstream out;
  out.precision(17);
  out << x;
  return out.str();
}

void require(bool ok, const std::string& message) {
  if (!ok) throw InputError(message);
}

}  // namespace

void validate(const RopeSchedule& s) {
  const std::string where = "schedule '" + s.name + "': ";
  require(s.rotary_dim >= 2 && s.rotary_dim % 2 == 0 && s.rotary_dim <= 65536,
          where + "rotary dimension " + std::to_string(s.rotary_dim) +
              " is invalid; give an even number between 2 and 65536");
  require(std::isfinite(s.base) && s.base > 1,
          where + "base " + number(s.base) + " is invalid; give a finite number greater than 1");

  const Scaling& sc = s.scaling;
  if (sc.kind == ScheduleKind::Default) return;
  require(std::isfinite(sc.factor) && sc.factor > 0,
          where + "scaling factor " + number(sc.factor) + " is invalid; give a positive number");

  if (sc.kind == ScheduleKind::Ntk) {
    require(s.rotary_dim > 2, where + "ntk scaling needs a rotary dimension above 2");
  }
  if (sc.kind == ScheduleKind::Yarn || sc.kind == ScheduleKind::Llama3) {
    require(sc.original_context > 0, where + "original context " +
                                         std::to_string(sc.original_context) +
                                         " is invalid; give the positive training context length");
  }
  if (sc.kind == ScheduleKind::Yarn) {
    require(std::isfinite(sc.beta_fast) && sc.beta_fast > 0 && std::isfinite(sc.beta_slow) &&
                sc.beta_slow > 0,
            where + "yarn beta_fast " + number(sc.beta_fast) + " and beta_slow " +
                number(sc.beta_slow) + " must be positive");
    if (sc.attention_factor) {
      require(std::isfinite(*sc.attention_factor) && *sc.attention_factor > 0,
              where + "attention factor " + number(*sc.attention_factor) +
                  " is invalid; give a positive number");
    }
    for (const auto& m : {sc.mscale, sc.mscale_all_dim}) {
      if (m) require(std::isfinite(*m), where + "yarn mscale must be a finite number");
    }
  }
  if (sc.kind == ScheduleKind::Llama3) {
    require(std::isfinite(sc.low_freq_factor) && std::isfinite(sc.high_freq_factor) &&
                sc.low_freq_factor > 0 && sc.high_freq_factor > sc.low_freq_factor,
            where + "llama3 frequency factors low " + number(sc.low_freq_factor) + " and high " +
                number(sc.high_freq_factor) + " are invalid; give 0 < low < high");
  }
}

FrequencyTable compute_frequencies(const RopeSchedule& schedule, Precision prec) {
  validate(schedule);
  if (schedule.precision == PrecisionMode::Exact) return exact_frequencies(schedule, prec);

  FrequencyTable table;
  for (float f : float32_frequencies(schedule)) {
    table.theta.push_back(Ball::exact(static_cast<double>(f)));
  }
  // Reference code multiplies the float32 cos and sin caches by the factor,
  // a Python double that the tensor operation casts to float32.
  float factor = static_cast<float>(float32_mode_attention_factor(schedule));
  table.attention_factor = Ball::exact(static_cast<double>(factor));
  return table;
}

std::string to_string(Pairing pairing) {
  return pairing == Pairing::Half ? "half" : "interleaved";
}

std::string to_string(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::Default: return "default";
    case ScheduleKind::Linear: return "linear";
    case ScheduleKind::Ntk: return "ntk";
    case ScheduleKind::Yarn: return "yarn";
    case ScheduleKind::Llama3: return "llama3";
  }
  return "unknown";
}

std::string to_string(PrecisionMode mode) {
  return mode == PrecisionMode::Exact ? "exact" : "float32";
}

Pairing parse_pairing(const std::string& text) {
  if (text == "half") return Pairing::Half;
  if (text == "interleaved") return Pairing::Interleaved;
  throw InputError("unknown pairing '" + text + "'; use 'half' or 'interleaved'");
}

ScheduleKind parse_schedule_kind(const std::string& text) {
  if (text == "default" || text == "none") return ScheduleKind::Default;
  if (text == "linear") return ScheduleKind::Linear;
  if (text == "ntk") return ScheduleKind::Ntk;
  if (text == "yarn") return ScheduleKind::Yarn;
  if (text == "llama3") return ScheduleKind::Llama3;
  throw InputError("unknown schedule '" + text +
                   "'; use default, linear, ntk, yarn or llama3");
}

PrecisionMode parse_precision_mode(const std::string& text) {
  if (text == "exact") return PrecisionMode::Exact;
  if (text == "float32") return PrecisionMode::Float32;
  throw InputError("unknown precision mode '" + text + "'; use 'exact' or 'float32'");
}

}  // namespace ropecert::model
