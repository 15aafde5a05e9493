#include "experiments/report.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "experiments/config.hpp"

namespace gtzan::experiments {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string> kTableModels = {"svm", "cnn1d", "dense", "xgboost", "rf", "soft", "hard", "weighted", "stacked"};

std::string fmt_pct(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

std::string fmt_g(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) o += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
  return o;
}

std::string subset_title(const std::string& s) {
  return s == "all" ? "all ten" : s == "classical_metal" ? "classical+metal" : s == "disco_pop" ? "disco+pop" : s;
}

const json* find(const json& recs, const std::string& subset, double sec, const std::string& protocol,
                 const std::string& model) {
  for (const auto& r : recs)
    if (r.value("subset", "") == subset && std::abs(r.value("segment_seconds", 0.0) - sec) < 1e-9 &&
        r.value("protocol", "") == protocol && r.value("model", "") == model)
      return &r;
  return nullptr;
}

std::string cell(const json* r, bool ci = false) {
  if (!r) return "";
  if (r->value("skipped", false)) return "skipped";
  std::string s = fmt_pct(100 * r->value("accuracy", 0.0));
  if (ci && r->contains("accuracy_ci95")) s += " ± " + fmt_pct(100 * (*r)["accuracy_ci95"].get<double>());
  if (r->contains("track_accuracy")) s += " (" + fmt_pct(100 * (*r)["track_accuracy"].get<double>()) + ")";
  return s;
}

std::vector<std::string> distinct(const json& recs, const char* key) {
  std::vector<std::string> v;
  for (const auto& r : recs) {
    const auto s = r.value(key, "");
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
  }
  return v;
}

std::vector<double> lengths(const json& recs, const std::string& protocol, bool lstm) {
  std::vector<double> v;
  for (const auto& r : recs)
    if (r.value("protocol", "") == protocol && (r.value("model", "") == "lstm") == lstm) {
      const double s = r.value("segment_seconds", 0.0);
      if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
    }
  std::sort(v.begin(), v.end());
  return v;
}

// A markdown table; html gets the same rows.
struct TableOut {
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> rows;
  std::string md() const {
    std::string s = "|";
    for (const auto& h : head) s += " " + h + " |";
    s += "\n|";
    for (std::size_t i = 0; i < head.size(); ++i) s += "---|";
    s += "\n";
    for (const auto& r : rows) {
      s += "|";
      for (const auto& c : r) s += " " + c + " |";
      s += "\n";
    }
    return s;
  }
  std::string html() const {
    std::string s = "<table><tr>";
    for (const auto& h : head) s += "<th>" + esc(h) + "</th>";
    s += "</tr>\n";
    for (const auto& r : rows) {
      s += "<tr>";
      for (const auto& c : r) s += "<td>" + esc(c) + "</td>";
      s += "</tr>\n";
    }
    return s + "</table>\n";
  }
};

const char* kExplanation =
    "Why the study's numbers are higher than the honest ones: (1) with 3-s segments, pieces of the same "
    "song sit in both the training and the test set, so the model is partly tested on songs it has "
    "already heard; (2) the scaler and PCA were fitted on all rows, the test rows included; (3) the test "
    "set chose the dense network's epochs and learning rate and the voting weights; (4) the stacker "
    "learned from training-set probabilities that are far more confident than on unseen data; (5) the "
    "RNN's printed figure is training accuracy; (6) GTZAN repeats tracks and artists, so even a split by "
    "track leaks artists, which the fault-filtered split removes; (7) one split with one seed gives no "
    "spread. The track-grouped and cross-validated tables keep every song on one side of the split and fit "
    "all preprocessing, weights and stopping on training data only.";

}  // namespace

std::optional<double> study_accuracy(const std::string& subset, double sec, const std::string& model, bool train) {
  static const std::map<std::string, std::vector<double>> t = {
      {"all|3", {92.3, 91.0, 91.5, 95.0, 89.4, 95.5, 95.1, 93.8, 95.4}},
      {"all|30", {73.0, 73.0, 56.0, 73.0, 74.0, 79.5, 75.0, 75.5, 79.5}},
      {"classical_metal|3", {98.0, 99.8, 99.9, 99.5, 99.8, 99.8, 99.8, 99.8, 99.8}},
      {"classical_metal|30", {100, 100, 100, 100, 100, 100, 100, 100, 100}},
      {"disco_pop|3", {98.3, 97.8, 87.5, 98.0, 98.0, 99.3, 99.0, 98.5, 99.3}},
      {"disco_pop|30", {95.0, 97.5, 87.5, 92.5, 97.5, 95.0, 95.0, 97.5, 95.0}}};
  static const std::map<std::string, std::pair<double, double>> lstm = {  // held-out, train
      {"all|3", {80.7, 88.6}}, {"all|5", {73.7, 80.4}},          {"all|30", {51.0, 84.0}},
      {"classical_metal|3", {99.5, 99.9}}, {"classical_metal|30", {100, 100}},
      {"disco_pop|3", {95.8, 99.6}}, {"disco_pop|30", {97.5, 100}}};
  char k[64];
  std::snprintf(k, sizeof k, "%s|%g", subset.c_str(), sec);
  if (model == "lstm") {
    auto it = lstm.find(k);
    if (it == lstm.end()) return std::nullopt;
    return train ? it->second.second : it->second.first;
  }
  auto it = t.find(k);
  const auto m = std::find(kTableModels.begin(), kTableModels.end(), model);
  if (it == t.end() || m == kTableModels.end()) return std::nullopt;
  return it->second[m - kTableModels.begin()];
}

std::string bar_chart_svg(const json& recs) {
  // Grouped bars for subset "all" (or the first subset): per model, the study, our seed
  // protocol and each honest protocol, at the shortest segment length present.
  const auto subsets = distinct(recs, "subset");
  if (subsets.empty()) return "";
  const std::string subset = std::find(subsets.begin(), subsets.end(), "all") != subsets.end() ? "all" : subsets[0];
  const auto protocols = distinct(recs, "protocol");
  std::vector<double> lens;
  for (const auto& p : protocols)
    for (double l : lengths(recs, p, false)) lens.push_back(l);
  if (lens.empty()) return "";
  const double sec = *std::min_element(lens.begin(), lens.end());
  struct Series { std::string name, color; std::vector<std::optional<double>> v; };
  std::vector<Series> series;
  const char* colors[] = {"#999999", "#d62728", "#1f77b4", "#2ca02c", "#9467bd"};
  series.push_back({"study", colors[0], {}});
  for (const auto& m : kTableModels) series[0].v.push_back(study_accuracy(subset, sec, m));
  for (std::size_t i = 0; i < protocols.size() && i < 4; ++i) {
    Series s{"ours: " + protocols[i], colors[i + 1], {}};
    for (const auto& m : kTableModels) {
      const json* r = find(recs, subset, sec, protocols[i], m);
      s.v.push_back(r && !r->value("skipped", false) ? std::optional<double>(100 * r->value("accuracy", 0.0)) : std::nullopt);
    }
    series.push_back(s);
  }
  const int W = 760, H = 300, left = 40, bottom = 40, top = 30;
  const double gw = (W - left - 10.0) / kTableModels.size(), bw = (gw - 8) / series.size();
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H + 20
    << "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  o << "<text x=\"" << left << "\" y=\"14\">Accuracy (%), " << esc(subset_title(subset)) << ", " << sec
    << "-s rows</text>\n";
  const double ph = H - bottom - top;
  for (int g = 0; g <= 100; g += 25) {
    const double y = top + ph * (1 - g / 100.0);
    o << "<line x1=\"" << left << "\" x2=\"" << W - 10 << "\" y1=\"" << y << "\" y2=\"" << y
      << "\" stroke=\"#ddd\"/><text x=\"4\" y=\"" << y + 4 << "\">" << g << "</text>\n";
  }
  for (std::size_t m = 0; m < kTableModels.size(); ++m) {
    const double x0 = left + m * gw + 4;
    for (std::size_t s = 0; s < series.size(); ++s) {
      if (!series[s].v[m]) continue;
      const double v = std::clamp(*series[s].v[m], 0.0, 100.0), h = ph * v / 100.0;
      o << "<rect x=\"" << x0 + s * bw << "\" y=\"" << top + ph - h << "\" width=\"" << bw - 1 << "\" height=\"" << h
        << "\" fill=\"" << series[s].color << "\"><title>" << esc(series[s].name) << " " << kTableModels[m] << ": "
        << fmt_pct(v) << "</title></rect>\n";
    }
    o << "<text x=\"" << x0 + gw / 2 - 4 << "\" y=\"" << H - bottom + 14 << "\" text-anchor=\"middle\">"
      << kTableModels[m] << "</text>\n";
  }
  for (std::size_t s = 0; s < series.size(); ++s)
    o << "<rect x=\"" << left + s * 150 << "\" y=\"" << H - 6 << "\" width=\"10\" height=\"10\" fill=\""
      << series[s].color << "\"/><text x=\"" << left + s * 150 + 14 << "\" y=\"" << H + 4 << "\">"
      << esc(series[s].name) << "</text>\n";
  o << "</svg>\n";
  return o.str();
}

std::string confusion_svg(const json& r) {
  if (!r.contains("confusion") || !r.contains("classes")) return "";
  const auto cm = r["confusion"].get<std::vector<std::vector<long>>>();
  const auto cls = r["classes"].get<std::vector<std::string>>();
  const int K = static_cast<int>(cls.size()), c = 28, left = 80, top = 40;
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << left + K * c + 10 << "\" height=\""
    << top + K * c + 30 << "\" font-family=\"sans-serif\" font-size=\"10\">\n";
  o << "<text x=\"2\" y=\"12\">" << esc(r.value("subset", "") + " " + fmt_g(r.value("segment_seconds", 0.0)) + "s" + " " + r.value("protocol", "") +
                                      " " + r.value("model", ""))
    << " (rows: true, columns: predicted)</text>\n";
  for (int i = 0; i < K; ++i) {
    long row_sum = 0;
    for (int j = 0; j < K; ++j) row_sum += cm[i][j];
    o << "<text x=\"" << left - 4 << "\" y=\"" << top + i * c + c / 2 + 4 << "\" text-anchor=\"end\">" << esc(cls[i])
      << "</text>\n";
    for (int j = 0; j < K; ++j) {
      const double f = row_sum ? static_cast<double>(cm[i][j]) / row_sum : 0.0;
      const int shade = static_cast<int>(255 - 200 * f);
      o << "<rect x=\"" << left + j * c << "\" y=\"" << top + i * c << "\" width=\"" << c << "\" height=\"" << c
        << "\" fill=\"rgb(" << shade << "," << shade << ",255)\" stroke=\"#fff\"/><text x=\"" << left + j * c + c / 2
        << "\" y=\"" << top + i * c + c / 2 + 4 << "\" text-anchor=\"middle\">" << cm[i][j] << "</text>\n";
    }
  }
  for (int j = 0; j < K; ++j)
    o << "<text x=\"" << left + j * c + c / 2 << "\" y=\"" << top - 4 << "\" text-anchor=\"middle\">"
      << esc(cls[j].substr(0, 4)) << "</text>\n";
  o << "</svg>\n";
  return o.str();
}

void render_report(const fs::path& dir) {
  std::ifstream in(dir / "results.json");
  if (!in) throw InputError(dir / "results.json", "cannot open (run `gtzan experiment` first)");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const std::exception& e) {
    throw InputError(dir / "results.json", std::string("not valid JSON: ") + e.what());
  }
  const json& recs = doc.at("records");
  json meta;
  if (std::ifstream m(dir / "experiment.json"); m) meta = json::parse(m, nullptr, false);
  std::string md, html;
  auto both = [&](const std::string& m, const std::string& h) { md += m; html += h; };
  const std::string title = "Experiment report: " + (meta.is_object() ? meta.value("name", std::string("")) : "");
  both("# " + title + "\n\n", "<h1>" + esc(title) + "</h1>\n");
  if (meta.is_object()) {
    const std::string d = "Data: " + meta.value("data", std::string("?")) + (meta.value("quick", false) ? " — QUICK run (reduced grid, not comparable to the study)" : "");
    both(d + "\n\n", "<p>" + esc(d) + "</p>\n");
  }
  both("Accuracies in %. In honest tables, (x) is the per-track accuracy from a majority vote over a track's segments; cv5 shows mean ± 95% CI over folds.\n\n",
       "<p>Accuracies in %. In honest tables, (x) is the per-track accuracy from a majority vote over a track's segments; cv5 shows mean ± 95% CI over folds.</p>\n");
  // Headline: study | ours | difference.
  const auto subsets = distinct(recs, "subset");
  for (const auto& protocol : distinct(recs, "protocol")) {
    const bool seed = protocol == "seed";
    const std::string h = seed ? "The study's headline table vs ours (seed protocol)" : "Honest protocol: " + protocol;
    both("## " + h + "\n\n", "<h2>" + esc(h) + "</h2>\n");
    TableOut t;
    t.head = {"subset", "length", "source"};
    for (const auto& m : kTableModels) t.head.push_back(m);
    for (const auto& s : subsets)
      for (double len : lengths(recs, protocol, false)) {
        std::vector<std::string> ours = {subset_title(s), fmt_g(len) + " s", "ours"};
        std::vector<std::string> study = {"", "", "study"}, diff = {"", "", "ours − study"};
        bool any = false;
        for (const auto& m : kTableModels) {
          const json* r = find(recs, s, len, protocol, m);
          any = any || r;
          ours.push_back(cell(r, true));
          const auto st = study_accuracy(s, len, m);
          study.push_back(st ? fmt_pct(*st) : "");
          diff.push_back(st && r && !r->value("skipped", false) ? fmt_pct(100 * r->value("accuracy", 0.0) - *st) : "");
        }
        if (!any) continue;
        t.rows.push_back(ours);
        if (seed) {
          t.rows.push_back(study);
          t.rows.push_back(diff);
        }
      }
    both(t.md() + "\n", t.html());
    // The LSTM: held-out and training accuracy beside the study's.
    if (!lengths(recs, protocol, true).empty()) {
      TableOut l;
      l.head = {"subset", "length", "ours held-out", "ours train (last epoch)", "study held-out", "study printed (train)"};
      for (const auto& s : subsets)
        for (double len : lengths(recs, protocol, true)) {
          const json* r = find(recs, s, len, protocol, "lstm");
          if (!r) continue;
          const auto sh = study_accuracy(s, len, "lstm"), stt = study_accuracy(s, len, "lstm", true);
          l.rows.push_back({subset_title(s), fmt_g(len) + " s", cell(r, true),
                            r->contains("train_accuracy") ? fmt_pct(100 * (*r)["train_accuracy"].get<double>()) : "",
                            seed && sh ? fmt_pct(*sh) : "", seed && stt ? fmt_pct(*stt) : ""});
        }
      both("LSTM (MFCC-13 sequences):\n\n" + l.md() + "\n", "<p>LSTM (MFCC-13 sequences):</p>\n" + l.html());
    }
  }
  // Notes for skipped cells (one line per distinct note).
  std::map<std::string, int> notes;
  for (const auto& r : recs)
    if (r.value("skipped", false)) ++notes[r.value("protocol", "") + ": " + r.value("note", "")];
  if (!notes.empty()) {
    both("## Skipped cells\n\n", "<h2>Skipped cells</h2>\n<ul>\n");
    for (const auto& [n, c] : notes) both("- " + n + " (" + std::to_string(c) + " cells)\n", "<li>" + esc(n) + " (" + std::to_string(c) + " cells)</li>\n");
    both("\n", "</ul>\n");
  }
  both("## Why the leaky numbers are higher\n\n" + std::string(kExplanation) + "\n\n",
       "<h2>Why the leaky numbers are higher</h2>\n<p>" + esc(kExplanation) + "</p>\n");
  // Figures: inline SVG in the HTML; the markdown points to the HTML.
  const std::string bars = bar_chart_svg(recs);
  html += "<h2>Accuracy by model</h2>\n" + bars;
  html += "<h2>Confusion matrices</h2>\n";
  int shown = 0;
  for (const auto& r : recs)
    if (r.value("model", "") == "svm" && !r.value("skipped", false) && r.value("subset", "") == (subsets.empty() ? "" : subsets[0]) && shown < 8) {
      html += confusion_svg(r);
      ++shown;
    }
  md += "Figures (accuracy bar chart, confusion-matrix heatmaps): see report.html.\n";
  const std::string page = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + esc(title) +
                           "</title><style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
                           "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:2px 6px;"
                           "text-align:right}svg{margin:6px}</style></head><body>\n" + html + "</body></html>\n";
  write_file_atomically(dir / "report.md", [&](std::ostream& o) { o << md; });
  write_file_atomically(dir / "report.html", [&](std::ostream& o) { o << page; });
}

}  // namespace gtzan::experiments
