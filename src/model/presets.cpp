// Rotary schedules of released models. Each entry names the file its numbers
// come from. "(mirror)" marks numbers seen only in third-party copies of a
// configuration file, not yet confirmed from the model's own repository.

#include "model/presets.hpp"

#include "util/input_error.hpp"

namespace ropecert::model {

namespace {

RopeSchedule make(const std::string& name, int rotary_dim, double base, Pairing pairing,
                  std::int64_t context, const std::string& source) {
  RopeSchedule s;
  s.name = name;
  s.rotary_dim = rotary_dim;
  s.base = base;
  s.pairing = pairing;
  s.context_length = context;
  s.source = source;
  return s;
}

Scaling yarn(double factor, std::int64_t original, double beta_fast, double beta_slow,
             bool truncate) {
  Scaling sc;
  sc.kind = ScheduleKind::Yarn;
  sc.factor = factor;
  sc.original_context = original;
  sc.beta_fast = beta_fast;
  sc.beta_slow = beta_slow;
  sc.truncate = truncate;
  return sc;
}

std::vector<RopeSchedule> all_presets() {
  std::vector<RopeSchedule> list;

  // Llama 2: head dim 128, theta 10000, max_seq_len 4096; Meta's code pairs
  // adjacent dimensions (view_as_complex on reshape(..., -1, 2)).
  list.push_back(make("llama-2-7b", 128, 10000.0, Pairing::Interleaved, 4096,
                      "meta-llama/llama, llama/model.py (precompute_freqs_cis, theta=10000.0)"));

  // Llama 3.1: rope_theta 500000 and the llama3 scaling (factor 8, low 1,
  // high 4, original 8192) from meta-llama/llama-models; the 131072 context
  // is from config.json copies (mirror).
  {
    RopeSchedule s = make("llama-3.1-8b", 128, 500000.0, Pairing::Interleaved, 131072,
                          "meta-llama/llama-models, models/llama3/model.py (apply_scaling); "
                          "context 131072 (mirror)");
    s.scaling.kind = ScheduleKind::Llama3;
    s.scaling.factor = 8.0;
    s.scaling.low_freq_factor = 1.0;
    s.scaling.high_freq_factor = 4.0;
    s.scaling.original_context = 8192;
    list.push_back(s);
  }

  list.push_back(make("mistral-7b-v0.3", 128, 1e6, Pairing::Interleaved, 32768,
                      "mistralai/mistral-inference, src/mistral_inference/rope.py; "
                      "params.json rope_theta 1000000.0"));

  list.push_back(make("qwen3-8b", 128, 1e6, Pairing::Half, 40960,
                      "Qwen3-8B config.json (mirror): rope_theta 1000000, head_dim 128, "
                      "max_position_embeddings 40960; HF rotate_half"));

  list.push_back(make("qwen2.5-7b", 128, 1e6, Pairing::Half, 32768,
                      "Qwen2.5-7B config.json (mirror): rope_theta 1000000, 28 heads of "
                      "3584; HF rotate_half"));

  // gpt-oss: yarn with truncate false, from openai/gpt-oss.
  for (const char* name : {"gpt-oss-120b", "gpt-oss-20b"}) {
    RopeSchedule s = make(name, 64, 150000.0, Pairing::Half, 131072,
                          "openai/gpt-oss, gpt_oss/torch/model.py (RotaryEmbedding: "
                          "yarn factor 32, beta_fast 32, beta_slow 1, initial context 4096)");
    s.scaling = yarn(32.0, 4096, 32.0, 1.0, false);
    list.push_back(s);
  }

  // DeepSeek-V3: the rotary part of MLA (qk_rope_head_dim 64).
  {
    RopeSchedule s = make("deepseek-v3", 64, 10000.0, Pairing::Interleaved, 163840,
                          "deepseek-ai/DeepSeek-V3, inference/model.py and "
                          "inference/configs/config_671B.json (rope_factor 40, beta_fast 32, "
                          "beta_slow 1, mscale 1, original_seq_len 4096)");
    s.scaling = yarn(40.0, 4096, 32.0, 1.0, true);
    s.scaling.mscale = 1.0;
    s.scaling.mscale_all_dim = 1.0;
    list.push_back(s);
  }

  {
    RopeSchedule s = make("kimi-k2", 64, 50000.0, Pairing::Interleaved, 131072,
                          "Kimi-K2 config.json (mirror): rope_theta 50000, yarn factor 32, "
                          "beta_fast 1, beta_slow 1, mscale 1, mscale_all_dim 1, original 4096");
    s.scaling = yarn(32.0, 4096, 1.0, 1.0, true);
    s.scaling.mscale = 1.0;
    s.scaling.mscale_all_dim = 1.0;
    list.push_back(s);
  }

  list.push_back(make("gemma-3-local", 256, 10000.0, Pairing::Half, 131072,
                      "google-deepmind/gemma, gemma/gm/math/_positional_embeddings.py; "
                      "local layers base 10000, head dim 256 (4B/12B); context (mirror)"));
  {
    RopeSchedule s = make("gemma-3-global", 256, 1e6, Pairing::Half, 131072,
                          "google-deepmind/gemma, gemma/gm/math/_positional_embeddings.py; "
                          "global layers base 1000000 with linear factor 8; context (mirror)");
    s.scaling.kind = ScheduleKind::Linear;
    s.scaling.factor = 8.0;
    list.push_back(s);
  }

  return list;
}

}  // namespace

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const RopeSchedule& s : all_presets()) names.push_back(s.name);
  return names;
}

RopeSchedule preset(const std::string& name) {
  for (const RopeSchedule& s : all_presets()) {
    if (s.name == name) return s;
  }
  std::string known;
  for (const std::string& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
  throw InputError("unknown preset '" + name + "'; known presets: " + known);
}

}  // namespace ropecert::model
