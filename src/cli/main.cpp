// ropecert: certified checks of claims about rotary position embeddings.

#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "util/input_error.hpp"

namespace ropecert::cli {

std::vector<Command>& command_registry() {
  static std::vector<Command> registry;
  return registry;
}

std::vector<std::string>& invocation_arguments() {
  static std::vector<std::string> arguments;
  return arguments;
}

}  // namespace ropecert::cli

int main(int argc, char** argv) {
  using namespace ropecert::cli;

  CLI::App app{"ropecert " ROPECERT_VERSION
               ": certified enclosures of RoPE attention quantities and verdicts on claims"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("ropecert ") + ROPECERT_VERSION);

  invocation_arguments().assign(argv + 1, argv + argc);

  std::vector<std::pair<CLI::App*, std::function<int()>>> actions;
  for (const Command& command : command_registry()) {
    CLI::App* sub = app.add_subcommand(command.name, command.description);
    actions.emplace_back(sub, command.setup(*sub));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "ropecert: " << e.what() << " (see --help)\n";
    return kExitInvalidInput;
  }

  try {
    for (auto& [sub, action] : actions) {
      if (sub->parsed()) return action();
    }
  } catch (const ropecert::InputError& e) {
    std::cerr << "ropecert: error: " << e.what() << "\n";
    return kExitInvalidInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "ropecert: error: out of memory; choose a smaller length M\n";
    return kExitInvalidInput;
  }
  return kExitInvalidInput;
}
