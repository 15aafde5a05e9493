#include "ml/feature_table.hpp"

#include <charconv>
#include <cmath>
#include <fstream>

#include "core/error.hpp"
#include "ml/splits.hpp"

namespace gtzan::ml {

namespace {

std::vector<std::string> split_cells(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    cells.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

struct Where {
  const std::filesystem::path& file;
  std::size_t line;
  std::size_t column;  // 1-based
  const std::string& name;
  std::string at() const {
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + " (" + name + ")";
  }
};

double parse_number(const std::string& raw, const Where& w) {
  const std::string cell = trimmed(raw);
  if (cell.empty()) throw InputError(w.file, w.at() + ": empty cell");
  double v = 0;
  const char* first = cell.data();
  if (*first == '+') ++first;  // Python's float() accepts a leading '+'
  const auto [ptr, ec] = std::from_chars(first, cell.data() + cell.size(), v);
  if (ec == std::errc::result_out_of_range)
    throw InputError(w.file, w.at() + ": '" + cell + "' is out of the float64 range");
  if (ec != std::errc() || ptr != cell.data() + cell.size())
    throw InputError(w.file, w.at() + ": '" + cell + "' is not a number");
  if (std::isnan(v)) throw InputError(w.file, w.at() + ": NaN value ('" + cell + "')");
  if (std::isinf(v)) throw InputError(w.file, w.at() + ": infinite value ('" + cell + "')");
  return v;
}

int parse_segment(const std::string& raw, const Where& w) {
  const std::string cell = trimmed(raw);
  if (cell.empty()) return -1;
  int v = 0;
  const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc() || ptr != cell.data() + cell.size() || v < 0)
    throw InputError(w.file, w.at() + ": segment '" + cell + "' is not a non-negative integer");
  return v;
}

}  // namespace

std::string kaggle_track_id(const std::string& filename) {
  const auto first = filename.find('.');
  if (first == std::string::npos) return filename;
  const auto second = filename.find('.', first + 1);
  return second == std::string::npos ? filename : filename.substr(0, second);
}

int kaggle_segment(const std::string& filename) {
  const auto parts = [&] {
    std::vector<std::string> p;
    std::size_t start = 0;
    for (auto dot = filename.find('.'); dot != std::string::npos; dot = filename.find('.', start)) {
      p.push_back(filename.substr(start, dot - start));
      start = dot + 1;
    }
    p.push_back(filename.substr(start));
    return p;
  }();
  if (parts.size() != 4 || parts[2].empty()) return -1;
  int v = 0;
  const auto [ptr, ec] = std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), v);
  return (ec == std::errc() && ptr == parts[2].data() + parts[2].size()) ? v : -1;
}

std::vector<int> FeatureTable::track_groups() const { return encode_sorted(track_ids); }

FeatureTable parse_feature_table(std::istream& in, const std::filesystem::path& name,
                                 const FeatureTableOptions& options) {
  FeatureTable t;
  t.source = name;
  std::string line;
  std::size_t line_no = 0;
  auto next_line = [&] {
    if (!std::getline(in, line)) return false;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  };
  if (!next_line()) throw InputError(name, "empty file (no header line)");
  const auto header = split_cells(line);
  const std::size_t ncell = header.size();
  std::size_t first_feature = 0, last_feature = 0;  // [first, last) cell range of features
  int label_cell = 0, length_cell = -1;
  if (ncell >= 4 && header[0] == "filename" && header[1] == "label" && header[2] == "segment") {
    t.format = TableFormat::Gtzan;
    first_feature = 3;
    last_feature = ncell;
    label_cell = 1;
  } else if (ncell >= 4 && header[0] == "filename" && header[1] == "length" &&
             header.back() == "label") {
    t.format = TableFormat::Kaggle;
    first_feature = 2;
    last_feature = ncell - 1;
    label_cell = static_cast<int>(ncell) - 1;
    if (options.keep_kaggle_length) length_cell = 1;
  } else {
    throw InputError(name, "line 1: unknown header; expected `filename,label,segment,<features>` "
                           "(gtzan features) or `filename,length,<features>,label` (Kaggle)");
  }
  if (length_cell >= 0) t.names.push_back(header[1]);
  t.names.insert(t.names.end(), header.begin() + static_cast<long>(first_feature),
                 header.begin() + static_cast<long>(last_feature));
  const std::size_t nfeat = t.names.size();

  std::size_t blank_line = 0;
  while (next_line()) {
    if (line.empty()) {
      if (!blank_line) blank_line = line_no;
      continue;
    }
    if (blank_line)
      throw InputError(name, "line " + std::to_string(blank_line) + ": empty line inside the table");
    const auto cells = split_cells(line);
    if (cells.size() != ncell)
      throw InputError(name, "line " + std::to_string(line_no) + ": " + std::to_string(cells.size()) +
                                 " cells, the header has " + std::to_string(ncell));
    const std::string& filename = cells[0];
    const std::string genre = trimmed(cells[label_cell]);
    if (genre.empty())
      throw InputError(name, Where{name, line_no, static_cast<std::size_t>(label_cell) + 1,
                                   header[label_cell]}.at() + ": empty label");
    t.filenames.push_back(filename);
    t.genres.push_back(genre);
    if (t.format == TableFormat::Gtzan) {
      t.track_ids.push_back(filename);
      t.segments.push_back(parse_segment(cells[2], Where{name, line_no, 3, header[2]}));
    } else {
      t.track_ids.push_back(kaggle_track_id(filename));
      t.segments.push_back(kaggle_segment(filename));
    }
    if (length_cell >= 0)
      t.X.data.push_back(parse_number(cells[1], Where{name, line_no, 2, header[1]}));
    for (std::size_t c = first_feature; c < last_feature; ++c)
      t.X.data.push_back(parse_number(cells[c], Where{name, line_no, c + 1, header[c]}));
  }
  if (t.filenames.empty()) throw InputError(name, "no data rows after the header");
  t.X.rows = t.filenames.size();
  t.X.cols = nfeat;
  t.labels = encode_sorted(t.genres, &t.classes);
  return t;
}

FeatureTable read_feature_table(const std::filesystem::path& path, const FeatureTableOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open for reading");
  return parse_feature_table(in, path, options);
}

}  // namespace gtzan::ml
