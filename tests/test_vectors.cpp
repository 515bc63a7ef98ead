// Tests of the vector readers (JSON and .npy), input validation, pair
// coefficients and the seeded ensembles. The expected ensemble bits come from
// an independent mpmath SplitMix64 and Box-Muller in tests/oracle/reference.py:
//     /usr/bin/python3 tests/oracle/reference.py > tests/data/reference.json

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

#include <unistd.h>

#include "model/ensemble.hpp"
#include "model/vectors.hpp"
#include "reference_data.hpp"
#include "util/input_error.hpp"

using namespace ropecert;

namespace {

// A fresh directory under the system temporary directory for one test.
std::filesystem::path scratch_directory(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("ropecert_test_vectors_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return path.string();
}

// A version 1.0 .npy file with the given header fields and raw data.
std::string npy_bytes(const std::string& descr, const std::string& shape, const std::string& data) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  std::size_t total = 10 + header.size() + 1;
  header += std::string((64 - total % 64) % 64, ' ') + "\n";
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

template <typename T>
std::string raw_bytes(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

std::string hex64(double value) {
  char text[24];
  std::snprintf(text, sizeof text, "%016llx",
                static_cast<unsigned long long>(std::bit_cast<std::uint64_t>(value)));
  return text;
}

}  // namespace

TEST_CASE("read_vector_file json array", "[vectors]") {
  auto dir = scratch_directory("json");
  auto path = write_file(dir / "q.json", "[1, -0.5, 2.25e3, 0.1]");
  std::vector<double> v = model::read_vector_file(path);
  REQUIRE(v.size() == 4);
  REQUIRE(v[0] == 1.0);
  REQUIRE(v[1] == -0.5);
  REQUIRE(v[2] == 2250.0);
  REQUIRE(v[3] == 0.1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("read_vector_file npy float64", "[vectors]") {
  auto dir = scratch_directory("npy64");
  std::vector<double> values{1.0, -0.1, 3.5e-300, 1e300};
  auto path = write_file(dir / "q.npy", npy_bytes("<f8", "(4,)", raw_bytes(values)));
  std::vector<double> v = model::read_vector_file(path);
  REQUIRE(v.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) REQUIRE(v[i] == values[i]);
  std::filesystem::remove_all(dir);
}

TEST_CASE("read_vector_file npy float32", "[vectors]") {
  auto dir = scratch_directory("npy32");
  std::vector<float> values{1.0f, -0.1f, 3.0e-40f, 65504.0f};
  auto path = write_file(dir / "q.npy", npy_bytes("<f4", "(4,)", raw_bytes(values)));
  std::vector<double> v = model::read_vector_file(path);
  REQUIRE(v.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) REQUIRE(v[i] == static_cast<double>(values[i]));
  std::filesystem::remove_all(dir);
}

TEST_CASE("read_vector_file rejects truncated npy", "[vectors]") {
  auto dir = scratch_directory("truncated");
  std::vector<double> values{1.0, 2.0, 3.0, 4.0};
  std::string bytes = npy_bytes("<f8", "(4,)", raw_bytes(values));
  auto short_data = write_file(dir / "a.npy", bytes.substr(0, bytes.size() - 3));
  auto short_header = write_file(dir / "b.npy", bytes.substr(0, 20));
  auto magic_only = write_file(dir / "c.npy", bytes.substr(0, 6));
  REQUIRE_THROWS_AS(model::read_vector_file(short_data), InputError);
  REQUIRE_THROWS_AS(model::read_vector_file(short_header), InputError);
  REQUIRE_THROWS_AS(model::read_vector_file(magic_only), InputError);
  REQUIRE_THROWS_WITH(model::read_vector_file(short_data), Catch::Contains("a.npy"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("read_vector_file rejects wrong dtype", "[vectors]") {
  auto dir = scratch_directory("dtype");
  std::vector<std::int32_t> ints{1, 2, 3, 4};
  auto int_path = write_file(dir / "i.npy", npy_bytes("<i4", "(4,)", raw_bytes(ints)));
  std::vector<double> values{1.0, 2.0};
  auto big_endian = write_file(dir / "b.npy", npy_bytes(">f8", "(2,)", raw_bytes(values)));
  REQUIRE_THROWS_AS(model::read_vector_file(int_path), InputError);
  REQUIRE_THROWS_WITH(model::read_vector_file(int_path), Catch::Contains("i4"));
  REQUIRE_THROWS_AS(model::read_vector_file(big_endian), InputError);
  std::filesystem::remove_all(dir);
}

TEST_CASE("read_vector_file rejects 2-D npy", "[vectors]") {
  auto dir = scratch_directory("twod");
  std::vector<double> values{1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  auto path = write_file(dir / "m.npy", npy_bytes("<f8", "(3, 2)", raw_bytes(values)));
  REQUIRE_THROWS_AS(model::read_vector_file(path), InputError);
  REQUIRE_THROWS_WITH(model::read_vector_file(path), Catch::Contains("one-dimensional"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("read_vector_file rejects bad json", "[vectors]") {
  auto dir = scratch_directory("badjson");
  auto malformed = write_file(dir / "a.json", "[1, 2,");
  auto not_array = write_file(dir / "b.json", "{\"q\": [1]}");
  auto string_entry = write_file(dir / "c.json", "[1, \"two\"]");
  auto nan_entry = write_file(dir / "d.json", "[1, NaN]");
  REQUIRE_THROWS_AS(model::read_vector_file(malformed), InputError);
  REQUIRE_THROWS_AS(model::read_vector_file(not_array), InputError);
  REQUIRE_THROWS_AS(model::read_vector_file(string_entry), InputError);
  REQUIRE_THROWS_WITH(model::read_vector_file(string_entry), Catch::Contains("\"two\""));
  REQUIRE_THROWS_AS(model::read_vector_file(nan_entry), InputError);
  REQUIRE_THROWS_AS(model::read_vector_file((dir / "missing.json").string()), InputError);
  std::filesystem::remove_all(dir);
}

TEST_CASE("validate rejects NaN from npy", "[vectors]") {
  auto dir = scratch_directory("nan");
  std::vector<double> values{1.0, std::numeric_limits<double>::quiet_NaN()};
  auto path = write_file(dir / "q.npy", npy_bytes("<f8", "(2,)", raw_bytes(values)));
  std::vector<double> q = model::read_vector_file(path);
  model::VectorInput input = model::QueryKey{q, {1.0, 2.0}};
  REQUIRE_THROWS_AS(model::validate(input, 1), InputError);
  std::filesystem::remove_all(dir);
}

TEST_CASE("validate rejects infinite entries and mismatches", "[vectors]") {
  double inf = std::numeric_limits<double>::infinity();
  REQUIRE_THROWS_AS(model::validate(model::QueryKey{{1.0, inf}, {1.0, 2.0}}, 1), InputError);
  REQUIRE_THROWS_AS(model::validate(model::QueryKey{{1.0, 2.0}, {1.0, 2.0, 3.0}}, 1), InputError);
  REQUIRE_THROWS_AS(model::validate(model::QueryKey{{1.0, 2.0}, {1.0, 2.0}}, 2), InputError);
  REQUIRE_THROWS_AS(model::validate(model::AmplitudePhase{{1.0}, {0.0, 1.0}}, 1), InputError);
  REQUIRE_NOTHROW(model::validate(model::QueryKey{{1.0, 2.0}, {3.0, 4.0}}, 1));
}

TEST_CASE("read_vector_json forms", "[vectors]") {
  auto dir = scratch_directory("pairjson");
  auto qk_path = write_file(dir / "qk.json", "{\"q\": [1, 2], \"k\": [3, 4]}");
  auto ap_path = write_file(dir / "ap.json", "{\"amplitude\": [2], \"phase\": [0.5]}");
  auto half_path = write_file(dir / "half.json", "{\"q\": [1, 2]}");
  model::VectorInput qk = model::read_vector_json(qk_path);
  REQUIRE(std::holds_alternative<model::QueryKey>(qk));
  REQUIRE(std::get<model::QueryKey>(qk).k[1] == 4.0);
  model::VectorInput ap = model::read_vector_json(ap_path);
  REQUIRE(std::holds_alternative<model::AmplitudePhase>(ap));
  REQUIRE(std::get<model::AmplitudePhase>(ap).phase[0] == 0.5);
  REQUIRE_THROWS_AS(model::read_vector_json(half_path), InputError);
  std::filesystem::remove_all(dir);
}

TEST_CASE("coefficients of both pairings", "[vectors]") {
  // q = (1, 2, 3, 4), k = (5, 6, 7, 8).
  // half: u = (1 + 3i, 2 + 4i), v = (5 + 7i, 6 + 8i).
  // interleaved: u = (1 + 2i, 3 + 4i), v = (5 + 6i, 7 + 8i).
  model::VectorInput input = model::QueryKey{{1, 2, 3, 4}, {5, 6, 7, 8}};
  auto half = model::coefficients(input, model::Pairing::Half, 128);
  auto inter = model::coefficients(input, model::Pairing::Interleaved, 128);
  // (1 + 3i)(5 - 7i) = 26 + 8i; (2 + 4i)(6 - 8i) = 44 + 8i.
  REQUIRE(half[0].real().contains(26.0));
  REQUIRE(half[0].imag().contains(8.0));
  REQUIRE(half[1].real().contains(44.0));
  REQUIRE(half[1].imag().contains(8.0));
  // (1 + 2i)(5 - 6i) = 17 + 4i; (3 + 4i)(7 - 8i) = 53 + 4i.
  REQUIRE(inter[0].real().contains(17.0));
  REQUIRE(inter[0].imag().contains(4.0));
  REQUIRE(inter[1].real().contains(53.0));
  REQUIRE(inter[1].imag().contains(4.0));
  REQUIRE(half[0].real().is_exact());
}

TEST_CASE("ensemble same seed gives same bits", "[vectors]") {
  for (auto kind : {model::EnsembleKind::Gaussian, model::EnsembleKind::Correlated}) {
    model::EnsembleSpec spec{kind, 42, 0.3};
    auto a = std::get<model::QueryKey>(model::ensemble_sample(spec, 5, 16));
    auto b = std::get<model::QueryKey>(model::ensemble_sample(spec, 5, 16));
    auto other = std::get<model::QueryKey>(model::ensemble_sample(spec, 6, 16));
    for (int i = 0; i < 16; ++i) {
      REQUIRE(hex64(a.q[i]) == hex64(b.q[i]));
      REQUIRE(hex64(a.k[i]) == hex64(b.k[i]));
    }
    REQUIRE(a.q != other.q);
  }
}

TEST_CASE("ensemble bits match oracle", "[vectors]") {
  for (const auto& e : ropecert::testing::reference().at("ensembles")) {
    std::uint64_t seed = e.at("seed");
    std::uint64_t sample = e.at("sample");
    int d = e.at("rotary_dim");
    double rho = e.at("rho");
    INFO("seed " << seed << ", sample " << sample << ", d = " << d);
    auto g = std::get<model::QueryKey>(
        model::ensemble_sample({model::EnsembleKind::Gaussian, seed, 0.0}, sample, d));
    auto c = std::get<model::QueryKey>(
        model::ensemble_sample({model::EnsembleKind::Correlated, seed, rho}, sample, d));
    auto a = std::get<model::AmplitudePhase>(
        model::ensemble_sample({model::EnsembleKind::Aligned, seed, 0.0}, sample, d));
    for (int i = 0; i < d; ++i) {
      INFO("entry " << i);
      REQUIRE(hex64(g.q[i]) == e.at("q_bits")[i].get<std::string>());
      REQUIRE(hex64(g.k[i]) == e.at("k_bits")[i].get<std::string>());
      REQUIRE(hex64(c.q[i]) == e.at("q_bits")[i].get<std::string>());
      REQUIRE(hex64(c.k[i]) == e.at("correlated_k_bits")[i].get<std::string>());
    }
    for (int n = 0; n < d / 2; ++n) {
      INFO("pair " << n);
      REQUIRE(hex64(a.amplitude[n]) == e.at("aligned_amplitude_bits")[n].get<std::string>());
      REQUIRE(a.phase[n] == 0.0);
    }
  }
}

TEST_CASE("ensemble seed 1 sample 0 first entries", "[vectors]") {
  // Fixed bits from the oracle, written out so that a change in
  // reference.json cannot hide a change in the generator.
  auto g = std::get<model::QueryKey>(
      model::ensemble_sample({model::EnsembleKind::Gaussian, 1, 0.0}, 0, 8));
  const auto& e = ropecert::testing::reference().at("ensembles")[0];
  REQUIRE(e.at("seed") == 1);
  REQUIRE(e.at("sample") == 0);
  REQUIRE(hex64(g.q[0]) == "3fc2f1eb98ad46fb");
  REQUIRE(hex64(g.k[0]) == "3fea159c0fb37d5c");
}

TEST_CASE("ensemble rejects bad rho", "[vectors]") {
  REQUIRE_THROWS_AS(
      model::ensemble_sample({model::EnsembleKind::Correlated, 1, 1.5}, 0, 8), InputError);
  REQUIRE_THROWS_AS(model::ensemble_sample({model::EnsembleKind::Correlated, 1,
                                            std::numeric_limits<double>::quiet_NaN()},
                                           0, 8),
                    InputError);
  REQUIRE_THROWS_AS(model::parse_ensemble_kind("uniform"), InputError);
}
