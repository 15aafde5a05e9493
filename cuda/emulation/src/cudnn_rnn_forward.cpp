// Emulated cudnnRNNForward: a unidirectional, possibly stacked LSTM over padded (unpacked)
// sequences of per-row lengths, with cuDNN's documented cell:
//   i = sigmoid(W_i x + R_i h + bW_i + bR_i)    f = sigmoid(W_f x + R_f h + bW_f + bR_f)
//   g = tanh(W_g x + R_g h + bW_g + bR_g)       o = sigmoid(W_o x + R_o h + bW_o + bR_o)
//   c' = f * c + i * g                          h' = o * tanh(c')
// Each row's recurrence stops at its length: hy / cy hold the state after its last valid step,
// y's padded steps get the fill value of yDesc (NaN without one: cuDNN leaves them undefined,
// and NaN makes a reader of them visible).
#include <cmath>
#include <limits>
#include <tuple>
#include <vector>

#include "cudnn_rnn_internal.hpp"

using namespace gtzan_emu::dnn;

namespace {

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// Sum over one row-major matrix row times a vector, in double (see cudnn_rnn_internal.hpp).
double dot(const float* row, const float* v, int n) {
  double acc = 0.0;
  for (int i = 0; i < n; ++i) acc += double(row[i]) * double(v[i]);
  return acc;
}

// One LSTM step of one sequence. c_prev may alias c_out (updated element by element); gates
// (4H activations, reserve layout i f g o) is written when not null.
void lstm_step(const LayerParams<const float>& p, int in_width, int H, const float* in, const float* h_prev,
               const float* c_prev, std::vector<double>& pre, float* gates, float* c_out, float* h_out) {
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < H; ++j) {
      double v = dot(p.input_matrix[k] + std::size_t(j) * in_width, in, in_width) +
                 dot(p.recurrent_matrix[k] + std::size_t(j) * H, h_prev, H);
      if (p.input_bias[k]) v += p.input_bias[k][j];
      if (p.recurrent_bias[k]) v += p.recurrent_bias[k][j];
      pre[std::size_t(k) * H + j] = v;
    }
  for (int j = 0; j < H; ++j) {
    // Activations rounded to float, as a float kernel stores them; the cell update uses those.
    const float i = float(sigmoid(pre[j])), f = float(sigmoid(pre[H + j]));
    const float g = float(std::tanh(pre[2 * H + j])), o = float(sigmoid(pre[3 * H + j]));
    const float c = float(double(f) * c_prev[j] + double(i) * g);
    c_out[j] = c;
    h_out[j] = float(double(o) * std::tanh(double(c)));
    if (gates) gates[j] = i, gates[H + j] = f, gates[2 * H + j] = g, gates[3 * H + j] = o;
  }
}

// A (batch, maxSeq, width) sequence array: the caller's RNN data (in its layout) or one of the
// stand-in's own [row][width] arrays.
struct SeqArray {
  const Shape* s;
  float* base;
  int width;
  bool caller_layout;
  float* at(int b, int t) const {
    return base + (caller_layout ? s->data_offset(b, t, width) : s->row(b, t) * width);
  }
};

}  // namespace

extern "C" cudnnStatus_t cudnnRNNForward(cudnnHandle_t handle, cudnnRNNDescriptor_t rnn, cudnnForwardMode_t fwdMode,
                                         const int32_t devSeqLengths[], cudnnRNNDataDescriptor_t xDesc, const void* x,
                                         cudnnRNNDataDescriptor_t yDesc, void* y, cudnnTensorDescriptor_t hDesc,
                                         const void* hx, void* hy, cudnnTensorDescriptor_t cDesc, const void* cx,
                                         void* cy, size_t weightSpaceSize, const void* weightSpace,
                                         size_t workSpaceSize, void* workSpace, size_t reserveSpaceSize,
                                         void* reserveSpace) {
  const char* function = "cudnnRNNForward";
  if (fwdMode != CUDNN_FWD_MODE_INFERENCE && fwdMode != CUDNN_FWD_MODE_TRAINING)
    return report(CUDNN_STATUS_BAD_PARAM, function, cat("invalid fwdMode ", fwdMode));
  Shape s;
  if (cudnnStatus_t st = check_call(function, handle, rnn, devSeqLengths, xDesc, yDesc, hDesc, cDesc, true, s)) return st;
  const bool training = fwdMode == CUDNN_FWD_MODE_TRAINING;
  if (training && s.layers > 1 && rnn->dropout > 0.0f)
    return report(CUDNN_STATUS_NOT_SUPPORTED, function,
                  cat("dropout ", rnn->dropout, " between stacked layers in training is not emulated"));
  const std::size_t state_bytes = s.state_floats() * sizeof(float);
  for (auto [name, p, bytes, optional] :
       {std::tuple{"x", x, s.data_floats(s.input) * sizeof(float), false},
        std::tuple{"y", static_cast<const void*>(y), s.data_floats(s.hidden) * sizeof(float), false},
        std::tuple{"hx", hx, state_bytes, true}, std::tuple{"hy", static_cast<const void*>(hy), state_bytes, true},
        std::tuple{"cx", cx, state_bytes, true}, std::tuple{"cy", static_cast<const void*>(cy), state_bytes, true}})
    if (cudnnStatus_t st = check_device(function, name, p, bytes, optional)) return st;
  if (cudnnStatus_t st = check_spaces(function, *rnn, s, fwdMode, weightSpaceSize, weightSpace, workSpaceSize,
                                      workSpace, reserveSpaceSize, reserveSpace))
    return st;

  const WeightLayout wl(*rnn);
  const int H = s.hidden, L = s.layers;
  const auto* hx_f = static_cast<const float*>(hx);
  const auto* cx_f = static_cast<const float*>(cx);
  const Reserve reserve(s, reserveSpace);
  // Inference workspace: lower layers' outputs alternate between two [row][H] arrays, then the c state.
  float* work = static_cast<float*>(workSpace);
  float* c_state = work + std::size_t(L > 2 ? 2 : L - 1) * s.rows() * H;
  const std::vector<float> zeros(H, 0.0f);
  std::vector<double> pre(4 * std::size_t(H));
  const float y_fill = yDesc->has_fill ? float(yDesc->fill) : std::numeric_limits<float>::quiet_NaN();

  SeqArray in{&s, const_cast<float*>(static_cast<const float*>(x)), s.input, true};
  for (int l = 0; l < L; ++l) {
    const bool top = l == L - 1;
    const SeqArray out = top ? SeqArray{&s, static_cast<float*>(y), H, true}
                         : training ? SeqArray{&s, reserve.hidden(l), H, false}
                                    : SeqArray{&s, work + std::size_t(l % 2) * s.rows() * H, H, false};
    const LayerParams<const float> p = layer_params(wl, static_cast<const float*>(weightSpace), l);
    for (int b = 0; b < s.batch; ++b) {
      const float* h = hx_f ? hx_f + s.state_offset(l, b) : zeros.data();
      const float* c = cx_f ? cx_f + s.state_offset(l, b) : zeros.data();
      for (int t = 0; t < s.lengths[b]; ++t) {
        float* gates = training ? reserve.gates(l) + s.row(b, t) * 4 * H : nullptr;
        float* c_out = training ? reserve.cells(l) + s.row(b, t) * H : c_state + std::size_t(b) * H;
        lstm_step(p, wl.input_width(l), H, in.at(b, t), h, c, pre, gates, c_out, out.at(b, t));
        h = out.at(b, t);
        c = c_out;
      }
      // The state after the row's last valid step (hx / cx for an empty row).
      for (int j = 0; j < H; ++j) {
        if (hy) static_cast<float*>(hy)[s.state_offset(l, b) + j] = h[j];
        if (cy) static_cast<float*>(cy)[s.state_offset(l, b) + j] = c[j];
      }
      if (top)
        for (int t = s.lengths[b]; t < s.max_seq; ++t)
          for (int j = 0; j < H; ++j) out.at(b, t)[j] = y_fill;
    }
    in = out;
  }
  if (training) reserve.stamp(Reserve::kForwardDone);
  return CUDNN_STATUS_SUCCESS;
}
