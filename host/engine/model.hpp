#pragma once
// A sequential model described in TOML (experiments/models/*.toml): input layout, layer list,
// optimizer, epochs, batch size and callbacks. The model ends in a Dense layer whose softmax is
// fused with sparse categorical cross-entropy.
#include <filesystem>
#include <string>
#include <vector>

#include "engine/layers.hpp"

namespace gtzan::engine {

struct TrainSpec {
  std::string optimizer = "adam";
  double learning_rate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7;
  int epochs = 30, batch_size = 32;
  struct EarlyStopping {
    bool enabled = false;
    std::string monitor = "val_loss";
    int patience = 0;
    double min_delta = 0.0;
    bool restore_best_weights = false;
  } early_stopping;
  struct ReduceLROnPlateau {
    bool enabled = false;
    std::string monitor = "val_loss";
    double factor = 0.1, min_lr = 0.0, min_delta = 1e-4;
    int patience = 10, cooldown = 0;
  } reduce_lr;
};

struct ModelSpec {
  std::string name;
  // "vector": samples are feature rows (F); "vector_as_sequence": a row as a length-F sequence of
  // one channel (F, 1), as the study's 1D CNN; "sequence": (time, channels) frames.
  std::string input = "vector";
  std::vector<LayerSpec> layers;  // units == -1 means "classes"
  TrainSpec train;
};

ModelSpec parse_model_spec(const std::string& toml_text, const std::string& source);
ModelSpec load_model_spec(const std::filesystem::path& path);  // errors name the file

// The shape of one sample as the first layer sees it, from the raw per-sample shape.
std::vector<int> model_input_shape(const ModelSpec& spec, const std::vector<int>& sample_shape);

template <class T>
class Model {
 public:
  Model(const ModelSpec& spec, Backend<T>& be, const std::vector<int>& sample_shape, int classes,
        std::uint64_t seed);
  // x: (batch, sample...) in any layout model_input_shape accepts. Returns the logits.
  const Tensor<T>& forward(const Tensor<T>& x, bool training, std::uint64_t dropout_seed = 0);
  // Softmax cross-entropy against labels (class indices as T); fills the logits' gradient.
  // Returns (sum of losses, number correct) over the batch.
  std::pair<double, double> loss(const Tensor<T>& labels);
  void backward();  // after forward(training) and loss()
  std::vector<Param<T>*> params();  // every parameter, non-trainable ones included
  std::size_t trainable_count();
  Backend<T>& backend() { return be_; }
  const ModelSpec& spec() const { return spec_; }
  int classes() const { return classes_; }
  std::vector<Layer<T>*> layers();
  std::string summary();

 private:
  ModelSpec spec_;
  Backend<T>& be_;
  int classes_;
  std::vector<int> in_shape_;
  std::vector<std::unique_ptr<Layer<T>>> layers_;
  std::vector<std::string> names_;
  std::vector<std::vector<int>> out_shapes_;
  Tensor<T> x_view_, dlogits_, loss_rows_, correct_rows_;
  const Tensor<T>* logits_ = nullptr;
  Context<T> ctx_;
};

}  // namespace gtzan::engine
