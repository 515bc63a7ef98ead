#include "sweep/mpi_run.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#ifdef ROPECERT_HAVE_MPI
#include <mpi.h>
#endif

namespace ropecert::sweep {

bool mpi_compiled() {
#ifdef ROPECERT_HAVE_MPI
  return true;
#else
  return false;
#endif
}

bool mpi_launched() {
  // Open MPI's mpirun, MPICH's and Intel MPI's Hydra, and PMI/PMIx launchers
  // such as srun each set one of these in every rank's environment.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE",
                           "MPI_LOCALNRANKS"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

int launcher_world_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS"}) {
    if (const char* text = std::getenv(name)) return std::max(1, std::atoi(text));
  }
  return 1;
}

#ifndef ROPECERT_HAVE_MPI

MpiContext mpi_start() { return {}; }
void mpi_finish(const MpiContext&) {}
std::string mpi_broadcast(const MpiContext&, const std::string& value) { return value; }
void mpi_coordinate(const SweepSpec&, const MpiContext&, Dispenser&, ResultSink&, int) {}
void mpi_work(const SweepSpec&, const MpiContext&, int) {}

#else

namespace {

enum Tag : int {
  kRequest = 1,  // rank > 0 requests one point; empty
  kAssign = 2,   // rank 0 replies with an index, or -1 when none is left
  kResult = 3,   // "index seconds\n" followed by the row's JSON text
  kError = 4,    // "1 message" (invalid input) or "0 message"
  kDone = 5,     // rank > 0 has finished all its work; empty
};

std::string receive_text(int source, int tag, MPI_Comm comm) {
  MPI_Status status;
  MPI_Probe(source, tag, comm, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  std::string text(static_cast<std::size_t>(count), '\0');
  MPI_Recv(text.data(), count, MPI_CHAR, source, tag, comm, MPI_STATUS_IGNORE);
  return text;
}

void send_text(const std::string& text, int destination, int tag) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, destination, tag, MPI_COMM_WORLD);
}

}  // namespace

MpiContext mpi_start() {
  MpiContext context;
  if (!mpi_launched()) return context;
  int provided = MPI_THREAD_SINGLE;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  context.active = true;
  context.multithreaded = provided >= MPI_THREAD_SERIALIZED;
  MPI_Comm_rank(MPI_COMM_WORLD, &context.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &context.size);
  MPI_Comm local;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, context.rank, MPI_INFO_NULL, &local);
  MPI_Comm_size(local, &context.local_size);
  MPI_Comm_free(&local);
  return context;
}

void mpi_finish(const MpiContext& context) {
  if (context.active) MPI_Finalize();
}

std::string mpi_broadcast(const MpiContext& context, const std::string& value) {
  if (!context.active) return value;
  int size = static_cast<int>(value.size());
  MPI_Bcast(&size, 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::string out = context.rank == 0 ? value : std::string(static_cast<std::size_t>(size), '\0');
  MPI_Bcast(out.data(), size, MPI_CHAR, 0, MPI_COMM_WORLD);
  return out;
}

namespace {

// Handles one message that MPI_Iprobe found; `running` counts the ranks above
// 0 that have not reported done.
void serve_message(const MPI_Status& status, Dispenser& dispenser, ResultSink& sink,
                   int& running) {
  const int source = status.MPI_SOURCE;
  switch (status.MPI_TAG) {
    case kRequest: {
      MPI_Recv(nullptr, 0, MPI_CHAR, source, kRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      std::int64_t index = dispenser.next().value_or(-1);
      MPI_Send(&index, 1, MPI_INT64_T, source, kAssign, MPI_COMM_WORLD);
      break;
    }
    case kResult: {
      std::string text = receive_text(source, kResult, MPI_COMM_WORLD);
      std::size_t newline = text.find('\n');
      long long index = 0;
      double seconds = 0.0;
      std::sscanf(text.c_str(), "%lld %lf", &index, &seconds);
      sink.add(index, text.substr(newline + 1), seconds, source);
      break;
    }
    case kError: {
      std::string text = receive_text(source, kError, MPI_COMM_WORLD);
      dispenser.stop();
      sink.fail("rank " + std::to_string(source) + ", " + text.substr(2), text[0] == '1');
      break;
    }
    case kDone:
      MPI_Recv(nullptr, 0, MPI_CHAR, source, kDone, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      --running;
      break;
    default: {
      // Not part of this protocol: drain it so that the loop cannot spin on it.
      receive_text(source, status.MPI_TAG, MPI_COMM_WORLD);
      break;
    }
  }
}

}  // namespace

void mpi_coordinate(const SweepSpec& spec, const MpiContext& context, Dispenser& dispenser,
                    ResultSink& sink, int threads) {
  // Local workers take points from the same dispenser as the remote ranks.
  std::thread local([&] {
    PoolCallbacks callbacks;
    callbacks.next = [&] { return dispenser.next(); };
    callbacks.deliver = [&](std::int64_t index, const std::string& row, double seconds) {
      sink.add(index, row, seconds, 0);
    };
    callbacks.on_error = [&](const std::string& message, bool input_error) {
      dispenser.stop();
      sink.fail(message, input_error);
    };
    run_thread_pool(spec, threads, callbacks);
  });

  // The main thread alone talks to the other ranks, polling so that it never
  // blocks while a rank waits for its next point.
  int running = context.size - 1;
  while (running > 0) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (!flag) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    const int source = status.MPI_SOURCE;
    try {
      serve_message(status, dispenser, sink, running);
    } catch (const std::exception& e) {
      // A row that cannot be stored or journaled fails the sweep, but rank 0
      // keeps answering until every rank is done, so that all reach MPI_Finalize.
      dispenser.stop();
      sink.fail("storing a result from rank " + std::to_string(source) + " failed: " + e.what(),
                false);
    }
  }
  local.join();
}

void mpi_work(const SweepSpec& spec, const MpiContext& context, int threads) {
  // With MPI_THREAD_SERIALIZED the worker threads call MPI themselves, one at
  // a time; otherwise a single worker runs on the main thread.
  if (!context.multithreaded) threads = 1;
  std::mutex mpi_mutex;
  bool stopped = false;
  PoolCallbacks callbacks;
  callbacks.next = [&]() -> std::optional<std::int64_t> {
    std::lock_guard<std::mutex> lock(mpi_mutex);
    if (stopped) return std::nullopt;
    MPI_Send(nullptr, 0, MPI_CHAR, 0, kRequest, MPI_COMM_WORLD);
    std::int64_t index = -1;
    MPI_Recv(&index, 1, MPI_INT64_T, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (index < 0) {
      stopped = true;
      return std::nullopt;
    }
    return index;
  };
  callbacks.deliver = [&](std::int64_t index, const std::string& row, double seconds) {
    char header[64];
    std::snprintf(header, sizeof header, "%lld %.9g\n", static_cast<long long>(index), seconds);
    std::string text = header + row;
    std::lock_guard<std::mutex> lock(mpi_mutex);
    send_text(text, 0, kResult);
  };
  callbacks.on_error = [&](const std::string& message, bool input_error) {
    std::lock_guard<std::mutex> lock(mpi_mutex);
    stopped = true;
    send_text(std::string(input_error ? "1 " : "0 ") + message, 0, kError);
  };
  run_thread_pool(spec, threads, callbacks);
  MPI_Send(nullptr, 0, MPI_CHAR, 0, kDone, MPI_COMM_WORLD);
}

#endif

}  // namespace ropecert::sweep
