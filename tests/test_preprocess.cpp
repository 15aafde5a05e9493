// Feature tables (ours and Kaggle's), MinMaxScaler, StandardScaler and PCA against
// scikit-learn goldens computed on Kaggle's features_30_sec.csv (tests/make_golden_splits.py).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "fixtures.hpp"
#include "ml/feature_table.hpp"
#include "ml/preprocess.hpp"

using namespace gtzan;
using nlohmann::json;

namespace {

std::filesystem::path gtzan_data() { return test::gtzan_data_dir(); }
std::filesystem::path kaggle30() { return gtzan_data() / "features_30_sec.csv"; }
std::filesystem::path kaggle3_slice() { return gtzan_data() / "features_3_sec_subset_classical_jazz_rock.csv"; }

const json& golden() {
  static const json g = [] {
    std::ifstream f(std::filesystem::path(GTZAN_SOURCE_DIR) / "tests/golden/splits/preprocess.json");
    REQUIRE(f.good());
    return json::parse(f);
  }();
  return g;
}
std::vector<double> dbl(const json& j) { return j.get<std::vector<double>>(); }

// max |a - b| / max |b| over the vector (b = reference).
double rel_to_peak(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double diff = 0, peak = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::abs(a[i] - b[i]));
    peak = std::max(peak, std::abs(b[i]));
  }
  return peak > 0 ? diff / peak : diff;
}
// Element-wise relative error, max over the vector.
double max_rel(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(a[i] - b[i]) / std::max(std::abs(b[i]), 1e-300));
  return worst;
}
std::vector<double> sample_rows(const ml::Table& t, const json& rows) {
  std::vector<double> out;
  for (int r : rows.get<std::vector<int>>()) out.insert(out.end(), t.row(r), t.row(r) + t.cols);
  return out;
}
// Per-column comparison of an n x k table with a golden (row-major), relative to the column peak.
double worst_column_rel(const ml::Table& t, const std::vector<double>& ref) {
  REQUIRE(t.data.size() == ref.size());
  double worst = 0;
  for (std::size_t c = 0; c < t.cols; ++c) {
    std::vector<double> a, b;
    for (std::size_t r = 0; r < t.rows; ++r) {
      a.push_back(t.at(r, c));
      b.push_back(ref[r * t.cols + c]);
    }
    worst = std::max(worst, rel_to_peak(a, b));
  }
  return worst;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string error_of(const std::string& csv) {
  std::istringstream in(csv);
  try {
    ml::parse_feature_table(in, "bad.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("Kaggle 30-s table: 57 features, sorted genres, track ids (CRLF and LF)", "[preprocess][table]") {
  const auto t = ml::read_feature_table(kaggle30());
  CHECK(t.format == ml::TableFormat::Kaggle);
  REQUIRE(t.rows() == 1000);
  REQUIRE(t.X.cols == 57);
  CHECK(t.names == golden()["names"].get<std::vector<std::string>>());
  CHECK(t.names.front() == "chroma_stft_mean");
  CHECK(t.names.back() == "mfcc20_var");
  CHECK(t.classes == std::vector<std::string>{"blues", "classical", "country", "disco", "hiphop",
                                              "jazz", "metal", "pop", "reggae", "rock"});
  std::map<int, int> per_label;
  for (int l : t.labels) ++per_label[l];
  for (const auto& [l, count] : per_label) CHECK(count == 100);
  CHECK(t.filenames[0] == "blues.00000.wav");
  CHECK(t.track_ids[0] == "blues.00000");
  CHECK(t.genres[0] == "blues");
  CHECK(std::all_of(t.segments.begin(), t.segments.end(), [](int s) { return s == -1; }));
  CHECK(t.track_groups().size() == 1000);

  // The same bytes with LF endings give the same table.
  std::string lf = slurp(kaggle30());
  REQUIRE(lf.find("\r\n") != std::string::npos);
  lf.erase(std::remove(lf.begin(), lf.end(), '\r'), lf.end());
  std::istringstream in(lf);
  const auto t2 = ml::parse_feature_table(in, "lf.csv");
  CHECK(t2.X.data == t.X.data);
  CHECK(t2.labels == t.labels);

  const auto with_length = ml::read_feature_table(kaggle30(), {.keep_kaggle_length = true});
  REQUIRE(with_length.X.cols == 58);
  CHECK(with_length.names.front() == "length");
  CHECK(with_length.X.at(0, 0) == 661794);
}

TEST_CASE("Kaggle 3-s slice: segments, tracks, uneven genres", "[preprocess][table]") {
  const auto t = ml::read_feature_table(kaggle3_slice());
  REQUIRE(t.rows() == 2996);
  CHECK(t.X.cols == 57);
  CHECK(t.classes == std::vector<std::string>{"classical", "jazz", "rock"});
  std::map<std::string, int> per_genre, per_track;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    ++per_genre[t.genres[i]];
    ++per_track[t.track_ids[i]];
  }
  CHECK(per_genre["classical"] == 998);
  CHECK(per_genre["jazz"] == 1000);
  CHECK(per_genre["rock"] == 998);
  CHECK(per_track.size() == 300);
  CHECK(per_track["classical.00049"] == 9);
  CHECK(per_track["rock.00038"] == 9);
  CHECK(t.filenames[3] == "classical.00000.3.wav");
  CHECK(t.track_ids[3] == "classical.00000");
  CHECK(t.segments[3] == 3);
  CHECK(ml::kaggle_segment("blues.00000.wav") == -1);
  CHECK(ml::kaggle_track_id("plain") == "plain");
}

TEST_CASE("gtzan features CSV: segment column, whole-track rows, track ids", "[preprocess][table]") {
  std::istringstream in(
      "filename,label,segment,a,b\r\n"
      "x.wav,rock,0,1.5,2\r\n"
      "x.wav,rock,1,3,-4e-3\r\n"
      "y.wav,jazz,,5,+6\r\n");
  const auto t = ml::parse_feature_table(in, "ours.csv");
  CHECK(t.format == ml::TableFormat::Gtzan);
  CHECK(t.names == std::vector<std::string>{"a", "b"});
  CHECK(t.X.data == std::vector<double>{1.5, 2, 3, -4e-3, 5, 6});
  CHECK(t.segments == std::vector<int>{0, 1, -1});
  CHECK(t.track_ids == std::vector<std::string>{"x.wav", "x.wav", "y.wav"});
  CHECK(t.labels == std::vector<int>{1, 1, 0});
  CHECK(t.track_groups() == std::vector<int>{0, 0, 1});
}

TEST_CASE("bad feature cells are reported with file, line and column", "[preprocess][table]") {
  const std::string head = "filename,label,segment,a,b\n";
  auto e = error_of(head + "x.wav,rock,0,1,2\nx.wav,rock,1,nan,2\n");
  CHECK_THAT(e, Catch::Contains("bad.csv") && Catch::Contains("line 3, column 4 (a)") &&
                    Catch::Contains("NaN"));
  e = error_of(head + "x.wav,rock,0,1,abc\n");
  CHECK_THAT(e, Catch::Contains("line 2, column 5 (b)") && Catch::Contains("'abc' is not a number"));
  e = error_of(head + "x.wav,rock,0,1,\n");
  CHECK_THAT(e, Catch::Contains("line 2, column 5 (b)") && Catch::Contains("empty cell"));
  e = error_of(head + "x.wav,rock,0,1,inf\n");
  CHECK_THAT(e, Catch::Contains("infinite"));
  e = error_of(head + "x.wav,rock,0,1\n");
  CHECK_THAT(e, Catch::Contains("line 2: 4 cells, the header has 5"));
  e = error_of(head + "x.wav,rock,zero,1,2\n");
  CHECK_THAT(e, Catch::Contains("column 3 (segment)"));
  e = error_of("filename,length,f,label\r\nx.wav,10,1e999,rock\r\n");
  CHECK_THAT(e, Catch::Contains("line 2, column 3 (f)") && Catch::Contains("out of the float64 range"));
  e = error_of(head + "x.wav,rock,0,1,2\n\ny.wav,rock,0,1,2\n");
  CHECK_THAT(e, Catch::Contains("line 3: empty line"));
  CHECK_THAT(error_of("a,b,c\n1,2,3\n"), Catch::Contains("unknown header"));
  CHECK_THAT(error_of(""), Catch::Contains("empty file"));
  CHECK_THAT(error_of(head), Catch::Contains("no data rows"));
  CHECK_THROWS_AS(ml::read_feature_table("/nonexistent/features.csv"), InputError);
}

TEST_CASE("MinMaxScaler and StandardScaler match scikit-learn on the Kaggle 30-s table",
          "[preprocess][sklearn]") {
  const auto& g = golden();
  const auto t = ml::read_feature_table(kaggle30());
  ml::MinMaxScaler mm;
  const auto Xm = mm.fit_transform(t.X);
  CHECK(mm.data_min() == dbl(g["minmax"]["data_min"]));  // min/max are exact
  CHECK(mm.data_max() == dbl(g["minmax"]["data_max"]));
  CHECK(max_rel(mm.scale(), dbl(g["minmax"]["scale"])) < 1e-15);
  CHECK(rel_to_peak(mm.min(), dbl(g["minmax"]["min"])) < 1e-15);
  CHECK(rel_to_peak(sample_rows(Xm, g["sample_rows"]), dbl(g["minmax"]["transformed_sample"])) < 1e-14);

  ml::StandardScaler ss;
  const auto Xs = ss.fit_transform(t.X);
  CHECK(max_rel(ss.mean(), dbl(g["standard"]["mean"])) < 1e-12);
  CHECK(max_rel(ss.var(), dbl(g["standard"]["var"])) < 1e-12);
  CHECK(max_rel(ss.scale(), dbl(g["standard"]["scale"])) < 1e-12);
  CHECK(rel_to_peak(sample_rows(Xs, g["sample_rows"]), dbl(g["standard"]["transformed_sample"])) < 1e-12);
}

TEST_CASE("scalers leave constant columns unscaled, as scikit-learn", "[preprocess][sklearn]") {
  const auto& s = golden()["small"];
  ml::Table X(s["rows"], s["cols"]);
  X.data = dbl(s["X"]);
  ml::MinMaxScaler mm;
  CHECK(rel_to_peak(mm.fit_transform(X).data, dbl(s["minmax_transformed"])) < 1e-15);
  ml::StandardScaler ss;
  const auto Xs = ss.fit_transform(X);
  CHECK(ss.scale()[1] == 1.0);
  CHECK(max_rel(ss.scale(), dbl(s["standard_scale"])) < 1e-14);
  CHECK(rel_to_peak(Xs.data, dbl(s["standard_transformed"])) < 1e-14);
  ml::Table other(1, 2);
  CHECK_THROWS_AS(ss.transform(other), std::invalid_argument);
  CHECK_THROWS_AS(ml::StandardScaler().transform(X), std::logic_error);
}

TEST_CASE("PCA(3) matches scikit-learn's full-SVD PCA, signs included", "[preprocess][sklearn][pca]") {
  const auto& g = golden();
  const auto t = ml::read_feature_table(kaggle30());
  const ml::Table Xm = ml::MinMaxScaler().fit_transform(t.X);
  const ml::Table Xs = ml::StandardScaler().fit_transform(t.X);
  for (const auto& [name, X] : {std::pair{"pca_minmax", &Xm}, std::pair{"pca_standard", &Xs}}) {
    const auto& p = g[name];
    INFO(name);
    for (const auto sign : {ml::SignConvention::VBased, ml::SignConvention::UBased}) {
      const bool v = sign == ml::SignConvention::VBased;
      INFO((v ? "v-based (sklearn >= 1.5)" : "u-based (sklearn < 1.5)"));
      ml::PCA pca(3, sign);
      const auto T = pca.fit_transform(*X);
      REQUIRE(T.rows == 1000);
      REQUIRE(T.cols == 3);
      const auto comps = dbl(p[v ? "components" : "components_u_based"]);
      // Same sign: each component points the golden's way.
      for (int j = 0; j < 3; ++j) {
        double dot = 0;
        for (std::size_t c = 0; c < 57; ++c) dot += pca.components().at(j, c) * comps[j * 57 + c];
        CHECK(dot > 0.999999);
      }
      // Observed: ~1e-14 of the column peak (OpenBLAS dgesdd vs scipy's); 1e-11 leaves room for
      // other LAPACK builds, well inside the 1e-9 asked for.
      CHECK(rel_to_peak(pca.components().data, comps) < 1e-11);
      CHECK(worst_column_rel(T, dbl(p[v ? "transformed" : "transformed_u_based"])) < 1e-11);
      CHECK(max_rel(pca.mean(), dbl(p["mean"])) < 1e-12);
      CHECK(max_rel(pca.explained_variance(), dbl(p["explained_variance"])) < 1e-10);
      CHECK(max_rel(pca.explained_variance_ratio(), dbl(p["explained_variance_ratio"])) < 1e-10);
      CHECK(max_rel(pca.singular_values(), dbl(p["singular_values"])) < 1e-10);
    }
    // scikit-learn's default solver on 1000 x 57 (covariance_eigh) gives the same components.
    ml::PCA pca(3);
    pca.fit(*X);
    CHECK(rel_to_peak(pca.components().data, dbl(p["components_auto_solver"])) < 1e-8);
  }
  CHECK_THROWS_AS(ml::PCA(58).fit(Xm), std::invalid_argument);
  CHECK_THROWS_AS(ml::PCA(0), std::invalid_argument);
}

TEST_CASE("PCA sign conventions differ where scikit-learn's do (v-based >= 1.5, u-based < 1.5)",
          "[preprocess][sklearn][pca]") {
  const auto& p = golden()["pca_signs_disagree"];
  ml::Table X(p["rows"], p["cols"]);
  X.data = dbl(p["X"]);
  ml::PCA v(3, ml::SignConvention::VBased), u(3, ml::SignConvention::UBased);
  const auto Tv = v.fit_transform(X);
  const auto Tu = u.fit_transform(X);
  CHECK(rel_to_peak(v.components().data, dbl(p["components"])) < 1e-12);
  CHECK(rel_to_peak(u.components().data, dbl(p["components_u_based"])) < 1e-12);
  CHECK(worst_column_rel(Tv, dbl(p["transformed"])) < 1e-12);
  CHECK(worst_column_rel(Tu, dbl(p["transformed_u_based"])) < 1e-12);
  CHECK(v.components().at(0, 0) == -u.components().at(0, 0));  // the golden flips component 0
}
