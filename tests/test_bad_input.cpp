// Every malformed input in tests/bad_input_cases.tsv must give exit status 2,
// exactly one line on stderr with the expected message, and no certificate.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

struct BadInputCase {
  std::string name, arguments, message;
};

std::vector<BadInputCase> read_cases() {
  std::ifstream file(ROPECERT_SOURCE_DIR "/tests/bad_input_cases.tsv");
  std::vector<BadInputCase> cases;
  std::string line;
  bool header = true;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {  // the column names
      header = false;
      continue;
    }
    std::istringstream fields(line);
    BadInputCase c;
    std::getline(fields, c.name, '\t');
    std::getline(fields, c.arguments, '\t');
    std::getline(fields, c.message, '\t');
    cases.push_back(c);
  }
  return cases;
}

}  // namespace

TEST_CASE("bad input gives one error line", "[cli][bad-input]") {
  const std::vector<BadInputCase> cases = read_cases();
  REQUIRE(cases.size() >= 40);
  const fs::path bad = fs::path(ROPECERT_SOURCE_DIR) / "tests" / "data" / "bad";
  const fs::path work = fs::temp_directory_path() / ("ropecert_bad_input_" + std::to_string(::getpid()));
  fs::create_directories(work);
  for (const BadInputCase& c : cases) {
    const fs::path certificate = work / "certificate.json";
    fs::remove(certificate);
    const std::string arguments =
        replace_all(replace_all(c.arguments, "@BAD@", bad.string()), "@CERT@", certificate.string());
    const fs::path err = work / "stderr.txt";
    const std::string command = "cd '" + work.string() + "' && '" ROPECERT_BINARY "' " + arguments +
                                " > /dev/null 2> '" + err.string() + "'";
    const int status = std::system(command.c_str());
    std::ifstream err_file(err);
    std::vector<std::string> lines;
    for (std::string line; std::getline(err_file, line);) lines.push_back(line);
    const std::string message = replace_all(c.message, "@BAD@", bad.string());

    INFO("case: " << c.name << "\ncommand: " << command << "\nstderr: "
                  << (lines.empty() ? std::string("(empty)") : lines[0]));
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    CHECK(lines.size() == 1);
    REQUIRE_FALSE(lines.empty());
    CHECK(lines[0].find(message) != std::string::npos);
    CHECK_FALSE(fs::exists(certificate));
    CHECK_FALSE(fs::exists(work / "certificate.json.partial"));
  }
  fs::remove_all(work);
}
