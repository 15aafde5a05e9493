// Emulated cudnnRNNBackwardData_v8 and cudnnRNNBackwardWeights_v8 for the LSTM of
// cudnn_rnn_forward.cpp, from what the training forward left in the reserve space.
//
// Per layer, top to bottom, each row from its last valid step back to step 0 (dy of padded
// steps is never read), with tc = tanh(c_t) and c_{-1} = cx:
//   dh = dy_t + dh_next                        dc = dc_next + dh * o * (1 - tc^2)
//   di = dc * g * i(1-i)    df = dc * c_{t-1} * f(1-f)    dg = dc * i * (1-g^2)
//   do = dh * tc * o(1-o)   (the gradients of the gate pre-activations)
//   dc_next = dc * f        dh_next = sum_k R_k^T d_k      dInput_t = sum_k W_k^T d_k
// dInput is dx for layer 0 and the dy of the layer below otherwise; dhx / dcx are the final
// dh_next / dc_next. The weight gradients are sums over rows and valid steps of d_k x_t^T
// (input matrices), d_k h_{t-1}^T (recurrent, h_{-1} = hx) and d_k (every bias cuDNN has for k).
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <tuple>
#include <vector>

#include "cudnn_rnn_internal.hpp"

using namespace gtzan_emu::dnn;

namespace {

// acc[0..n) += coefficient * v[0..n), in double (see cudnn_rnn_internal.hpp).
void axpy(double* acc, double coefficient, const float* v, int n) {
  for (int i = 0; i < n; ++i) acc[i] += coefficient * v[i];
}

// A (batch, maxSeq, width) sequence array: caller's RNN data in its layout, or a [row][width] array.
struct SeqArray {
  const Shape* s;
  const float* base;
  int width;
  bool caller_layout;
  float* at(int b, int t) const {
    return const_cast<float*>(base) + (caller_layout ? s->data_offset(b, t, width) : s->row(b, t) * width);
  }
};

using Check = std::tuple<const char*, const void*, std::size_t, bool>;  // name, pointer, bytes, optional

cudnnStatus_t check_pointers(const char* function, std::initializer_list<Check> checks) {
  for (auto [name, p, bytes, optional] : checks)
    if (cudnnStatus_t st = check_device(function, name, p, bytes, optional)) return st;
  return CUDNN_STATUS_SUCCESS;
}

}  // namespace

extern "C" cudnnStatus_t cudnnRNNBackwardData_v8(
    cudnnHandle_t handle, cudnnRNNDescriptor_t rnn, const int32_t devSeqLengths[], cudnnRNNDataDescriptor_t yDesc,
    const void* y, const void* dy, cudnnRNNDataDescriptor_t xDesc, void* dx, cudnnTensorDescriptor_t hDesc,
    const void* hx, const void* dhy, void* dhx, cudnnTensorDescriptor_t cDesc, const void* cx, const void* dcy,
    void* dcx, size_t weightSpaceSize, const void* weightSpace, size_t workSpaceSize, void* workSpace,
    size_t reserveSpaceSize, void* reserveSpace) {
  const char* function = "cudnnRNNBackwardData_v8";
  Shape s;
  if (cudnnStatus_t st = check_call(function, handle, rnn, devSeqLengths, xDesc, yDesc, hDesc, cDesc, true, s)) return st;
  const std::size_t state = s.state_floats() * sizeof(float), in_bytes = s.data_floats(s.input) * sizeof(float),
                    out_bytes = s.data_floats(s.hidden) * sizeof(float);
  if (cudnnStatus_t st = check_pointers(function, {Check{"y", y, out_bytes, false}, Check{"dy", dy, out_bytes, false},
                                                   Check{"dx", dx, in_bytes, false}, Check{"hx", hx, state, true},
                                                   Check{"dhy", dhy, state, true}, Check{"dhx", dhx, state, true},
                                                   Check{"cx", cx, state, true}, Check{"dcy", dcy, state, true},
                                                   Check{"dcx", dcx, state, true}}))
    return st;
  if (cudnnStatus_t st = check_spaces(function, *rnn, s, CUDNN_FWD_MODE_TRAINING, weightSpaceSize, weightSpace,
                                      workSpaceSize, workSpace, reserveSpaceSize, reserveSpace))
    return st;
  const Reserve reserve(s, reserveSpace);
  if (std::string why = reserve.mismatch(Reserve::kForwardDone); !why.empty())
    return report(CUDNN_STATUS_BAD_PARAM, function, why);

  const WeightLayout wl(*rnn);
  const int H = s.hidden, L = s.layers;
  // Workspace: the gradient reaching the layer below ([row][H], stacked only), dh and dc carried
  // back through each row's steps ([batch][H] each).
  float* d_lower = static_cast<float*>(workSpace);
  float* dh_all = d_lower + (L > 1 ? s.rows() * H : 0);
  float* dc_all = dh_all + std::size_t(s.batch) * H;
  const auto* dhy_f = static_cast<const float*>(dhy);
  const auto* dcy_f = static_cast<const float*>(dcy);
  const auto* cx_f = static_cast<const float*>(cx);
  const std::vector<float> zeros(H, 0.0f);
  const float dx_fill = xDesc->has_fill ? float(xDesc->fill) : std::numeric_limits<float>::quiet_NaN();
  std::vector<double> acc_h(H), acc_in(std::max(s.input, H));

  for (int l = L - 1; l >= 0; --l) {
    const int in_w = wl.input_width(l);
    const LayerParams<const float> p = layer_params(wl, static_cast<const float*>(weightSpace), l);
    // The layer's output gradient, read at (b, t) before its input gradient is written there.
    const SeqArray d_out = l == L - 1 ? SeqArray{&s, static_cast<const float*>(dy), H, true}
                                      : SeqArray{&s, d_lower, H, false};
    const SeqArray d_in = l == 0 ? SeqArray{&s, static_cast<float*>(dx), s.input, true} : SeqArray{&s, d_lower, H, false};
    for (int b = 0; b < s.batch; ++b) {
      float* dh = dh_all + std::size_t(b) * H;
      float* dc = dc_all + std::size_t(b) * H;
      for (int j = 0; j < H; ++j) {
        dh[j] = dhy_f ? dhy_f[s.state_offset(l, b) + j] : 0.0f;
        dc[j] = dcy_f ? dcy_f[s.state_offset(l, b) + j] : 0.0f;
      }
      for (int t = s.lengths[b] - 1; t >= 0; --t) {
        float* gates = reserve.gates(l) + s.row(b, t) * 4 * H;  // activations in, gradients out
        const float* c = reserve.cells(l) + s.row(b, t) * H;
        const float* c_prev = t > 0 ? reserve.cells(l) + s.row(b, t - 1) * H
                                    : (cx_f ? cx_f + s.state_offset(l, b) : zeros.data());
        const float* dy_t = d_out.at(b, t);
        for (int j = 0; j < H; ++j) {
          const double i = gates[j], f = gates[H + j], g = gates[2 * H + j], o = gates[3 * H + j];
          const double tc = std::tanh(double(c[j]));
          const double dh_j = double(dy_t[j]) + dh[j];
          const double dc_j = dc[j] + dh_j * o * (1.0 - tc * tc);
          gates[j] = float(dc_j * g * i * (1.0 - i));
          gates[H + j] = float(dc_j * c_prev[j] * f * (1.0 - f));
          gates[2 * H + j] = float(dc_j * i * (1.0 - g * g));
          gates[3 * H + j] = float(dh_j * tc * o * (1.0 - o));
          dc[j] = float(dc_j * f);
        }
        std::fill(acc_h.begin(), acc_h.end(), 0.0);
        std::fill(acc_in.begin(), acc_in.begin() + in_w, 0.0);
        for (int k = 0; k < 4; ++k)
          for (int j = 0; j < H; ++j) {
            const double d = gates[k * H + j];
            axpy(acc_h.data(), d, p.recurrent_matrix[k] + std::size_t(j) * H, H);
            axpy(acc_in.data(), d, p.input_matrix[k] + std::size_t(j) * in_w, in_w);
          }
        for (int m = 0; m < H; ++m) dh[m] = float(acc_h[m]);
        float* d_in_t = d_in.at(b, t);  // may be dy_t's storage: dy_t is no longer read
        for (int i = 0; i < in_w; ++i) d_in_t[i] = float(acc_in[i]);
      }
      for (int j = 0; j < H; ++j) {
        if (dhx) static_cast<float*>(dhx)[s.state_offset(l, b) + j] = dh[j];
        if (dcx) static_cast<float*>(dcx)[s.state_offset(l, b) + j] = dc[j];
      }
      // dx of padded steps: xDesc's fill value (cuDNN documents no value there; NaN without a fill).
      if (l == 0)
        for (int t = s.lengths[b]; t < s.max_seq; ++t)
          for (int i = 0; i < s.input; ++i) d_in.at(b, t)[i] = dx_fill;
    }
  }
  reserve.stamp(Reserve::kBackwardDataDone);
  return CUDNN_STATUS_SUCCESS;
}

extern "C" cudnnStatus_t cudnnRNNBackwardWeights_v8(cudnnHandle_t handle, cudnnRNNDescriptor_t rnn,
                                                    cudnnWgradMode_t addGrad, const int32_t devSeqLengths[],
                                                    cudnnRNNDataDescriptor_t xDesc, const void* x,
                                                    cudnnTensorDescriptor_t hDesc, const void* hx,
                                                    cudnnRNNDataDescriptor_t yDesc, const void* y,
                                                    size_t weightSpaceSize, void* dweightSpace, size_t workSpaceSize,
                                                    void* workSpace, size_t reserveSpaceSize, void* reserveSpace) {
  const char* function = "cudnnRNNBackwardWeights_v8";
  if (addGrad == CUDNN_WGRAD_MODE_SET)
    return report(CUDNN_STATUS_NOT_SUPPORTED, function, "only CUDNN_WGRAD_MODE_ADD is supported (as in cuDNN 8/9)");
  if (addGrad != CUDNN_WGRAD_MODE_ADD)
    return report(CUDNN_STATUS_BAD_PARAM, function, cat("invalid addGrad ", addGrad));
  Shape s;
  if (cudnnStatus_t st = check_call(function, handle, rnn, devSeqLengths, xDesc, yDesc, hDesc, nullptr, false, s))
    return st;
  if (cudnnStatus_t st = check_pointers(
          function, {Check{"x", x, s.data_floats(s.input) * sizeof(float), false},
                     Check{"y", y, s.data_floats(s.hidden) * sizeof(float), false},
                     Check{"hx", hx, s.state_floats() * sizeof(float), true}}))
    return st;
  if (cudnnStatus_t st = check_spaces(function, *rnn, s, CUDNN_FWD_MODE_TRAINING, weightSpaceSize, dweightSpace,
                                      workSpaceSize, workSpace, reserveSpaceSize, reserveSpace))
    return st;
  const Reserve reserve(s, reserveSpace);
  if (std::string why = reserve.mismatch(Reserve::kBackwardDataDone); !why.empty())
    return report(CUDNN_STATUS_BAD_PARAM, function, why);

  const WeightLayout wl(*rnn);
  const int H = s.hidden, L = s.layers;
  const auto* hx_f = static_cast<const float*>(hx);
  const std::vector<float> zeros(H, 0.0f);
  for (int l = 0; l < L; ++l) {
    const int in_w = wl.input_width(l);
    // The layer's input and its own h sequence: y for the top layer (an input of this call),
    // the reserve space's copy below it.
    const SeqArray in = l == 0 ? SeqArray{&s, static_cast<const float*>(x), s.input, true}
                               : SeqArray{&s, reserve.hidden(l - 1), H, false};
    const SeqArray h_seq = l == L - 1 ? SeqArray{&s, static_cast<const float*>(y), H, true}
                                      : SeqArray{&s, reserve.hidden(l), H, false};
    // Sums over every row and step in double, added to the float gradients once at the end.
    std::vector<double> d_input(4 * std::size_t(H) * in_w), d_recurrent(4 * std::size_t(H) * H), d_bias(4 * H);
    for (int b = 0; b < s.batch; ++b)
      for (int t = 0; t < s.lengths[b]; ++t) {
        const float* d = reserve.gates(l) + s.row(b, t) * 4 * H;
        const float* x_t = in.at(b, t);
        const float* h_prev = t > 0 ? h_seq.at(b, t - 1) : (hx_f ? hx_f + s.state_offset(l, b) : zeros.data());
        for (int r = 0; r < 4 * H; ++r) {
          d_bias[r] += d[r];
          axpy(d_input.data() + std::size_t(r) * in_w, d[r], x_t, in_w);
          axpy(d_recurrent.data() + std::size_t(r) * H, d[r], h_prev, H);
        }
      }
    const LayerParams<float> g = layer_params(wl, static_cast<float*>(dweightSpace), l);
    auto add = [](float* dst, const double* src, std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) dst[i] = float(double(dst[i]) + src[i]);
    };
    for (int k = 0; k < 4; ++k) {
      add(g.input_matrix[k], d_input.data() + std::size_t(k) * H * in_w, std::size_t(H) * in_w);
      add(g.recurrent_matrix[k], d_recurrent.data() + std::size_t(k) * H * H, std::size_t(H) * H);
      if (g.input_bias[k]) add(g.input_bias[k], d_bias.data() + std::size_t(k) * H, H);
      if (g.recurrent_bias[k]) add(g.recurrent_bias[k], d_bias.data() + std::size_t(k) * H, H);
    }
  }
  return CUDNN_STATUS_SUCCESS;
}
