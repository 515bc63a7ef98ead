#include "plots/figures.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/csv.hpp"
#include "util/input_error.hpp"

extern char** environ;

namespace ropecert::plots {

namespace {

std::string format_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string cell_text(const Cell& cell) {
  if (const auto* d = std::get_if<double>(&cell)) return format_double(*d);
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return std::to_string(*i);
  if (const auto* u = std::get_if<std::uint64_t>(&cell)) return std::to_string(*u);
  return csv_field(std::get<std::string>(cell));
}

nlohmann::json cell_json(const Cell& cell) {
  if (const auto* d = std::get_if<double>(&cell)) {
    if (std::isfinite(*d)) return *d;
    return format_double(*d);
  }
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return *i;
  if (const auto* u = std::get_if<std::uint64_t>(&cell)) return *u;
  return std::get<std::string>(cell);
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path);
  if (!file) {
    throw InputError("cannot write '" + path.string() +
                     "'; check that the output directory is writable");
  }
  file << text;
  if (!file) throw InputError("failed to write '" + path.string() + "'");
}

}  // namespace

std::string to_csv(const Table& table) {
  std::ostringstream out;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    out << (i ? "," : "") << csv_field(table.columns[i]);
  }
  out << "\n";
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << cell_text(row[i]);
    out << "\n";
  }
  return out.str();
}

nlohmann::json to_json(const Table& table) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : table.rows) {
    nlohmann::json object = nlohmann::json::object();
    for (std::size_t i = 0; i < row.size(); ++i) object[table.columns[i]] = cell_json(row[i]);
    rows.push_back(std::move(object));
  }
  return rows;
}

nlohmann::json Figure::to_json() const {
  nlohmann::json out;
  out["kind"] = kind;
  out["data"] = plots::to_json(data);
  if (summary) out["summary"] = plots::to_json(*summary);
  out["files"] = {{"data", files.data().string()},
                  {"script", files.script().string()},
                  {"png", files.png().string()},
                  {"svg", files.svg().string()}};
  if (summary) out["files"]["summary"] = files.summary().string();
  return out;
}

void write_figure_files(const Figure& figure) {
  std::error_code error;
  std::filesystem::create_directories(figure.files.directory, error);
  if (error) {
    throw InputError("cannot create output directory '" + figure.files.directory.string() +
                     "': " + error.message());
  }
  write_text(figure.files.data(), to_csv(figure.data));
  if (figure.summary) write_text(figure.files.summary(), to_csv(*figure.summary));
  write_text(figure.files.script(), figure.script);
}

bool gnuplot_available() {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::stringstream directories(path);
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    if (directory.empty()) continue;
    if (::access((std::filesystem::path(directory) / "gnuplot").c_str(), X_OK) == 0) return true;
  }
  return false;
}

void render_figure(const Figure& figure) {
  if (!gnuplot_available()) {
    throw InputError("gnuplot was not found on PATH; install it (Debian: apt-get install "
                     "gnuplot-nox) or use --no-render to write only the CSV and script files");
  }
  // gnuplot runs in the figure's directory so that the script's relative file
  // names work for a user who re-runs it there. Its messages go to our stderr.
  const std::string script = figure.files.stem + ".gp";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, figure.files.directory.c_str());
  char* argv[] = {const_cast<char*>("gnuplot"), const_cast<char*>(script.c_str()), nullptr};
  pid_t pid = 0;
  int spawn_error = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    throw InputError("failed to start gnuplot: " + std::string(std::strerror(spawn_error)));
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw InputError("gnuplot failed on '" + figure.files.script().string() +
                     "'; run it there by hand to see the error");
  }
  for (const auto& image : {figure.files.png(), figure.files.svg()}) {
    std::error_code error;
    if (std::filesystem::file_size(image, error) == 0 || error) {
      throw InputError("gnuplot left '" + image.string() + "' missing or empty");
    }
  }
}

}  // namespace ropecert::plots
