// ropecert aliasing: certified position aliasing A_F(M) of one query and key
// under a storage format, and with --eps the threshold version A_eps(M).

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "claims/json_encoding.hpp"
#include "claims/json_failure_modes.hpp"
#include "cli/command.hpp"
#include "cli/failure_mode_options.hpp"
#include "quantities/aliasing.hpp"
#include "quantities/threshold_aliasing.hpp"
#include "util/progress.hpp"

namespace ropecert::cli {

namespace {

struct AliasingOptions {
  ModelOptions model;
  std::int64_t M = 0;
  std::string format = "bf16";
  std::optional<double> eps;
  bool json = false;
};

int run_aliasing(const AliasingOptions& options) {
  const formats::Format format = formats::parse_format(options.format);
  auto product = options.model.build_product();
  auto start = std::chrono::steady_clock::now();

  quantities::AliasingCount count;
  {
    Progress progress("position aliasing");
    count = quantities::position_aliasing(*product, options.M, format,
                                          [&](double f) { progress.update(f); });
  }
  std::optional<quantities::ThresholdAliasingCount> threshold;
  if (options.eps) {
    Progress progress("threshold aliasing");
    threshold = quantities::threshold_aliasing(*product, options.M, *options.eps,
                                               [&](double f) { progress.update(f); });
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (options.json) {
    nlohmann::json out;
    out["schedule"] = claims::to_json(product->schedule());
    out["scale"] = options.model.scale;
    out["aliasing"] = claims::to_json(count);
    if (threshold) out["threshold_aliasing"] = claims::to_json(*threshold);
    out["seconds"] = seconds;
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("M = %lld, format %s, scale %s, %llu pairs m1 < m2\n",
              static_cast<long long>(options.M), options.format.c_str(),
              options.model.scale.c_str(), static_cast<unsigned long long>(count.total_pairs));
  std::printf("  alias pairs fl(S(m1)) == fl(S(m2)): %s, fraction %s\n",
              count_text(count.certain_pairs, count.possible_pairs).c_str(),
              fraction_text(count.pair_fraction_lower(), count.pair_fraction_upper()).c_str());
  std::printf("  distances with a partner: %s, fraction %s\n",
              count_text(count.certain_with_partner, count.possible_with_partner).c_str(),
              fraction_text(count.partner_fraction_lower(), count.partner_fraction_upper()).c_str());
  std::printf("  distinct stored values: %llu; refined %llu, undecided %llu, overflow %llu\n",
              static_cast<unsigned long long>(count.distinct_values),
              static_cast<unsigned long long>(count.refined_values),
              static_cast<unsigned long long>(count.undecided_values),
              static_cast<unsigned long long>(count.overflow_values));
  if (threshold) {
    std::printf("  pairs with |S(m1) - S(m2)| < %.17g: %s, fraction %s\n", threshold->eps,
                count_text(threshold->certain_pairs, threshold->possible_pairs).c_str(),
                fraction_text(threshold->pair_fraction_lower(), threshold->pair_fraction_upper())
                    .c_str());
    std::printf("  distances with a partner within eps: %s%s\n",
                count_text(threshold->certain_with_partner, threshold->possible_with_partner)
                    .c_str(),
                threshold->refinement_skipped ? " (refinement skipped: too many open pairs)" : "");
  }
  std::printf("  time: %.2f s\n", seconds);
  return kExitOk;
}

const RegisterCommand kAliasing{{
    "aliasing",
    "Certify position aliasing: the pairs of distances m1 < m2 in [0, M) whose logits S(m) "
    "round to the same value in a storage format, and with --eps those within eps",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<AliasingOptions>();
      options->model.add_to(app);
      add_length_option(app, options->M);
      add_format_option(app, options->format);
      app.add_option("--eps", options->eps,
                     "Also count pairs with |S(m1) - S(m2)| < eps, eps > 0 in logit units (after "
                     "--scale), read as the nearest binary64 number; default: not counted");
      app.add_flag("--json", options->json, "Print JSON instead of text");
      return [options] { return run_aliasing(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
