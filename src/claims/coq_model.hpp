#pragma once

// Coq text for one RoPE product: the frequencies, the coefficients c_n, S(m),
// window means in closed form and window second moments, as definitions over
// Coq's reals, plus the helpers that turn Arb numbers into Coq literals and
// pick the precision of the Interval tactics.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/rope_product.hpp"

namespace ropecert::claims::coq {

// Raised when an instance cannot be written as Coq definitions; the message
// gives the reason, and the exporter records it as the reason for skipping.
class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The exact value of a double as a Coq real literal: an integer, or a
// hexadecimal literal such as 0x1.8p-3, in parentheses when negative.
std::string real_literal(double value);

// The double just below (above) ball.lower() (ball.upper()) minus (plus)
// `widen`, rounded outward, as a Coq literal.
std::string lower_literal(double lower, double widen);
std::string upper_literal(double upper, double widen);

// The Interval precision (bits) for an inequality whose two sides differ by
// `margin`, with terms of size up to `magnitude`, cos and sin arguments up to
// `max_argument` and `terms` rounded terms: enough bits to keep the argument
// reduction and the accumulated rounding below the margin, plus 20 bits of
// slack. Clamped to [30, 400].
long interval_precision(double margin, double magnitude, double max_argument, int terms);

// "interval with (i_prec P)".
std::string interval_tactic(long precision);

class Model {
 public:
  // Raises Unsupported for what the export does not cover: exact-mode yarn
  // schedules, the attention-factor output scale when it is not exactly 1,
  // and products whose frequencies coincide.
  Model(const model::RopeSchedule& schedule, const model::VectorInput& input,
        const model::OutputScale& scale);

  const model::RopeProduct& product() const { return product_; }
  int pairs() const { return product_.pairs(); }

  // Whether the second moment is defined in the file (O(h^2) terms; only
  // for h <= kMaxPairsForSecondMoment).
  bool has_second_moment() const { return pairs() <= kMaxPairsForSecondMoment; }
  static constexpr int kMaxPairsForSecondMoment = 16;

  // theta_n, cr_n, ci_n, Re_K, K, S, mean_W, second_moment and the `expand`
  // tactic that unfolds all of them, preceded by a comment on each.
  std::string definitions() const;

  // Lemmas that support the definitions (the llama3 band of every pair in
  // exact mode); empty when there are none. Counts as `support_lemmas()`.
  std::string support_lemmas() const { return support_; }
  int support_lemma_count() const { return support_.empty() ? 0 : 1; }

  // Double values for planning: frequencies and |c_n|.
  double theta(int n) const { return theta_[n]; }
  double amplitude(int n) const { return amplitude_[n]; }
  double amplitude_sum() const;

  // "theta_3", "cr_3", "ci_3", "sqrt (cr_3 * cr_3 + ci_3 * ci_3)".
  static std::string theta_name(int n) { return "theta_" + std::to_string(n); }
  static std::string modulus(int n);

 private:
  std::string theta_expression(int n, const model::FrequencyTable& table);

  model::RopeSchedule schedule_;
  model::RopeProduct product_;
  std::vector<std::string> theta_text_, re_text_, im_text_;
  std::vector<double> theta_, amplitude_;
  std::string theta_comment_;
  std::string support_;
};

}  // namespace ropecert::claims::coq
