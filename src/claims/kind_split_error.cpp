// R2, the split error: for W = [0, M),
// |mu_W - mu_split| <= sum_{fast n} a_n / (M |sin(theta_n / 2)|)
//                     + sum_{slow n} a_n min(2, M theta_n).
//
// Why it holds: mu_W - mu_split = sum_fast Re(c_n K_W(theta_n)) +
// sum_slow Re(c_n (K_W(theta_n) - 1)). The first sum is bounded termwise by
// a_n |K_W| <= a_n / (M |sin(theta_n/2)|); for the second,
// |K_W(t) - 1| <= (1/M) sum_{m<M} |exp(imt) - 1| <= (1/M) sum min(2, m t) <= min(2, M t).

#include "claims/claim_kind.hpp"
#include "claims/json_encoding.hpp"
#include "quantities/moments.hpp"

namespace ropecert::claims {

namespace {

using interval::Ball;
using interval::Precision;

struct Case {
  std::int64_t M;
  int lambda;
  Ball distance, bound;
  interval::Tribool holds;
};

Case check(const model::RopeProduct& product, std::int64_t M) {
  quantities::WindowMoments moments = quantities::window_moments(product, {0, M});
  quantities::SplitMoments split = quantities::split_moments(product, M, moments.precision);
  std::vector<bool> fast = quantities::fast_components(product, M);

  const Precision prec = moments.precision;
  const auto& theta = product.frequencies(prec).theta;
  const auto& c = product.scaled_coefficients(prec);
  const Ball length = Ball::exact(M);
  Ball bound;
  for (int n = 0; n < product.pairs(); ++n) {
    Ball a = interval::abs(c[n], prec);
    Ball term;
    if (fast[n]) {
      Ball sine = interval::abs(interval::sin(interval::mul_2exp(theta[n], -1), prec));
      term = interval::div(a, interval::mul(length, sine, prec), prec);
    } else {
      Ball turn = interval::min(Ball::exact(std::int64_t{2}),
                                interval::mul(length, theta[n], prec), prec);
      term = interval::mul(a, turn, prec);
    }
    bound = interval::add(bound, term, prec);
  }
  Ball distance = interval::abs(interval::sub(moments.mean, split.mean, prec));
  return {M, split.lambda, distance, bound, interval::less_equal(distance, bound)};
}

}  // namespace

ClaimKind split_error_kind() {
  ClaimKind kind;
  kind.name = "split-error";
  kind.statement = "for every M in `M`, with W = [0, M): |mu_W - mu_split| <= "
                   "sum_{n<lambda} a_n / (M |sin(theta_n/2)|) + sum_{n>=lambda} a_n min(2, M theta_n)";
  kind.keys = {"M"};
  kind.prepare = [](const Parameters& p) -> InstanceRunner {
    model::RopeSchedule schedule = read_schedule(p);
    VectorSource vectors = read_vectors(p);
    model::OutputScale scale = read_scale(p);
    std::vector<std::int64_t> lengths = p.get_int_list("M");
    for (std::int64_t M : lengths) {
      if (M < 1 || M > model::kMaxDistance) {
        p.fail("M = " + std::to_string(M) + " is out of range; give 1 <= M <= 2^53");
      }
    }
    model::VectorInput input = vectors.get(schedule.rotary_dim);
    model::validate(input, schedule.pairs());
    return [schedule, input, scale, lengths] {
      model::RopeProduct product(schedule, input, scale);
      InstanceResult result;
      VerdictAccumulator verdict;
      nlohmann::json cases = nlohmann::json::array();
      std::string summary;
      for (std::int64_t M : lengths) {
        Case c = check(product, M);
        verdict.add(c.holds);
        nlohmann::json entry = {{"M", c.M},
                                {"lambda", c.lambda},
                                {"distance", to_json(c.distance)},
                                {"bound", to_json(c.bound)},
                                {"holds", interval::to_string(c.holds)}};
        if (c.holds == interval::Tribool::False && result.witness.is_null()) result.witness = entry;
        cases.push_back(entry);
        char line[160];
        std::snprintf(line, sizeof line, "%sM=%lld: %.3g <= %.3g", summary.empty() ? "" : "; ",
                      static_cast<long long>(M), c.distance.upper(), c.bound.lower());
        summary += line;
      }
      result.verdict = verdict.verdict();
      result.enclosures = {{"cases", cases}};
      result.summary = summary;
      result.precision_bits = 0;
      return result;
    };
  };
  return kind;
}

}  // namespace ropecert::claims
