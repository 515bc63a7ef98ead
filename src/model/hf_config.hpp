#pragma once

#include <string>

#include "model/schedule.hpp"

namespace ropecert::model {

// Reads the rotary schedule from a Hugging Face config.json: rope_theta,
// head_dim (else hidden_size / num_attention_heads, or qk_rope_head_dim for
// MLA models), partial_rotary_factor, max_position_embeddings and the
// rope_scaling dictionary (rope_type or type: default, linear, ntk, yarn, llama3;
// dynamic is rejected because it depends on the sequence length).
// Pairing is half (rotate_half), as in transformers' modeling code.
// Raises InputError naming the file and the field.
RopeSchedule read_hf_config(const std::string& path);

}  // namespace ropecert::model
