// The emulated cuDNN LSTM (cuda/emulation/src/cudnn_rnn*.cpp) against a reference written
// from cuDNN's documented equations (emu_cudnn_lstm_support.hpp): forward with per-row lengths
// and stacked layers, the weight-block layout and gate order of cudnnGetRNNWeightParams,
// backward data and weights against central differences, and the checks cuDNN makes.
#include <cuda_runtime.h>
#include <cudnn.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "emu_cudnn_lstm_support.hpp"

using namespace emu_cudnn_test;

namespace {

// The stand-in keeps h, c and the gates in float each step; the reference is double. The
// worst error measured here is 5e-8 (a few float ulps of values below 1, growing slowly with
// steps and layers); 5e-7 leaves ten times that, and a wrong gate, bias, matrix orientation
// or step count is >= 1e-2.
constexpr double kForwardTol = 5e-7;

}  // namespace

TEST_CASE("emulated cuDNN LSTM forward: 2 layers, per-row lengths, hx/cx, double bias", "[emu][cudnn]") {
  std::mt19937 gen(7);
  const RefLstm m = random_model(gen, /*input=*/4, /*hidden=*/3, /*layers=*/2, CUDNN_RNN_DOUBLE_BIAS);
  const Batch b = random_batch(gen, m, {5, 1, 3, 4}, 5, /*states=*/true);
  StandIn s(4, 3, 2, CUDNN_RNN_DOUBLE_BIAS);
  const float fill = -3.5f;
  s.describe(b, fill);
  const RefOut ref = reference_forward(m, b);

  DeviceRun train(s, m, b, CUDNN_FWD_MODE_TRAINING);
  CUDNN_OK(train.forward(s, CUDNN_FWD_MODE_TRAINING));
  const std::vector<float> y = train.y.download(), hy = train.hy.download(), cy = train.cy.download();
  const std::vector<bool> valid = valid_mask(b, 3);
  CHECK(max_abs_diff(ref.y, y, &valid) < kForwardTol);
  CHECK(max_abs_diff(ref.hy, hy) < kForwardTol);
  CHECK(max_abs_diff(ref.cy, cy) < kForwardTol);
  for (std::size_t i = 0; i < y.size(); ++i)
    if (!valid[i]) CHECK(y[i] == fill);  // padded steps: yDesc's fill value
  // The top layer's hy is y at each row's own last step, exactly.
  for (int r = 0; r < b.batch; ++r)
    for (int j = 0; j < 3; ++j) CHECK(hy[(1 * b.batch + r) * 3 + j] == y[(r * b.steps + b.lengths[r] - 1) * 3 + j]);

  SECTION("inference gives the training forward's numbers bit for bit") {
    DeviceRun infer(s, m, b, CUDNN_FWD_MODE_INFERENCE);
    CHECK(infer.reserve_bytes == 0);
    CUDNN_OK(infer.forward(s, CUDNN_FWD_MODE_INFERENCE));
    CHECK(infer.y.download() == y);
    CHECK(infer.hy.download() == hy);
    CHECK(infer.cy.download() == cy);
  }
  SECTION("sequence-major unpacked data: the same numbers, transposed") {
    Batch t = b;
    for (int r = 0; r < b.batch; ++r)
      for (int k = 0; k < b.steps; ++k)
        for (int i = 0; i < 4; ++i) t.x[(k * b.batch + r) * 4 + i] = b.x[(r * b.steps + k) * 4 + i];
    s.describe(b, fill, CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED);
    DeviceRun seq(s, m, t, CUDNN_FWD_MODE_INFERENCE);
    CUDNN_OK(seq.forward(s, CUDNN_FWD_MODE_INFERENCE));
    const std::vector<float> ys = seq.y.download();
    for (int r = 0; r < b.batch; ++r)
      for (int k = 0; k < b.steps; ++k)
        for (int j = 0; j < 3; ++j) CHECK(ys[(k * b.batch + r) * 3 + j] == y[(r * b.steps + k) * 3 + j]);
  }
}

TEST_CASE("emulated cuDNN LSTM forward: 3 layers and an empty row", "[emu][cudnn]") {
  // Three layers: the inference forward alternates two workspace arrays between layers. An
  // empty row (length 0, accepted since cuDNN 8) keeps hx / cx as hy / cy and is all fill.
  std::mt19937 gen(13);
  const RefLstm m = random_model(gen, 2, 3, 3, CUDNN_RNN_SINGLE_REC_BIAS);
  const Batch b = random_batch(gen, m, {2, 0, 4}, 4, /*states=*/true);
  StandIn s(2, 3, 3, CUDNN_RNN_SINGLE_REC_BIAS);
  s.describe(b, 9.0f);
  const RefOut ref = reference_forward(m, b);
  const std::vector<bool> valid = valid_mask(b, 3);
  for (cudnnForwardMode_t mode : {CUDNN_FWD_MODE_INFERENCE, CUDNN_FWD_MODE_TRAINING}) {
    DeviceRun run(s, m, b, mode);
    CUDNN_OK(run.forward(s, mode));
    const std::vector<float> y = run.y.download(), hy = run.hy.download(), cy = run.cy.download();
    CHECK(max_abs_diff(ref.y, y, &valid) < kForwardTol);
    CHECK(max_abs_diff(ref.hy, hy) < kForwardTol);
    CHECK(max_abs_diff(ref.cy, cy) < kForwardTol);
    for (std::size_t i = 0; i < y.size(); ++i)
      if (!valid[i]) CHECK(y[i] == 9.0f);
    for (int l = 0; l < 3; ++l)
      for (int j = 0; j < 3; ++j) {
        CHECK(hy[(l * 3 + 1) * 3 + j] == float(b.hx[(l * 3 + 1) * 3 + j]));
        CHECK(cy[(l * 3 + 1) * 3 + j] == float(b.cx[(l * 3 + 1) * 3 + j]));
      }
  }
}

TEST_CASE("emulated cuDNN LSTM forward: cudnn_lstm.cpp's call (single input bias, zero states, hy only)",
          "[emu][cudnn]") {
  std::mt19937 gen(11);
  const RefLstm m = random_model(gen, 5, 4, 1, CUDNN_RNN_SINGLE_INP_BIAS);
  const Batch b = random_batch(gen, m, {1, 6, 3}, 6, /*states=*/false);
  StandIn s(5, 4, 1, CUDNN_RNN_SINGLE_INP_BIAS);
  s.describe(b, 0.0f);
  DeviceRun run(s, m, b, CUDNN_FWD_MODE_TRAINING);
  CUDNN_OK(cudnnRNNForward(s.handle, s.rnn, CUDNN_FWD_MODE_TRAINING, run.lengths.get(), s.x_desc, run.x.get(),
                           s.y_desc, run.y.get(), s.state_desc, nullptr, run.hy.get(), s.state_desc, nullptr, nullptr,
                           s.weight_bytes(), run.weights.get(), run.work_bytes, run.work.get(), run.reserve_bytes,
                           run.reserve.get()));
  const RefOut ref = reference_forward(m, b);
  const std::vector<bool> valid = valid_mask(b, 4);
  const std::vector<float> y = run.y.download();
  CHECK(max_abs_diff(ref.y, y, &valid) < kForwardTol);
  CHECK(max_abs_diff(ref.hy, run.hy.download()) < kForwardTol);
  for (std::size_t i = 0; i < y.size(); ++i)
    if (!valid[i]) CHECK(y[i] == 0.0f);
}

TEST_CASE("emulated cuDNN weight params: documented gate order and row-major blocks", "[emu][cudnn]") {
  SECTION("one unit: linLayerID k and 4 + k drive gate k of i, f, g, o") {
    // Distinct weights per gate; swapping any two gates changes h by far more than the tolerance.
    const double w[4] = {0.9, -0.4, 0.7, 0.3}, r[4] = {-0.6, 0.8, 0.5, -0.2}, bias[4] = {0.1, 0.2, -0.3, 0.4};
    const double x = 0.7, h0 = 0.2, c0 = 0.3;  // tolerance 1e-6 below: float gates, measured 3e-8
    std::mt19937 gen(1);
    RefLstm m = random_model(gen, 1, 1, 1, CUDNN_RNN_SINGLE_INP_BIAS);
    for (int k = 0; k < 4; ++k) m.matrix[0][k] = {w[k]}, m.matrix[0][4 + k] = {r[k]}, m.bias[0][k] = {bias[k]};
    Batch b;
    b.batch = 1, b.steps = 1, b.lengths = {1}, b.x = {x}, b.hx = {h0}, b.cx = {c0};
    StandIn s(1, 1, 1, CUDNN_RNN_SINGLE_INP_BIAS);
    s.describe(b, 0.0f);
    DeviceRun run(s, m, b, CUDNN_FWD_MODE_INFERENCE);
    CUDNN_OK(run.forward(s, CUDNN_FWD_MODE_INFERENCE));
    double a[4];
    for (int k = 0; k < 4; ++k) a[k] = float(w[k]) * float(x) + float(r[k]) * float(h0) + float(bias[k]);
    const double c = sigm(a[1]) * float(c0) + sigm(a[0]) * std::tanh(a[2]);
    const double h = sigm(a[3]) * std::tanh(c);
    CHECK(std::abs(run.cy.download()[0] - c) < 1e-6);
    CHECK(std::abs(run.hy.download()[0] - h) < 1e-6);
  }
  SECTION("matrix (j, i) multiplies input i into unit j") {
    // Saturated i and o gates, no forget: c = tanh(W_g x) exactly per unit.
    std::mt19937 gen(3);
    RefLstm m = random_model(gen, 3, 2, 1, CUDNN_RNN_SINGLE_INP_BIAS);
    for (int id = 0; id < 8; ++id) std::fill(m.matrix[0][id].begin(), m.matrix[0][id].end(), 0.0);
    m.matrix[0][2] = {0.1, -0.2, 0.3, 0.5, 0.7, -0.9};  // row 0 feeds unit 0, row 1 unit 1
    m.bias[0][0] = {30.0, 30.0};
    m.bias[0][1] = {0.0, 0.0};
    m.bias[0][2] = {0.0, 0.0};
    m.bias[0][3] = {30.0, 30.0};
    Batch b;
    b.batch = 1, b.steps = 1, b.lengths = {1}, b.x = {1.0, 2.0, 4.0}, b.hx = {0.0, 0.0}, b.cx = {0.0, 0.0};
    StandIn s(3, 2, 1, CUDNN_RNN_SINGLE_INP_BIAS);
    s.describe(b, 0.0f);
    DeviceRun run(s, m, b, CUDNN_FWD_MODE_INFERENCE);
    CUDNN_OK(run.forward(s, CUDNN_FWD_MODE_INFERENCE));
    const std::vector<float> cy = run.cy.download();
    CHECK(std::abs(cy[0] - std::tanh(0.1f * 1 - 0.2f * 2 + 0.3f * 4)) < 1e-6);
    CHECK(std::abs(cy[1] - std::tanh(0.5f * 1 + 0.7f * 2 - 0.9f * 4)) < 1e-6);
  }
  SECTION("every bias mode: shapes, which biases exist, disjoint blocks inside the weight space") {
    for (cudnnRNNBiasMode_t mode :
         {CUDNN_RNN_NO_BIAS, CUDNN_RNN_SINGLE_INP_BIAS, CUDNN_RNN_DOUBLE_BIAS, CUDNN_RNN_SINGLE_REC_BIAS}) {
      std::mt19937 gen(5);
      const RefLstm m = random_model(gen, 3, 4, 2, mode);
      StandIn s(3, 4, 2, mode);
      const std::size_t floats = s.weight_bytes() / sizeof(float);
      DeviceArray<float> space(floats);
      std::vector<int> owner(floats, -1);
      for (int l = 0; l < 2; ++l)
        for (int id = 0; id < 8; ++id) {
          auto [mat, bias] = s.block(m, space.get(), l, id);  // checks shapes and presence
          auto claim = [&](float* p, std::size_t n) {
            const std::ptrdiff_t at = p - space.get();
            REQUIRE((at >= 0 && std::size_t(at) + n <= floats));
            for (std::size_t i = 0; i < n; ++i) {
              CHECK(owner[at + i] == -1);
              owner[at + i] = l * 16 + id;
            }
          };
          claim(mat, std::size_t(4) * m.width(l, id));
          if (bias) claim(bias, 4);
        }
    }
  }
}

TEST_CASE("emulated cuDNN LSTM backward: dx, dhx, dcx, dW against central differences", "[emu][cudnn]") {
  std::mt19937 gen(21);
  RefLstm m = random_model(gen, /*input=*/3, /*hidden=*/2, /*layers=*/2, CUDNN_RNN_DOUBLE_BIAS);
  Batch b = random_batch(gen, m, {4, 1, 3}, 4, /*states=*/true);
  LossWeights lw;
  lw.y = random_values(gen, std::size_t(b.batch) * b.steps * 2, 1.0);
  const std::vector<bool> valid_y = valid_mask(b, 2);
  for (std::size_t i = 0; i < lw.y.size(); ++i)
    if (!valid_y[i]) lw.y[i] = 0.0;  // padded y does not enter the loss
  lw.hy = random_values(gen, b.hx.size(), 1.0);
  lw.cy = random_values(gen, b.cx.size(), 1.0);

  StandIn s(3, 2, 2, CUDNN_RNN_DOUBLE_BIAS);
  s.describe(b, 0.0f);
  DeviceRun run(s, m, b, CUDNN_FWD_MODE_TRAINING);
  CUDNN_OK(run.forward(s, CUDNN_FWD_MODE_TRAINING));
  DeviceArray<float> dy(to_float(lw.y)), dhy(to_float(lw.hy)), dcy(to_float(lw.cy));
  DeviceArray<float> dx(b.x.size()), dhx(b.hx.size()), dcx(b.cx.size());
  CUDNN_OK(cudnnRNNBackwardData_v8(s.handle, s.rnn, run.lengths.get(), s.y_desc, run.y.get(), dy.get(), s.x_desc,
                                   dx.get(), s.state_desc, run.hx.get(), dhy.get(), dhx.get(), s.state_desc,
                                   run.cx.get(), dcy.get(), dcx.get(), s.weight_bytes(), run.weights.get(),
                                   run.work_bytes, run.work.get(), run.reserve_bytes, run.reserve.get()));
  // CUDNN_WGRAD_MODE_ADD: the gradient adds to what the space holds.
  const float prior = 0.25f;
  DeviceArray<float> dw(std::vector<float>(s.weight_bytes() / sizeof(float), prior));
  CUDNN_OK(cudnnRNNBackwardWeights_v8(s.handle, s.rnn, CUDNN_WGRAD_MODE_ADD, run.lengths.get(), s.x_desc,
                                      run.x.get(), s.state_desc, run.hx.get(), s.y_desc, run.y.get(), s.weight_bytes(),
                                      dw.get(), run.work_bytes, run.work.get(), run.reserve_bytes, run.reserve.get()));

  // The stand-in computes the gradients in float (worst error measured: 4e-8); the central
  // difference of the double loss (step 1e-5) is exact to ~1e-10 (truncation ~eps^2 times the
  // third derivative, rounding ~1e-16 / eps). 5e-7 leaves ten times the measured error; a
  // missing term, a wrong gate or an off-by-one step changes some gradient by >= 1e-3.
  const double tol = 5e-7;
  auto loss = [&] { return reference_loss(m, b, lw); };
  const std::vector<float> dx_h = dx.download(), dhx_h = dhx.download(), dcx_h = dcx.download();
  const std::vector<bool> valid_x = valid_mask(b, 3);
  double worst = 0.0;
  for (std::size_t i = 0; i < b.x.size(); ++i)
    if (valid_x[i]) worst = std::max(worst, std::abs(central_difference(b.x[i], loss) - dx_h[i]));
  CHECK(worst < tol);
  worst = 0.0;
  for (std::size_t i = 0; i < b.hx.size(); ++i) {
    worst = std::max(worst, std::abs(central_difference(b.hx[i], loss) - dhx_h[i]));
    worst = std::max(worst, std::abs(central_difference(b.cx[i], loss) - dcx_h[i]));
  }
  CHECK(worst < tol);
  const RefLstm g = s.download_weights(m, dw.get());
  worst = 0.0;
  for (int l = 0; l < 2; ++l)
    for (int id = 0; id < 8; ++id) {
      for (std::size_t i = 0; i < m.matrix[l][id].size(); ++i)
        worst = std::max(worst, std::abs(central_difference(m.matrix[l][id][i], loss) - (g.matrix[l][id][i] - prior)));
      for (std::size_t i = 0; i < m.bias[l][id].size(); ++i)
        worst = std::max(worst, std::abs(central_difference(m.bias[l][id][i], loss) - (g.bias[l][id][i] - prior)));
    }
  CHECK(worst < tol);
  INFO("the loss must actually depend on the weights for the check to mean anything");
  CHECK(std::abs(central_difference(m.matrix[1][6][0], loss)) > 1e-3);
}

TEST_CASE("emulated cuDNN rejects what cuDNN rejects and says what it does not emulate", "[emu][cudnn]") {
  std::mt19937 gen(31);
  const RefLstm m = random_model(gen, 3, 2, 2, CUDNN_RNN_SINGLE_INP_BIAS);
  const Batch b = random_batch(gen, m, {3, 2}, 3, true);
  StandIn s(3, 2, 2, CUDNN_RNN_SINGLE_INP_BIAS);
  s.describe(b, 0.0f);
  DeviceRun run(s, m, b, CUDNN_FWD_MODE_TRAINING);
  char message[512];

  SECTION("a host pointer where device memory belongs") {
    std::vector<float> host_x(b.x.begin(), b.x.end());
    CHECK(cudnnRNNForward(s.handle, s.rnn, CUDNN_FWD_MODE_INFERENCE, run.lengths.get(), s.x_desc, host_x.data(),
                          s.y_desc, run.y.get(), s.state_desc, nullptr, nullptr, s.state_desc, nullptr, nullptr,
                          s.weight_bytes(), run.weights.get(), run.work_bytes, run.work.get(), 0,
                          nullptr) == CUDNN_STATUS_BAD_PARAM);
    cudnnGetLastErrorString(message, sizeof message);
    CHECK_THAT(std::string(message), Catch::Contains("x (") && Catch::Contains("device"));
    CHECK(std::string(cudnnGetErrorString(CUDNN_STATUS_BAD_PARAM)) == "CUDNN_STATUS_BAD_PARAM");
  }
  SECTION("sizes and descriptors") {
    CHECK(cudnnRNNForward(s.handle, s.rnn, CUDNN_FWD_MODE_TRAINING, run.lengths.get(), s.x_desc, run.x.get(),
                          s.y_desc, run.y.get(), s.state_desc, nullptr, nullptr, s.state_desc, nullptr, nullptr,
                          s.weight_bytes(), run.weights.get(), run.work_bytes, run.work.get(),
                          run.reserve_bytes - 4, run.reserve.get()) == CUDNN_STATUS_BAD_PARAM);
    CHECK(cudnnRNNForward(s.handle, nullptr, CUDNN_FWD_MODE_TRAINING, run.lengths.get(), s.x_desc, run.x.get(),
                          s.y_desc, run.y.get(), s.state_desc, nullptr, nullptr, s.state_desc, nullptr, nullptr,
                          s.weight_bytes(), run.weights.get(), run.work_bytes, run.work.get(), run.reserve_bytes,
                          run.reserve.get()) == CUDNN_STATUS_BAD_PARAM);
    const int too_long[2] = {4, 1};
    CHECK(cudnnSetRNNDataDescriptor(s.x_desc, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED, 3, 2, 3,
                                    too_long, nullptr) == CUDNN_STATUS_BAD_PARAM);
    DeviceArray<int> other_lengths(std::vector<int>{3, 1});  // not a copy of xDesc's
    CHECK(run.forward(s, CUDNN_FWD_MODE_TRAINING) == CUDNN_STATUS_SUCCESS);
    CHECK(cudnnRNNForward(s.handle, s.rnn, CUDNN_FWD_MODE_INFERENCE, other_lengths.get(), s.x_desc, run.x.get(),
                          s.y_desc, run.y.get(), s.state_desc, nullptr, nullptr, s.state_desc, nullptr, nullptr,
                          s.weight_bytes(), run.weights.get(), run.work_bytes, run.work.get(), 0,
                          nullptr) == CUDNN_STATUS_BAD_PARAM);
    const int wrong[3] = {1, 2, 2}, packed[3] = {4, 2, 1};  // one layer's states for a two-layer RNN
    CUDNN_OK(cudnnSetTensorNdDescriptor(s.state_desc, CUDNN_DATA_FLOAT, 3, wrong, packed));
    CHECK(run.forward(s, CUDNN_FWD_MODE_INFERENCE) == CUDNN_STATUS_BAD_PARAM);
  }
  SECTION("unpacked layouts need padded I/O") {
    cudnnRNNDescriptor_t plain;
    CUDNN_OK(cudnnCreateRNNDescriptor(&plain));
    CUDNN_OK(cudnnSetRNNDescriptor_v8(plain, CUDNN_RNN_ALGO_STANDARD, CUDNN_LSTM, CUDNN_RNN_DOUBLE_BIAS,
                                      CUDNN_UNIDIRECTIONAL, CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT,
                                      CUDNN_DEFAULT_MATH, 3, 2, 2, 2, s.dropout, CUDNN_RNN_PADDED_IO_DISABLED));
    std::size_t w = 0, r = 0;
    CHECK(cudnnGetRNNTempSpaceSizes(s.handle, plain, CUDNN_FWD_MODE_TRAINING, s.x_desc, &w, &r) ==
          CUDNN_STATUS_BAD_PARAM);
    cudnnDestroyRNNDescriptor(plain);
  }
  SECTION("features the stand-in does not emulate: NOT_SUPPORTED, never a wrong answer") {
    cudnnRNNDescriptor_t d;
    CUDNN_OK(cudnnCreateRNNDescriptor(&d));
    auto set = [&](cudnnRNNAlgo_t algo, cudnnRNNMode_t cell, cudnnDirectionMode_t dir, cudnnRNNInputMode_t input,
                   int proj) {
      return cudnnSetRNNDescriptor_v8(d, algo, cell, CUDNN_RNN_DOUBLE_BIAS, dir, input, CUDNN_DATA_FLOAT,
                                      CUDNN_DATA_FLOAT, CUDNN_DEFAULT_MATH, 3, 3, proj, 1, s.dropout,
                                      CUDNN_RNN_PADDED_IO_ENABLED);
    };
    const auto lstm = CUDNN_LSTM;
    const auto uni = CUDNN_UNIDIRECTIONAL;
    CHECK(set(CUDNN_RNN_ALGO_STANDARD, CUDNN_GRU, uni, CUDNN_LINEAR_INPUT, 3) == CUDNN_STATUS_NOT_SUPPORTED);
    CHECK(set(CUDNN_RNN_ALGO_STANDARD, lstm, CUDNN_BIDIRECTIONAL, CUDNN_LINEAR_INPUT, 3) == CUDNN_STATUS_NOT_SUPPORTED);
    CHECK(set(CUDNN_RNN_ALGO_STANDARD, lstm, uni, CUDNN_SKIP_INPUT, 3) == CUDNN_STATUS_NOT_SUPPORTED);
    CHECK(set(CUDNN_RNN_ALGO_PERSIST_STATIC, lstm, uni, CUDNN_LINEAR_INPUT, 3) == CUDNN_STATUS_NOT_SUPPORTED);
    CHECK(set(CUDNN_RNN_ALGO_STANDARD, lstm, uni, CUDNN_LINEAR_INPUT, 2) == CUDNN_STATUS_NOT_SUPPORTED);
    CHECK(set(CUDNN_RNN_ALGO_STANDARD, lstm, uni, CUDNN_LINEAR_INPUT, 4) == CUDNN_STATUS_BAD_PARAM);
    cudnnDestroyRNNDescriptor(d);
    cudnnGetLastErrorString(message, sizeof message);
    CHECK_THAT(std::string(message), Catch::Contains("projSize"));

    StandIn dropped(3, 2, 2, CUDNN_RNN_SINGLE_INP_BIAS, /*dropout_rate=*/0.5f);
    dropped.describe(b, 0.0f);
    DeviceRun d_run(dropped, m, b, CUDNN_FWD_MODE_TRAINING);
    CHECK(d_run.forward(dropped, CUDNN_FWD_MODE_TRAINING) == CUDNN_STATUS_NOT_SUPPORTED);
    CHECK(d_run.forward(dropped, CUDNN_FWD_MODE_INFERENCE) == CUDNN_STATUS_SUCCESS);  // no dropout in inference
  }
  SECTION("backward call order and modes") {
    DeviceArray<float> dy(run.y.download()), dx(b.x.size()), dw(s.weight_bytes() / sizeof(float));
    auto backward_data = [&] {
      return cudnnRNNBackwardData_v8(s.handle, s.rnn, run.lengths.get(), s.y_desc, run.y.get(), dy.get(), s.x_desc,
                                     dx.get(), s.state_desc, nullptr, nullptr, nullptr, s.state_desc, nullptr, nullptr,
                                     nullptr, s.weight_bytes(), run.weights.get(), run.work_bytes, run.work.get(),
                                     run.reserve_bytes, run.reserve.get());
    };
    auto backward_weights = [&](cudnnWgradMode_t mode) {
      return cudnnRNNBackwardWeights_v8(s.handle, s.rnn, mode, run.lengths.get(), s.x_desc, run.x.get(), s.state_desc,
                                        nullptr, s.y_desc, run.y.get(), s.weight_bytes(), dw.get(), run.work_bytes,
                                        run.work.get(), run.reserve_bytes, run.reserve.get());
    };
    CHECK(backward_data() == CUDNN_STATUS_BAD_PARAM);  // no training forward in the reserve space yet
    CUDNN_OK(run.forward(s, CUDNN_FWD_MODE_TRAINING));
    CHECK(backward_weights(CUDNN_WGRAD_MODE_ADD) == CUDNN_STATUS_BAD_PARAM);  // needs backward data first
    CUDNN_OK(backward_data());
    CHECK(backward_weights(CUDNN_WGRAD_MODE_SET) == CUDNN_STATUS_NOT_SUPPORTED);
    CUDNN_OK(backward_weights(CUDNN_WGRAD_MODE_ADD));
  }
}
