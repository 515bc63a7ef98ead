// ropecert invariance: for one query and two keys, position aliasing of each
// key, attention invariance (pairs that alias for both keys at once) and
// token aliasing (distances where the two keys' stored logits are equal).

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "claims/json_encoding.hpp"
#include "claims/json_failure_modes.hpp"
#include "cli/command.hpp"
#include "cli/failure_mode_options.hpp"
#include "quantities/aliasing.hpp"
#include "quantities/token_aliasing.hpp"
#include "util/progress.hpp"

namespace ropecert::cli {

namespace {

struct InvarianceOptions {
  TwoKeyOptions keys;
  std::int64_t M = 0;
  std::string format = "bf16";
  std::optional<double> eps;
  bool json = false;
};

void print_aliasing(const char* label, const quantities::AliasingCount& c) {
  std::printf("  %s: %s pairs, fraction %s; distances with a partner %s\n", label,
              count_text(c.certain_pairs, c.possible_pairs).c_str(),
              fraction_text(c.pair_fraction_lower(), c.pair_fraction_upper()).c_str(),
              count_text(c.certain_with_partner, c.possible_with_partner).c_str());
}

int run_invariance(const InvarianceOptions& options) {
  const formats::Format format = formats::parse_format(options.format);
  quantities::check_length(options.M, "attention invariance");
  quantities::TwoKeyProducts products = options.keys.build_products();
  auto start = std::chrono::steady_clock::now();

  quantities::RoundedWindow first, second;
  quantities::TokenAliasing tokens;
  {
    Progress progress("attention invariance");
    first = quantities::round_window(*products.first, options.M, format,
                                     [&](double f) { progress.update(0.45 * f); });
    second = quantities::round_window(*products.second, options.M, format,
                                      [&](double f) { progress.update(0.45 + 0.45 * f); });
    tokens = quantities::count_token_aliasing(first, second);
    if (options.eps) {
      quantities::add_token_threshold(tokens, *products.difference, *options.eps,
                                      [&](double f) { progress.update(0.9 + 0.1 * f); });
    }
  }
  quantities::AttentionInvariance invariance;
  invariance.first = quantities::count_aliasing({&first});
  invariance.second = quantities::count_aliasing({&second});
  invariance.both = quantities::count_aliasing({&first, &second});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (options.json) {
    nlohmann::json out;
    out["schedule"] = claims::to_json(products.first->schedule());
    out["scale"] = options.keys.model.scale;
    out["invariance"] = claims::to_json(invariance);
    out["token_aliasing"] = claims::to_json(tokens);
    out["seconds"] = seconds;
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("M = %lld, format %s, scale %s, %llu pairs m1 < m2\n",
              static_cast<long long>(options.M), options.format.c_str(),
              options.keys.model.scale.c_str(),
              static_cast<unsigned long long>(invariance.first.total_pairs));
  print_aliasing("alias pairs, key 1", invariance.first);
  print_aliasing("alias pairs, key 2", invariance.second);
  print_aliasing("attention invariance (both keys)", invariance.both);
  std::printf("  token aliasing fl(S1(m)) == fl(S2(m)): %s of %lld positions\n",
              count_text(tokens.certain_equal, tokens.possible_equal).c_str(),
              static_cast<long long>(options.M));
  if (tokens.eps) {
    std::printf("  positions with |S1(m) - S2(m)| < %.17g: %s (normal prediction %s)\n",
                *tokens.eps, count_text(tokens.certain_near, tokens.possible_near).c_str(),
                tokens.predicted_near.to_interval_string(6).c_str());
  }
  std::printf("  roundings refined: %llu, undecided: %llu\n",
              static_cast<unsigned long long>(tokens.refined_values),
              static_cast<unsigned long long>(first.undecided_values + second.undecided_values));
  std::printf("  time: %.2f s\n", seconds);
  return kExitOk;
}

const RegisterCommand kInvariance{{
    "invariance",
    "Certify, for one query and two keys, position aliasing of each key, attention invariance "
    "(pairs m1 < m2 that alias for both keys) and token aliasing (positions m where both keys "
    "give the same stored logit)",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<InvarianceOptions>();
      options->keys.add_to(app);
      add_length_option(app, options->M);
      add_format_option(app, options->format);
      add_token_eps_option(app, options->eps);
      app.add_flag("--json", options->json, "Print JSON instead of text");
      return [options] { return run_invariance(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
