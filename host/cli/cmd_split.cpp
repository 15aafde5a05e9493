#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "ml/splits.hpp"

namespace gtzan::cli {

namespace {

// "0.2" / "2e-1" is a fraction, "200" a count: scikit-learn tells them apart by type.
ml::TestSize parse_test_size(const std::string& s) {
  std::size_t used = 0;
  if (s.find_first_of(".eE") == std::string::npos) {
    const long v = std::stol(s, &used);
    if (used != s.size()) throw std::invalid_argument("--test-size: bad count '" + s + "'");
    return ml::TestSize::of_count(static_cast<int>(v));
  }
  const double f = std::stod(s, &used);
  if (used != s.size()) throw std::invalid_argument("--test-size: bad fraction '" + s + "'");
  return ml::TestSize::of_fraction(f);
}

std::vector<std::string> read_labels(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open labels file");
  std::vector<std::string> labels;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) labels.push_back(line);
  }
  return labels;
}

}  // namespace

Action add_split(CLI::App& app) {
  struct Opts {
    int n = 0;
    std::string test_size = "0.25";
    uint32_t seed = 0;
    std::string stratify;
    bool no_shuffle = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("split", "Print scikit-learn's train_test_split indices as JSON");
  sub->footer(
      "Examples:\n"
      "  gtzan split --n 1000 --test-size 0.2 --seed 42        # the study's 30-s split\n"
      "  gtzan split --n 1000 --test-size 200 --seed 42        # a count, not a fraction\n"
      "  gtzan split --n 1000 --test-size 0.2 --seed 42 --stratify labels.txt\n"
      "Output: {\"train\":[...],\"test\":[...]}, identical to\n"
      "  train_test_split(np.arange(N), test_size=F, random_state=S, stratify=labels).\n"
      "LABELS_FILE holds one label per line (N lines; blank lines are skipped).");
  sub->add_option("--n", o->n, "Number of samples")->required()->check(CLI::Range(1, 1 << 30));
  sub->add_option("--test-size", o->test_size,
                  "Test fraction in (0, 1) (written with a '.') or test count (an integer)");
  sub->add_option("--seed", o->seed, "numpy RandomState seed (random_state), 0..4294967295");
  sub->add_option("--stratify", o->stratify, "File of per-sample labels to stratify by");
  sub->add_flag("--no-shuffle", o->no_shuffle, "shuffle=False: train = first rows, test = last");
  return [o] {
    std::vector<int> codes;
    if (!o->stratify.empty()) {
      const auto labels = read_labels(o->stratify);
      if (static_cast<int>(labels.size()) != o->n)
        throw InputError(o->stratify, std::to_string(labels.size()) + " labels for --n " +
                                          std::to_string(o->n));
      codes = ml::encode_sorted(labels);
    }
    const auto s = ml::train_test_split(o->n, parse_test_size(o->test_size), o->seed,
                                        !o->no_shuffle, codes);
    const nlohmann::ordered_json j = {{"train", s.train}, {"test", s.test}};
    std::printf("%s\n", j.dump().c_str());
    return 0;
  };
}

}  // namespace gtzan::cli
