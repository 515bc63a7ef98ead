// Timings of the certified binary64 sweep against an unverified kernel of
// the same shape, Arb per point and position inversion. Prints one JSON
// object per line; bench/run.sh turns them into a table.
//
// Usage: ropecert_bench [--log2-m N] [--inversion-log2-m N] [--repeats N]
//                       [--dump-inputs FILE]

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/ensemble.hpp"
#include "model/fast_window.hpp"
#include "model/presets.hpp"
#include "model/rope_product.hpp"
#include "quantities/inversion.hpp"

namespace {

using namespace ropecert;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The same decomposition and kernel as FastWindow, with tables from libm in
// binary64 and no error bound: what an uncertified implementation costs.
struct UnverifiedSweep {
  int h = 0;
  std::vector<double> theta, c_real, c_imag;
  std::vector<double> step_real, step_imag, block_real, block_imag;

  UnverifiedSweep(std::vector<double> theta_in, std::vector<double> re, std::vector<double> im)
      : h(static_cast<int>(theta_in.size())), theta(std::move(theta_in)), c_real(std::move(re)),
        c_imag(std::move(im)) {
    const int L = model::kFastBlock;
    const int K = model::kFastBlocksPerSuperblock;
    step_real.resize(h * L);
    step_imag.resize(h * L);
    block_real.resize(h * K);
    block_imag.resize(h * K);
    for (int n = 0; n < h; ++n) {
      for (int j = 0; j < L; ++j) {
        step_real[n * L + j] = std::cos(j * theta[n]);
        step_imag[n * L + j] = std::sin(j * theta[n]);
      }
      for (int k = 0; k < K; ++k) {
        block_real[n * K + k] = std::cos(static_cast<double>(k) * L * theta[n]);
        block_imag[n * K + k] = std::sin(static_cast<double>(k) * L * theta[n]);
      }
    }
  }

  void range(std::int64_t first, std::int64_t end, double* out) const {
    std::vector<double> base_real(h), base_imag(h), br(h), bi(h), sums(model::kFastBlock);
    std::int64_t m = first;
    while (m < end) {
      const std::int64_t base = m - m % model::kFastSuperblock;
      for (int n = 0; n < h; ++n) {
        double cs = std::cos(static_cast<double>(base) * theta[n]);
        double sn = std::sin(static_cast<double>(base) * theta[n]);
        base_real[n] = c_real[n] * cs - c_imag[n] * sn;
        base_imag[n] = c_real[n] * sn + c_imag[n] * cs;
      }
      for (int k = static_cast<int>((m - base) / model::kFastBlock);
           k < model::kFastBlocksPerSuperblock; ++k) {
        const std::int64_t block_start = base + std::int64_t{k} * model::kFastBlock;
        if (block_start >= end) break;
        for (int n = 0; n < h; ++n) {
          const double ur = block_real[n * model::kFastBlocksPerSuperblock + k];
          const double ui = block_imag[n * model::kFastBlocksPerSuperblock + k];
          br[n] = base_real[n] * ur - base_imag[n] * ui;
          bi[n] = base_real[n] * ui + base_imag[n] * ur;
        }
        model::fast_window_detail::sweep_block(br.data(), bi.data(), step_real.data(),
                                               step_imag.data(), h, sums.data());
        const std::int64_t from = std::max(m, block_start);
        const std::int64_t to = std::min(end, block_start + model::kFastBlock);
        for (std::int64_t d = from; d < to; ++d) out[d - first] = sums[d - block_start];
        m = to;
      }
    }
  }

  void evaluate(std::int64_t first, std::int64_t end, double* out, int threads) const {
    const std::int64_t count = end - first;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      std::int64_t a = first + count / threads * t;
      std::int64_t b = t + 1 == threads ? end : first + count / threads * (t + 1);
      a -= (t == 0) ? 0 : a % model::kFastBlock;
      b -= (t + 1 == threads) ? 0 : b % model::kFastBlock;
      pool.emplace_back([=, this] { range(a, b, out + (a - first)); });
    }
    for (auto& thread : pool) thread.join();
  }
};

void print(const nlohmann::json& row) { std::printf("%s\n", row.dump().c_str()); std::fflush(stdout); }

}  // namespace

int main(int argc, char** argv) {
  int log2_m = 20;
  int inversion_log2_m = 24;
  int repeats = 5;
  std::string dump_path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "option %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--log2-m") log2_m = std::stoi(next());
    else if (arg == "--inversion-log2-m") inversion_log2_m = std::stoi(next());
    else if (arg == "--repeats") repeats = std::stoi(next());
    else if (arg == "--dump-inputs") dump_path = next();
    else {
      std::fprintf(stderr, "unknown option %s\n", arg.c_str());
      return 2;
    }
  }

  const model::RopeSchedule schedule = model::preset("llama-3.1-8b");
  model::EnsembleSpec spec;  // gaussian, seed 0
  const model::VectorInput input = model::ensemble_sample(spec, 0, schedule.rotary_dim);
  model::RopeProduct product(schedule, input);
  const int h = product.pairs();
  const std::int64_t M = std::int64_t{1} << log2_m;
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  // Nearest doubles of theta_n and c_n for the uncertified kernels.
  std::vector<double> theta(h), c_real(h), c_imag(h);
  for (int n = 0; n < h; ++n) {
    theta[n] = product.frequencies(128).theta[n].midpoint();
    c_real[n] = product.scaled_coefficients(128)[n].real().midpoint();
    c_imag[n] = product.scaled_coefficients(128)[n].imag().midpoint();
  }
  if (!dump_path.empty()) {
    const auto& qk = std::get<model::QueryKey>(input);
    nlohmann::json dump = {{"preset", schedule.name}, {"pairing", model::to_string(schedule.pairing)},
                           {"q", qk.q}, {"k", qk.k}, {"theta", theta},
                           {"theta_float32", model::float32_frequencies(schedule)}};
    std::ofstream(dump_path) << dump.dump() << "\n";
  }

  std::vector<double> lower(M), upper(M), sums(M);
  print({{"machine_threads", threads}, {"M", M}, {"h", h}, {"preset", schedule.name}});

  for (int t : {1, threads}) {
    double best_certified = INFINITY, best_unverified = INFINITY;
    double width = 0.0;
    for (int r = 0; r < repeats; ++r) {
      // Certified: table construction with Arb included, as a first call pays it.
      auto start = Clock::now();
      model::FastWindow fast(product);
      fast.evaluate(0, M, lower.data(), upper.data(), t);
      best_certified = std::min(best_certified, seconds_since(start));
      width = fast.error_bound();

      start = Clock::now();
      UnverifiedSweep plain(theta, c_real, c_imag);
      plain.evaluate(0, M, sums.data(), t);
      best_unverified = std::min(best_unverified, seconds_since(start));
    }
    // The unverified values must lie in the certified enclosures, up to the
    // libm error of the unverified tables (not certified, only a sanity check).
    double max_gap = 0.0;
    for (std::int64_t m = 0; m < M; ++m) {
      max_gap = std::max(max_gap, std::max(lower[m] - sums[m], sums[m] - upper[m]));
    }
    print({{"method", "certified_sweep"}, {"threads", t}, {"seconds", best_certified},
           {"half_width", width}});
    print({{"method", "unverified_kernel"}, {"threads", t}, {"seconds", best_unverified},
           {"max_outside_certified", max_gap}});
  }

  // Arb per point: RopeProduct::value on 2^14 evenly spaced distances,
  // extrapolated linearly to M.
  {
    const std::int64_t samples = std::min<std::int64_t>(M, 1 << 14);
    const std::int64_t stride = M / samples;
    auto start = Clock::now();
    for (std::int64_t i = 0; i < samples; ++i) product.value(i * stride, 53);
    double sampled = seconds_since(start);
    print({{"method", "arb_per_point"}, {"threads", 1}, {"sampled_points", samples},
           {"sampled_seconds", sampled}, {"seconds", sampled * static_cast<double>(M) / samples}});
  }

  // The previous window path: Arb dot products per distance, on all of M.
  {
    auto start = Clock::now();
    product.window_into(0, M, 53, lower.data(), upper.data(), model::WindowMethod::Arb);
    print({{"method", "arb_window"}, {"threads", 1}, {"seconds", seconds_since(start)}});
  }

  if (inversion_log2_m > 0) {
    const std::int64_t inversion_m = std::int64_t{1} << inversion_log2_m;
    model::RopeProduct fresh(schedule, input);
    auto start = Clock::now();
    quantities::InversionCount count = quantities::position_inversion(fresh, inversion_m);
    print({{"method", "position_inversion"}, {"threads", threads}, {"M", inversion_m},
           {"seconds", seconds_since(start)}, {"certain_less", count.certain_less},
           {"possible_less", count.possible_less}, {"refined_pairs", count.refined_pairs},
           {"refined_values", count.refined_values},
           {"refinement_skipped", count.refinement_skipped}});
  }
  return 0;
}
