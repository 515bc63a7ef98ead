#include "claims/coq_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace ropecert::claims::coq {

namespace {

using interval::Ball;
using interval::Tribool;

constexpr interval::Precision kPlanningPrecision = 256;

std::string integer_literal(std::int64_t value) { return std::to_string(value); }

// "exp (- (2n / d) * ln B)", the real-number default frequency B^(-2n/d).
std::string default_inverse(int n, int dim, const std::string& base) {
  return "exp (- (" + integer_literal(2 * n) + " / " + integer_literal(dim) + ") * ln " + base +
         ")";
}

}  // namespace

std::string real_literal(double value) {
  if (!std::isfinite(value)) throw Unsupported("a non-finite number has no Coq literal");
  if (value == 0) return "0";
  double magnitude = std::fabs(value);
  char text[64];
  if (magnitude == std::floor(magnitude) && magnitude < 0x1p53) {
    std::snprintf(text, sizeof text, "%.0f", magnitude);
  } else {
    std::snprintf(text, sizeof text, "%a", magnitude);
  }
  return value < 0 ? "(- " + std::string(text) + ")" : std::string(text);
}

std::string lower_literal(double lower, double widen) {
  return real_literal(std::nextafter(lower - widen, -INFINITY));
}

std::string upper_literal(double upper, double widen) {
  return real_literal(std::nextafter(upper + widen, INFINITY));
}

long interval_precision(double margin, double magnitude, double max_argument, int terms) {
  if (!(margin > 0)) return 400;
  double bits = 20 + std::log2(std::max(max_argument, 1.0)) +
                std::log2(std::max(magnitude, margin) / margin) +
                std::log2(static_cast<double>(std::max(terms, 1)) + 1);
  return std::clamp(static_cast<long>(std::ceil(bits)), 30L, 400L);
}

std::string interval_tactic(long precision) {
  return "interval with (i_prec " + std::to_string(precision) + ")";
}

std::string Model::modulus(int n) {
  std::string i = std::to_string(n);
  return "sqrt (cr_" + i + " * cr_" + i + " + ci_" + i + " * ci_" + i + ")";
}

double Model::amplitude_sum() const {
  double sum = 0;
  for (double a : amplitude_) sum += a;
  return sum;
}

std::string Model::theta_expression(int n, const model::FrequencyTable& table) {
  const model::RopeSchedule& s = schedule_;
  const model::Scaling& sc = s.scaling;
  if (s.precision == model::PrecisionMode::Float32) {
    const Ball& theta = table.theta[n];
    if (!theta.is_exact()) throw Unsupported("a float32 frequency is not an exact double");
    return real_literal(theta.midpoint());
  }
  const std::string base = real_literal(s.base);
  const std::string inverse = default_inverse(n, s.rotary_dim, base);
  switch (sc.kind) {
    case model::ScheduleKind::Default:
      return inverse;
    case model::ScheduleKind::Linear:
      return inverse + " / " + real_literal(sc.factor);
    case model::ScheduleKind::Ntk: {
      // base' = base * factor^(d / (d - 2))
      std::string raised = "(" + base + " * exp ((" + integer_literal(s.rotary_dim) + " / " +
                           integer_literal(s.rotary_dim - 2) + ") * ln " +
                           real_literal(sc.factor) + "))";
      return default_inverse(n, s.rotary_dim, raised);
    }
    case model::ScheduleKind::Llama3:
      break;
    case model::ScheduleKind::Yarn:
      // TODO: export the yarn ramp (floor/ceil of the correction range) in exact mode.
      throw Unsupported("the exact-mode yarn schedule is not exported; use precision = float32");
  }

  // llama3: the band of each pair is decided here with Arb as in
  // schedule_exact.cpp, and the band facts are proved in the file.
  const interval::Precision prec = kPlanningPrecision;
  Ball inv = interval::exp(
      interval::mul(interval::neg(Ball::exact_ratio(2 * n, s.rotary_dim, prec)),
                    interval::log(Ball::exact(s.base), prec), prec),
      prec);
  Ball wavelength = interval::div(interval::mul_2exp(interval::pi(prec), 1), inv, prec);
  Ball context = Ball::exact(sc.original_context);
  Ball long_wavelength = interval::div(context, Ball::exact(sc.low_freq_factor), prec);
  Ball short_wavelength = interval::div(context, Ball::exact(sc.high_freq_factor), prec);
  const std::string w = "(2 * PI / " + inverse + ")";
  const std::string factor = real_literal(sc.factor);
  const std::string w_long =
      "(" + integer_literal(sc.original_context) + " / " + real_literal(sc.low_freq_factor) + ")";
  const std::string w_short =
      "(" + integer_literal(sc.original_context) + " / " + real_literal(sc.high_freq_factor) + ")";
  std::string fact;
  std::string expression;
  if (interval::greater(wavelength, long_wavelength) == Tribool::True) {
    fact = w_long + " < " + w;
    expression = "(" + inverse + ") / " + factor;
  } else if (interval::less(wavelength, short_wavelength) == Tribool::True) {
    fact = w + " < " + w_short;
    expression = inverse;
  } else if (interval::greater_equal(wavelength, short_wavelength) == Tribool::True &&
             interval::less_equal(wavelength, long_wavelength) == Tribool::True) {
    fact = w_short + " <= " + w + " <= " + w_long;
    std::string t = "((" + integer_literal(sc.original_context) + " / " + w + " - " +
                    real_literal(sc.low_freq_factor) + ") / (" +
                    real_literal(sc.high_freq_factor) + " - " + real_literal(sc.low_freq_factor) +
                    "))";
    expression = "(1 - " + t + ") * ((" + inverse + ") / " + factor + ") + " + t + " * (" +
                 inverse + ")";
  } else {
    throw Unsupported("the llama3 band of pair " + std::to_string(n) + " is not decided");
  }
  if (!support_.empty()) support_ += " /\\\n  ";
  support_ += fact;
  return expression;
}

Model::Model(const model::RopeSchedule& schedule, const model::VectorInput& input,
             const model::OutputScale& scale)
    : schedule_(schedule), product_(schedule, input, scale) {
  const interval::Precision prec = kPlanningPrecision;
  const model::FrequencyTable& table = product_.frequencies(prec);
  if (scale.attention_factor) {
    Ball one = Ball::exact(std::int64_t{1});
    if (!(table.attention_factor.is_exact() && table.attention_factor.contains(one))) {
      throw Unsupported("the attention-factor output scale is not exported");
    }
  }
  const int h = product_.pairs();
  for (int n = 0; n < h; ++n) {
    theta_text_.push_back(theta_expression(n, table));
    theta_.push_back(table.theta[n].midpoint());
  }
  if (!support_.empty()) {
    support_ = "(* The llama3 band of every pair, on which the definition of theta_n rests:\n"
               "   divided by the factor when the wavelength 2 pi / inv_n exceeds L0 / "
               "low_freq_factor,\n   unchanged below L0 / high_freq_factor, blended between. *)\n"
               "Lemma llama3_bands :\n  " +
               support_ + ".\nProof. repeat split; " + interval_tactic(80) + ". Qed.\n";
  }
  for (int n = 0; n < h; ++n) {
    for (int p = n + 1; p < h; ++p) {
      if (table.theta[n].overlaps(table.theta[p]) && has_second_moment()) {
        throw Unsupported("pairs " + std::to_string(n) + " and " + std::to_string(p) +
                          " may have equal frequencies");
      }
    }
  }

  const std::string scale_prefix =
      scale.inverse_sqrt_dim ? "/ sqrt " + integer_literal(schedule.rotary_dim) + " * " : "";
  const std::vector<interval::ComplexBall>& c = product_.scaled_coefficients(prec);
  if (const auto* qk = std::get_if<model::QueryKey>(&input)) {
    for (int n = 0; n < h; ++n) {
      bool half = schedule.pairing == model::Pairing::Half;
      std::size_t i = half ? n : 2 * n;
      std::size_t j = half ? n + h : 2 * n + 1;
      // u = q_i + i q_j, v = k_i + i k_j, c = u conj(v).
      const auto& q = qk->q;
      const auto& k = qk->k;
      re_text_.push_back(scale_prefix + "(" + real_literal(q[i]) + " * " + real_literal(k[i]) +
                         " + " + real_literal(q[j]) + " * " + real_literal(k[j]) + ")");
      im_text_.push_back(scale_prefix + "(" + real_literal(q[j]) + " * " + real_literal(k[i]) +
                         " - " + real_literal(q[i]) + " * " + real_literal(k[j]) + ")");
      // Guard against a pairing mismatch with the certified code.
      Ball re = interval::add(interval::mul(Ball::exact(q[i]), Ball::exact(k[i]), prec),
                              interval::mul(Ball::exact(q[j]), Ball::exact(k[j]), prec), prec);
      if (!scale.inverse_sqrt_dim && !re.overlaps(c[n].real())) {
        throw std::logic_error("coq export: coefficient " + std::to_string(n) +
                               " disagrees with the certified product");
      }
    }
  } else {
    const auto& ap = std::get<model::AmplitudePhase>(input);
    for (int n = 0; n < h; ++n) {
      re_text_.push_back(scale_prefix + "(" + real_literal(ap.amplitude[n]) + " * cos " +
                         real_literal(ap.phase[n]) + ")");
      im_text_.push_back(scale_prefix + "(" + real_literal(ap.amplitude[n]) + " * sin " +
                         real_literal(ap.phase[n]) + ")");
    }
  }
  for (int n = 0; n < h; ++n) amplitude_.push_back(interval::abs(c[n], prec).upper());
}

std::string Model::definitions() const {
  std::ostringstream out;
  const int h = pairs();
  const model::RopeSchedule& s = schedule_;
  out << "(* Schedule: " << s.name << ", d = " << s.rotary_dim << ", base = " << s.base
      << ", kind " << model::to_string(s.scaling.kind) << ", precision "
      << model::to_string(s.precision) << ", pairing " << model::to_string(s.pairing) << ".\n";
  if (s.precision == model::PrecisionMode::Float32) {
    out << "   theta_n is the float32 frequency of reference model code, an exact dyadic\n"
           "   rational computed by ropecert (its float32 rounding is not checked here). *)\n";
  } else {
    out << "   theta_n is the real-number formula of the schedule. *)\n";
  }
  for (int n = 0; n < h; ++n) {
    out << "Definition theta_" << n << " : R := " << theta_text_[n] << ".\n";
  }
  out << "\n(* c_n = u_n conj(v_n) = cr_n + i ci_n, exact from the binary64 inputs. *)\n";
  for (int n = 0; n < h; ++n) {
    out << "Definition cr_" << n << " : R := " << re_text_[n] << ".\n";
    out << "Definition ci_" << n << " : R := " << im_text_[n] << ".\n";
  }

  auto sum = [&](auto term) {
    std::string text;
    for (int n = 0; n < h; ++n) text += (n ? "\n  + " : "  ") + term(n);
    return text;
  };
  out << "\n(* S(m) = sum_n Re(c_n exp(i m theta_n)). *)\n"
      << "Definition S (m : R) : R :=\n"
      << sum([](int n) {
           std::string i = std::to_string(n);
           return "(cr_" + i + " * cos (m * theta_" + i + ") - ci_" + i + " * sin (m * theta_" +
                  i + "))";
         })
      << ".\n\n";
  out << "(* Dirichlet kernel modulus part: (1/N) sum_{m in [A, A+N)} exp(i m t)\n"
         "   = exp(i (A + (N-1)/2) t) K N t for t not a multiple of 2 pi. *)\n"
         "Definition K (N t : R) : R := sin (N * t / 2) / (N * sin (t / 2)).\n"
         "(* Re((zr + i zi) (1/N) sum_{m in [A, A+N)} exp(i m t)), in closed form. *)\n"
         "Definition Re_K (zr zi A N t : R) : R :=\n"
         "  (zr * cos ((A + (N - 1) / 2) * t) - zi * sin ((A + (N - 1) / 2) * t)) * K N t.\n"
         "(* mu_W for W = [A, A + N): the closed form of (1/N) sum_{m in W} S(m). *)\n"
         "Definition mean_W (A N : R) : R :=\n"
      << sum([](int n) {
           std::string i = std::to_string(n);
           return "Re_K cr_" + i + " ci_" + i + " A N theta_" + i;
         })
      << ".\n";
  std::string names = "S, mean_W, Re_K, K";
  if (has_second_moment()) {
    out << "(* E_W[S^2] = 1/2 sum_{n,p} Re(c_n conj(c_p) K_W(theta_n - theta_p)\n"
           "   + c_n c_p K_W(theta_n + theta_p)), the n = p difference terms being |c_n|^2. *)\n"
           "Definition second_moment (A N : R) : R :=\n  / 2 * (\n";
    std::string body;
    for (int n = 0; n < h; ++n) {
      std::string i = std::to_string(n);
      body += std::string(body.empty() ? "    " : "\n    + ") + "(cr_" + i + " * cr_" + i +
              " + ci_" + i + " * ci_" + i + ") + Re_K (cr_" + i + " * cr_" + i + " - ci_" + i +
              " * ci_" + i + ") (2 * cr_" + i + " * ci_" + i + ") A N (2 * theta_" + i + ")";
      for (int p = n + 1; p < h; ++p) {
        std::string j = std::to_string(p);
        body += "\n    + 2 * (Re_K (cr_" + i + " * cr_" + j + " + ci_" + i + " * ci_" + j +
                ") (ci_" + i + " * cr_" + j + " - cr_" + i + " * ci_" + j + ") A N (theta_" + i +
                " - theta_" + j + ") + Re_K (cr_" + i + " * cr_" + j + " - ci_" + i + " * ci_" +
                j + ") (cr_" + i + " * ci_" + j + " + ci_" + i + " * cr_" + j +
                ") A N (theta_" + i + " + theta_" + j + "))";
      }
    }
    out << body << ").\n";
    names += ", second_moment";
  }
  for (int n = 0; n < h; ++n) {
    std::string i = std::to_string(n);
    names += ", theta_" + i + ", cr_" + i + ", ci_" + i;
  }
  out << "\nLtac expand := unfold " << names << ".\n";
  return out.str();
}

}  // namespace ropecert::claims::coq
