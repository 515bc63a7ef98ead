// ropecert token-aliasing: positions m where two keys give the same stored
// logit, and with --eps the positions where the logits differ by less than eps.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "claims/json_encoding.hpp"
#include "claims/json_failure_modes.hpp"
#include "cli/command.hpp"
#include "cli/failure_mode_options.hpp"
#include "quantities/token_aliasing.hpp"
#include "util/progress.hpp"

namespace ropecert::cli {

namespace {

struct TokenAliasingOptions {
  TwoKeyOptions keys;
  std::int64_t M = 0;
  std::string format = "bf16";
  std::optional<double> eps;
  bool json = false;
};

int run_token_aliasing(const TokenAliasingOptions& options) {
  const formats::Format format = formats::parse_format(options.format);
  quantities::check_length(options.M, "token aliasing");
  quantities::TwoKeyProducts products = options.keys.build_products();
  auto start = std::chrono::steady_clock::now();
  quantities::TokenAliasing result;
  {
    Progress progress("token aliasing");
    result = quantities::token_aliasing(products, options.M, format, options.eps,
                                        [&](double f) { progress.update(f); });
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (options.json) {
    nlohmann::json out;
    out["schedule"] = claims::to_json(products.first->schedule());
    out["scale"] = options.keys.model.scale;
    out["token_aliasing"] = claims::to_json(result);
    out["seconds"] = seconds;
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("M = %lld, format %s, scale %s\n", static_cast<long long>(options.M),
              options.format.c_str(), options.keys.model.scale.c_str());
  std::printf("  positions with fl(S1(m)) == fl(S2(m)): %s\n",
              count_text(result.certain_equal, result.possible_equal).c_str());
  if (result.eps) {
    std::printf("  positions with |S1(m) - S2(m)| < %.17g: %s\n", *result.eps,
                count_text(result.certain_near, result.possible_near).c_str());
    std::cout << "  normal prediction M * Pr(|D| < eps) in "
              << result.predicted_near.to_interval_string(10) << "\n";
  }
  std::printf("  refined: %llu, undecided: %llu\n  time: %.2f s\n",
              static_cast<unsigned long long>(result.refined_values),
              static_cast<unsigned long long>(result.undecided_values), seconds);
  return kExitOk;
}

const RegisterCommand kTokenAliasing{{
    "token-aliasing",
    "Certify token aliasing: the positions m in [0, M) where two keys give the same stored "
    "logit in a storage format, and with --eps those where the logits differ by less than eps",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<TokenAliasingOptions>();
      options->keys.add_to(app);
      add_length_option(app, options->M);
      add_format_option(app, options->format);
      add_token_eps_option(app, options->eps);
      app.add_flag("--json", options->json, "Print JSON instead of text");
      return [options] { return run_token_aliasing(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
