// ropecert inversion: certified position inversion P_inv(M), its normal
// prediction P_N(M) and the Berry-Esseen term.

#include <chrono>
#include <cstdio>
#include <iostream>

#include "claims/json_encoding.hpp"
#include "cli/command.hpp"
#include "cli/model_options.hpp"
#include "quantities/inversion.hpp"
#include "quantities/normal_prediction.hpp"
#include "util/progress.hpp"

namespace ropecert::cli {

namespace {

struct InversionOptions {
  ModelOptions model;
  std::int64_t M = 0;
  bool json = false;
};

int run_inversion(const InversionOptions& options) {
  auto product = options.model.build_product();
  auto start = std::chrono::steady_clock::now();

  quantities::InversionCount count;
  {
    Progress progress("position inversion");
    count = quantities::position_inversion(*product, options.M,
                                           [&](double f) { progress.update(f); });
  }
  quantities::NormalPrediction prediction = quantities::normal_prediction(*product, options.M);
  quantities::BerryEsseen be = quantities::berry_esseen(*product, options.M);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (options.json) {
    nlohmann::json out;
    out["schedule"] = claims::to_json(product->schedule());
    out["inversion"] = claims::to_json(count);
    out["normal_prediction"] = claims::to_json(prediction);
    out["berry_esseen"] = claims::to_json(be);
    out["seconds"] = seconds;
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("M = %lld: near [0, %lld), far [%lld, %lld), %llu pairs\n",
              static_cast<long long>(options.M), static_cast<long long>(options.M / 2),
              static_cast<long long>(options.M / 2), static_cast<long long>(options.M),
              static_cast<unsigned long long>(count.total_pairs));
  std::printf("  pairs with S(near) < S(far): between %llu and %llu\n",
              static_cast<unsigned long long>(count.certain_less),
              static_cast<unsigned long long>(count.possible_less));
  std::printf("  P_inv  in [%.17g, %.17g]\n", count.fraction_lower(), count.fraction_upper());
  std::cout << "  P_N    in " << prediction.probability.to_interval_string(17) << "\n"
            << "  E_BE   in " << be.value.to_interval_string(17) << "  (lambda = " << be.lambda
            << ")\n";
  std::printf("  near-tie pairs refined: %llu (%llu values re-evaluated)%s\n",
              static_cast<unsigned long long>(count.refined_pairs),
              static_cast<unsigned long long>(count.refined_values),
              count.refinement_skipped ? ", refinement skipped: too many ties" : "");
  std::printf("  time: %.2f s\n", seconds);
  return kExitOk;
}

const RegisterCommand kInversion{{
    "inversion",
    "Certify position inversion P_inv(M): the fraction of pairs m1 in [0, M/2), m2 in [M/2, M) "
    "with S(m1) < S(m2), with its normal prediction and Berry-Esseen term",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<InversionOptions>();
      options->model.add_to(app);
      app.add_option("--M", options->M, "Context length M in tokens, 2 <= M <= 2^31")->required();
      app.add_flag("--json", options->json, "Print JSON instead of text");
      return [options] { return run_inversion(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
