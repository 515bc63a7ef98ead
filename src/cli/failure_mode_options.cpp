#include "cli/failure_mode_options.hpp"

#include <nlohmann/json.hpp>

#include <cfenv>
#include <cstdio>
#include <fstream>

#include "util/input_error.hpp"

namespace ropecert::cli {

namespace {

// The "k2" array of a --vectors JSON file.
std::vector<double> read_second_key(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot open vectors file '" + path + "'; check the path");
  nlohmann::json doc;
  try {
    in >> doc;
  } catch (const nlohmann::json::exception& e) {
    throw InputError("vectors file '" + path + "' is not valid JSON: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("k2") || !doc["k2"].is_array()) {
    throw InputError("vectors file '" + path +
                     "' has no \"k2\" array; add the second key as \"k2\" or give --k2 FILE");
  }
  std::vector<double> out;
  for (const auto& entry : doc["k2"]) {
    if (!entry.is_number()) {
      throw InputError("vectors file '" + path + "': \"k2\" contains a non-number " + entry.dump() +
                       "; give numbers only");
    }
    out.push_back(entry.get<double>());
  }
  return out;
}

}  // namespace

void TwoKeyOptions::add_to(CLI::App& app) {
  model.add_to(app);
  app.add_option("--k2", k2_file,
                 "Second key: JSON array or 1-D float32/float64 .npy file (with --q and --k, or "
                 "in place of a \"k2\" array in the --vectors file)");
  app.add_option("--sample-k2", sample_k2,
                 "With --ensemble: take the second key from this sample (default --sample + 1)");
  app.add_option("--key-rho", key_rho,
                 "With --ensemble: replace k2 by key_rho k1 + sqrt(1 - key_rho^2) k2, two similar "
                 "tokens (a value in [-1, 1]; default: k2 as drawn)");
}

quantities::TwoKeyProducts TwoKeyOptions::build_products() const {
  return build_two_key_products(model, k2_file, sample_k2, key_rho);
}

quantities::TwoKeyProducts build_two_key_products(const ModelOptions& model,
                                                  const std::string& k2_file,
                                                  std::optional<std::uint64_t> sample_k2,
                                                  std::optional<double> key_rho) {
  model::RopeSchedule schedule = model.build_schedule();
  int sources = (!model.vectors.empty()) + (!model.q_file.empty() || !model.k_file.empty()) +
                (!model.ensemble.empty());
  if (sources != 1) {
    throw InputError("give exactly one of --vectors FILE, --q FILE with --k FILE and --k2 FILE, "
                     "or --ensemble KIND");
  }
  if (key_rho && model.ensemble.empty()) {
    throw InputError("--key-rho needs --ensemble; give the second key with --k2 FILE otherwise");
  }
  if (sample_k2 && model.ensemble.empty()) {
    throw InputError("--sample-k2 needs --ensemble; give the second key with --k2 FILE otherwise");
  }

  model::VectorInput first = model.build_input(schedule.rotary_dim);
  const auto* query_key = std::get_if<model::QueryKey>(&first);
  if (query_key == nullptr) {
    throw InputError("two-key quantities need query and key vectors, not amplitudes and phases; "
                     "give \"q\", \"k\" and \"k2\" arrays or use --ensemble gaussian or correlated");
  }

  std::vector<double> second_key;
  if (!model.ensemble.empty()) {
    if (!k2_file.empty()) throw InputError("--k2 FILE and --ensemble both given; choose one");
    model::EnsembleSpec spec{model::parse_ensemble_kind(model.ensemble), model.seed, model.rho};
    const std::uint64_t sample = sample_k2.value_or(model.sample + 1);
    if (sample == model.sample) {
      throw InputError("--sample-k2 " + std::to_string(sample) +
                       " equals --sample, which makes k2 = k1; choose another sample");
    }
    model::VectorInput other = model::ensemble_sample(spec, sample, schedule.rotary_dim);
    second_key = std::get<model::QueryKey>(other).k;
    if (key_rho) second_key = model::correlated_key(query_key->k, second_key, *key_rho);
  } else if (!k2_file.empty()) {
    second_key = model::read_vector_file(k2_file);
  } else if (!model.vectors.empty()) {
    second_key = read_second_key(model.vectors);
  } else {
    throw InputError("no second key given; add --k2 FILE");
  }
  return quantities::make_two_key_products(schedule, query_key->q, query_key->k, second_key,
                                           model.build_scale());
}

std::string describe_second_key(const ModelOptions& model, const std::string& k2_file,
                                std::optional<std::uint64_t> sample_k2) {
  if (!model.ensemble.empty()) {
    return "k2 from sample " + std::to_string(sample_k2.value_or(model.sample + 1));
  }
  if (!k2_file.empty()) return "k2 from " + k2_file;
  return "k2 from " + model.vectors;
}

void add_token_eps_option(CLI::App& app, std::optional<double>& eps) {
  app.add_option("--eps", eps,
                 "Also count positions with |S1(m) - S2(m)| < eps, eps > 0 in logit units "
                 "(after --scale); default: not counted");
}

void add_format_option(CLI::App& app, std::string& format) {
  app.add_option("--format", format,
                 "Storage format of the logits: bf16, fp16, fp32, fp8_e4m3 (OCP E4M3FN) or "
                 "fp8_e5m2, round to nearest even; default bf16");
}

void add_length_option(CLI::App& app, std::int64_t& M) {
  app.add_option("--M", M, "Context length M in tokens: distances m in [0, M), 2 <= M <= 2^31")
      ->required();
}

std::string count_text(std::uint64_t certain, std::uint64_t possible) {
  if (certain == possible) return std::to_string(certain);
  return "between " + std::to_string(certain) + " and " + std::to_string(possible);
}

std::string fraction_text(double lower, double upper) {
  // glibc's printf rounds decimals in the current rounding mode, so the
  // printed ends stay outside the interval.
  char low_text[48], high_text[48];
  const int saved = std::fegetround();
  std::fesetround(FE_DOWNWARD);
  std::snprintf(low_text, sizeof low_text, "%.6g", lower);
  std::fesetround(FE_UPWARD);
  std::snprintf(high_text, sizeof high_text, "%.6g", upper);
  std::fesetround(saved);
  return std::string("[") + low_text + ", " + high_text + "]";
}

}  // namespace ropecert::cli
