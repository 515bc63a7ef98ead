// ropecert moments: exact window moments, split moments and the
// Berry-Esseen term.

#include <iostream>

#include "claims/json_encoding.hpp"
#include "cli/command.hpp"
#include "cli/model_options.hpp"
#include "quantities/normal_prediction.hpp"
#include "util/input_error.hpp"

namespace ropecert::cli {

namespace {

struct MomentsOptions {
  ModelOptions model;
  std::int64_t first = 0;
  std::int64_t end = 0;
  long digits = 20;
  bool json = false;
};

int run_moments(const MomentsOptions& options) {
  auto product = options.model.build_product();
  quantities::Window window{options.first, options.end};
  quantities::check_window(window);

  quantities::WindowMoments moments = quantities::window_moments(*product, window);
  quantities::SplitMoments split = quantities::split_moments(*product, window.end);
  quantities::BerryEsseen be = quantities::berry_esseen(*product, window.end);

  if (options.json) {
    nlohmann::json out;
    out["schedule"] = claims::to_json(product->schedule());
    out["window_moments"] = claims::to_json(moments);
    out["split_moments"] = claims::to_json(split);
    out["berry_esseen"] = claims::to_json(be);
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  const long d = options.digits;
  std::cout << "window W = " << window.to_string() << ", N = " << window.size() << "\n"
            << "  mean mu_W            in " << moments.mean.to_interval_string(d) << "\n"
            << "  E_W[S^2]             in " << moments.second_moment.to_interval_string(d) << "\n"
            << "  variance sigma_W^2   in " << moments.variance.to_interval_string(d) << "\n"
            << "  working precision    " << moments.precision << " bits\n"
            << "split at M = " << split.M << ": lambda = " << split.lambda << " of "
            << product->pairs() << " pairs turn at least once\n"
            << "  mu_split             in " << split.mean.to_interval_string(d) << "\n"
            << "  sigma2_split         in " << split.variance.to_interval_string(d) << "\n"
            << "  Berry-Esseen E_BE    in " << be.value.to_interval_string(d) << "\n";
  return kExitOk;
}

const RegisterCommand kMoments{{
    "moments",
    "Enclose the exact mean and variance of S(m) for m uniform on a window [A, M), the split "
    "moments and the Berry-Esseen term",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<MomentsOptions>();
      options->model.add_to(app);
      app.add_option("--M", options->end, "Window end M in tokens (exclusive), 1 <= M <= 2^53")
          ->required();
      app.add_option("--first", options->first, "Window start A in tokens (default 0)");
      app.add_option("--digits", options->digits, "Significant digits printed (default 20)")
          ->check(CLI::Range(1, 1000));
      app.add_flag("--json", options->json, "Print JSON instead of text");
      return [options] { return run_moments(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
