// Finite-difference gradient checks (double precision, central differences, h = 1e-6) for every
// layer, the loss and whole models. Error = max |analytic - numeric| / max(1, max |numeric|).
#include <catch2/catch.hpp>

#include "engine_test_util.hpp"

using namespace gtzan;
using namespace gtzan::engine;
using namespace gtzan::test;

namespace {

constexpr double kTol = 1e-6;

std::unique_ptr<Backend<double>> be64() { return make_cpu_backend<double>(1); }

template <class L>
double build_and_check(const std::string& label, L& layer, Backend<double>& be, std::vector<int> in,
                       int batch, const Tensor<double>* mask = nullptr, bool training = true) {
  Rng rng(5);
  layer.build(be, in, rng, label);
  std::vector<int> xs{batch};
  xs.insert(xs.end(), in.begin(), in.end());
  Rng data(11);
  return check_layer(label, layer, be, xs, random_values(shape_size(xs), data), mask, training);
}

LayerSpec spec(const std::string& type) {
  LayerSpec s;
  s.type = type;
  return s;
}

}  // namespace

TEST_CASE("gradcheck Dense (linear, relu)") {
  auto be = be64();
  for (const char* act : {"linear", "relu"}) {
    auto s = spec("dense");
    s.units = 7;
    s.activation = act;
    s.bias_initializer = "glorot_uniform";  // non-zero biases exercise the bias gradient
    Dense<double> d(s);
    CHECK(build_and_check(std::string("dense_") + act, d, *be, {9}, 5) < kTol);
  }
}

TEST_CASE("gradcheck Conv1D same padding, odd and even kernels") {
  auto be = be64();
  for (int k : {3, 4, 1}) {
    auto s = spec("conv1d");
    s.filters = 5;
    s.kernel_size = k;
    s.activation = "relu";
    Conv1D<double> c(s);
    CHECK(build_and_check("conv1d_k" + std::to_string(k), c, *be, {7, 3}, 2) < kTol);
  }
}

TEST_CASE("gradcheck MaxPool1D same padding (odd length)") {
  auto be = be64();
  auto s = spec("maxpool1d");
  s.padding = "same";
  MaxPool1D<double> p(s);
  CHECK(build_and_check("maxpool1d", p, *be, {7, 3}, 2) < kTol);
}

TEST_CASE("gradcheck Flatten, ReLU, Dropout") {
  auto be = be64();
  Flatten<double> f;
  CHECK(build_and_check("flatten", f, *be, {4, 3}, 2) < kTol);
  ReLU<double> r;
  CHECK(build_and_check("relu", r, *be, {6}, 3) < kTol);
  auto s = spec("dropout");
  s.rate = 0.4;
  Dropout<double> d(s, 3);
  CHECK(build_and_check("dropout_training", d, *be, {10}, 4) < kTol);
}

TEST_CASE("gradcheck BatchNorm in training mode and in inference mode") {
  auto be = be64();
  auto s = spec("batchnorm");
  BatchNorm<double> bn(s);
  Rng rng(1);
  bn.build(*be, {6}, rng, "bn");
  // non-trivial gamma / beta
  for (auto* p : bn.params())
    if (p->trainable)
      for (std::size_t i = 0; i < p->value.size(); ++i) p->value.data()[i] = 0.5 + 0.1 * i;
  Rng data(3);
  CHECK(check_layer("batchnorm_training", bn, *be, {8, 6}, random_values(48, data)) < kTol);
}

TEST_CASE("gradcheck Masking (unmasked entries)") {
  auto be = be64();
  Masking<double> m(spec("masking"));
  Rng rng(1);
  m.build(*be, {5, 3}, rng, "mask");
  Rng data(4);
  auto x = random_values(2 * 5 * 3, data);
  for (int f = 0; f < 3; ++f) x[(0 * 5 + 4) * 3 + f] = 0, x[(1 * 5 + 1) * 3 + f] = 0;
  auto zero = [x](std::size_t i) { return x[i] == 0.0; };  // a perturbed zero step unmasks
  m.need_input_grad = true;
  CHECK(check_layer("masking", m, *be, {2, 5, 3}, x, nullptr, true, zero) < kTol);
}

TEST_CASE("gradcheck LSTM with masks, sequences and last step") {
  auto be = be64();
  // mask (batch 3, time 6): trailing, leading and interior masked steps
  const std::vector<double> mv = {1, 1, 1, 1, 0, 0,  //
                                  0, 0, 1, 1, 1, 1,  //
                                  1, 0, 1, 0, 1, 1};
  Tensor<double> mask = be->from_host({3, 6}, mv);
  for (bool seq : {true, false})
    for (bool masked : {false, true}) {
      auto s = spec("lstm");
      s.units = 4;
      s.return_sequences = seq;
      s.bias_initializer = "glorot_uniform";
      LSTM<double> l(s);
      const std::string label = std::string("lstm") + (seq ? "_seq" : "_last") + (masked ? "_masked" : "");
      CHECK(build_and_check(label, l, *be, {6, 3}, 3, masked ? &mask : nullptr) < kTol);
    }
}

TEST_CASE("gradcheck softmax cross-entropy (mean over batch)") {
  auto be = be64();
  const int rows = 4, classes = 5;
  Rng rng(8);
  auto z = random_values(rows * classes, rng, -3, 3);
  z[2] = 40.0;  // a large logit: the stable form must still be exact
  const std::vector<double> labels = {2, 0, 4, 1};
  auto zt = be->from_host({rows, classes}, z);
  auto yt = be->from_host({rows}, labels);
  std::vector<double> d(rows * classes), l(rows), c(rows);
  auto loss = [&] {
    be->softmax_xent(rows, classes, zt.data(), yt.data(), d.data(), l.data(), c.data());
    double s = 0;
    for (double v : l) s += v;
    return s / rows;
  };
  loss();
  const auto analytic = d;
  const double e = fd_check(zt.data(), zt.size(), analytic, loss);
  std::printf("gradcheck %-28s %-24s max error %.2e\n", "softmax_xent", "logits", e);
  CHECK(e < kTol);
}

// Whole models: every parameter of the stacked network against finite differences of the mean
// loss (training mode, fixed dropout seed).
TEST_CASE("gradcheck whole models (cnn, dense+batchnorm, masked stacked lstm)") {
  auto be = be64();
  struct Case {
    const char* name;
    const char* toml;
    std::vector<int> sample;
  };
  const Case cases[] = {
      {"cnn", R"(name = "cnn"
input = "vector_as_sequence"
[[layers]]
type = "conv1d"
filters = 3
activation = "relu"
[[layers]]
type = "maxpool1d"
padding = "same"
[[layers]]
type = "flatten"
[[layers]]
type = "dense"
units = 6
activation = "relu"
[[layers]]
type = "dropout"
rate = 0.5
[[layers]]
type = "dense"
units = "classes"
activation = "softmax"
)", {7}},
      {"dense_bn", R"(name = "dense_bn"
[[layers]]
type = "dense"
units = 8
activation = "relu"
kernel_initializer = "he_normal"
[[layers]]
type = "batchnorm"
[[layers]]
type = "dropout"
rate = 0.3
[[layers]]
type = "dense"
units = "classes"
)", {5}},
      {"lstm_stack", R"(name = "lstm_stack"
input = "sequence"
[[layers]]
type = "masking"
[[layers]]
type = "lstm"
units = 4
return_sequences = true
[[layers]]
type = "dropout"
rate = 0.2
[[layers]]
type = "lstm"
units = 3
[[layers]]
type = "dense"
units = 4
activation = "relu"
[[layers]]
type = "dense"
units = "classes"
activation = "softmax"
)", {5, 2}},
  };
  for (const auto& c : cases) {
    const auto spec = parse_model_spec(c.toml, c.name);
    const int batch = 4, classes = 3;
    Model<double> model(spec, *be, c.sample, classes, 17);
    std::vector<int> xs{batch};
    xs.insert(xs.end(), c.sample.begin(), c.sample.end());
    Rng rng(21);
    auto xv = random_values(shape_size(xs), rng);
    if (c.sample.size() == 2)  // trailing padded frames in two of the sequences
      for (int f = 0; f < 2; ++f) xv[(0 * 5 + 4) * 2 + f] = xv[(2 * 5 + 3) * 2 + f] = xv[(2 * 5 + 4) * 2 + f] = 0;
    auto x = be->from_host(xs, xv);
    auto y = be->from_host({batch}, {0, 2, 1, 2});
    auto loss = [&] {
      model.forward(x, true, 1234);
      return model.loss(y).first / batch;
    };
    loss();
    model.backward();
    for (auto* p : model.params()) {
      if (!p->trainable) continue;
      const auto g = be->to_host(p->grad);
      const double e = fd_check(p->value.data(), p->value.size(), g, loss, 60);
      std::printf("gradcheck %-28s %-24s max error %.2e\n", (std::string("model_") + c.name).c_str(), p->name.c_str(), e);
      CHECK(e < kTol);
    }
  }
}
