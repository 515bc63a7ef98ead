// ropecert sweep: certified quantities on a grid of parameters, on every core
// of one machine or over MPI ranks, with a resume journal.

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/command.hpp"
#include "sweep/grid.hpp"
#include "sweep/mpi_run.hpp"
#include "sweep/output.hpp"
#include "sweep/runner.hpp"
#include "util/input_error.hpp"

namespace ropecert::cli {

namespace {

struct SweepOptions {
  std::string spec_path;
  std::string output;
  int threads = 0;
  bool quiet = false;
};

// Default output prefix: the sweep file's name without .toml, in the current
// directory.
std::string output_prefix(const SweepOptions& options) {
  if (!options.output.empty()) return options.output;
  return std::filesystem::path(options.spec_path).stem().string();
}

int default_threads(const sweep::MpiContext& context) {
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  if (cores < 1) cores = 1;
  return std::max(1, cores / std::max(1, context.local_size));
}

// Everything after MPI_Init, so that every rank reaches MPI_Finalize on every
// path. Returns the exit status.
int run_ranks(const SweepOptions& options, const sweep::MpiContext& context) {
  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  const bool leader = context.rank == 0;
  const std::string prefix = output_prefix(options);
  const int threads = options.threads > 0 ? options.threads : default_threads(context);

  // Every rank reads the sweep file; they all fail alike on a bad one.
  sweep::SweepSpec spec;
  try {
    spec = sweep::load_sweep_spec(options.spec_path);
  } catch (const InputError& e) {
    if (leader) std::cerr << "ropecert: error: " << e.what() << "\n";
    return kExitInvalidInput;
  }

  std::unique_ptr<sweep::Journal> journal;
  std::string journal_error;
  if (leader) {
    try {
      journal = std::make_unique<sweep::Journal>(prefix + ".partial.jsonl", spec.hash,
                                                 static_cast<std::int64_t>(spec.points.size()));
    } catch (const InputError& e) {
      journal_error = e.what();
    }
  }
  // The other ranks learn whether to start, and check that they read the same
  // grid as rank 0 (the file could have changed between the reads).
  std::string verdict = sweep::mpi_broadcast(context, journal_error.empty() ? spec.hash : "");
  if (!journal_error.empty()) {
    std::cerr << "ropecert: error: " << journal_error << "\n";
    return kExitInvalidInput;
  }
  if (verdict.empty()) return kExitInvalidInput;
  if (verdict != spec.hash) {
    std::cerr << "ropecert: error: rank " << context.rank << " read grid hash " << spec.hash
              << " from '" << spec.path << "' but rank 0 read " << verdict
              << "; the file changed during start-up, run again\n";
    return kExitInvalidInput;
  }

  if (!leader) {
    sweep::mpi_work(spec, context, threads);
    return kExitOk;
  }

  std::int64_t resumed = static_cast<std::int64_t>(journal->completed().size());
  if (!options.quiet) {
    std::cerr << "sweep: " << spec.points.size() << " points, grid hash " << spec.hash;
    if (resumed > 0) std::cerr << ", " << resumed << " already in " << journal->path();
    std::cerr << "; " << context.size << " rank(s) x " << threads << " thread(s)\n";
  }
  sweep::Dispenser dispenser(sweep::pending_points(spec, journal->completed()));
  sweep::ResultSink sink(spec, *journal);
  if (context.active && context.size > 1) {
    sweep::mpi_coordinate(spec, context, dispenser, sink, threads);
  } else {
    sweep::PoolCallbacks callbacks;
    callbacks.next = [&] { return dispenser.next(); };
    callbacks.deliver = [&](std::int64_t index, const std::string& row, double seconds) {
      sink.add(index, row, seconds, 0);
    };
    callbacks.on_error = [&](const std::string& message, bool input_error) {
      dispenser.stop();
      sink.fail(message, input_error);
    };
    sweep::run_thread_pool(spec, threads, callbacks);
  }
  sink.end_progress();

  if (std::optional<std::string> failure = sink.failure()) {
    std::cerr << "ropecert: error: " << *failure << "; finished points are kept in "
              << journal->path() << "\n";
    return sink.failure_is_input_error() ? kExitInvalidInput : kExitMismatch;
  }

  std::vector<sweep::JournalEntry> entries = sink.take_entries();
  sweep::RunInfo info;
  info.ranks = context.size;
  info.threads_per_rank = threads;
  info.resumed_points = resumed;
  info.computed_points = sink.computed();
  info.wall_seconds = std::chrono::duration<double>(clock::now() - start).count();

  sweep::write_file_atomically(prefix + ".csv", sweep::sweep_csv(spec, entries));
  sweep::write_file_atomically(prefix + ".json",
                               sweep::sweep_certificate(spec, entries).dump(2) + "\n");
  sweep::write_file_atomically(prefix + ".timing.json",
                               sweep::sweep_timings(spec, entries, info).dump(2) + "\n");
  journal->remove();
  if (!options.quiet) {
    std::cerr << "sweep: wrote " << prefix << ".csv, " << prefix << ".json and " << prefix
              << ".timing.json (" << sink.computed() << " points computed, " << resumed
              << " resumed, " << info.wall_seconds << " s)\n";
  }
  return kExitOk;
}

int run_sweep(const SweepOptions& options) {
  if (!sweep::mpi_compiled() && sweep::launcher_world_size() > 1) {
    // Every process would run the whole sweep and write the same files.
    std::cerr << "ropecert: error: this ropecert was built without MPI but was started as one of "
              << sweep::launcher_world_size()
              << " processes; rebuild with -DROPECERT_MPI=ON or run it without mpirun or srun\n";
    return kExitInvalidInput;
  }
  sweep::MpiContext context = sweep::mpi_start();
  int status = kExitInvalidInput;
  try {
    status = run_ranks(options, context);
  } catch (const InputError& e) {
    std::cerr << "ropecert: error: " << e.what() << "\n";
    status = kExitInvalidInput;
  }
  sweep::mpi_finish(context);
  return status;
}

const RegisterCommand kSweep{{
    "sweep",
    "Compute certified quantities on a grid of schedules, bases, vectors and lengths M from a "
    "TOML sweep file; writes OUT.csv, OUT.json (certificate) and OUT.timing.json",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<SweepOptions>();
      app.add_option("spec", options->spec_path, "Sweep file (TOML), see docs/sweeps.md")
          ->required();
      app.add_option("--output,-o", options->output,
                     "Output prefix OUT (default: the sweep file's name without .toml, in the "
                     "current directory); the resume journal is OUT.partial.jsonl");
      app.add_option("--threads", options->threads,
                     "Worker threads per process (default: every core, divided among the MPI "
                     "ranks on the same node)")
          ->check(CLI::Range(1, 4096));
      app.add_flag("--quiet,-q", options->quiet, "Print no start and end lines on standard error");
      return [options] { return run_sweep(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
