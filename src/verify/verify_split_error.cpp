// Verifier of split-error: recomputes, for each M, lambda(M), the distance
// |mu_W - mu_split| for W = [0, M) and the bound
// sum_fast a_n / (M |sin(theta_n/2)|) + sum_slow a_n min(2, M theta_n).

#include "verify/verifier.hpp"

namespace ropecert::verify {

namespace {

using mpfi_backend::Interval;

VerifyOutcome verify(const VerifyInput& in) {
  namespace mb = mpfi_backend;
  mb::Product product(in.schedule, in.vectors(0), in.scale);
  VerifyOutcome outcome;
  std::vector<interval::Tribool> holds;
  const json& recorded_cases = in.enclosures().at("cases");
  std::vector<std::int64_t> Ms = lengths(in.parameters());
  if (recorded_cases.size() != Ms.size()) {
    outcome.disagreements.push_back({"number of cases", std::to_string(recorded_cases.size()),
                                     std::to_string(Ms.size())});
  }
  for (std::size_t i = 0; i < Ms.size(); ++i) {
    const std::int64_t M = Ms[i];
    mb::Moments moments = mb::window_moments(product, 0, M);
    const mb::Bits prec = moments.precision;
    mb::Split split = mb::split_moments(product, M, prec);
    std::vector<bool> fast = mb::fast_pairs(product, M);
    const auto& theta = product.frequencies(prec).theta;
    const auto& c = product.coefficients(prec);
    Interval bound(prec);
    for (int n = 0; n < product.pairs(); ++n) {
      Interval a = mb::sqrt(mb::add(mb::sqr(c.re[n], prec), mb::sqr(c.im[n], prec), prec), prec);
      Interval term(prec);
      if (fast[n]) {
        Interval sine = mb::abs(mb::sin(mb::scale_2exp(theta[n], -1, prec), prec));
        term = mb::div(a, mb::mul_int(sine, M, prec), prec);
      } else {
        term = mb::mul(a, mb::min(Interval::integer(2, prec), mb::mul_int(theta[n], M, prec), prec),
                       prec);
      }
      bound = mb::add(bound, term, prec);
    }
    Interval distance = mb::abs(mb::sub(moments.mean, split.mean, prec));
    holds.push_back(mb::less_equal(distance, bound));
    if (i >= recorded_cases.size()) continue;

    const json& recorded = recorded_cases[i];
    const std::string where = "M = " + std::to_string(M);
    if (recorded.at("M").get<std::int64_t>() != M) {
      outcome.disagreements.push_back({where + ": case order", recorded.at("M").dump(), "M"});
      continue;
    }
    int recorded_lambda = recorded.at("lambda").get<int>();
    if (recorded_lambda != split.lambda) {
      outcome.disagreements.push_back(
          {where + ": lambda", std::to_string(recorded_lambda), std::to_string(split.lambda)});
    }
    compare(where + ": distance", recorded.at("distance"), distance, outcome);
    compare(where + ": bound", recorded.at("bound"), bound, outcome);
  }
  outcome.verdict = combine(holds);
  outcome.summary = std::to_string(Ms.size()) + " lengths recomputed";
  return outcome;
}

const RegisterVerifier kSplitError{"split-error", verify};

}  // namespace

}  // namespace ropecert::verify
