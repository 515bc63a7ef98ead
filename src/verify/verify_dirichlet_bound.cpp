// Verifier of dirichlet-bound: recomputes, for every pair n and window W,
// |E_W cos(m theta_n + phi_n)| and 1 / (N |sin(theta_n / 2)|) on MPFI
// intervals, and compares the certificate's tightest case and witness.

#include "verify/verifier.hpp"

namespace ropecert::verify {

namespace {

using mpfi_backend::Bits;
using mpfi_backend::Interval;

struct Case {
  Interval lhs, rhs;
  interval::Tribool holds = interval::Tribool::Unknown;
};

// E_W cos(m t + phi) = cos(phi) C - sin(phi) S with C, S the window means of
// cos(m t) and sin(m t); cos(phi) = x / |c|, sin(phi) = y / |c| for c = x + iy.
// A coefficient that may be zero is checked with phi = 0.
Case check_case(const mpfi_backend::Product& product, int n, std::int64_t first,
                std::int64_t end) {
  Case c;
  for (Bits prec = 128 + 64; prec <= 2048; prec *= 2) {
    const Interval& theta = product.frequencies(prec).theta[n];
    const auto& coefficients = product.coefficients(prec);
    Interval x = coefficients.re[n], y = coefficients.im[n];
    Interval modulus = mpfi_backend::sqrt(mpfi_backend::add(mpfi_backend::sqr(x, prec),
                                                            mpfi_backend::sqr(y, prec), prec),
                                          prec);
    if (modulus.contains_zero()) {
      x = Interval::integer(1, prec);
      y = Interval::integer(0, prec);
    } else {
      x = mpfi_backend::div(x, modulus, prec);
      y = mpfi_backend::div(y, modulus, prec);
    }
    mpfi_backend::KernelSums k = mpfi_backend::kernel_sums(theta, first, end, prec);
    c.lhs = mpfi_backend::abs(mpfi_backend::sub(mpfi_backend::mul(x, k.cos_mean, prec),
                                                mpfi_backend::mul(y, k.sin_mean, prec), prec));
    Interval half_sine =
        mpfi_backend::abs(mpfi_backend::sin(mpfi_backend::scale_2exp(theta, -1, prec), prec));
    c.rhs = mpfi_backend::div(Interval::integer(1, prec),
                              mpfi_backend::mul_int(half_sine, end - first, prec), prec);
    c.holds = mpfi_backend::less_equal(c.lhs, c.rhs);
    if (c.holds != interval::Tribool::Unknown) break;
  }
  return c;
}

void compare_case(const std::string& name, const json& recorded,
                  const mpfi_backend::Product& product, VerifyOutcome& outcome) {
  if (recorded.is_null()) return;
  int n = recorded.at("pair").get<int>();
  std::int64_t first = recorded.at("window").at(0).get<std::int64_t>();
  std::int64_t end = recorded.at("window").at(1).get<std::int64_t>();
  if (n < 0 || n >= product.pairs()) {
    outcome.disagreements.push_back({name + " pair", std::to_string(n), "out of range"});
    return;
  }
  Case c = check_case(product, n, first, end);
  std::string where = name + " (n = " + std::to_string(n) + ", W = [" + std::to_string(first) +
                      ", " + std::to_string(end) + "))";
  compare(where + " lhs", recorded.at("lhs"), c.lhs, outcome);
  compare(where + " rhs", recorded.at("rhs"), c.rhs, outcome);
}

VerifyOutcome verify(const VerifyInput& in) {
  mpfi_backend::Product product(in.schedule, in.vectors(0), in.scale);
  VerifyOutcome outcome;
  std::vector<interval::Tribool> cases;
  for (const json& window : in.parameters().at("windows")) {
    std::int64_t first = window.at(0).get<std::int64_t>();
    std::int64_t end = window.at(1).get<std::int64_t>();
    for (int n = 0; n < product.pairs(); ++n) cases.push_back(check_case(product, n, first, end).holds);
  }
  outcome.verdict = combine(cases);

  const json& enclosures = in.enclosures();
  std::uint64_t recorded_cases = enclosures.at("cases_checked").get<std::uint64_t>();
  if (recorded_cases != cases.size()) {
    outcome.disagreements.push_back(
        {"number of cases", std::to_string(recorded_cases), std::to_string(cases.size())});
  }
  compare_case("tightest case", enclosures.at("tightest_case"), product, outcome);
  compare_case("witness", in.instance.at("witness"), product, outcome);
  outcome.summary = std::to_string(cases.size()) + " cases recomputed";
  return outcome;
}

const RegisterVerifier kDirichletBound{"dirichlet-bound", verify};

}  // namespace

}  // namespace ropecert::verify
