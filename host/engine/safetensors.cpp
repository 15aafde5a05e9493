#include "engine/safetensors.hpp"

#include <nlohmann/json.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "engine/tensor.hpp"

namespace gtzan::engine {

static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes a little-endian host");

void write_safetensors(const std::filesystem::path& path, const SafetensorsFile& f) {
  nlohmann::json header = nlohmann::json::object();
  std::uint64_t offset = 0;
  for (const auto& [name, a] : f.tensors) {  // std::map: sorted by name, data in the same order
    if (shape_size(a.shape) != a.data.size() && !(a.shape.empty() && a.data.size() == 1))
      throw std::logic_error("safetensors: tensor '" + name + "' has a shape that does not match its data");
    const std::uint64_t bytes = a.data.size() * sizeof(float);
    header[name] = {{"dtype", "F32"}, {"shape", a.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  if (!f.metadata.empty()) header["__metadata__"] = f.metadata;
  std::string h = header.dump();
  while (h.size() % 8) h += ' ';
  write_file_atomically(
      path,
      [&](std::ostream& out) {
        const std::uint64_t n = h.size();
        out.write(reinterpret_cast<const char*>(&n), 8);
        out.write(h.data(), static_cast<std::streamsize>(h.size()));
        for (const auto& [name, a] : f.tensors)
          out.write(reinterpret_cast<const char*>(a.data.data()),
                    static_cast<std::streamsize>(a.data.size() * sizeof(float)));
      },
      true);
}

SafetensorsFile read_safetensors(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the checkpoint");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  auto fail = [&](const std::string& why) -> InputError {
    return InputError(path, "not a valid safetensors checkpoint (corrupt or truncated?): " + why);
  };
  if (bytes.size() < 8) throw fail("shorter than the 8-byte header length");
  std::uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  if (n < 2 || n > bytes.size() - 8) throw fail("header length " + std::to_string(n) + " does not fit in the file");
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.substr(8, n));
  } catch (const std::exception& e) {
    throw fail(std::string("header is not JSON: ") + e.what());
  }
  if (!header.is_object()) throw fail("header is not a JSON object");
  const std::size_t data_begin = 8 + n, data_size = bytes.size() - data_begin;
  SafetensorsFile f;
  std::uint64_t covered = 0;
  try {
    for (const auto& [name, v] : header.items()) {
      if (name == "__metadata__") {
        for (const auto& [k, s] : v.items()) f.metadata[k] = s.get<std::string>();
        continue;
      }
      if (v.at("dtype").get<std::string>() != "F32") throw fail("tensor '" + name + "' is not F32");
      NamedArray a;
      a.shape = v.at("shape").get<std::vector<int>>();
      const auto off = v.at("data_offsets").get<std::vector<std::uint64_t>>();
      const std::size_t count = a.shape.empty() ? 1 : shape_size(a.shape);
      if (off.size() != 2 || off[0] > off[1] || off[1] > data_size || off[1] - off[0] != count * sizeof(float))
        throw fail("tensor '" + name + "' has data offsets outside the file or not matching its shape");
      a.data.resize(count);
      std::memcpy(a.data.data(), bytes.data() + data_begin + off[0], count * sizeof(float));
      covered += off[1] - off[0];
      f.tensors.emplace(name, std::move(a));
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw fail(std::string("bad header entry: ") + e.what());
  }
  if (covered != data_size) throw fail("data size " + std::to_string(data_size) + " bytes does not match the header (" + std::to_string(covered) + ")");
  return f;
}

}  // namespace gtzan::engine
