// ropecert token-inversion: the fraction of distances where a second key
// overtakes the key preferred at distance 0, and its normal prediction.

#include <chrono>
#include <cstdio>
#include <iostream>

#include "claims/json_encoding.hpp"
#include "claims/json_failure_modes.hpp"
#include "cli/command.hpp"
#include "cli/failure_mode_options.hpp"
#include "quantities/token_inversion.hpp"
#include "util/progress.hpp"

namespace ropecert::cli {

namespace {

struct TokenInversionOptions {
  TwoKeyOptions keys;
  std::int64_t M = 0;
  bool json = false;
};

int run_token_inversion(const TokenInversionOptions& options) {
  quantities::check_length(options.M, "token inversion");
  quantities::TwoKeyProducts products = options.keys.build_products();
  auto start = std::chrono::steady_clock::now();
  quantities::TokenInversion result;
  {
    Progress progress("token inversion");
    result = quantities::token_inversion(*products.difference, options.M,
                                         [&](double f) { progress.update(f); });
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (options.json) {
    nlohmann::json out;
    out["schedule"] = claims::to_json(products.first->schedule());
    out["scale"] = options.keys.model.scale;
    out["token_inversion"] = claims::to_json(result);
    out["seconds"] = seconds;
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("M = %lld, D(m) = S(q, k1)(m) - S(q, k2)(m), D(0) in %s\n",
              static_cast<long long>(options.M), result.d0.to_interval_string(10).c_str());
  switch (result.label) {
    case quantities::KeyLabel::AsGiven:
      std::printf("  D(0) > 0: keys kept as given\n");
      break;
    case quantities::KeyLabel::Swapped:
      std::printf("  D(0) < 0: keys swapped, so D is -(S1 - S2) below\n");
      break;
    case quantities::KeyLabel::Undecided:
      std::printf("  the sign of D(0) is undecided (D(0) = 0 or too close): keys kept as given, "
                  "and the labelling D(0) > 0 does not hold\n");
      break;
  }
  std::printf("  positions with D(m) < 0: %s, T_inv in %s\n",
              count_text(result.certain_negative, result.possible_negative).c_str(),
              fraction_text(result.fraction_lower(), result.fraction_upper()).c_str());
  std::cout << "  normal prediction Phi(-mu_D / sigma_D) in "
            << result.prediction.to_interval_string(10) << "\n"
            << "  mu_D in " << result.moments.mean.to_interval_string(10) << ", sigma_D^2 in "
            << result.moments.variance.to_interval_string(10) << "\n";
  std::printf("  refined: %llu\n  time: %.2f s\n",
              static_cast<unsigned long long>(result.refined_values), seconds);
  return kExitOk;
}

const RegisterCommand kTokenInversion{{
    "token-inversion",
    "Certify token inversion: with D(m) = S(q,k1)(m) - S(q,k2)(m) labelled so that D(0) > 0, "
    "the fraction of m in [0, M) with D(m) < 0, and the normal prediction Phi(-mu_D / sigma_D)",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<TokenInversionOptions>();
      options->keys.add_to(app);
      add_length_option(app, options->M);
      app.add_flag("--json", options->json, "Print JSON instead of text");
      return [options] { return run_token_inversion(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
