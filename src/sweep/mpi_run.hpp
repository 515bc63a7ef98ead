#pragma once

// Spreading a sweep over MPI ranks. Rank 0 hands out point indices on request,
// longest first, and gathers the rows; every rank also computes on its own
// threads. Compiled to stubs when ropecert is built without MPI.

#include <string>

#include "sweep/runner.hpp"

namespace ropecert::sweep {

struct MpiContext {
  bool active = false;  // MPI_Init was called and more than one rank may exist
  int rank = 0;
  int size = 1;
  int local_size = 1;   // ranks on this node (MPI_COMM_TYPE_SHARED)
  bool multithreaded = false;  // MPI_THREAD_SERIALIZED or better was provided
};

// True when this binary was built with MPI.
bool mpi_compiled();

// True when the environment shows an MPI launcher (mpirun, mpiexec, srun with
// PMI or PMIx). Without one, sweep runs as a plain process and never
// initializes MPI.
bool mpi_launched();

// The number of processes the launcher started, from its environment
// (OMPI_COMM_WORLD_SIZE, PMI_SIZE or SLURM_STEP_NUM_TASKS); 1 without one.
int launcher_world_size();

// Initializes MPI (when compiled in and launched) and describes this rank.
MpiContext mpi_start();
void mpi_finish(const MpiContext& context);

// Rank 0 sends `value` to every rank; returns it on every rank.
std::string mpi_broadcast(const MpiContext& context, const std::string& value);

// Rank 0: computes on `threads` local threads while serving the other ranks,
// until every rank has reported that it is done.
void mpi_coordinate(const SweepSpec& spec, const MpiContext& context, Dispenser& dispenser,
                    ResultSink& sink, int threads);

// Ranks above 0: compute the points rank 0 assigns until it has none left.
void mpi_work(const SweepSpec& spec, const MpiContext& context, int threads);

}  // namespace ropecert::sweep
