#include "claims/coq_export.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "claims/coq_model.hpp"
#include "quantities/inversion.hpp"
#include "quantities/moments.hpp"
#include "quantities/normal_prediction.hpp"
#include "quantities/window.hpp"
#include "util/input_error.hpp"

namespace ropecert::claims {

namespace {

using coq::interval_precision;
using coq::interval_tactic;
using coq::lower_literal;
using coq::Model;
using coq::real_literal;
using coq::upper_literal;
using interval::Ball;
using interval::Tribool;

constexpr interval::Precision kPrecision = 256;

// SplitMix64 (Steele, Lea and Flood 2014), for reproducible samples.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound), bound > 0 (modulo bias below 2^-32 for bound <= 2^32).
  std::int64_t below(std::int64_t bound) {
    return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(bound));
  }

 private:
  std::uint64_t state_;
};

// The lemmas of one file and the notes for its header.
struct Lemmas {
  std::string text;
  int count = 0;
  std::vector<std::string> checked;    // what the kernel checks, one line each
  std::vector<std::string> rests_on_arb;  // what the file takes from Arb

  void add(const std::string& lemma) {
    text += lemma + "\n";
    ++count;
  }
};

// Relative widening of exported enclosures: Coq proves them at a precision of
// about 2^-30 relative to the size of the terms, far below any decision here.
double widening(double magnitude) { return std::ldexp(std::max(magnitude, 1e-300), -30); }

std::string integer(std::int64_t value) { return std::to_string(value); }

std::string ratio_literal(std::uint64_t numerator, std::uint64_t denominator) {
  return "(" + std::to_string(numerator) + " / " + std::to_string(denominator) + ")";
}

std::string module_name(const std::string& claim_id, std::size_t index, const std::string& label) {
  std::string name = claim_id + "_" + (index < 10 ? "0" : "") + std::to_string(index) + "_" + label;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  if (!std::isalpha(static_cast<unsigned char>(name[0]))) name = "C" + name;
  return name;
}

// --- dirichlet-bound (R1) ---------------------------------------------------

struct DirichletCase {
  int pair;
  quantities::Window window;
  double ratio;   // lhs / rhs, upper bound
  double margin;  // rhs - lhs, lower bound
  double rhs;
  Tribool holds;
};

Lemmas dirichlet_lemmas(const Model& model, const nlohmann::json& parameters,
                        const CoqExportOptions& options) {
  const model::RopeProduct& product = model.product();
  std::vector<DirichletCase> cases;
  for (const auto& pair : parameters.at("windows")) {
    quantities::Window w{pair.at(0).get<std::int64_t>(), pair.at(1).get<std::int64_t>()};
    for (int n = 0; n < product.pairs(); ++n) {
      const Ball& theta = product.frequencies(kPrecision + model::distance_bits(w.end)).theta[n];
      interval::Precision prec = kPrecision + model::distance_bits(w.end);
      interval::ComplexBall c = product.scaled_coefficients(prec)[n];
      Ball modulus = interval::abs(c, prec);
      interval::ComplexBall phase = modulus.contains_zero()
                                        ? interval::ComplexBall(Ball::exact(std::int64_t{1}), Ball())
                                        : interval::ComplexBall(interval::div(c.real(), modulus, prec),
                                                                interval::div(c.imag(), modulus, prec));
      interval::ComplexBall mean =
          interval::mul(phase, quantities::window_kernel(theta, w, prec), prec);
      Ball lhs = interval::abs(mean.real());
      Ball rhs = interval::div(
          Ball::exact(std::int64_t{1}),
          interval::mul(Ball::exact(w.size()),
                        interval::abs(interval::sin(interval::mul_2exp(theta, -1), prec)), prec),
          prec);
      cases.push_back({n, w, interval::div(lhs, rhs, 64).upper(),
                       interval::sub(rhs, lhs, 64).lower(), rhs.lower(),
                       interval::less_equal(lhs, rhs)});
    }
  }

  // Every case for small products; otherwise the tightest case, then one
  // sampled case per window, then further sampled cases.
  std::vector<std::size_t> chosen;
  if (product.pairs() <= options.full_pairs) {
    for (std::size_t i = 0; i < cases.size(); ++i) chosen.push_back(i);
  } else {
    std::size_t tightest = 0;
    for (std::size_t i = 1; i < cases.size(); ++i) {
      if (cases[i].ratio > cases[tightest].ratio) tightest = i;
    }
    chosen.push_back(tightest);
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      if (i != tightest) order.push_back(i);
    }
    SplitMix64 random(options.seed);
    for (std::size_t i = order.size(); i > 1; --i) {
      std::swap(order[i - 1], order[random.below(static_cast<std::int64_t>(i))]);
    }
    std::stable_partition(order.begin(), order.end(), [&, seen = std::vector<std::int64_t>()](
                                                          std::size_t i) mutable {
      std::int64_t first = cases[i].window.first;
      if (std::find(seen.begin(), seen.end(), first) != seen.end()) return false;
      seen.push_back(first);
      return true;
    });
    for (std::size_t i : order) {
      if (static_cast<int>(chosen.size()) >= options.max_lemmas) break;
      chosen.push_back(i);
    }
  }

  Lemmas lemmas;
  int exported = 0;
  for (std::size_t index : chosen) {
    const DirichletCase& c = cases[index];
    if (c.holds != Tribool::True) continue;  // only decided cases have a lemma
    std::string i = std::to_string(c.pair);
    bool zero = model.amplitude(c.pair) == 0;
    std::string cr = zero ? "1" : "cr_" + i;
    std::string ci = zero ? "0" : "ci_" + i;
    std::string modulus = zero ? "1" : Model::modulus(c.pair);
    std::string A = integer(c.window.first);
    std::string N = integer(c.window.size());
    double argument = static_cast<double>(c.window.end) * model.theta(c.pair);
    long prec = interval_precision(c.margin, c.rhs, argument, 4);
    std::ostringstream lemma;
    lemma << "(* pair " << c.pair << ", W = " << c.window.to_string()
          << (index == chosen.front() && product.pairs() > options.full_pairs ? ", the tightest case"
                                                                               : "")
          << ": lhs / rhs <= " << c.ratio << " *)\n"
          << "Lemma dirichlet_" << c.window.first << "_" << c.window.end << "_pair_" << c.pair
          << " :\n  Rabs (Re_K " << cr << " " << ci << " " << A << " " << N << " theta_" << i
          << " / " << modulus << ")\n  <= / (" << N << " * Rabs (sin (theta_" << i << " / 2))).\n"
          << "Proof. expand. " << interval_tactic(prec) << ". Qed.\n";
    lemmas.add(lemma.str());
    ++exported;
  }
  lemmas.checked.push_back(std::to_string(exported) + " of " + std::to_string(cases.size()) +
                           " cases (pair, window) of the bound, each as a lemma");
  if (exported < static_cast<int>(cases.size())) {
    lemmas.rests_on_arb.push_back(
        "the other " + std::to_string(cases.size() - exported) +
        " cases (checked by Arb only; the exported ones are the tightest case and a sample "
        "drawn with SplitMix64 seed " + std::to_string(options.seed) + ")");
  }
  return lemmas;
}

// --- split-error (R2) -------------------------------------------------------

Lemmas split_error_lemmas(const Model& model, const nlohmann::json& parameters) {
  const model::RopeProduct& product = model.product();
  const int h = product.pairs();
  Lemmas lemmas;
  for (const auto& value : parameters.at("M")) {
    const std::int64_t M = value.get<std::int64_t>();
    const std::string Ms = integer(M);
    std::vector<bool> fast = quantities::fast_components(product, M);
    quantities::WindowMoments moments = quantities::window_moments(product, {0, M});
    const interval::Precision prec = kPrecision;
    const auto& theta = product.frequencies(prec).theta;
    const auto& c = product.scaled_coefficients(prec);

    std::string mu_split, bound, rewrites, split_facts;
    Ball split_mean, bound_ball;
    bool min_decided = true;  // whether Arb decided min(2, M theta_n) for every slow pair
    for (int n = 0; n < h; ++n) {
      std::string i = std::to_string(n);
      Ball a = interval::abs(c[n], prec);
      if (fast[n]) {
        Ball sine = interval::abs(interval::sin(interval::mul_2exp(theta[n], -1), prec));
        bound_ball = interval::add(
            bound_ball, interval::div(a, interval::mul(Ball::exact(M), sine, prec), prec), prec);
        bound += std::string(bound.empty() ? "" : "\n    + ") + Model::modulus(n) + " / (" + Ms +
                 " * Rabs (sin (theta_" + i + " / 2)))";
      } else {
        split_mean = interval::add(split_mean, c[n].real(), prec);
        mu_split += std::string(mu_split.empty() ? "" : " + ") + "cr_" + i;
        Ball turn = interval::mul(Ball::exact(M), theta[n], prec);
        Ball two = Ball::exact(std::int64_t{2});
        std::string product_text = "(" + Ms + " * theta_" + i + ")";
        if (interval::less_equal(turn, two) == Tribool::True) {
          rewrites += "  rewrite (Rmin_right 2 " + product_text + ") by (expand; " +
                      interval_tactic(60) + ").\n";
        } else if (interval::greater_equal(turn, two) == Tribool::True) {
          rewrites += "  rewrite (Rmin_left 2 " + product_text + ") by (expand; " +
                      interval_tactic(60) + ").\n";
        } else {
          min_decided = false;
        }
        bound_ball = interval::add(bound_ball,
                                   interval::mul(a, interval::min(two, turn, prec), prec), prec);
        bound += std::string(bound.empty() ? "" : "\n    + ") + Model::modulus(n) + " * Rmin 2 " +
                 product_text;
      }
    }
    if (mu_split.empty()) mu_split = "0";
    if (bound.empty()) bound = "0";

    // The split index: the boundary pairs, on each side of 2 pi.
    int lambda = static_cast<int>(std::count(fast.begin(), fast.end(), true));
    if (lambda > 0) split_facts += "2 * PI <= " + Ms + " * theta_" + std::to_string(lambda - 1);
    if (lambda < h) {
      split_facts += std::string(split_facts.empty() ? "" : " /\\ ") + Ms + " * theta_" +
                     std::to_string(lambda) + " < 2 * PI";
    }
    lemmas.add("(* lambda(" + Ms + ") = " + std::to_string(lambda) +
               ": the last fast pair turns at least once in [0, M), the first slow one does "
               "not. *)\nLemma split_index_" + Ms + " : " + split_facts + ".\nProof. " +
               "repeat split; expand; " + interval_tactic(80) + ". Qed.\n");

    Ball distance = interval::abs(interval::sub(moments.mean, split_mean, prec));
    double margin = interval::sub(bound_ball, distance, prec).lower();
    double magnitude = model.amplitude_sum();
    double argument = static_cast<double>(M) * model.theta(0);
    if (min_decided && interval::less_equal(distance, bound_ball) == Tribool::True) {
      long p = interval_precision(margin, magnitude, argument, 3 * h);
      lemmas.add("(* |mu_W - mu_split| <= bound for W = [0, " + Ms + "); margin " +
                 std::to_string(margin) + ". *)\nLemma split_error_" + Ms + " :\n  Rabs (mean_W 0 " +
                 Ms + " - (" + mu_split + "))\n  <= " + bound + ".\nProof.\n" + rewrites + "  expand. " +
                 interval_tactic(p) + ".\nQed.\n");
    }
    double w = widening(magnitude);
    long p = interval_precision(w, magnitude, argument, 2 * h);
    lemmas.add("Lemma mean_" + Ms + " :\n  " + lower_literal(moments.mean.lower(), w) +
               " <= mean_W 0 " + Ms + " <= " + upper_literal(moments.mean.upper(), w) +
               ".\nProof. expand. split; " + interval_tactic(p) + ". Qed.\n");
  }
  lemmas.checked.push_back("for each M: the split index, |mu_W - mu_split| <= bound with mu_W in "
                           "closed form, and an enclosure of mu_W");
  lemmas.rests_on_arb.push_back(
      "that the closed form mean_W equals the average of S over the window (the Dirichlet "
      "kernel identity, a standard fact that is not proved in Coq)");
  return lemmas;
}

// --- inversion-near-half and inversion-normal-gap (T1) ----------------------

std::string phi_definitions() {
  return "(* Standard normal CDF without erfc: Phi x = 1/2 + (1/sqrt(2 pi)) int_0^x exp(-t^2/2). *)\n"
         "Definition Phi (x : R) : R :=\n"
         "  / 2 + / sqrt (2 * PI) * RInt (fun t => exp (- (t * t) / 2)) 0 x.\n";
}

// Sampled comparisons S(m1) < S(m2) (or >) behind a pair count.
void add_comparisons(Lemmas& lemmas, const Model& model, std::int64_t M, int count,
                     SplitMix64& random) {
  const model::RopeProduct& product = model.product();
  const std::int64_t half = M / 2;
  int exported = 0;
  for (int attempt = 0; attempt < 4 * count && exported < count; ++attempt) {
    std::int64_t m1 = random.below(half);
    std::int64_t m2 = half + random.below(M - half);
    Ball s1 = product.value(m1, 128);
    Ball s2 = product.value(m2, 128);
    Tribool less = interval::less(s1, s2);
    Tribool greater = interval::greater(s1, s2);
    if (less != Tribool::True && greater != Tribool::True) continue;
    bool inverted = less == Tribool::True;
    double margin = std::fabs(interval::sub(s2, s1, 128).midpoint());
    long prec = interval_precision(margin, model.amplitude_sum(), static_cast<double>(M),
                                   4 * model.pairs());
    std::string lhs = "S " + integer(inverted ? m1 : m2);
    std::string rhs = "S " + integer(inverted ? m2 : m1);
    lemmas.add("(* (" + integer(m1) + ", " + integer(m2) + ") " +
               (inverted ? "is an inverted pair" : "is not an inverted pair") + " *)\nLemma compare_" +
               integer(M) + "_" + std::to_string(exported) + " : " + lhs + " < " + rhs +
               ".\nProof. expand. " + interval_tactic(prec) + ". Qed.\n");
    ++exported;
  }
}

struct InversionSpec {
  bool gap;                    // inversion-normal-gap; else inversion-near-half
  bool berry_esseen = false;   // tolerance is E_BE(M)
  double tolerance = 0;
};

Lemmas inversion_lemmas(const Model& model, const nlohmann::json& parameters,
                        const InversionSpec& spec, const CoqExportOptions& options) {
  const model::RopeProduct& product = model.product();
  const int h = product.pairs();
  const auto& lengths = parameters.at("M");
  const int per_length_fixed = spec.gap ? (model.has_second_moment() ? 8 : 6) : 1;
  const int comparisons =
      h <= options.full_pairs
          ? 8
          : std::max(1, options.max_lemmas / static_cast<int>(lengths.size()) - per_length_fixed);
  SplitMix64 random(options.seed);
  Lemmas lemmas;
  if (spec.gap) lemmas.text += phi_definitions() + "\n";
  const double magnitude = model.amplitude_sum();

  for (const auto& value : lengths) {
    const std::int64_t M = value.get<std::int64_t>();
    const std::string Ms = integer(M);
    quantities::InversionCount count = quantities::position_inversion(product, M);
    add_comparisons(lemmas, model, M, comparisons, random);

    const std::string p_lower = ratio_literal(count.certain_less, count.total_pairs);
    const std::string p_upper = ratio_literal(count.possible_less, count.total_pairs);
    const std::string count_hypothesis =
        p_lower + " <= p <= " + p_upper;
    lemmas.text += "(* M = " + Ms + ": Arb's pair count gives " + std::to_string(count.certain_less) +
                   " <= #{S(m1) < S(m2)} <= " + std::to_string(count.possible_less) + " of " +
                   std::to_string(count.total_pairs) + " pairs. *)\n";

    if (!spec.gap) {
      Ball p = Ball::from_bounds(count.fraction_lower(), count.fraction_upper());
      Ball distance = interval::abs(interval::sub(p, Ball::exact(0.5), 128));
      Tribool holds = interval::less_equal(distance, Ball::exact(spec.tolerance));
      if (holds == Tribool::Unknown) continue;
      std::string relation = holds == Tribool::True ? " <= " : " > ";
      lemmas.add("Lemma decision_" + Ms + " : forall p, " + count_hypothesis + " ->\n  Rabs (p - / 2)" +
                 relation + real_literal(spec.tolerance) + ".\nProof. intros p Hp. " +
                 interval_tactic(60) + ". Qed.\n");
      continue;
    }

    // Normal prediction: moments of the two halves, z, Phi at the ends of z.
    quantities::NormalPrediction prediction = quantities::normal_prediction(product, M);
    const std::int64_t H = M / 2;
    const std::string near = "0 " + integer(H);
    const std::string far = integer(H) + " " + integer(M - H);
    const double w = widening(magnitude);
    const double argument = static_cast<double>(M) * model.theta(0);
    const long mean_prec = interval_precision(w, magnitude, argument, 2 * h);
    auto enclosure = [&](const std::string& name, const std::string& expression, const Ball& b,
                         long prec) {
      lemmas.add("Lemma " + name + " :\n  " + lower_literal(b.lower(), w) + " <= " + expression +
                 " <= " + upper_literal(b.upper(), w) + ".\nProof. expand. split; " +
                 interval_tactic(prec) + ". Qed.\n");
    };
    enclosure("mean_near_" + Ms, "mean_W " + near, prediction.near.mean, mean_prec);
    enclosure("mean_far_" + Ms, "mean_W " + far, prediction.far.mean, mean_prec);
    const std::string var_near = "(second_moment " + near + " - mean_W " + near + " * mean_W " + near + ")";
    const std::string var_far = "(second_moment " + far + " - mean_W " + far + " * mean_W " + far + ")";
    const double wz = std::ldexp(std::max(std::fabs(prediction.z.midpoint()), 1.0), -24);
    const std::string z_lower = lower_literal(prediction.z.lower(), wz);
    const std::string z_upper = upper_literal(prediction.z.upper(), wz);
    if (model.has_second_moment()) {
      const double variance_scale = magnitude * magnitude;
      const double wv = widening(variance_scale);
      const long var_prec = interval_precision(wv, variance_scale, argument, 4 * h * h) + 20;
      lemmas.add("Lemma variance_near_" + Ms + " :\n  " + lower_literal(prediction.near.variance.lower(), wv) +
                 " <= " + var_near + " <= " + upper_literal(prediction.near.variance.upper(), wv) +
                 ".\nProof. expand. split; " + interval_tactic(var_prec) + ". Qed.\n");
      lemmas.add("Lemma variance_far_" + Ms + " :\n  " + lower_literal(prediction.far.variance.lower(), wv) +
                 " <= " + var_far + " <= " + upper_literal(prediction.far.variance.upper(), wv) +
                 ".\nProof. expand. split; " + interval_tactic(var_prec) + ". Qed.\n");
      lemmas.add("Lemma z_" + Ms + " :\n  " + z_lower + " <= (mean_W " + far + " - mean_W " + near +
                 ") / sqrt (" + var_near + " + " + var_far + ") <= " + z_upper +
                 ".\nProof. expand. split; " + interval_tactic(var_prec) + ". Qed.\n");
    } else {
      // z from the enclosures of the four moments, as a statement over all
      // values in them; the variances are Arb's.
      auto bounds = [&](const Ball& b, double widen) {
        return lower_literal(b.lower(), widen) + " <= %s <= " + upper_literal(b.upper(), widen);
      };
      auto hypothesis = [&](const Ball& b, double widen, const std::string& variable) {
        std::string text = bounds(b, widen);
        return text.replace(text.find("%s"), 2, variable);
      };
      const double wv = widening(magnitude * magnitude);
      lemmas.add("(* z from the moment enclosures: the means are kernel-checked above, the\n"
                 "   variances (O(h^2) terms) are Arb's enclosures. *)\nLemma z_" + Ms +
                 " : forall mn mf vn vf,\n  " + hypothesis(prediction.near.mean, w, "mn") + " ->\n  " +
                 hypothesis(prediction.far.mean, w, "mf") + " ->\n  " +
                 hypothesis(prediction.near.variance, wv, "vn") + " ->\n  " +
                 hypothesis(prediction.far.variance, wv, "vf") + " ->\n  " + z_lower +
                 " <= (mf - mn) / sqrt (vn + vf) <= " + z_upper +
                 ".\nProof. intros mn mf vn vf Hmn Hmf Hvn Hvf. split; " + interval_tactic(60) +
                 ". Qed.\n");
    }

    // Phi at the two ends of the z enclosure, by the integral tactic. The
    // bounds are widened by 2^-24, which a degree-15 Taylor model reaches.
    const double pw = std::ldexp(1.0, -24);
    const std::string pn_lower = lower_literal(prediction.probability.lower(), pw);
    const std::string pn_upper = upper_literal(prediction.probability.upper(), pw);
    lemmas.add("Lemma Phi_lower_" + Ms + " : " + pn_lower + " <= Phi " + z_lower +
               ".\nProof. unfold Phi. integral with (i_prec 60, i_degree 15). Qed.\n");
    lemmas.add("Lemma Phi_upper_" + Ms + " : Phi " + z_upper + " <= " + pn_upper +
               ".\nProof. unfold Phi. integral with (i_prec 60, i_degree 15). Qed.\n");

    // The tolerance, and the decision from the count and the P_N enclosure.
    std::string tolerance = real_literal(spec.tolerance);
    Ball tolerance_ball = Ball::exact(spec.tolerance);
    Ball p = Ball::from_bounds(count.fraction_lower(), count.fraction_upper());
    Ball gap = interval::abs(interval::sub(p, prediction.probability, 128));
    if (spec.berry_esseen) {
      quantities::BerryEsseen be = quantities::berry_esseen(product, M);
      tolerance_ball = be.value;
      std::vector<bool> fast = quantities::fast_components(product, M);
      std::string cubes, squares;
      for (int n = 0; n < h; ++n) {
        if (!fast[n]) continue;
        std::string a = Model::modulus(n);
        cubes += std::string(cubes.empty() ? "" : " + ") + a + " ^ 3";
        squares += std::string(squares.empty() ? "" : " + ") + "(cr_" + std::to_string(n) +
                   " * cr_" + std::to_string(n) + " + ci_" + std::to_string(n) + " * ci_" +
                   std::to_string(n) + ")";
      }
      if (cubes.empty()) continue;  // lambda = 0: E_BE is infinite, nothing to export
      const double tw = std::ldexp(std::max(be.value.upper(), 1.0), -30);
      tolerance = "E_BE_" + Ms;
      lemmas.text += "(* E_BE(M) = 0.56 sum_fast a_n^3 (4 / (3 pi)) / (1/2 sum_fast a_n^2)^(3/2). *)\n"
                     "Definition E_BE_" + Ms + " : R :=\n  56 / 100 * (" + cubes +
                     ") * (4 / (3 * PI))\n  / ((/ 2 * (" + squares + ")) * sqrt (/ 2 * (" +
                     squares + "))).\n";
      lemmas.add("Lemma E_BE_bounds_" + Ms + " :\n  " + lower_literal(be.value.lower(), tw) +
                 " <= E_BE_" + Ms + " <= " + upper_literal(be.value.upper(), tw) +
                 ".\nProof. unfold E_BE_" + Ms + "; expand. split; " + interval_tactic(80) +
                 ". Qed.\n");
      if (interval::less_equal(gap, tolerance_ball) == Tribool::True) {
        tolerance = lower_literal(be.value.lower(), tw);
      } else {
        tolerance = upper_literal(be.value.upper(), tw);
      }
    }
    Tribool holds = interval::less_equal(gap, tolerance_ball);
    if (holds == Tribool::Unknown) continue;
    std::string relation = holds == Tribool::True ? " <= " : " > ";
    lemmas.add("(* The decision for M = " + Ms + ", from the count range of p = P_inv and the\n"
               "   enclosure of pn = P_N = Phi(z), which lies between Phi_lower and Phi_upper\n"
               "   because Phi is increasing" +
               std::string(spec.berry_esseen ? "; the tolerance is the end of E_BE_bounds" : "") +
               ". *)\nLemma decision_" + Ms + " : forall p pn,\n  " + count_hypothesis + " ->\n  " +
               pn_lower + " <= pn <= " + pn_upper + " ->\n  Rabs (p - pn)" + relation + tolerance +
               ".\nProof. intros p pn Hp Hpn. " +
               "interval with (i_prec 60, i_bisect p, i_depth 8). Qed.\n");
  }

  lemmas.checked.push_back("sampled comparisons S(m1) < S(m2), SplitMix64 seed " +
                           std::to_string(options.seed) +
                           ", m1 uniform in [0, M/2) and m2 in [M/2, M)");
  lemmas.checked.push_back(
      "the decision: every p in the count range" +
      std::string(spec.gap ? " and every pn in the P_N enclosure" : "") +
      " satisfies the (negated, for REFUTED) inequality");
  lemmas.rests_on_arb.push_back("the pair count itself (all M/2 * (M - M/2) comparisons)");
  if (spec.gap) {
    lemmas.checked.push_back("enclosures of the near and far window means" +
                             std::string(model.has_second_moment()
                                             ? ", variances and z"
                                             : "; z from the moment enclosures") +
                             "; Phi at both ends of the z enclosure (integral tactic)");
    if (!model.has_second_moment()) {
      lemmas.rests_on_arb.push_back("the variances of the two halves (O(h^2) terms, h > " +
                                    std::to_string(Model::kMaxPairsForSecondMoment) + ")");
    }
    lemmas.rests_on_arb.push_back(
        "that Phi is increasing (so P_N lies between Phi at the ends of z), and the closed forms "
        "of the window moments (Dirichlet kernel identities)");
  }
  return lemmas;
}

// --- files ------------------------------------------------------------------

std::string file_header(const CoqInstance& instance, const Lemmas& lemmas) {
  std::ostringstream out;
  out << "(* ropecert --emit-coq: claim " << instance.claim_id << " (" << instance.kind
      << "), instance \"" << instance.label << "\", verdict " << to_string(instance.verdict)
      << " (expected " << to_string(instance.expected) << ").\n"
      << "   Statement: " << instance.statement << "\n"
      << "   Parameters: " << instance.parameters.dump() << "\n"
      << "   Kernel-checked in this file:\n";
  for (const std::string& line : lemmas.checked) out << "   - " << line << "\n";
  out << "   Not checked here, taken from ropecert's Arb computation:\n";
  for (const std::string& line : lemmas.rests_on_arb) out << "   - " << line << "\n";
  out << "   Check with: coqc FILE.v (Coq 8.16 with coq-interval 4.6 and Coquelicot). *)\n\n"
      << "From Coq Require Import Reals.\n"
      << "From Coquelicot Require Import Coquelicot.\n"
      << "From Interval Require Import Tactic.\n"
      << "Open Scope R_scope.\n\n";
  return out.str();
}

Lemmas lemmas_for(const CoqInstance& instance, const Model& model,
                  const CoqExportOptions& options) {
  const nlohmann::json& parameters = instance.parameters;
  if (instance.kind == "dirichlet-bound") return dirichlet_lemmas(model, parameters, options);
  if (instance.kind == "split-error") return split_error_lemmas(model, parameters);
  InversionSpec spec;
  spec.gap = instance.kind == "inversion-normal-gap";
  const auto& tolerance = parameters.at("tolerance");
  if (tolerance.is_string()) {
    spec.berry_esseen = true;
  } else {
    spec.tolerance = tolerance.get<double>();
  }
  return inversion_lemmas(model, parameters, spec, options);
}

}  // namespace

std::vector<CoqInstance> coq_instances(const std::vector<PreparedClaim>& claims,
                                       const std::vector<std::vector<Verdict>>& results) {
  std::vector<CoqInstance> out;
  for (std::size_t ci = 0; ci < claims.size(); ++ci) {
    const PreparedClaim& claim = claims[ci];
    for (std::size_t ii = 0; ii < claim.instances.size(); ++ii) {
      const PreparedInstance& instance = claim.instances[ii];
      out.push_back({claim.id, claim.kind, claim.statement, instance.label, ii,
                     instance.parameters, instance.schedule, instance.vectors, instance.scale,
                     instance.expected, results.at(ci).at(ii)});
    }
  }
  return out;
}

CoqExportSummary export_coq(const std::vector<CoqInstance>& instances,
                            const CoqExportOptions& options, std::ostream& log) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(options.directory, error);
  if (error) {
    throw InputError("cannot create the Coq export directory '" + options.directory +
                     "': " + error.message());
  }
  CoqExportSummary summary;
  for (const CoqInstance& instance : instances) {
    auto skip = [&](const std::string& reason) {
      summary.skipped.push_back(instance.claim_id + " / " + instance.label + ": " + reason);
    };
    static const std::vector<std::string> kinds = {"dirichlet-bound", "split-error",
                                                   "inversion-near-half", "inversion-normal-gap"};
    if (std::find(kinds.begin(), kinds.end(), instance.kind) == kinds.end()) {
      skip("claim kind " + instance.kind + " is not exported");
      continue;
    }
    if (instance.verdict == Verdict::Undecided) {
      skip("UNDECIDED verdicts have no decisive inequality");
      continue;
    }
    if (!instance.schedule || !instance.vectors) {
      skip("no schedule or vectors");
      continue;
    }
    if (instance.schedule->pairs() > options.max_pairs) {
      skip(std::to_string(instance.schedule->pairs()) + " pairs exceed --coq-max-pairs " +
           std::to_string(options.max_pairs));
      continue;
    }
    try {
      Model model(*instance.schedule, *instance.vectors, instance.scale);
      Lemmas lemmas = lemmas_for(instance, model, options);
      const std::string name = module_name(instance.claim_id, instance.index, instance.label);
      const std::string path = (fs::path(options.directory) / (name + ".v")).string();
      std::ofstream file(path);
      file << file_header(instance, lemmas) << model.definitions() << "\n"
           << model.support_lemmas() << "\n" << lemmas.text;
      if (!file) throw InputError("failed to write '" + path + "'");
      ++summary.files;
      summary.lemmas += lemmas.count + model.support_lemma_count();
      log << "coq: " << path << " (" << lemmas.count + model.support_lemma_count()
          << " lemmas)\n";
    } catch (const coq::Unsupported& e) {
      skip(e.what());
    }
  }
  for (const std::string& line : summary.skipped) log << "coq: skipped " << line << "\n";
  log << "coq: " << summary.files << " files, " << summary.lemmas << " lemmas, "
      << summary.skipped.size() << " instances skipped, in " << options.directory << "\n";
  return summary;
}

}  // namespace ropecert::claims
