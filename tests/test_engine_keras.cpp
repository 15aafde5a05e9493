// Keras semantics: same-padding shapes and values, BatchNorm statistics, LSTM masking,
// initialisers, dropout, the stable loss, Adam against hand-computed values, the seed models.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/adam.hpp"
#include "engine/model.hpp"
#include "engine_test_util.hpp"

using namespace gtzan;
using namespace gtzan::engine;
using namespace gtzan::test;

namespace {
LayerSpec spec(const std::string& type) {
  LayerSpec s;
  s.type = type;
  return s;
}
}  // namespace

TEST_CASE("Conv1D same padding: left (k-1)//2, right the rest; values by hand") {
  auto be = make_cpu_backend<double>(1);
  auto s = spec("conv1d");
  s.filters = 1;
  s.kernel_size = 4;  // pad left 1, right 2
  Conv1D<double> c(s);
  Rng rng(1);
  CHECK(c.build(*be, {5, 1}, rng, "c") == std::vector<int>{5, 1});
  auto* w = c.params()[0];
  for (int j = 0; j < 4; ++j) w->value.data()[j] = j + 1;  // w = 1 2 3 4
  Context<double> ctx{*be};
  auto x = be->from_host({1, 5, 1}, {1, 10, 100, 1000, 10000});
  const auto y = be->to_host(c.forward(x, ctx));
  // y[t] = sum_j w[j] x[t + j - 1]
  CHECK(y == std::vector<double>{1 * 0 + 2 * 1 + 3 * 10 + 4 * 100, 1 + 20 + 300 + 4000,
                                 10 + 200 + 3000 + 40000, 100 + 2000 + 30000, 1000 + 20000});
}

TEST_CASE("MaxPool1D same: ceil(L/2) and the study's shapes") {
  auto be = make_cpu_backend<float>(1);
  auto s = spec("maxpool1d");
  s.padding = "same";
  MaxPool1D<float> p(s);
  Rng rng(1);
  CHECK(p.build(*be, {5, 1}, rng, "p") == std::vector<int>{3, 1});
  Context<float> ctx{*be};
  auto x = be->from_host({1, 5, 1}, {-1, -3, 2, 7, -5});
  CHECK(be->to_host(p.forward(x, ctx)) == std::vector<float>{-1, 7, -5});
  // The study's CNN on 312 inputs: 312 -> 156 -> 78 -> 39, flatten 9984; on 63: 32, 16, 8.
  const auto cnn = load_model_spec(GTZAN_SOURCE_DIR "/experiments/models/seed_cnn1d.toml");
  Model<float> m312(cnn, *be, {312}, 10, 1);
  CHECK(m312.trainable_count() == 256 + 24704 + 98560 + 9984 * 512 + 512 + 5130);
  Model<float> m63(cnn, *be, {63}, 10, 1);
  CHECK(m63.trainable_count() == 256 + 24704 + 98560 + 8 * 256 * 512 + 512 + 5130);
}

TEST_CASE("seed models parse with the study's hyperparameters") {
  const auto dense = load_model_spec(GTZAN_SOURCE_DIR "/experiments/models/seed_dense.toml");
  CHECK(dense.train.batch_size == 128);
  CHECK(dense.train.epochs == 30);
  CHECK(dense.train.early_stopping.enabled);
  CHECK(dense.train.early_stopping.patience == 15);
  CHECK(dense.train.early_stopping.restore_best_weights);
  CHECK(dense.train.reduce_lr.factor == 0.5);
  CHECK(dense.train.reduce_lr.patience == 5);
  CHECK(dense.train.reduce_lr.min_lr == 1e-6);
  CHECK(dense.train.epsilon == 1e-7);
  const auto lstm = load_model_spec(GTZAN_SOURCE_DIR "/experiments/models/seed_lstm.toml");
  CHECK(lstm.train.epochs == 20);
  CHECK(lstm.train.batch_size == 32);
  auto be = make_cpu_backend<float>(1);
  Model<float> m(lstm, *be, {1300, 13}, 10, 1);
  // LSTM(128): 4*128*(13+128+1); LSTM(64): 4*64*(128+64+1); Dense 64: 64*65; Dense 10: 650
  CHECK(m.trainable_count() == 4 * 128 * 142 + 4 * 64 * 193 + 64 * 65 + 650);
  Model<float> d(dense, *be, {312}, 10, 1);
  CHECK(d.trainable_count() == 313 * 1024 + 1025 * 512 + 513 * 256 + 257 * 128 + 129 * 10 + 2 * (1024 + 512 + 256 + 128));
  CHECK_THROWS_WITH(load_model_spec("/nonexistent/model.toml"), Catch::Contains("/nonexistent/model.toml"));
}

TEST_CASE("BatchNorm: biased batch variance, moving averages, inference with moving stats") {
  auto be = make_cpu_backend<double>(1);
  BatchNorm<double> bn(spec("batchnorm"));
  Rng rng(1);
  bn.build(*be, {1}, rng, "bn");
  Context<double> ctx{*be};
  ctx.training = true;
  auto x = be->from_host({4, 1}, {1, 2, 3, 6});  // mean 3, biased var 3.5
  const auto y = be->to_host(bn.forward(x, ctx));
  CHECK(y[0] == Approx((1 - 3) / std::sqrt(3.5 + 1e-3)).epsilon(1e-12));
  auto params = bn.params();
  CHECK(be->to_host(params[2]->value)[0] == Approx(0.01 * 3).epsilon(1e-12));          // moving mean
  CHECK(be->to_host(params[3]->value)[0] == Approx(0.99 + 0.01 * 3.5).epsilon(1e-12));  // moving var
  ctx.training = false;
  const auto yi = be->to_host(bn.forward(x, ctx));
  CHECK(yi[3] == Approx((6 - 0.03) / std::sqrt(1.025 + 1e-3)).epsilon(1e-12));
}

TEST_CASE("LSTM: masked steps carry the state and repeat the previous output") {
  auto be = make_cpu_backend<double>(1);
  auto s = spec("lstm");
  s.units = 3;
  s.return_sequences = true;
  LSTM<double> full(s);
  Rng r1(4);
  full.build(*be, {5, 2}, r1, "l");
  Rng data(2);
  auto xv = random_values(5 * 2, data);
  xv[6] = xv[7] = xv[8] = xv[9] = 0;  // steps 3, 4 padded
  Context<double> ctx{*be};
  auto mask = be->from_host({1, 5}, {1, 1, 1, 0, 0});
  ctx.mask = &mask;
  auto x = be->from_host({1, 5, 2}, xv);
  const auto y = be->to_host(full.forward(x, ctx));
  for (int j = 0; j < 3; ++j) {
    CHECK(y[3 * 3 + j] == y[2 * 3 + j]);
    CHECK(y[4 * 3 + j] == y[2 * 3 + j]);
  }
  // Same weights on the 3 valid steps only, last-step output: equals the masked run's last output.
  auto s2 = s;
  s2.return_sequences = false;
  LSTM<double> last(s2);
  Rng r2(4);
  last.build(*be, {3, 2}, r2, "l");
  Context<double> c2{*be};
  auto x3 = be->from_host({1, 3, 2}, std::vector<double>(xv.begin(), xv.begin() + 6));
  const auto y3 = be->to_host(last.forward(x3, c2));
  for (int j = 0; j < 3; ++j) CHECK(y3[j] == Approx(y[4 * 3 + j]).epsilon(1e-14));
  // A leading masked step outputs zeros (the initial state).
  auto lead = be->from_host({1, 5}, {0, 1, 1, 1, 1});
  ctx.mask = &lead;
  const auto yl = be->to_host(full.forward(x, ctx));
  for (int j = 0; j < 3; ++j) CHECK(yl[j] == 0.0);
}

TEST_CASE("initialisers: glorot limits with receptive field, he_normal, orthogonal, forget bias") {
  Rng rng(3);
  const auto g = init_values<double>("glorot_uniform", {3, 64, 128}, rng);
  const double limit = std::sqrt(6.0 / (3 * 64 + 3 * 128));
  double mx = 0;
  for (double v : g) mx = std::max(mx, std::fabs(v));
  CHECK(mx <= limit);
  CHECK(mx > 0.99 * limit);
  const auto h = init_values<double>("he_normal", {400, 300}, rng);
  double ss = 0, hm = 0;
  for (double v : h) ss += v * v, hm = std::max(hm, std::fabs(v));
  const double stddev = std::sqrt(2.0 / 400) / .87962566103423978;
  CHECK(hm <= 2 * stddev);
  CHECK(std::sqrt(ss / h.size()) == Approx(std::sqrt(2.0 / 400)).epsilon(0.02));  // truncation restores the std
  const int u = 8;
  const auto q = init_values<double>("orthogonal", {u, 4 * u}, rng);  // rows orthonormal
  for (int a = 0; a < u; ++a)
    for (int b = 0; b < u; ++b) {
      double d = 0;
      for (int k = 0; k < 4 * u; ++k) d += q[a * 4 * u + k] * q[b * 4 * u + k];
      CHECK(d == Approx(a == b ? 1.0 : 0.0).margin(1e-12));
    }
  auto be = make_cpu_backend<double>(1);
  auto s = spec("lstm");
  s.units = 2;
  LSTM<double> l(s);
  l.build(*be, {3, 1}, rng, "l");
  CHECK(be->to_host(l.params()[2]->value) == std::vector<double>{0, 0, 1, 1, 0, 0, 0, 0});
}

TEST_CASE("Dropout: inverted scaling, rate, identity at inference") {
  auto be = make_cpu_backend<float>(1);
  auto s = spec("dropout");
  s.rate = 0.25;
  Dropout<float> d(s, 1);
  Rng rng(1);
  d.build(*be, {10000}, rng, "d");
  Context<float> ctx{*be};
  ctx.training = true;
  auto x = be->from_host({1, 10000}, std::vector<float>(10000, 1.0f));
  const auto y = be->to_host(d.forward(x, ctx));
  int zeros = 0;
  for (float v : y) {
    CHECK((v == 0.0f || v == Approx(1 / 0.75f)));
    zeros += v == 0.0f;
  }
  CHECK(zeros == Approx(2500).margin(200));
  ctx.training = false;
  CHECK(be->to_host(d.forward(x, ctx)) == std::vector<float>(10000, 1.0f));
}

TEST_CASE("softmax cross-entropy is stable for huge logits") {
  auto be = make_cpu_backend<float>(1);
  std::vector<float> z = {1000.0f, -1000.0f, 0.0f}, lab = {1.0f}, d(3), l(1), c(1);
  be->softmax_xent(1, 3, z.data(), lab.data(), d.data(), l.data(), c.data());
  CHECK(l[0] == Approx(2000.0f));
  CHECK(c[0] == 0.0f);
  CHECK(d[0] == Approx(1.0f));
  CHECK(d[1] == Approx(-1.0f));
}

TEST_CASE("Adam matches hand-computed Keras steps") {
  auto be = make_cpu_backend<double>(1);
  Param<double> p;
  p.name = "w";
  p.value = be->from_host({2}, {1.0, -2.0});
  p.grad = be->from_host({2}, {0.5, -0.1});
  Adam<double> adam(*be, {&p}, 1e-3, 0.9, 0.999, 1e-7);
  double w[2] = {1.0, -2.0}, m[2] = {0, 0}, v[2] = {0, 0};
  const double g[2][2] = {{0.5, -0.1}, {-0.3, 0.2}};
  for (int t = 1; t <= 2; ++t) {
    be->upload(g[t - 1], p.grad.data(), 2);
    adam.step();
    const double lr_t = 1e-3 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
    for (int i = 0; i < 2; ++i) {
      m[i] = 0.9 * m[i] + 0.1 * g[t - 1][i];
      v[i] = 0.999 * v[i] + 0.001 * g[t - 1][i] * g[t - 1][i];
      w[i] -= lr_t * m[i] / (std::sqrt(v[i]) + 1e-7);
    }
    const auto got = be->to_host(p.value);
    CHECK(got[0] == Approx(w[0]).epsilon(1e-14));
    CHECK(got[1] == Approx(w[1]).epsilon(1e-14));
  }
  // first step moves each weight by ~lr against the gradient sign
  CHECK(w[0] == Approx(1.0 - 1e-3 + 1e-3).margin(3e-3));
}
