// The CUDA training backend against the CPU backend (the reference): every layer forward and
// backward on the same random inputs and parameters, the loss and optimizer ops, and a short
// seed_dense training run. Without a GPU every case exits 77 (ctest SKIPPED, reason on stderr).
//
// Error measure: max |gpu - cpu| over a tensor divided by max |cpu| over it (the tensor's peak).
// Tolerances: gemm-based results (Dense, Conv1D, LSTM) differ by float32 summation order
// (cuBLAS vs OpenBLAS), expected ~1e-6 of the peak, bound 1e-4. Element-wise ops repeat the
// CPU's arithmetic without FMA (kernels/engine_ops.cuh), expected bitwise equal, bound 1e-6
// (LSTM gates also differ by expf/tanhf vs glibc, a few ulp). Dropout masks: exact.
//
// The LSTM runs two ways on the GPU: the step kernels (GTZAN_LSTM=steps, the CPU's arithmetic,
// bound 1e-4 as above) and cuDNN's whole-sequence RNN (the default where every mask is a prefix).
// cuDNN's bound is 1e-3 of the peak: its summation order and gate arithmetic are its own, and if
// its kernels use the hardware tanh approximation (relative error ~2^-11) errors up to a few
// 1e-4 are expected; with accurate transcendentals ~1e-6. A weight-layout, gate-order or padding
// slip gives errors of order 1e-1 to 1, far above either.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <unistd.h>

#include "backend/feature_backend.hpp"
#include "fixtures.hpp"
#include "engine/gpu_engine.hpp"
#include "engine/layers.hpp"
#include "engine/trainer.hpp"

using namespace gtzan;
using namespace gtzan::engine;
namespace fs = std::filesystem;

namespace {

void require_gpu() {
  std::string why;
  if (!backend::cuda_device_available(why)) {
    std::fprintf(stderr, "SKIP: %s\n", why.c_str());
    std::exit(77);
  }
}

std::vector<float> random_floats(std::size_t n, Rng& rng, double lo = -1, double hi = 1) {
  std::vector<float> v(n);
  for (auto& e : v) e = static_cast<float>(rng.uniform(lo, hi));
  return v;
}

double rel_err(const std::vector<float>& gpu, const std::vector<float>& cpu) {
  REQUIRE(gpu.size() == cpu.size());
  double diff = 0, peak = 0;
  for (std::size_t i = 0; i < cpu.size(); ++i) {
    diff = std::max(diff, std::fabs(static_cast<double>(gpu[i]) - cpu[i]));
    peak = std::max(peak, std::fabs(static_cast<double>(cpu[i])));
  }
  return peak > 0 ? diff / peak : diff;
}

void expect_close(const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu,
                  double tol) {
  const double e = rel_err(gpu, cpu);
  std::printf("gpu-vs-cpu %-40s rel error %.2e (tol %.0e)\n", what.c_str(), e, tol);
  INFO(what << ": relative error " << e << " > " << tol);
  CHECK(e <= tol);
}

// Everything one backend produced for a stack of layers: outputs, input gradient, parameter
// gradients (and values, for the BatchNorm moving statistics).
struct StackRun {
  std::vector<float> y, dx, y_infer;
  std::vector<std::pair<std::string, std::vector<float>>> grads, values;
  std::vector<bool> lstm_whole_sequence;  // per LSTM layer: the training forward's path
};

StackRun run_stack(Backend<float>& be, const std::vector<LayerSpec>& specs, const std::vector<int>& x_shape,
                   const std::vector<float>& x_host, bool training, bool also_infer) {
  Rng rng(11);
  std::vector<std::unique_ptr<Layer<float>>> layers;
  std::vector<int> shape(x_shape.begin() + 1, x_shape.end());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    layers.push_back(make_layer<float>(specs[i]));
    shape = layers.back()->build(be, shape, rng, specs[i].type + "_" + std::to_string(i));
  }
  Tensor<float> x = be.from_host(x_shape, x_host);
  Context<float> ctx{be};
  ctx.training = training;
  ctx.dropout_seed = 77;
  const Tensor<float>* cur = &x;
  for (auto& l : layers) {
    cur = &l->forward(*cur, ctx);
    if (!l->keeps_mask()) ctx.mask = nullptr;
  }
  StackRun r;
  for (auto& l : layers)
    if (auto* lstm = dynamic_cast<LSTM<float>*>(l.get())) r.lstm_whole_sequence.push_back(lstm->ran_whole_sequence());
  r.y = be.to_host(*cur);
  Rng drng(99);
  Tensor<float> dy = be.from_host(cur->shape, random_floats(cur->size(), drng));
  const Tensor<float>* g = &dy;
  for (std::size_t i = layers.size(); i-- > 0;) g = &layers[i]->backward(*g, ctx);
  r.dx = be.to_host(*g);
  for (auto& l : layers)
    for (auto* p : l->params()) {
      if (p->trainable) r.grads.emplace_back(p->name, be.to_host(p->grad));
      r.values.emplace_back(p->name, be.to_host(p->value));
    }
  if (also_infer) {
    ctx.training = false;
    ctx.mask = nullptr;
    cur = &x;
    for (auto& l : layers) {
      cur = &l->forward(*cur, ctx);
      if (!l->keeps_mask()) ctx.mask = nullptr;
    }
    r.y_infer = be.to_host(*cur);
  }
  return r;
}

void compare_runs(const std::string& label, const StackRun& g, const StackRun& c, double tol, bool also_infer) {
  expect_close(label + " forward", g.y, c.y, tol);
  expect_close(label + " dx", g.dx, c.dx, tol);
  REQUIRE(g.grads.size() == c.grads.size());
  for (std::size_t i = 0; i < c.grads.size(); ++i)
    expect_close(label + " d" + c.grads[i].first, g.grads[i].second, c.grads[i].second, tol);
  for (std::size_t i = 0; i < c.values.size(); ++i)
    expect_close(label + " " + c.values[i].first + " after", g.values[i].second, c.values[i].second, tol);
  if (also_infer) expect_close(label + " inference forward", g.y_infer, c.y_infer, tol);
}

// The stack on the CPU and on the GPU (LSTM layers by `lstm_path`: "steps" or "cudnn"); returns
// the GPU run.
StackRun compare_stack(const std::string& label, const std::vector<LayerSpec>& specs,
                       const std::vector<int>& x_shape, const std::vector<float>& x, double tol,
                       bool training = true, bool also_infer = false, const std::string& lstm_path = "steps") {
  auto cpu = make_cpu_backend<float>(1);
  auto gpu = make_cuda_engine_backend(lstm_path);
  REQUIRE(gpu->device() == Device::cuda);
  const auto c = run_stack(*cpu, specs, x_shape, x, training, also_infer);
  const auto g = run_stack(*gpu, specs, x_shape, x, training, also_infer);
  compare_runs(label, g, c, tol, also_infer);
  return g;
}

LayerSpec layer(const std::string& type) {
  LayerSpec s;
  s.type = type;
  return s;
}

constexpr double kGemmTol = 1e-4;
constexpr double kElemTol = 1e-6;
constexpr double kCudnnTol = 1e-3;

// (batch, steps, channels) random frames, row b zero from step lengths[b] on (right padding, as
// padded MFCCs): under Masking every row's mask is a prefix.
std::vector<float> right_padded(const std::vector<int>& lengths, int steps, int channels, Rng& rng) {
  const int batch = static_cast<int>(lengths.size());
  auto x = random_floats(static_cast<std::size_t>(batch) * steps * channels, rng);
  for (int b = 0; b < batch; ++b)
    for (int t = lengths[b]; t < steps; ++t)
      for (int c = 0; c < channels; ++c) x[(static_cast<std::size_t>(b) * steps + t) * channels + c] = 0.0f;
  return x;
}

LayerSpec lstm_layer(int units, bool return_sequences) {
  LayerSpec s = layer("lstm");
  s.units = units;
  s.return_sequences = return_sequences;
  return s;
}

bool all_true(const std::vector<bool>& v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](bool b) { return b; });
}

}  // namespace

TEST_CASE("gpu engine: make_engine_backend picks the GPU for cuda and auto") {
  require_gpu();
  CHECK(make_engine_backend("cuda", 1)->name() == "cuda");
  CHECK(make_engine_backend("auto", 1)->device() == Device::cuda);
  CHECK(make_engine_backend("cpu", 1)->device() == Device::cpu);
}

TEST_CASE("gpu engine: Dense (linear and relu) matches the CPU") {
  require_gpu();
  Rng rng(1);
  auto d = layer("dense");
  d.units = 37;
  compare_stack("dense linear", {d}, {19, 53}, random_floats(19 * 53, rng), kGemmTol);
  d.activation = "relu";
  compare_stack("dense relu", {d}, {19, 53}, random_floats(19 * 53, rng), kGemmTol);
}

TEST_CASE("gpu engine: Conv1D k=3 and k=4 (asymmetric same padding) matches the CPU") {
  require_gpu();
  for (int k : {3, 4}) {
    Rng rng(2 + k);
    auto c = layer("conv1d");
    c.filters = 16;
    c.kernel_size = k;
    compare_stack("conv1d k=" + std::to_string(k), {c}, {5, 29, 3}, random_floats(5 * 29 * 3, rng), kGemmTol);
  }
}

TEST_CASE("gpu engine: MaxPool1D (same, partial last window) and ReLU match the CPU") {
  require_gpu();
  Rng rng(3);
  auto p = layer("maxpool1d");
  p.pool_size = 3;
  compare_stack("maxpool1d p=3 L=31", {p}, {4, 31, 6}, random_floats(4 * 31 * 6, rng), 0.0);
  compare_stack("relu", {layer("relu")}, {7, 41}, random_floats(7 * 41, rng), 0.0);
}

TEST_CASE("gpu engine: BatchNorm train and inference match the CPU") {
  require_gpu();
  Rng rng(4);
  auto x = random_floats(33 * 24, rng, -2, 3);
  compare_stack("batchnorm", {layer("batchnorm")}, {33, 24}, x, kElemTol, true, true);
}

TEST_CASE("gpu engine: Dropout draws the CPU's mask") {
  require_gpu();
  Rng rng(5);
  auto d = layer("dropout");
  d.rate = 0.3;
  compare_stack("dropout 0.3", {d}, {16, 50}, random_floats(16 * 50, rng), 0.0);
  compare_stack("dropout inference", {d}, {16, 50}, random_floats(16 * 50, rng), 0.0, false);
}

TEST_CASE("gpu engine: Masking + LSTM step kernels (any mask) match the CPU") {
  require_gpu();
  const int B = 6, S = 9, C = 4;
  Rng rng(6);
  auto x = random_floats(static_cast<std::size_t>(B) * S * C, rng);
  for (int b = 0; b < B; ++b) {
    const int len = 3 + b;  // zero-padded tails of different lengths
    for (int t = len; t < S; ++t)
      for (int c = 0; c < C; ++c) x[(static_cast<std::size_t>(b) * S + t) * C + c] = 0.0f;
  }
  for (int c = 0; c < C; ++c) x[(2 * S + 1) * C + c] = 0.0f;  // a masked step inside a sequence
  for (bool seq : {true, false}) {
    auto l = layer("lstm");
    l.units = 12;
    l.return_sequences = seq;
    const auto g = compare_stack(std::string("masking+lstm steps ") + (seq ? "sequences" : "last"),
                                 {layer("masking"), l}, {B, S, C}, x, kGemmTol, true, false, "steps");
    CHECK(g.lstm_whole_sequence == std::vector<bool>{false});
  }
  auto l = layer("lstm");
  l.units = 7;
  compare_stack("lstm steps unmasked", {l}, {B, S, C}, x, kGemmTol, true, false, "steps");
}

// Lengths 9 (full), 1 (shortest), and others; in (4) != units so a transposed block shows.
const std::vector<int> kPrefixLengths = {9, 3, 1, 6, 8, 5};

TEST_CASE("gpu engine: cuDNN LSTM (prefix masks) matches the CPU: outputs, dx, weight gradients") {
  require_gpu();
  const int S = 9, C = 4;
  const int B = static_cast<int>(kPrefixLengths.size());
  Rng rng(12);
  const auto x = right_padded(kPrefixLengths, S, C, rng);
  for (bool seq : {true, false}) {
    const std::string label = std::string("cudnn masking+lstm ") + (seq ? "sequences" : "last");
    // also_infer: the evaluation forward (CUDNN_FWD_MODE_INFERENCE) against the CPU as well.
    const auto g = compare_stack(label, {layer("masking"), lstm_layer(12, seq)}, {B, S, C}, x, kCudnnTol,
                                 true, true, "cudnn");
    INFO(label << ": the cuDNN path must have run (every mask is a prefix)");
    CHECK(all_true(g.lstm_whole_sequence));
  }
  const auto g = compare_stack("cudnn lstm unmasked", {lstm_layer(7, true)}, {B, S, C}, x, kCudnnTol, true,
                               true, "cudnn");
  CHECK(all_true(g.lstm_whole_sequence));
}

TEST_CASE("gpu engine: stacked cuDNN LSTMs (seed_lstm's shape) match the CPU") {
  require_gpu();
  const int S = 9, C = 4;
  const int B = static_cast<int>(kPrefixLengths.size());
  Rng rng(13);
  const auto x = right_padded(kPrefixLengths, S, C, rng);
  auto drop = layer("dropout");
  drop.rate = 0.2;
  // The second LSTM reads the first one's repeated padded outputs under the kept mask.
  const auto g = compare_stack("cudnn masking+lstm+dropout+lstm",
                               {layer("masking"), lstm_layer(10, true), drop, lstm_layer(6, false)}, {B, S, C},
                               x, kCudnnTol, true, true, "cudnn");
  CHECK(g.lstm_whole_sequence == std::vector<bool>{true, true});
  const auto g2 = compare_stack("cudnn masking+lstm+lstm (sequences)",
                                {layer("masking"), lstm_layer(5, true), lstm_layer(8, true)}, {B, S, C}, x,
                                kCudnnTol, true, false, "cudnn");
  CHECK(g2.lstm_whole_sequence == std::vector<bool>{true, true});
}

TEST_CASE("gpu engine: cuDNN LSTM matches the GPU step kernels") {
  require_gpu();
  const int S = 9, C = 4;
  const int B = static_cast<int>(kPrefixLengths.size());
  Rng rng(14);
  const auto x = right_padded(kPrefixLengths, S, C, rng);
  auto steps = make_cuda_engine_backend("steps");
  auto cudnn = make_cuda_engine_backend("cudnn");
  for (bool seq : {true, false}) {
    const std::vector<LayerSpec> specs = {layer("masking"), lstm_layer(12, seq)};
    const auto a = run_stack(*cudnn, specs, {B, S, C}, x, true, true);
    const auto b = run_stack(*steps, specs, {B, S, C}, x, true, true);
    CHECK(all_true(a.lstm_whole_sequence));
    CHECK(b.lstm_whole_sequence == std::vector<bool>{false});
    compare_runs(std::string("cudnn vs steps ") + (seq ? "sequences" : "last"), a, b, kCudnnTol, true);
  }
}

TEST_CASE("gpu engine: a masked step inside a sequence sends the LSTM to the step kernels") {
  require_gpu();
  const int S = 9, C = 4;
  const int B = static_cast<int>(kPrefixLengths.size());
  Rng rng(15);
  auto x = right_padded(kPrefixLengths, S, C, rng);
  for (int c = 0; c < C; ++c) x[(3 * S + 1) * C + c] = 0.0f;  // row 3 (length 6): step 1 masked
  const auto g = compare_stack("cudnn backend, inner masked step", {layer("masking"), lstm_layer(12, true)},
                               {B, S, C}, x, kGemmTol, true, false, "cudnn");
  CHECK(g.lstm_whole_sequence == std::vector<bool>{false});
}

TEST_CASE("gpu engine: the cuDNN LSTM is run-to-run deterministic") {
  require_gpu();
  // cuDNN's documented non-deterministic routines do not include the RNN, but its release notes
  // (7.6.5, 8.0) reported RNN non-determinism from cuBLAS workspace heuristics. If this fails,
  // GTZAN_LSTM=steps is the deterministic path (and README.md should say so).
  const int S = 9, C = 4;
  const int B = static_cast<int>(kPrefixLengths.size());
  Rng rng(16);
  const auto x = right_padded(kPrefixLengths, S, C, rng);
  const std::vector<LayerSpec> specs = {layer("masking"), lstm_layer(12, true), lstm_layer(6, false)};
  auto be = make_cuda_engine_backend("cudnn");
  const auto a = run_stack(*be, specs, {B, S, C}, x, true, false);
  const auto b = run_stack(*be, specs, {B, S, C}, x, true, false);
  CHECK(all_true(a.lstm_whole_sequence));
  expect_close("cudnn rerun forward", a.y, b.y, 0.0);
  expect_close("cudnn rerun dx", a.dx, b.dx, 0.0);
  for (std::size_t i = 0; i < a.grads.size(); ++i)
    expect_close("cudnn rerun d" + a.grads[i].first, a.grads[i].second, b.grads[i].second, 0.0);
}

TEST_CASE("gpu engine: the LSTM path setting rejects unknown values") {
#ifdef GTZAN_HAVE_CUDA
  // Checked before looking for a GPU, so this runs on any machine with the CUDA build.
  CHECK_THROWS_WITH(make_cuda_engine_backend("fast"), Catch::Contains("cudnn or steps"));
#else
  CHECK_THROWS_WITH(make_cuda_engine_backend("steps"), Catch::Contains("no CUDA backend"));
#endif
  // The CPU has no whole-sequence LSTM: its layers keep the step loop.
  auto cpu = make_cpu_backend<float>(1);
  CHECK(cpu->make_lstm_sequence(4, 8) == nullptr);
}

TEST_CASE("gpu engine: softmax cross-entropy, softmax and Adam match the CPU") {
  require_gpu();
  auto cpu = make_cpu_backend<float>(1);
  auto gpu = make_engine_backend("cuda", 1);
  const int rows = 37, classes = 10;
  Rng rng(7);
  const auto logits = random_floats(rows * classes, rng, -6, 6);
  std::vector<float> labels(rows);
  for (auto& l : labels) l = static_cast<float>(rng.below(classes));
  struct Out { std::vector<float> d, loss, correct, probs; double sum; };
  auto run = [&](Backend<float>& be) {
    auto z = be.from_host({rows, classes}, logits);
    auto y = be.from_host({rows}, labels);
    auto d = be.zeros({rows, classes}), loss = be.zeros({rows}), corr = be.zeros({rows}),
         p = be.zeros({rows, classes});
    be.softmax_xent(rows, classes, z.data(), y.data(), d.data(), loss.data(), corr.data());
    be.softmax(rows, classes, z.data(), p.data());
    return Out{be.to_host(d), be.to_host(loss), be.to_host(corr), be.to_host(p), be.sum(loss.data(), rows)};
  };
  const auto c = run(*cpu), g = run(*gpu);
  expect_close("softmax_xent dlogits", g.d, c.d, kElemTol);
  expect_close("softmax_xent loss", g.loss, c.loss, kElemTol);
  expect_close("softmax_xent correct", g.correct, c.correct, 0.0);
  expect_close("softmax", g.probs, c.probs, kElemTol);
  CHECK(std::fabs(g.sum - c.sum) <= 1e-9 * std::fabs(c.sum));

  const std::size_t n = 1000;
  const auto w0 = random_floats(n, rng), gr = random_floats(n, rng);
  auto adam = [&](Backend<float>& be) {
    auto w = be.from_host({static_cast<int>(n)}, w0), g2 = be.from_host({static_cast<int>(n)}, gr);
    auto m = be.zeros({static_cast<int>(n)}), v = be.zeros({static_cast<int>(n)});
    for (int t = 1; t <= 3; ++t) be.adam_update(n, w.data(), g2.data(), m.data(), v.data(), 1e-3 * t, 0.9, 0.999, 1e-7);
    return be.to_host(w);
  };
  expect_close("adam (3 steps)", adam(*gpu), adam(*cpu), kElemTol);
}

TEST_CASE("gpu engine: a short seed_dense training run follows the CPU's") {
  require_gpu();
  // Gaussian blobs: 4 classes in 16 features.
  Rng rng(8);
  std::vector<std::vector<double>> centre(4, std::vector<double>(16));
  for (auto& c : centre)
    for (auto& v : c) v = rng.uniform(-1, 1);
  auto make = [&](int n) {
    Dataset d;
    d.sample_shape = {16};
    for (int i = 0; i < n; ++i) {
      const int y = static_cast<int>(rng.below(4));
      d.y.push_back(y);
      for (int k = 0; k < 16; ++k) d.x.push_back(static_cast<float>(centre[y][k] + 0.35 * rng.normal()));
    }
    return d;
  };
  const auto tr = make(400), te = make(200);
  const auto spec = load_model_spec(test::source_dir().string() + "/experiments/models/seed_dense.toml");
  auto cpu = make_cpu_backend<float>(2);
  auto gpu = make_engine_backend("cuda", 1);
  const auto base = fs::temp_directory_path() / ("gtzan_engine_gpu_" + std::to_string(::getpid()));
  fs::remove_all(base);
  auto opts = [&](const std::string& dev) {
    TrainOptions o;
    o.out_dir = base / dev;
    fs::create_directories(o.out_dir);
    o.epochs = 3;
    o.progress = false;
    o.seed = 7;
    o.device = dev;
    return o;
  };
  const auto rc = train_model(spec, tr, te, 4, *cpu, opts("cpu"));
  const auto rg = train_model(spec, tr, te, 4, *gpu, opts("cuda"));
  REQUIRE(rc.history.size() == rg.history.size());
  for (std::size_t e = 0; e < rc.history.size(); ++e) {
    const auto &a = rc.history[e], &b = rg.history[e];
    std::printf("epoch %zu loss cpu %.6f gpu %.6f  val_loss cpu %.6f gpu %.6f\n", e + 1, a.loss, b.loss,
                a.val_loss, b.val_loss);
    // Same data order, dropout masks and initial weights; only float32 summation order differs.
    CHECK(std::fabs(a.loss - b.loss) <= 1e-3 * std::max(1.0, a.loss));
    CHECK(std::fabs(a.val_loss - b.val_loss) <= 1e-3 * std::max(1.0, a.val_loss));
    CHECK(std::fabs(a.accuracy - b.accuracy) <= 2.0 / tr.n());
    CHECK(std::fabs(a.val_accuracy - b.val_accuracy) <= 2.0 / te.n());
  }
  CHECK(std::fabs(rc.test_accuracy - rg.test_accuracy) <= 2.0 / te.n());
  fs::remove_all(base);
}

TEST_CASE("gpu engine: a short seed_lstm training run on cuDNN follows the CPU's") {
  require_gpu();
  // Right-padded sequences (random lengths) whose class sets the mean of the frames.
  const int S = 24, C = 13, classes = 4;
  Rng rng(9);
  auto make = [&](int n) {
    Dataset d;
    d.sample_shape = {S, C};
    for (int i = 0; i < n; ++i) {
      const int y = static_cast<int>(rng.below(classes));
      const int len = 4 + static_cast<int>(rng.below(S - 3));
      d.y.push_back(y);
      for (int t = 0; t < S; ++t)
        for (int c = 0; c < C; ++c)
          d.x.push_back(t < len ? static_cast<float>(0.5 * (y - 1.5) + 0.5 * rng.normal()) : 0.0f);
    }
    return d;
  };
  const auto tr = make(192), te = make(96);
  const auto spec = load_model_spec(test::source_dir().string() + "/experiments/models/seed_lstm.toml");
  auto cpu = make_cpu_backend<float>(2);
  auto gpu = make_cuda_engine_backend("cudnn");
  const auto base = fs::temp_directory_path() / ("gtzan_engine_gpu_lstm_" + std::to_string(::getpid()));
  fs::remove_all(base);
  auto opts = [&](const std::string& dev) {
    TrainOptions o;
    o.out_dir = base / dev;
    fs::create_directories(o.out_dir);
    o.epochs = 2;
    o.progress = false;
    o.seed = 7;
    o.device = dev;
    return o;
  };
  const auto rc = train_model(spec, tr, te, classes, *cpu, opts("cpu"));
  const auto rg = train_model(spec, tr, te, classes, *gpu, opts("cuda"));
  REQUIRE(rc.history.size() == rg.history.size());
  for (std::size_t e = 0; e < rc.history.size(); ++e) {
    const auto &a = rc.history[e], &b = rg.history[e];
    std::printf("seed_lstm epoch %zu loss cpu %.6f cudnn %.6f  val_loss cpu %.6f cudnn %.6f\n", e + 1, a.loss,
                b.loss, a.val_loss, b.val_loss);
    // Same data order, dropout masks and initial weights; cuDNN's arithmetic differs (kCudnnTol
    // per pass), compounded over 12 optimizer steps: 1e-2 of the loss.
    CHECK(std::fabs(a.loss - b.loss) <= 1e-2 * std::max(1.0, a.loss));
    CHECK(std::fabs(a.val_loss - b.val_loss) <= 1e-2 * std::max(1.0, a.val_loss));
  }
  fs::remove_all(base);
}
