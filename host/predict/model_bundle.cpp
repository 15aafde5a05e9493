#include "predict/model_bundle.hpp"

#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace gtzan::predict {
namespace fs = std::filesystem;
namespace {

constexpr const char* kFormat = "gtzan-preprocessing-1";

nlohmann::json scaling_json(const ml::MinMaxPca& s) {
  nlohmann::json j = {{"scaler", {{"type", "minmax"},
                                  {"feature_range", {0.0, 1.0}},
                                  {"data_min", s.scaler().data_min()},
                                  {"data_max", s.scaler().data_max()}}},
                      {"pca", nullptr}};
  if (s.components() > 0) {
    std::vector<std::vector<double>> rows;
    const auto& c = s.pca().components();
    for (std::size_t r = 0; r < c.rows; ++r) rows.emplace_back(c.row(r), c.row(r) + c.cols);
    j["pca"] = {{"components", s.components()}, {"appended", true}, {"mean", s.pca().mean()},
                {"matrix", rows}};
  }
  return j;
}

ml::MinMaxPca scaling_from_json(const nlohmann::json& j) {
  const auto& sc = j.at("scaler");
  if (sc.at("type") != "minmax") throw std::invalid_argument("scaler.type must be minmax");
  auto data_min = sc.at("data_min").get<std::vector<double>>();
  auto data_max = sc.at("data_max").get<std::vector<double>>();
  const auto& pca = j.at("pca");
  if (pca.is_null()) {
    ml::MinMaxPca s(0);
    s.set_fitted(std::move(data_min), std::move(data_max), {}, {});
    return s;
  }
  const int k = pca.at("components").get<int>();
  const auto rows = pca.at("matrix").get<std::vector<std::vector<double>>>();
  ml::Table m(rows.size(), rows.empty() ? 0 : rows[0].size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != m.cols) throw std::invalid_argument("pca.matrix rows differ in length");
    std::copy(rows[r].begin(), rows[r].end(), m.row(r));
  }
  ml::MinMaxPca s(k);
  s.set_fitted(std::move(data_min), std::move(data_max), pca.at("mean").get<std::vector<double>>(),
               std::move(m));
  return s;
}

}  // namespace

jobs::ExtractOptions ClipCutting::extract_options() const {
  jobs::ExtractOptions o;
  o.length_seconds = length_seconds;
  o.segments = segments > 0 ? static_cast<std::size_t>(segments) : 0;
  return o;
}

std::string input_kind_name(InputKind k) {
  return k == InputKind::FeatureRows ? "feature_rows" : "mfcc13_sequences";
}

void save_model_bundle(const fs::path& out_dir, const Preprocessing& p, const std::string& model_toml_text) {
  nlohmann::json j = {{"format", kFormat},
                      {"model", p.model_name},
                      {"model_spec", kModelSpecFile},
                      {"weights", kWeightsFile},
                      {"input", input_kind_name(p.input)},
                      {"classes", p.classes},
                      {"clips", {{"length_seconds", p.clips.length_seconds},
                                 {"segments", p.clips.segments},
                                 {"clip_seconds", p.clips.clip_seconds()},
                                 {"split", "numpy.array_split of the padded/trimmed file"}}},
                      {"sample_shape", p.sample_shape},
                      {"training", p.training}};
  if (p.input == InputKind::FeatureRows) {
    if (!p.scaling) throw std::logic_error("save_model_bundle: feature rows without a fitted scaler");
    j["features"] = {{"set", p.feature_set.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.feature_set)},
                     {"columns", p.columns}};
    j["scaling"] = scaling_json(*p.scaling);
  } else {
    j["sequences"] = {{"feature", "mfcc13"}, {"frames", p.frames}, {"channels", 13}};
  }
  fs::create_directories(out_dir);
  write_file_atomically(out_dir / kModelSpecFile, [&](std::ostream& o) { o << model_toml_text; });
  write_file_atomically(out_dir / kPreprocessingFile, [&](std::ostream& o) { o << j.dump(1) << '\n'; });
}

Preprocessing load_preprocessing(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw InputError(dir, "no such model folder (pass the --out folder of `gtzan train`)");
  const fs::path path = dir / kPreprocessingFile;
  if (!fs::exists(path))
    throw InputError(path, "missing: the model folder lacks its preprocessing record; train it again with "
                           "`gtzan train` (which writes it beside model.safetensors)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open for reading");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw InputError(path, std::string("not valid JSON: ") + e.what());
  }
  Preprocessing p;
  try {
    if (j.at("format") != kFormat)
      throw std::invalid_argument("format is " + j.at("format").dump() + ", expected \"" + kFormat + "\"");
    p.model_name = j.at("model").get<std::string>();
    const auto kind = j.at("input").get<std::string>();
    if (kind == "feature_rows") p.input = InputKind::FeatureRows;
    else if (kind == "mfcc13_sequences") p.input = InputKind::Mfcc13Sequences;
    else throw std::invalid_argument("unknown input kind '" + kind + "'");
    p.classes = j.at("classes").get<std::vector<std::string>>();
    if (p.classes.size() < 2) throw std::invalid_argument("fewer than two classes");
    p.clips.length_seconds = j.at("clips").at("length_seconds").get<double>();
    p.clips.segments = j.at("clips").at("segments").get<int>();
    if (p.clips.length_seconds < 0 || p.clips.segments < 0) throw std::invalid_argument("negative clip length or segments");
    p.sample_shape = j.at("sample_shape").get<std::vector<int>>();
    p.training = j.value("training", nlohmann::json::object());
    if (p.input == InputKind::FeatureRows) {
      const auto& f = j.at("features");
      p.columns = f.at("columns").get<std::vector<std::string>>();
      if (!f.at("set").is_null()) p.feature_set = f.at("set").get<std::string>();
      p.scaling = scaling_from_json(j.at("scaling"));
      if (p.scaling->input_columns() != p.columns.size())
        throw std::invalid_argument("the scaler has " + std::to_string(p.scaling->input_columns()) +
                                    " columns, the column list " + std::to_string(p.columns.size()));
      if (p.sample_shape != std::vector<int>{static_cast<int>(p.scaling->output_columns())})
        throw std::invalid_argument("sample_shape does not match the scaled columns + PCA");
    } else {
      p.frames = j.at("sequences").at("frames").get<int>();
      if (p.frames < 1) throw std::invalid_argument("sequences.frames must be positive");
      if (p.sample_shape != std::vector<int>{p.frames, 13})
        throw std::invalid_argument("sample_shape does not match sequences.frames x 13");
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError(path, std::string("malformed: ") + e.what());
  }
  return p;
}

}  // namespace gtzan::predict
