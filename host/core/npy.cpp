#include "core/npy.hpp"

#include <fstream>
#include <regex>
#include <stdexcept>
#include <string>

#include "core/atomic_file.hpp"

namespace gtzan {

void write_npy(const std::filesystem::path& path, const Matrix& m) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                     std::to_string(m.rows) + ", " + std::to_string(m.cols) + "), }";
  // Header length (magic 6 + version 2 + len 2 + dict + '\n') padded to a multiple of 64.
  const std::size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  write_file_atomically(
      path,
      [&](std::ostream& out) {
        out.write("\x93NUMPY\x01\x00", 8);
        const auto len = static_cast<uint16_t>(dict.size());
        out.write(reinterpret_cast<const char*>(&len), 2);
        out.write(dict.data(), static_cast<std::streamsize>(dict.size()));
        out.write(reinterpret_cast<const char*>(m.data.data()),
                  static_cast<std::streamsize>(m.data.size() * sizeof(float)));
      },
      true);
}

Matrix read_npy(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open");
  char magic[8];
  uint16_t len = 0;
  in.read(magic, 8);
  in.read(reinterpret_cast<char*>(&len), 2);
  if (!in || std::string(magic, 6) != "\x93NUMPY") throw std::runtime_error(path.string() + ": not a .npy file");
  std::string dict(len, '\0');
  in.read(dict.data(), len);
  std::smatch match;
  if (dict.find("'<f4'") == std::string::npos || dict.find("'fortran_order': False") == std::string::npos ||
      !std::regex_search(dict, match, std::regex(R"(\((\d+),\s*(\d+)\))")))
    throw std::runtime_error(path.string() + ": only 2-D C-order float32 arrays are supported");
  Matrix m(std::stoul(match[1]), std::stoul(match[2]));
  in.read(reinterpret_cast<char*>(m.data.data()), static_cast<std::streamsize>(m.data.size() * 4));
  if (!in) throw std::runtime_error(path.string() + ": truncated data");
  return m;
}

}  // namespace gtzan
