// Sequential model: layer construction, forward/backward and the fused softmax loss.
#include "engine/model.hpp"

#include <stdexcept>

namespace gtzan::engine {

template <class T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& s, std::uint64_t salt) {
  if (s.type == "dense") return std::make_unique<Dense<T>>(s);
  if (s.type == "conv1d") return std::make_unique<Conv1D<T>>(s);
  if (s.type == "maxpool1d") return std::make_unique<MaxPool1D<T>>(s);
  if (s.type == "flatten") return std::make_unique<Flatten<T>>();
  if (s.type == "relu") return std::make_unique<ReLU<T>>();
  if (s.type == "dropout") return std::make_unique<Dropout<T>>(s, salt);
  if (s.type == "batchnorm") return std::make_unique<BatchNorm<T>>(s);
  if (s.type == "masking") return std::make_unique<Masking<T>>(s);
  if (s.type == "lstm") return std::make_unique<LSTM<T>>(s);
  throw std::invalid_argument("unknown layer type '" + s.type + "'");
}

template <class T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& spec) {
  return make_layer<T>(spec, 1);
}
template std::unique_ptr<Layer<float>> make_layer<float>(const LayerSpec&);
template std::unique_ptr<Layer<double>> make_layer<double>(const LayerSpec&);

template <class T>
Model<T>::Model(const ModelSpec& spec, Backend<T>& be, const std::vector<int>& sample_shape,
                int classes, std::uint64_t seed)
    : spec_(spec), be_(be), classes_(classes), ctx_{be} {
  if (classes < 2) throw std::invalid_argument("a classifier needs at least 2 classes");
  in_shape_ = model_input_shape(spec, sample_shape);
  Rng rng(seed);
  auto shape = in_shape_;
  for (std::size_t i = 0; i < spec_.layers.size(); ++i) {
    auto ls = spec_.layers[i];
    if (ls.units == -1) ls.units = classes;
    const std::string name = ls.type + "_" + std::to_string(i);
    auto layer = make_layer<T>(ls, i + 1);
    try {
      shape = layer->build(be, shape, rng, name);
    } catch (const std::exception& e) {
      throw std::invalid_argument("model '" + spec_.name + "': " + e.what());
    }
    if (i == 0) layer->need_input_grad = false;
    names_.push_back(name);
    out_shapes_.push_back(shape);
    layers_.push_back(std::move(layer));
  }
  if (shape.size() != 1 || shape[0] != classes || spec_.layers.back().type != "dense")
    throw std::invalid_argument("model '" + spec_.name + "': the last layer must be a Dense with " +
                                std::to_string(classes) + " units (units = \"classes\"), output is " +
                                shape_string(shape));
  if (parse_activation(spec_.layers.back().activation) == Activation::relu)
    throw std::invalid_argument("model '" + spec_.name + "': the last layer must be softmax (or linear logits)");
}

template <class T>
const Tensor<T>& Model<T>::forward(const Tensor<T>& x, bool training, std::uint64_t dropout_seed) {
  x_view_ = x;
  x_view_.shape = {x.dim(0)};
  x_view_.shape.insert(x_view_.shape.end(), in_shape_.begin(), in_shape_.end());
  if (x_view_.size() != x.size())
    throw std::invalid_argument("model input: got " + shape_string(x.shape) + ", want (batch, " +
                                shape_string(in_shape_) + ")");
  ctx_.training = training;
  ctx_.dropout_seed = dropout_seed;
  ctx_.mask = nullptr;
  const Tensor<T>* cur = &x_view_;
  for (auto& l : layers_) {
    cur = &l->forward(*cur, ctx_);
    if (!l->keeps_mask()) ctx_.mask = nullptr;
  }
  logits_ = cur;
  return *cur;
}

template <class T>
std::pair<double, double> Model<T>::loss(const Tensor<T>& labels) {
  const int rows = logits_->dim(0);
  be_.ensure(dlogits_, logits_->shape);
  be_.ensure(loss_rows_, {rows});
  be_.ensure(correct_rows_, {rows});
  be_.softmax_xent(rows, classes_, logits_->data(), labels.data(), dlogits_.data(), loss_rows_.data(),
                   correct_rows_.data());
  return {be_.sum(loss_rows_.data(), rows), be_.sum(correct_rows_.data(), rows)};
}

template <class T>
void Model<T>::backward() {
  const Tensor<T>* g = &dlogits_;
  for (std::size_t i = layers_.size(); i-- > 0;) g = &layers_[i]->backward(*g, ctx_);
}

template <class T>
std::vector<Param<T>*> Model<T>::params() {
  std::vector<Param<T>*> out;
  for (auto& l : layers_)
    for (auto* p : l->params()) out.push_back(p);
  return out;
}

template <class T>
std::size_t Model<T>::trainable_count() {
  std::size_t n = 0;
  for (auto* p : params())
    if (p->trainable) n += p->value.size();
  return n;
}

template <class T>
std::vector<Layer<T>*> Model<T>::layers() {
  std::vector<Layer<T>*> out;
  for (auto& l : layers_) out.push_back(l.get());
  return out;
}

template <class T>
std::string Model<T>::summary() {
  std::string s = "model " + spec_.name + ": input " + shape_string(in_shape_) + "\n";
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    std::size_t n = 0;
    for (auto* p : layers_[i]->params()) n += p->value.size();
    s += "  " + names_[i] + " -> " + shape_string(out_shapes_[i]) + "  params " + std::to_string(n) + "\n";
  }
  return s + "  trainable parameters: " + std::to_string(trainable_count()) + "\n";
}

template class Model<float>;
template class Model<double>;

}  // namespace gtzan::engine
