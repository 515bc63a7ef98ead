// ropecert plot KIND: figures of certified quantities as PNG and SVG, with the
// CSV data and the gnuplot script beside them.

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/plot_command.hpp"

namespace ropecert::cli {

namespace {

const RegisterCommand kPlot{{
    "plot",
    "Draw a figure (waveform, histogram, inversion, aliasing, aliasing-map, token) into --out: "
    "CSV data, a gnuplot script, PNG and SVG",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<PlotOptions>();
      add_plot_options(app, *options);
      return [options] {
        std::vector<std::string> arguments = invocation_arguments();
        // Drop "plot" itself: the command line is rebuilt from what follows it.
        auto it = std::find(arguments.begin(), arguments.end(), "plot");
        if (it != arguments.end()) arguments.erase(arguments.begin(), it + 1);
        nlohmann::json result = make_plot(*options, plot_command_line(arguments));
        if (options->json) {
          std::cout << result.dump(2) << "\n";
        } else {
          const auto& files = result["figure"]["files"];
          std::cout << "wrote " << files["data"].get<std::string>() << ", "
                    << files["script"].get<std::string>();
          if (options->render) {
            std::cout << ", " << files["png"].get<std::string>() << ", "
                      << files["svg"].get<std::string>();
          }
          std::cout << "\n";
        }
        return kExitOk;
      };
    }}};

}  // namespace

}  // namespace ropecert::cli
