#include "cli/model_options.hpp"

#include "model/hf_config.hpp"
#include "model/presets.hpp"
#include "util/input_error.hpp"

namespace ropecert::cli {

void ModelOptions::add_to(CLI::App& app) {
  auto* schedule_group = app.add_option_group("schedule", "Which rotary frequencies to use");
  schedule_group->add_option("--preset", preset,
                             "Released model: llama-2-7b, llama-3.1-8b, mistral-7b-v0.3, qwen3-8b, "
                             "qwen2.5-7b, gpt-oss-120b, gpt-oss-20b, deepseek-v3, kimi-k2, "
                             "gemma-3-local, gemma-3-global");
  schedule_group->add_option("--config", config, "Hugging Face config.json to read the schedule from");
  schedule_group->add_option("--dim", dim, "Rotary dimension d (even; h = d/2 pairs)");
  schedule_group->add_option("--base", base, "Rotary base B > 1 (default 10000 without a preset)");
  schedule_group->add_option("--schedule", schedule,
                             "Frequency scaling: default, linear, ntk, yarn or llama3");
  schedule_group->add_option("--factor", factor, "Scaling factor s of linear, ntk, yarn, llama3");
  schedule_group->add_option("--original-context", original_context,
                             "Training context length L0 for yarn and llama3, in tokens");
  schedule_group->add_option("--low-freq-factor", low_freq_factor, "llama3 low_freq_factor");
  schedule_group->add_option("--high-freq-factor", high_freq_factor, "llama3 high_freq_factor");
  schedule_group->add_option("--beta-fast", beta_fast, "yarn beta_fast (rotations, default 32)");
  schedule_group->add_option("--beta-slow", beta_slow, "yarn beta_slow (rotations, default 1)");
  schedule_group->add_flag("--no-truncate", no_truncate,
                           "yarn: keep the ramp ends fractional instead of floor and ceil");
  schedule_group->add_option("--pairing", pairing,
                             "How q and k form pairs: half (rotate_half) or interleaved "
                             "(default: the preset's, else half)");
  schedule_group->add_option("--precision", precision,
                             "Frequencies: exact (real-number formula) or float32 (as reference "
                             "model code rounds them); default exact");

  auto* input_group = app.add_option_group("vectors", "Query and key");
  input_group->add_option("--vectors", vectors,
                          "JSON file with \"q\" and \"k\" arrays, or \"amplitude\" and \"phase\" "
                          "(radians) arrays");
  input_group->add_option("--q", q_file, "Query: JSON array or 1-D float32/float64 .npy file");
  input_group->add_option("--k", k_file, "Key: JSON array or 1-D float32/float64 .npy file");
  input_group->add_option("--ensemble", ensemble,
                          "Seeded vectors instead of files: gaussian, correlated or aligned");
  input_group->add_option("--seed", seed, "Ensemble seed (default 0)");
  input_group->add_option("--sample", sample, "Sample number within the ensemble (default 0)");
  input_group->add_option("--rho", rho, "Correlation of k with q for --ensemble correlated (default 0.5)");

  app.add_option("--scale", scale,
                 "Multiply every logit by: none, inv-sqrt-d (1/sqrt(d)), attention (the "
                 "schedule's attention factor squared) or both; default none");
}

model::RopeSchedule ModelOptions::build_schedule() const {
  if (!preset.empty() && !config.empty()) {
    throw InputError("both --preset and --config given; choose one");
  }
  model::RopeSchedule s;
  if (!preset.empty()) {
    s = model::preset(preset);
  } else if (!config.empty()) {
    s = model::read_hf_config(config);
  } else if (!dim) {
    throw InputError("no schedule given; use --preset NAME, --config config.json, or --dim D "
                     "with --base B");
  }

  if (dim) s.rotary_dim = *dim;
  if (base) s.base = *base;
  if (!schedule.empty()) s.scaling.kind = model::parse_schedule_kind(schedule);
  if (factor) s.scaling.factor = *factor;
  if (original_context) s.scaling.original_context = *original_context;
  if (low_freq_factor) s.scaling.low_freq_factor = *low_freq_factor;
  if (high_freq_factor) s.scaling.high_freq_factor = *high_freq_factor;
  if (beta_fast) s.scaling.beta_fast = *beta_fast;
  if (beta_slow) s.scaling.beta_slow = *beta_slow;
  if (no_truncate) s.scaling.truncate = false;
  if (!pairing.empty()) s.pairing = model::parse_pairing(pairing);
  s.precision = model::parse_precision_mode(precision);
  model::validate(s);
  return s;
}

model::VectorInput ModelOptions::build_input(int rotary_dim) const {
  int sources = (!vectors.empty()) + (!q_file.empty() || !k_file.empty()) + (!ensemble.empty());
  if (sources != 1) {
    throw InputError("give exactly one of --vectors FILE, --q FILE with --k FILE, or "
                     "--ensemble KIND");
  }
  if (!vectors.empty()) return model::read_vector_json(vectors);
  if (!ensemble.empty()) {
    model::EnsembleSpec spec{model::parse_ensemble_kind(ensemble), seed, rho};
    return model::ensemble_sample(spec, sample, rotary_dim);
  }
  if (q_file.empty() || k_file.empty()) throw InputError("--q and --k must be given together");
  return model::QueryKey{model::read_vector_file(q_file), model::read_vector_file(k_file)};
}

model::OutputScale ModelOptions::build_scale() const {
  if (scale == "none") return {};
  if (scale == "inv-sqrt-d") return {true, false};
  if (scale == "attention") return {false, true};
  if (scale == "both") return {true, true};
  throw InputError("unknown --scale '" + scale + "'; use none, inv-sqrt-d, attention or both");
}

std::unique_ptr<model::RopeProduct> ModelOptions::build_product() const {
  model::RopeSchedule s = build_schedule();
  model::VectorInput input = build_input(s.rotary_dim);
  return std::make_unique<model::RopeProduct>(s, std::move(input), build_scale());
}

}  // namespace ropecert::cli
