// Tests of the command line's handling of invalid input: each case runs the
// ropecert binary and expects exit status 2 and one line on stderr that names
// the offending value.

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

struct RunResult {
  int status = -1;
  std::string stderr_text;
  std::string stdout_text;
};

std::filesystem::path scratch_directory() {
  static std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("ropecert_test_cli_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

std::string write_file(const std::string& name, const std::string& text) {
  auto path = scratch_directory() / name;
  std::ofstream(path) << text;
  return path.string();
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Runs ropecert with `arguments` (already shell-quoted where needed).
RunResult run_ropecert(const std::string& arguments) {
  auto out_path = scratch_directory() / "stdout.txt";
  auto err_path = scratch_directory() / "stderr.txt";
  std::string command = std::string("'") + ROPECERT_BINARY + "' " + arguments + " >'" +
                        out_path.string() + "' 2>'" + err_path.string() + "'";
  int raw = std::system(command.c_str());
  RunResult result;
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  result.stdout_text = read_text(out_path);
  result.stderr_text = read_text(err_path);
  return result;
}

std::string valid_vectors() {
  return write_file("valid.json", "{\"q\": [1, 0.5, -0.25, 2, 0.75, -1, 0.5, 0.125], "
                                  "\"k\": [0.5, 1, 1, -0.5, 0.25, 0.5, -2, 1]}");
}

// Exit status 2, and exactly one non-empty stderr line containing `value`.
void require_input_error(const std::string& arguments, const std::string& value) {
  RunResult r = run_ropecert(arguments);
  INFO("arguments: " << arguments << "\nstderr: " << r.stderr_text);
  REQUIRE(r.status == 2);
  REQUIRE_FALSE(r.stderr_text.empty());
  REQUIRE(r.stderr_text.back() == '\n');
  REQUIRE(r.stderr_text.find('\n') == r.stderr_text.size() - 1);
  REQUIRE(r.stderr_text.find(value) != std::string::npos);
}

}  // namespace

TEST_CASE("cli accepts valid input", "[cli]") {
  RunResult r = run_ropecert("eval --dim 8 --base 10000 --vectors '" + valid_vectors() + "' --m 0");
  INFO("stderr: " << r.stderr_text);
  REQUIRE(r.status == 0);
  REQUIRE(r.stdout_text.find("S(0)") != std::string::npos);
  REQUIRE(r.stdout_text.find("-1.4375") != std::string::npos);
}

TEST_CASE("cli rejects odd dimension", "[cli]") {
  require_input_error("eval --dim 7 --vectors '" + valid_vectors() + "' --m 1", "7");
}

TEST_CASE("cli rejects base 1", "[cli]") {
  require_input_error("eval --dim 8 --base 1 --vectors '" + valid_vectors() + "' --m 1", "base 1");
}

TEST_CASE("cli rejects base nan", "[cli]") {
  require_input_error("eval --dim 8 --base nan --vectors '" + valid_vectors() + "' --m 1", "nan");
}

TEST_CASE("cli rejects negative distance", "[cli]") {
  require_input_error("eval --dim 8 --vectors '" + valid_vectors() + "' --m -1", "-1");
}

TEST_CASE("cli rejects distance 2^53", "[cli]") {
  require_input_error("eval --dim 8 --vectors '" + valid_vectors() + "' --m 9007199254740992",
                      "9007199254740992");
}

TEST_CASE("cli rejects unknown preset", "[cli]") {
  require_input_error("eval --preset llama-9-7b --vectors '" + valid_vectors() + "' --m 1",
                      "llama-9-7b");
}

TEST_CASE("cli rejects missing file", "[cli]") {
  std::string missing = (scratch_directory() / "no_such_file.json").string();
  require_input_error("eval --dim 8 --vectors '" + missing + "' --m 1", "no_such_file.json");
}

TEST_CASE("cli rejects malformed json", "[cli]") {
  std::string bad = write_file("malformed.json", "{\"q\": [1, 2,");
  require_input_error("eval --dim 8 --vectors '" + bad + "' --m 1", "malformed.json");
}

TEST_CASE("cli rejects q k length mismatch", "[cli]") {
  std::string q = write_file("q8.json", "[1, 2, 3, 4, 5, 6, 7, 8]");
  std::string k = write_file("k6.json", "[1, 2, 3, 4, 5, 6]");
  require_input_error("eval --dim 8 --q '" + q + "' --k '" + k + "' --m 1", "6");
}
