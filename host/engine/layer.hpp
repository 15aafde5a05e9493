#pragma once
// A layer: build (shapes without the batch axis, parameter initialisation), forward, backward.
// Keras semantics throughout; see README.md for the list.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/backend.hpp"
#include "engine/rng.hpp"

namespace gtzan::engine {

template <class T>
struct Param {
  std::string name;  // e.g. "dense_1/kernel"
  Tensor<T> value, grad;
  bool trainable = true;  // false: BatchNorm moving statistics (no grad, no optimizer state)
};

// Per-call state shared by the layers of one forward/backward pass.
template <class T>
struct Context {
  Backend<T>& be;
  bool training = false;
  std::uint64_t dropout_seed = 0;  // per optimizer step; each layer adds its own salt
  const Tensor<T>* mask = nullptr;  // (batch, time) 1/0, set by Masking, read by LSTM
};

template <class T>
class Layer {
 public:
  virtual ~Layer() = default;
  virtual std::string kind() const = 0;
  // Creates and initialises the parameters for an input of `in` (no batch axis); returns the
  // output shape. `name` prefixes the parameter names.
  virtual std::vector<int> build(Backend<T>& be, const std::vector<int>& in, Rng& rng,
                                 const std::string& name) = 0;
  // The returned tensor stays valid until the next forward call of this layer. The layer may
  // keep a pointer to x for backward; x must stay alive until then.
  virtual const Tensor<T>& forward(const Tensor<T>& x, Context<T>& ctx) = 0;
  // Overwrites the parameter gradients; returns dL/dx (empty tensor when !need_input_grad).
  virtual const Tensor<T>& backward(const Tensor<T>& dy, Context<T>& ctx) = 0;
  virtual std::vector<Param<T>*> params() { return {}; }
  // Whether the mask in ctx survives this layer (Keras mask propagation).
  virtual bool keeps_mask() const { return false; }
  bool need_input_grad = true;
};

enum class Activation { linear, relu, softmax };
Activation parse_activation(const std::string& s);

// Initialisers (Keras). fan_in/fan_out as Keras computes them for the given kernel shape.
template <class T>
std::vector<T> init_values(const std::string& initializer, const std::vector<int>& shape, Rng& rng);

}  // namespace gtzan::engine
