// Readers for query and key vectors: JSON (nlohmann/json) and NumPy .npy.
//
// The .npy reader accepts exactly what numpy.save writes for a 1-D float
// array: the magic string, a version 1.x, 2.x or 3.x header holding a Python
// dict literal with 'descr', 'fortran_order' and 'shape', then the raw data.
// It checks every field and the file length, so a truncated or foreign file
// is rejected with a message rather than read past its end.

#include <nlohmann/json.hpp>

#include <bit>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "model/vectors.hpp"
#include "util/input_error.hpp"

namespace ropecert::model {

namespace {

constexpr std::size_t kMaxVectorLength = 1 << 20;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot open '" + path + "'; check that the file exists and is readable");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError("failed to read '" + path + "'");
  return buffer.str();
}

bool has_suffix(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<double> parse_npy(const std::string& bytes, const std::string& path) {
  const std::string where = "NumPy file '" + path + "': ";
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    throw InputError(where + "missing the .npy magic string; save the array with numpy.save");
  }
  const unsigned major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0;
  std::size_t offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) |
                 (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw InputError(where + "truncated header");
    for (int i = 0; i < 4; ++i) {
      header_len |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    }
    offset = 12;
  } else {
    throw InputError(where + "unsupported .npy version " + std::to_string(major));
  }
  if (header_len > bytes.size() - offset) throw InputError(where + "truncated header");
  const std::string header = bytes.substr(offset, header_len);
  offset += header_len;

  std::smatch match;
  static const std::regex descr_re(R"('descr'\s*:\s*'([<>|=]?)([fi])(\d+)')");
  static const std::regex order_re(R"('fortran_order'\s*:\s*(True|False))");
  static const std::regex shape_re(R"('shape'\s*:\s*\(\s*(\d+)\s*,?\s*\))");
  if (!std::regex_search(header, match, descr_re)) {
    throw InputError(where + "no supported 'descr' in header; store float32 or float64 values");
  }
  const std::string endian = match[1];
  const std::string kind = match[2];
  const std::string width_text = match[3];
  // A width of more than two digits is no float dtype, and std::stoi would
  // raise std::out_of_range on a long one (found by fuzzing).
  if (width_text.size() > 2) {
    throw InputError(where + "dtype width '" + width_text +
                     "' is not supported; store little-endian float32 or float64");
  }
  const int width = std::stoi(width_text);
  if (kind != "f" || (width != 4 && width != 8) || endian == ">") {
    throw InputError(where + "dtype '" + endian + kind + std::to_string(width) +
                     "' is not supported; store little-endian float32 or float64");
  }
  if (!std::regex_search(header, match, order_re)) throw InputError(where + "no 'fortran_order'");
  if (!std::regex_search(header, match, shape_re)) {
    throw InputError(where + "shape is not one-dimensional; save a 1-D array per vector");
  }
  const std::string length_text = match[1];
  if (length_text.size() > 8) throw InputError(where + "array too long");
  const std::size_t length = std::stoul(length_text);
  if (length > kMaxVectorLength) throw InputError(where + "array too long");
  if (bytes.size() - offset != length * static_cast<std::size_t>(width)) {
    throw InputError(where + "data holds " + std::to_string(bytes.size() - offset) +
                     " bytes but the header announces " + std::to_string(length) + " values of " +
                     std::to_string(width) + " bytes; the file is truncated or corrupt");
  }
  static_assert(std::endian::native == std::endian::little, "the .npy reader assumes little-endian");

  std::vector<double> values(length);
  for (std::size_t i = 0; i < length; ++i) {
    const char* p = bytes.data() + offset + i * width;
    if (width == 4) {
      float f;
      std::memcpy(&f, p, 4);
      values[i] = f;
    } else {
      std::memcpy(&values[i], p, 8);
    }
  }
  return values;
}

std::vector<double> json_numbers(const nlohmann::json& array, const std::string& what) {
  if (!array.is_array()) throw InputError(what + " must be a JSON array of numbers");
  if (array.size() > kMaxVectorLength) throw InputError(what + " is too long");
  std::vector<double> values;
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_number()) {
      throw InputError(what + "[" + std::to_string(i) + "] is " + array[i].dump() +
                       "; every entry must be a number");
    }
    values.push_back(array[i].get<double>());
  }
  return values;
}

nlohmann::json parse_json(const std::string& text, const std::string& path) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError("invalid JSON in '" + path + "' at byte " + std::to_string(e.byte) +
                     "; fix the syntax");
  } catch (const nlohmann::json::out_of_range& e) {
    // A number beyond the binary64 range, such as 1e999.
    throw InputError("invalid number in '" + path + "' (" + e.what() +
                     "); every entry must be a finite number");
  }
}

}  // namespace

std::vector<double> read_vector_file(const std::string& path) {
  const std::string bytes = read_file(path);
  if (has_suffix(path, ".npy")) return parse_npy(bytes, path);
  return json_numbers(parse_json(bytes, path), "vector in '" + path + "'");
}

VectorInput read_vector_json(const std::string& path) {
  const nlohmann::json doc = parse_json(read_file(path), path);
  const std::string where = "'" + path + "'";
  if (!doc.is_object()) {
    throw InputError(where + " must hold a JSON object with \"q\" and \"k\", or \"amplitude\" "
                     "and \"phase\"");
  }
  if (doc.contains("q") || doc.contains("k")) {
    if (!doc.contains("q") || !doc.contains("k")) {
      throw InputError(where + " needs both \"q\" and \"k\"");
    }
    return QueryKey{json_numbers(doc["q"], where + " q"), json_numbers(doc["k"], where + " k")};
  }
  if (doc.contains("amplitude") && doc.contains("phase")) {
    return AmplitudePhase{json_numbers(doc["amplitude"], where + " amplitude"),
                          json_numbers(doc["phase"], where + " phase")};
  }
  throw InputError(where + " has neither \"q\" and \"k\" nor \"amplitude\" and \"phase\"");
}

}  // namespace ropecert::model
