#pragma once
// The safetensors file format (F32 only): 8-byte little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
//  "__metadata__": {string: string}}, then the raw little-endian data. Written atomically.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gtzan::engine {

struct NamedArray {
  std::vector<int> shape;
  std::vector<float> data;
};

struct SafetensorsFile {
  std::map<std::string, NamedArray> tensors;
  std::map<std::string, std::string> metadata;
};

void write_safetensors(const std::filesystem::path& path, const SafetensorsFile& f);
// Validates everything (header size, JSON, dtype, shapes, offsets inside and covering the data);
// throws gtzan::InputError naming the file on any problem.
SafetensorsFile read_safetensors(const std::filesystem::path& path);

}  // namespace gtzan::engine
