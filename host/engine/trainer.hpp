#pragma once
// The training loop: already-prepared arrays in, metrics / checkpoints / result out.
// Splitting, scaling and PCA happen before (host/ml); this code never sees file formats.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/model.hpp"

namespace gtzan::engine {

struct Dataset {
  std::vector<int> sample_shape;  // e.g. {F} for feature rows, {T, C} for frame sequences
  std::vector<float> x;           // n * prod(sample_shape), row-major
  std::vector<int> y;             // class indices
  std::size_t n() const { return y.size(); }
  std::size_t sample_size() const { return shape_size(sample_shape); }
};

struct TrainOptions {
  std::filesystem::path out_dir;  // metrics.jsonl, checkpoint.safetensors, model.safetensors, result.json
  std::uint64_t seed = 42;
  int epochs = -1;                // > 0 overrides the model's epochs
  bool resume = false;            // continue from out_dir/checkpoint.safetensors
  int stop_after_epochs = -1;     // testing: stop as if interrupted after this many epochs
  bool progress = true;           // progress line on stderr
  std::string device = "cpu";     // recorded in result.json
  std::string data_description;   // recorded in result.json
};

struct EpochMetrics {
  int epoch = 0;  // 1-based
  double loss = 0, accuracy = 0, val_loss = 0, val_accuracy = 0, lr = 0, seconds = 0,
         samples_per_second = 0;
};

struct TrainResult {
  std::string model;
  double test_accuracy = 0, test_loss = 0, seconds = 0, train_samples_per_second = 0;
  int epochs_run = 0;
  bool early_stopped = false, interrupted = false;
  std::vector<EpochMetrics> history;
};

// Trains spec on train, validating on test each epoch (the study's protocol), then evaluates on
// test. classes: number of classes (labels in [0, classes)).
TrainResult train_model(const ModelSpec& spec, const Dataset& train, const Dataset& test,
                        int classes, Backend<float>& be, const TrainOptions& opt);

// Loss (mean) and accuracy of model on data, inference mode, in batches.
std::pair<double, double> evaluate(Model<float>& model, const Dataset& data, int batch_size);

// Training throughput: one epoch over data after a warm-up batch. Returns samples/s.
double benchmark_training(const ModelSpec& spec, const Dataset& data, int classes,
                          Backend<float>& be, std::uint64_t seed, int batches_limit = -1);

// Final or best weights of a run (out_dir/model.safetensors) as name -> values.
}  // namespace gtzan::engine
