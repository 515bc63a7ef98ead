#pragma once

// Subcommands register themselves here, one file each, so that main() only
// parses and dispatches.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace ropecert::cli {

// Exit statuses of every subcommand.
constexpr int kExitOk = 0;
constexpr int kExitMismatch = 1;   // a verdict differs from the expected one
constexpr int kExitInvalidInput = 2;

struct Command {
  std::string name;
  std::string description;
  // Adds the subcommand's options to `app` and returns the action that runs
  // it after parsing; the action returns the exit status.
  std::function<std::function<int()>(CLI::App& app)> setup;
};

std::vector<Command>& command_registry();

// The arguments main() received, without the program name; `plot` records them
// so that a figure's script names the command that made it.
std::vector<std::string>& invocation_arguments();

struct RegisterCommand {
  explicit RegisterCommand(Command command) { command_registry().push_back(std::move(command)); }
};

}  // namespace ropecert::cli
