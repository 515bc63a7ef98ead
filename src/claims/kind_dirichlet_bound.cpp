// R1, the Dirichlet bound: for every pair n and window W of N distances,
// |E_W cos(m theta_n + phi_n)| <= 1 / (N |sin(theta_n / 2)|).
//
// E_W cos(m theta + phi) = Re(exp(i phi) K_W(theta)), and |K_W(theta)| =
// |sin(N theta / 2)| / (N |sin(theta / 2)|), so the bound holds for every
// theta not a multiple of 2 pi: the claim checks the evaluator.

#include "claims/claim_kind.hpp"
#include "claims/json_encoding.hpp"
#include "quantities/window.hpp"

namespace ropecert::claims {

namespace {

using interval::Ball;
using interval::ComplexBall;
using interval::Precision;
using interval::Tribool;

// exp(i phi_n) = c_n / |c_n|; a coefficient that may be zero has no phase,
// and the bound is checked with phi_n = 0 (it holds for every phase).
ComplexBall unit_phase(const ComplexBall& c, Precision prec) {
  Ball modulus = interval::abs(c, prec);
  if (modulus.contains_zero()) return ComplexBall(Ball::exact(std::int64_t{1}), Ball());
  ComplexBall unit;
  acb_div_arb(unit.raw(), c.raw(), modulus.raw(), prec);
  return unit;
}

struct Case {
  int pair;
  quantities::Window window;
  Ball lhs, rhs;
  Tribool holds;
};

InstanceResult run(const model::RopeProduct& product,
                   const std::vector<quantities::Window>& windows) {
  InstanceResult result;
  VerdictAccumulator verdict;
  std::optional<Case> tightest, refuting;
  long max_precision = 0;

  for (const quantities::Window& w : windows) {
    for (int n = 0; n < product.pairs(); ++n) {
      Case c{n, w, Ball(), Ball(), Tribool::Unknown};
      for (Precision prec = 128 + model::distance_bits(w.end); prec <= 2048; prec *= 2) {
        const Ball& theta = product.frequencies(prec).theta[n];
        ComplexBall phase = unit_phase(product.scaled_coefficients(prec)[n], prec);
        ComplexBall mean = interval::mul(phase, quantities::window_kernel(theta, w, prec), prec);
        c.lhs = interval::abs(mean.real());
        Ball half = interval::mul_2exp(theta, -1);
        c.rhs = interval::div(Ball::exact(std::int64_t{1}),
                              interval::mul(Ball::exact(w.size()),
                                            interval::abs(interval::sin(half, prec)), prec),
                              prec);
        c.holds = interval::less_equal(c.lhs, c.rhs);
        max_precision = std::max<long>(max_precision, prec);
        if (c.holds != Tribool::Unknown) break;
      }
      verdict.add(c.holds);
      if (c.holds == Tribool::False && !refuting) refuting = c;
      // The tightest case has the smallest ratio lhs / rhs.
      if (!tightest || interval::div(c.lhs, c.rhs, 64).upper() >
                           interval::div(tightest->lhs, tightest->rhs, 64).upper()) {
        tightest = c;
      }
    }
  }

  auto case_json = [](const Case& c) {
    return nlohmann::json{{"pair", c.pair},
                          {"window", {c.window.first, c.window.end}},
                          {"lhs", to_json(c.lhs)},
                          {"rhs", to_json(c.rhs)},
                          {"holds", interval::to_string(c.holds)}};
  };
  result.verdict = verdict.verdict();
  result.precision_bits = max_precision;
  result.enclosures = {{"cases_checked", windows.size() * product.pairs()},
                       {"tightest_case", case_json(*tightest)}};
  if (refuting) result.witness = case_json(*refuting);
  double ratio = interval::div(tightest->lhs, tightest->rhs, 64).upper();
  result.summary = std::to_string(windows.size() * product.pairs()) +
                   " cases; largest lhs/rhs <= " + std::to_string(ratio) + " (n = " +
                   std::to_string(tightest->pair) + ", W = " + tightest->window.to_string() + ")";
  return result;
}

}  // namespace

ClaimKind dirichlet_bound_kind() {
  ClaimKind kind;
  kind.name = "dirichlet-bound";
  kind.statement = "for every pair n and window W = [first, end) in `windows`: "
                   "|E_W cos(m theta_n + phi_n)| <= 1 / (N |sin(theta_n / 2)|), N = end - first";
  kind.keys = {"windows"};
  kind.prepare = [](const Parameters& p) -> InstanceRunner {
    model::RopeSchedule schedule = read_schedule(p);
    VectorSource vectors = read_vectors(p);
    model::OutputScale scale = read_scale(p);
    std::vector<quantities::Window> windows;
    for (auto [first, end] : p.get_int_pairs("windows")) {
      quantities::Window w{first, end};
      try {
        quantities::check_window(w);
      } catch (const std::exception& e) {
        p.fail(e.what());
      }
      windows.push_back(w);
    }
    model::VectorInput input = vectors.get(schedule.rotary_dim);
    model::validate(input, schedule.pairs());
    return [schedule, input, scale, windows] {
      model::RopeProduct product(schedule, input, scale);
      return run(product, windows);
    };
  };
  return kind;
}

}  // namespace ropecert::claims
