#include "verify/verifier.hpp"

#include <map>

#include "model/ensemble.hpp"
#include "util/input_error.hpp"

namespace ropecert::verify {

namespace {

std::map<std::string, Verifier>& registry() {
  static std::map<std::string, Verifier> verifiers;
  return verifiers;
}

[[noreturn]] void invalid(const std::string& where, const std::string& problem) {
  throw InputError("certificate " + where + ": " + problem +
                   "; give a certificate written by 'ropecert check'");
}

const json& field(const json& object, const std::string& key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) invalid(where, "missing field '" + key + "'");
  return object.at(key);
}

double number_field(const json& object, const std::string& key, const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_number()) invalid(where, "field '" + key + "' must be a number");
  return value.get<double>();
}

std::vector<double> number_list(const json& object, const std::string& key,
                                const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_array()) invalid(where, "field '" + key + "' must be a list of numbers");
  std::vector<double> out;
  for (const json& item : value) {
    if (!item.is_number()) invalid(where, "field '" + key + "' must hold numbers only");
    out.push_back(item.get<double>());
  }
  return out;
}

// The resolved schedule as engine.cpp records it (claims/json_encoding.cpp).
model::RopeSchedule parse_schedule(const json& s, const std::string& where) {
  model::RopeSchedule out;
  out.name = field(s, "name", where).get<std::string>();
  out.rotary_dim = static_cast<int>(number_field(s, "rotary_dim", where));
  out.base = number_field(s, "base", where);
  out.pairing = model::parse_pairing(field(s, "pairing", where).get<std::string>());
  out.precision = model::parse_precision_mode(field(s, "precision", where).get<std::string>());
  const json& sc = field(s, "scaling", where);
  out.scaling.kind = model::parse_schedule_kind(field(sc, "kind", where).get<std::string>());
  auto optional_number = [&](const char* key, double fallback) {
    return sc.contains(key) ? number_field(sc, key, where) : fallback;
  };
  out.scaling.factor = optional_number("factor", 1.0);
  out.scaling.original_context = static_cast<std::int64_t>(optional_number("original_context", 0));
  out.scaling.beta_fast = optional_number("beta_fast", 32.0);
  out.scaling.beta_slow = optional_number("beta_slow", 1.0);
  out.scaling.low_freq_factor = optional_number("low_freq_factor", 1.0);
  out.scaling.high_freq_factor = optional_number("high_freq_factor", 4.0);
  if (sc.contains("truncate")) out.scaling.truncate = sc.at("truncate").get<bool>();
  if (sc.contains("mscale")) out.scaling.mscale = number_field(sc, "mscale", where);
  if (sc.contains("mscale_all_dim")) {
    out.scaling.mscale_all_dim = number_field(sc, "mscale_all_dim", where);
  }
  if (sc.contains("attention_factor")) {
    out.scaling.attention_factor = number_field(sc, "attention_factor", where);
  }
  model::validate(out);
  return out;
}

std::function<model::VectorInput(std::uint64_t)> parse_vectors(const json& v, int rotary_dim,
                                                               const std::string& where) {
  if (v.contains("ensemble")) {
    model::EnsembleSpec spec;
    spec.kind = model::parse_ensemble_kind(v.at("ensemble").get<std::string>());
    spec.seed = field(v, "seed", where).get<std::uint64_t>();
    spec.rho = number_field(v, "rho", where);
    std::uint64_t sample = field(v, "sample", where).get<std::uint64_t>();
    return [spec, sample, rotary_dim](std::uint64_t offset) {
      return model::ensemble_sample(spec, sample + offset, rotary_dim);
    };
  }
  model::VectorInput fixed;
  if (v.contains("q")) {
    fixed = model::QueryKey{number_list(v, "q", where), number_list(v, "k", where)};
  } else if (v.contains("amplitude")) {
    fixed = model::AmplitudePhase{number_list(v, "amplitude", where),
                                  number_list(v, "phase", where)};
  } else {
    invalid(where, "'inputs.vectors' has no ensemble, q and k, or amplitude and phase");
  }
  return [fixed](std::uint64_t) { return fixed; };
}

model::OutputScale parse_scale(const json& parameters) {
  std::string scale = parameters.value("scale", std::string("none"));
  if (scale == "none") return {};
  if (scale == "inv-sqrt-d") return {true, false};
  if (scale == "attention") return {false, true};
  if (scale == "both") return {true, true};
  throw InputError("certificate parameter scale '" + scale +
                   "' is unknown; use none, inv-sqrt-d, attention or both");
}

std::string interval_text(const json& enclosure) {
  if (enclosure.is_object() && enclosure.contains("lower") && enclosure.contains("upper")) {
    return "[" + enclosure.at("lower").get<std::string>() + ", " +
           enclosure.at("upper").get<std::string>() + "]";
  }
  return enclosure.dump();
}

}  // namespace

RegisterVerifier::RegisterVerifier(std::string kind, Verifier verifier) {
  registry()[std::move(kind)] = std::move(verifier);
}

const Verifier* find_verifier(const std::string& kind) {
  auto found = registry().find(kind);
  return found == registry().end() ? nullptr : &found->second;
}

std::vector<std::string> verified_kinds() {
  std::vector<std::string> out;
  for (const auto& [kind, verifier] : registry()) out.push_back(kind);
  return out;
}

mpfi_backend::Interval recorded_interval(const json& enclosure) {
  using mpfi_backend::Interval;
  if (!enclosure.is_object() || !enclosure.contains("lower") || !enclosure.contains("upper") ||
      !enclosure.at("lower").is_string() || !enclosure.at("upper").is_string()) {
    throw InputError("certificate enclosure " + enclosure.dump() +
                     " is malformed; an enclosure needs 'lower' and 'upper' decimal strings");
  }
  // Each decimal end is enclosed separately; the hull of the two encloses
  // [lower, upper] whatever the rounding of the decimal conversion.
  Interval lo = Interval::decimal(enclosure.at("lower").get<std::string>(), 256);
  Interval hi = Interval::decimal(enclosure.at("upper").get<std::string>(), 256);
  return mpfi_backend::hull(lo, hi, 256);
}

void compare(const std::string& what, const json& recorded,
             const mpfi_backend::Interval& recomputed, VerifyOutcome& outcome) {
  if (!recorded_interval(recorded).overlaps(recomputed)) {
    outcome.disagreements.push_back({what + ": enclosures are disjoint", interval_text(recorded),
                                     recomputed.to_string(20)});
  }
}

claims::Verdict combine(const std::vector<interval::Tribool>& cases) {
  bool any_unknown = false;
  for (interval::Tribool t : cases) {
    if (t == interval::Tribool::False) return claims::Verdict::Refuted;
    if (t == interval::Tribool::Unknown) any_unknown = true;
  }
  return any_unknown ? claims::Verdict::Undecided : claims::Verdict::Proved;
}

std::vector<std::int64_t> lengths(const json& parameters) {
  const json& M = parameters.at("M");
  if (M.is_number_integer()) return {M.get<std::int64_t>()};
  return M.get<std::vector<std::int64_t>>();
}

VerifyReport verify_claims(const json& certificate, std::ostream& log);

// Runs `read` on a certificate, raising InputError when the format field is
// wrong or when `read` meets a field of the wrong type.
template <class Read>
auto read_certificate_layout(const json& certificate, Read read) {
  if (!certificate.is_object() || certificate.value("format", "") != "ropecert-certificate") {
    throw InputError("the file is not a ropecert certificate (field 'format' is not "
                     "\"ropecert-certificate\"); give a certificate written by 'ropecert check'");
  }
  try {
    return read();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string("certificate has an unexpected layout (") + e.what() +
                     "); give a certificate written by 'ropecert check'");
  }
}

VerifyReport verify_certificate(const json& certificate, std::ostream& log) {
  return read_certificate_layout(certificate, [&] { return verify_claims(certificate, log); });
}

std::vector<claims::CoqInstance> certificate_coq_instances(const json& certificate) {
  std::vector<claims::CoqInstance> out;
  const json& claim_list = field(certificate, "claims", "top level");
  if (!claim_list.is_array()) invalid("top level", "'claims' must be a list");
  for (const json& claim : claim_list) {
    const std::string id = field(claim, "id", "claim").get<std::string>();
    const std::string kind = field(claim, "kind", "claim " + id).get<std::string>();
    const std::string statement = claim.value("statement", std::string());
    std::size_t index = 0;
    for (const json& instance : field(claim, "instances", "claim " + id)) {
      claims::CoqInstance coq;
      coq.claim_id = id;
      coq.kind = kind;
      coq.statement = statement;
      coq.label = instance.value("label", std::string("instance"));
      coq.index = index++;
      const std::string where = "claim " + id + ", instance '" + coq.label + "'";
      coq.parameters = field(instance, "parameters", where);
      coq.scale = parse_scale(coq.parameters);
      coq.verdict = claims::parse_verdict(field(instance, "verdict", where).get<std::string>());
      coq.expected = claims::parse_verdict(instance.value("expected", std::string("UNDECIDED")));
      // Kinds over several schedules or ensembles record no single schedule
      // and vectors; the exporter skips them.
      const json& inputs = field(instance, "inputs", where);
      if (inputs.contains("schedule") && inputs.contains("vectors")) {
        coq.schedule = parse_schedule(inputs.at("schedule"), where);
        coq.vectors = parse_vectors(inputs.at("vectors"), coq.schedule->rotary_dim, where)(0);
      }
      out.push_back(std::move(coq));
    }
  }
  return out;
}

std::vector<claims::CoqInstance> coq_instances(const json& certificate) {
  return read_certificate_layout(certificate,
                                 [&] { return certificate_coq_instances(certificate); });
}

VerifyReport verify_claims(const json& certificate, std::ostream& log) {
  VerifyReport report;
  const json& claim_list = field(certificate, "claims", "top level");
  if (!claim_list.is_array()) invalid("top level", "'claims' must be a list");
  for (const json& claim : claim_list) {
    const std::string id = field(claim, "id", "claim").get<std::string>();
    const std::string kind = field(claim, "kind", "claim " + id).get<std::string>();
    const Verifier* verifier = find_verifier(kind);
    for (const json& instance : field(claim, "instances", "claim " + id)) {
      ++report.instances;
      const std::string label = instance.value("label", std::string("instance"));
      const std::string where = "claim " + id + ", instance '" + label + "'";
      const std::string recorded_text = field(instance, "verdict", where).get<std::string>();
      const claims::Verdict recorded = claims::parse_verdict(recorded_text);
      if (verifier == nullptr) {
        ++report.unverified;
        log << id << " " << label << ": not verified (no verifier for kind '" << kind << "')\n";
        continue;
      }

      const json& inputs = field(instance, "inputs", where);
      model::RopeSchedule schedule = parse_schedule(field(inputs, "schedule", where), where);
      VerifyInput in{claim, instance, schedule,
                     parse_scale(field(instance, "parameters", where)),
                     parse_vectors(field(inputs, "vectors", where), schedule.rotary_dim, where)};
      VerifyOutcome outcome = (*verifier)(in);

      // A PROVED or REFUTED verdict is confirmed only by the same verdict.
      // UNDECIDED states nothing, so only its enclosures are compared.
      const claims::Verdict mine = outcome.verdict;
      if (recorded != claims::Verdict::Undecided && mine != recorded) {
        outcome.disagreements.push_back({"verdict", recorded_text, claims::to_string(mine)});
      }
      std::string status;
      if (!outcome.disagreements.empty()) {
        ++report.disagreements;
        status = "DISAGREES";
      } else if (recorded == claims::Verdict::Undecided) {
        ++report.undecided;
        status = "undecided in certificate (MPFI: " + claims::to_string(mine) + "), enclosures agree";
      } else {
        ++report.confirmed;
        status = "confirmed";
      }
      log << id << " " << label << ": " << recorded_text << " " << status << "; "
          << outcome.summary << "\n";
      for (const Disagreement& d : outcome.disagreements) {
        log << "    disagreement: " << d.what << ": certificate " << d.certificate
            << ", MPFI backend " << d.recomputed << "\n";
      }
      log.flush();
    }
  }
  return report;
}

}  // namespace ropecert::verify
