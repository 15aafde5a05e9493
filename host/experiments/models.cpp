#include "experiments/models.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "engine/checkpoint.hpp"
#include "engine/trainer.hpp"
#include "experiments/data.hpp"
#include "ml/preprocess.hpp"
#include "ml/random_forest.hpp"
#include "ml/svm_classifier.hpp"
#include "ml/xgb_classifier.hpp"

namespace gtzan::experiments {
namespace fs = std::filesystem;

namespace {

std::atomic<std::uint64_t> g_run_counter{0};

engine::Dataset to_dataset(const ml::Rows& X, const std::vector<int>& y, const std::vector<int>& shape) {
  engine::Dataset d;
  d.sample_shape = shape;
  d.y = y;
  d.x.reserve(X.size() * d.sample_size());
  for (const auto& r : X) {
    if (r.size() != d.sample_size()) throw std::invalid_argument("network input: row size differs from the sample shape");
    for (double v : r) d.x.push_back(static_cast<float>(v));
  }
  return d;
}

ml::Table to_table(const ml::Rows& X) {
  ml::Table t(X.size(), X.empty() ? 0 : X[0].size());
  for (std::size_t i = 0; i < X.size(); ++i) std::copy(X[i].begin(), X[i].end(), t.row(i));
  return t;
}

ml::Rows to_rows(const ml::Table& t) {
  ml::Rows r(t.rows);
  for (std::size_t i = 0; i < t.rows; ++i) r[i].assign(t.row(i), t.row(i) + t.cols);
  return r;
}

// SVC behind the study's StandardScaler (fitted on the training rows it is given).
class ScaledSvm final : public ml::Classifier {
 public:
  explicit ScaledSvm(ml::SvmParams p) : svm_(p) {}
  void fit(const ml::Rows& X, const std::vector<int>& y, int K) override {
    K_ = K;
    const auto t = to_table(X);
    scaler_.fit(t);
    svm_.fit(to_rows(scaler_.transform(t)), y, K);
  }
  ml::Rows predict_proba(const ml::Rows& X) const override {
    return svm_.predict_proba(to_rows(scaler_.transform(to_table(X))));
  }
  std::vector<int> predict(const ml::Rows& X) const override {
    return svm_.predict(to_rows(scaler_.transform(to_table(X))));
  }
  std::string name() const override { return "svm"; }

 private:
  ml::StandardScaler scaler_;
  ml::SvmClassifier svm_;
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

NetClassifier::NetClassifier(engine::ModelSpec spec, int epochs, std::uint64_t seed, std::vector<int> shape,
                             const RunContext& ctx)
    : spec_(std::move(spec)), epochs_(epochs), seed_(seed), shape_(std::move(shape)), ctx_(ctx) {}

NetClassifier::~NetClassifier() = default;

void NetClassifier::fit(const ml::Rows& X, const std::vector<int>& y, int K) {
  ml::check_fit_inputs(X, y, K);
  K_ = K;
  const auto train = to_dataset(X, y, shape_);
  const auto val = val_X_ ? to_dataset(*val_X_, *val_y_, shape_) : to_dataset({}, {}, shape_);
  be_ = engine::make_engine_backend(ctx_.device, ctx_.threads);
  engine::TrainOptions opt;
  opt.out_dir = ctx_.work_dir / ("run_" + std::to_string(::getpid()) + "_" + std::to_string(g_run_counter++));
  opt.seed = seed_;
  opt.epochs = epochs_;
  opt.progress = false;
  opt.device = be_->name();
  const auto r = engine::train_model(spec_, train, val, K, *be_, opt);
  last_train_accuracy_ = r.history.empty() ? 0.0 : r.history.back().accuracy;
  model_ = std::make_unique<engine::Model<float>>(spec_, *be_, shape_, K, seed_);
  engine::load_weights(opt.out_dir / "model.safetensors", *model_);
  std::error_code ec;
  fs::remove_all(opt.out_dir, ec);
}

ml::Rows NetClassifier::predict_proba(const ml::Rows& X) const {
  if (!model_) throw std::logic_error("NetClassifier: predict before fit");
  const int bs = std::max(1, spec_.train.batch_size);
  const std::size_t per = engine::shape_size(shape_);
  ml::Rows out;
  out.reserve(X.size());
  engine::Tensor<float> probs;
  for (std::size_t i = 0; i < X.size(); i += bs) {
    const std::size_t end = std::min(X.size(), i + bs);
    std::vector<float> host;
    host.reserve((end - i) * per);
    for (std::size_t r = i; r < end; ++r)
      for (double v : X[r]) host.push_back(static_cast<float>(v));
    std::vector<int> shape = {static_cast<int>(end - i)};
    shape.insert(shape.end(), shape_.begin(), shape_.end());
    const auto x = be_->from_host(shape, host);
    const auto& logits = model_->forward(x, false);
    be_->ensure(probs, {static_cast<int>(end - i), K_});
    be_->softmax(static_cast<int>(end - i), K_, logits.data(), probs.data());
    const auto p = be_->to_host(probs);
    for (std::size_t r = 0; r < end - i; ++r)
      out.emplace_back(p.begin() + r * K_, p.begin() + (r + 1) * K_);
  }
  return out;
}

std::unique_ptr<ml::Classifier> make_model(const std::string& name, const ExperimentConfig& cfg,
                                           const std::vector<int>& shape, const RunContext& ctx) {
  if (name == "svm") {
    ml::SvmParams p;
    p.C = cfg.svm.C;
    p.seed = static_cast<unsigned>(cfg.seed);
    return std::make_unique<ScaledSvm>(p);
  }
  if (name == "xgboost") {
    ml::XgbParams p;
    p.n_estimators = cfg.xgboost.n_estimators;
    p.eta = cfg.xgboost.learning_rate;
    p.nthread = ctx.threads;
    p.seed = cfg.seed;
    return std::make_unique<ml::XgbClassifier>(p);
  }
  if (name == "rf") {
    ml::RandomForestParams p;
    p.n_trees = cfg.rf.n_trees;
    p.nthread = ctx.threads;
    p.seed = cfg.seed;
    return std::make_unique<ml::RandomForest>(p);
  }
  const NetConfig* n = name == "cnn1d" ? &cfg.cnn1d : name == "dense" ? &cfg.dense : name == "lstm" ? &cfg.lstm : nullptr;
  if (!n) throw std::invalid_argument("not a base model: " + name);
  return std::make_unique<NetClassifier>(engine::load_model_spec(n->spec), n->epochs, cfg.seed, shape, ctx);
}

std::string model_fingerprint(const std::string& name, const ExperimentConfig& cfg) {
  std::ostringstream s;
  s << name << "|seed=" << cfg.seed;
  if (name == "svm") s << "|C=" << cfg.svm.C << "|scaler=standard";
  if (name == "xgboost") s << "|n=" << cfg.xgboost.n_estimators << "|eta=" << cfg.xgboost.learning_rate;
  if (name == "rf") s << "|trees=" << cfg.rf.n_trees;
  const NetConfig* n = name == "cnn1d" ? &cfg.cnn1d : name == "dense" ? &cfg.dense : name == "lstm" ? &cfg.lstm : nullptr;
  if (n) s << "|epochs=" << n->epochs << "|spec=" << hash_hex(read_text(n->spec));
  if (name == "lstm") s << "|frames30=" << cfg.lstm.frames_per_30s;
  return s.str();
}

}  // namespace gtzan::experiments
