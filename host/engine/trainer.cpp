// The training loop (Keras fit semantics): seeded shuffle per epoch, mini-batches (the last one
// partial), Adam, validation on the test arrays after each epoch, callbacks, a checkpoint per
// epoch and an exact resume.
#include "engine/trainer.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <stdexcept>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "engine/callbacks.hpp"
#include "engine/checkpoint.hpp"

namespace gtzan::engine {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Copies the rows idx[begin, end) of data into device tensors x (batch, sample...) and y.
struct Batcher {
  explicit Batcher(Backend<float>& b) : be(b) {}
  Backend<float>& be;
  std::vector<float> hx, hy;
  Tensor<float> x, y;
  void load(const Dataset& d, const std::vector<std::size_t>& idx, std::size_t begin, std::size_t end) {
    const std::size_t n = end - begin, s = d.sample_size();
    hx.resize(n * s);
    hy.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t r = idx[begin + i];
      std::copy_n(d.x.data() + r * s, s, hx.data() + i * s);
      hy[i] = static_cast<float>(d.y[r]);
    }
    std::vector<int> shape{static_cast<int>(n)};
    shape.insert(shape.end(), d.sample_shape.begin(), d.sample_shape.end());
    be.ensure(x, shape);
    be.ensure(y, {static_cast<int>(n)});
    be.upload(hx.data(), x.data(), hx.size());
    be.upload(hy.data(), y.data(), n);
  }
};

std::string fmt_time(double s) {
  char buf[32];
  if (!std::isfinite(s) || s < 0) return "?";
  const long t = std::lround(s);
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, t / 60 % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  return buf;
}

// One rewritten line on a terminal; otherwise a line every 10 s at most.
class ProgressLine {
 public:
  explicit ProgressLine(bool on) : on_(on), tty_(isatty(2)) {}
  void update(int epoch, int epochs, std::size_t batch, std::size_t batches, double loss, double acc,
              double sps, double eta) {
    if (!on_) return;
    const auto now = Clock::now();
    const double gap = std::chrono::duration<double>(now - last_).count();
    if (gap < (tty_ ? 0.25 : 10.0) && batch != batches) return;
    last_ = now;
    std::fprintf(stderr, "%sepoch %d/%d batch %zu/%zu loss %.4f acc %.4f %.0f samples/s ETA %s%s",
                 tty_ ? "\r" : "", epoch, epochs, batch, batches, loss, acc, sps, fmt_time(eta).c_str(),
                 tty_ ? "\033[K" : "\n");
    std::fflush(stderr);
  }
  void epoch_end(const EpochMetrics& m, int epochs) {
    if (!on_) return;
    std::fprintf(stderr, "%sepoch %d/%d loss %.4f acc %.4f val_loss %.4f val_acc %.4f lr %.3g %.1f s (%.0f samples/s)%s\n",
                 tty_ ? "\r" : "", m.epoch, epochs, m.loss, m.accuracy, m.val_loss, m.val_accuracy, m.lr,
                 m.seconds, m.samples_per_second, tty_ ? "\033[K" : "");
  }

 private:
  bool on_, tty_;
  Clock::time_point last_{};
};

nlohmann::json metrics_json(const EpochMetrics& m) {
  return {{"epoch", m.epoch}, {"loss", m.loss}, {"accuracy", m.accuracy}, {"val_loss", m.val_loss},
          {"val_accuracy", m.val_accuracy}, {"lr", m.lr}, {"seconds", m.seconds},
          {"samples_per_second", m.samples_per_second}};
}

void check_dataset(const Dataset& d, const char* what, int classes, const std::vector<int>& shape) {
  if (d.x.size() != d.n() * d.sample_size())
    throw std::invalid_argument(std::string(what) + ": x has " + std::to_string(d.x.size()) +
                                " values, expected n * sample size");
  if (d.sample_shape != shape) throw std::invalid_argument(std::string(what) + ": sample shape differs from the training set");
  for (int y : d.y)
    if (y < 0 || y >= classes) throw std::invalid_argument(std::string(what) + ": label out of range");
}

std::uint64_t step_seed(std::uint64_t seed, std::int64_t step) {
  std::uint64_t s = seed ^ (static_cast<std::uint64_t>(step) * 0xA24BAED4963EE407ull);
  return splitmix64(s);
}

}  // namespace

std::pair<double, double> evaluate(Model<float>& model, const Dataset& data, int batch_size) {
  if (data.n() == 0) return {0.0, 0.0};
  Batcher b(model.backend());
  std::vector<std::size_t> idx(data.n());
  std::iota(idx.begin(), idx.end(), 0);
  double loss = 0, correct = 0;
  for (std::size_t i = 0; i < data.n(); i += batch_size) {
    const std::size_t end = std::min(data.n(), i + batch_size);
    b.load(data, idx, i, end);
    model.forward(b.x, false);
    const auto [l, c] = model.loss(b.y);
    loss += l;
    correct += c;
  }
  return {loss / data.n(), correct / data.n()};
}

TrainResult train_model(const ModelSpec& spec, const Dataset& train, const Dataset& test,
                        int classes, Backend<float>& be, const TrainOptions& opt) {
  check_dataset(train, "training set", classes, train.sample_shape);
  check_dataset(test, "test set", classes, train.sample_shape);
  if (train.n() == 0) throw std::invalid_argument("training set is empty");
  const auto t_start = Clock::now();
  const int epochs = opt.epochs > 0 ? opt.epochs : spec.train.epochs;
  const int bs = spec.train.batch_size;
  Model<float> model(spec, be, train.sample_shape, classes, opt.seed);
  Adam<float> adam(be, model.params(), spec.train.learning_rate, spec.train.beta1, spec.train.beta2,
                   spec.train.epsilon);
  EarlyStoppingState early{spec.train.early_stopping};
  ReduceLrState reduce{spec.train.reduce_lr};
  Rng shuffle_rng(opt.seed ^ 0x5DEECE66Dull);
  WeightMap best;
  int epoch = 0;
  bool stopped = false;

  std::filesystem::create_directories(opt.out_dir);
  const auto ckpt = opt.out_dir / "checkpoint.safetensors";
  const auto metrics_path = opt.out_dir / "metrics.jsonl";
  std::vector<EpochMetrics> history;
  if (opt.resume) {
    if (!std::filesystem::exists(ckpt)) throw InputError(ckpt, "--resume: no checkpoint to resume from");
    const auto st = load_checkpoint(ckpt, model, adam, best);
    try {
      if (st.at("seed").get<std::uint64_t>() != opt.seed)
        throw InputError(ckpt, "checkpoint was written with seed " + std::to_string(st.at("seed").get<std::uint64_t>()) +
                                   "; pass the same --seed to resume");
      epoch = st.at("epoch");
      stopped = st.at("stopped");
      adam.lr = st.at("lr");
      shuffle_rng.set_state_string(st.at("shuffle_rng"));
      early.from_json(st.at("early_stopping"));
      reduce.from_json(st.at("reduce_lr"));
      for (const auto& h : st.at("history")) {
        EpochMetrics m;
        m.epoch = h.at("epoch");
        m.loss = h.at("loss");
        m.accuracy = h.at("accuracy");
        m.val_loss = h.at("val_loss");
        m.val_accuracy = h.at("val_accuracy");
        m.lr = h.at("lr");
        m.seconds = h.at("seconds");
        m.samples_per_second = h.at("samples_per_second");
        history.push_back(m);
      }
    } catch (const InputError&) {
      throw;
    } catch (const std::exception& e) {
      throw InputError(ckpt, std::string("checkpoint state is incomplete: ") + e.what());
    }
    if (opt.progress)
      std::fprintf(stderr, "train: resuming %s from %s at epoch %d (step %lld)\n", spec.name.c_str(),
                   ckpt.string().c_str(), epoch, static_cast<long long>(adam.iterations));
  }
  // metrics.jsonl holds exactly the finished epochs (rewritten on resume).
  write_file_atomically(metrics_path, [&](std::ostream& out) {
    for (const auto& m : history) out << metrics_json(m).dump() << '\n';
  });

  Batcher batcher(be);
  ProgressLine progress(opt.progress);
  std::vector<std::size_t> idx(train.n());
  const std::size_t batches = (train.n() + bs - 1) / bs;
  double train_seconds = 0;
  std::size_t train_samples = 0;
  bool interrupted = false;
  while (!stopped && epoch < epochs) {
    if (opt.stop_after_epochs >= 0 && epoch >= opt.stop_after_epochs) {
      interrupted = true;
      break;
    }
    const auto t0 = Clock::now();
    std::iota(idx.begin(), idx.end(), 0);
    shuffle_rng.shuffle(idx);
    double loss_sum = 0, correct = 0;
    std::size_t seen = 0;
    for (std::size_t b = 0; b < batches; ++b) {
      const std::size_t begin = b * bs, end = std::min(train.n(), begin + bs);
      batcher.load(train, idx, begin, end);
      model.forward(batcher.x, true, step_seed(opt.seed, adam.iterations));
      const auto [l, c] = model.loss(batcher.y);
      model.backward();
      adam.step();
      loss_sum += l;
      correct += c;
      seen += end - begin;
      const double el = since(t0), sps = seen / std::max(el, 1e-9);
      const double eta = (static_cast<double>(epochs - epoch - 1) * train.n() + (train.n() - seen)) / sps;
      progress.update(epoch + 1, epochs, b + 1, batches, loss_sum / seen, correct / seen, sps, eta);
    }
    const double tsec = since(t0);
    train_seconds += tsec;
    train_samples += seen;
    EpochMetrics m;
    m.epoch = epoch + 1;
    m.loss = loss_sum / seen;
    m.accuracy = correct / seen;
    std::tie(m.val_loss, m.val_accuracy) = evaluate(model, test, bs);
    m.lr = adam.lr;
    m.samples_per_second = seen / std::max(tsec, 1e-9);
    // Callbacks in Keras order (EarlyStopping, then ReduceLROnPlateau).
    const double val = test.n() ? m.val_loss : m.loss;
    if (early.cfg.enabled) {
      const double cur = early.cfg.monitor == "loss" ? m.loss : val;
      if (early.on_epoch_end(epoch, cur, [&] { best = snapshot_weights(model); })) {
        stopped = true;
        if (early.cfg.restore_best_weights && !best.empty()) restore_weights(model, best);
      }
    }
    if (reduce.cfg.enabled) adam.lr = reduce.on_epoch_end(reduce.cfg.monitor == "loss" ? m.loss : val, adam.lr);
    m.seconds = since(t0);
    ++epoch;
    history.push_back(m);
    progress.epoch_end(m, epochs);
    nlohmann::json hist = nlohmann::json::array();
    for (const auto& h : history) hist.push_back(metrics_json(h));
    const nlohmann::json state = {{"epoch", epoch}, {"stopped", stopped}, {"lr", adam.lr},
                                  {"seed", opt.seed}, {"shuffle_rng", shuffle_rng.state_string()},
                                  {"early_stopping", early.to_json()}, {"reduce_lr", reduce.to_json()},
                                  {"history", hist}};
    save_checkpoint(ckpt, model, adam, state, best);
    std::ofstream(metrics_path, std::ios::app) << metrics_json(m).dump() << '\n';
  }

  TrainResult r;
  r.model = spec.name;
  r.history = history;
  r.epochs_run = epoch;
  r.early_stopped = stopped;
  r.interrupted = interrupted;
  r.train_samples_per_second = train_samples ? train_samples / std::max(train_seconds, 1e-9) : 0.0;
  if (interrupted) {
    r.seconds = since(t_start);
    return r;
  }
  std::tie(r.test_loss, r.test_accuracy) = evaluate(model, test, bs);
  r.seconds = since(t_start);
  save_weights(opt.out_dir / "model.safetensors", model, epoch);
  nlohmann::json hist = nlohmann::json::array();
  for (const auto& h : history) hist.push_back(metrics_json(h));
  const nlohmann::json result = {
      {"model", spec.name}, {"test_accuracy", r.test_accuracy}, {"test_loss", r.test_loss},
      {"epochs", r.epochs_run}, {"epochs_planned", epochs}, {"early_stopped", stopped},
      {"seconds", r.seconds}, {"train_samples_per_second", r.train_samples_per_second},
      {"device", opt.device}, {"backend", be.name()}, {"seed", opt.seed},
      {"train_rows", train.n()}, {"test_rows", test.n()}, {"classes", classes},
      {"batch_size", bs}, {"parameters", model.trainable_count()}, {"data", opt.data_description},
      {"history", hist}};
  write_file_atomically(opt.out_dir / "result.json", [&](std::ostream& out) { out << result.dump(2) << '\n'; });
  return r;
}

double benchmark_training(const ModelSpec& spec, const Dataset& data, int classes,
                          Backend<float>& be, std::uint64_t seed, int batches_limit) {
  Model<float> model(spec, be, data.sample_shape, classes, seed);
  Adam<float> adam(be, model.params(), spec.train.learning_rate);
  Batcher batcher(be);
  std::vector<std::size_t> idx(data.n());
  std::iota(idx.begin(), idx.end(), 0);
  const std::size_t bs = spec.train.batch_size;
  auto step = [&](std::size_t begin) {
    batcher.load(data, idx, begin, std::min(data.n(), begin + bs));
    model.forward(batcher.x, true, step_seed(seed, adam.iterations));
    model.loss(batcher.y);
    model.backward();
    adam.step();
  };
  step(0);  // warm-up: allocations, page faults, BLAS buffers
  const auto t0 = Clock::now();
  std::size_t seen = 0;
  int done = 0;
  for (std::size_t b = 0; b < data.n() && (batches_limit < 0 || done < batches_limit); b += bs, ++done) {
    step(b);
    seen += std::min(data.n(), b + bs) - b;
  }
  return seen / std::max(since(t0), 1e-9);
}

}  // namespace gtzan::engine
