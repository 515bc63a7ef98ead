// ropecert eval: enclosures of S(m) at given distances.

#include <iostream>

#include "claims/json_encoding.hpp"
#include "cli/command.hpp"
#include "cli/model_options.hpp"

namespace ropecert::cli {

namespace {

struct EvalOptions {
  ModelOptions model;
  std::vector<std::int64_t> distances;
  long digits = 20;
  long precision = 128;
  bool json = false;
};

int run_eval(const EvalOptions& options) {
  auto product = options.model.build_product();
  nlohmann::json values = nlohmann::json::array();
  for (std::int64_t m : options.distances) {
    interval::Ball s = product->value(m, options.precision);
    if (options.json) {
      values.push_back({{"m", m}, {"S", claims::to_json(s, options.digits)}});
    } else {
      std::cout << "S(" << m << ") in " << s.to_interval_string(options.digits) << "\n";
    }
  }
  if (options.json) {
    nlohmann::json out;
    out["schedule"] = claims::to_json(product->schedule());
    out["precision_bits"] = options.precision;
    out["values"] = values;
    std::cout << out.dump(2) << "\n";
  }
  return kExitOk;
}

const RegisterCommand kEval{{
    "eval",
    "Enclose the attention logit S(m) = sum_n Re(c_n exp(i m theta_n)) at given distances",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<EvalOptions>();
      options->model.add_to(app);
      app.add_option("--m", options->distances,
                     "Distances m in tokens (query position minus key position), 0 <= m < 2^53; "
                     "several values separated by commas or spaces")
          ->required()
          ->delimiter(',');
      app.add_option("--digits", options->digits, "Significant digits printed (default 20)")
          ->check(CLI::Range(1, 1000));
      app.add_option("--bits", options->precision,
                     "Target accuracy in bits (default 128); working precision adds log2(m) "
                     "and guard bits")
          ->check(CLI::Range(16, 100000));
      app.add_flag("--json", options->json, "Print JSON instead of text");
      return [options] { return run_eval(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
