#pragma once
// The grid's base models behind ml::Classifier: the study's SVM (with its StandardScaler),
// XGBoost, the random forest, and the engine's networks (1D CNN, dense, LSTM) trained through
// engine::train_model and read back for probabilities.
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/backend.hpp"
#include "engine/model.hpp"
#include "experiments/config.hpp"
#include "ml/classifier.hpp"

namespace gtzan::experiments {

struct RunContext {
  std::string device = "cpu";  // engine backend for the networks
  int threads = 0;             // BLAS / XGBoost threads (0: all cores)
  std::filesystem::path work_dir;  // scratch folder for network training runs
};

class NetClassifier final : public ml::Classifier {
 public:
  NetClassifier(engine::ModelSpec spec, int epochs, std::uint64_t seed, std::vector<int> sample_shape,
                const RunContext& ctx);
  ~NetClassifier() override;
  // Rows to validate on each epoch (the callbacks watch them). The study validated on the
  // TEST set; honest protocols pass none (callbacks then watch the training loss).
  void set_validation(const ml::Rows* X, const std::vector<int>* y) { val_X_ = X; val_y_ = y; }
  void fit(const ml::Rows& X, const std::vector<int>& y, int K) override;
  ml::Rows predict_proba(const ml::Rows& X) const override;
  std::string name() const override { return spec_.name; }
  double last_train_accuracy() const { return last_train_accuracy_; }

 private:
  engine::ModelSpec spec_;
  int epochs_;
  std::uint64_t seed_;
  std::vector<int> shape_;
  RunContext ctx_;
  const ml::Rows* val_X_ = nullptr;
  const std::vector<int>* val_y_ = nullptr;
  std::unique_ptr<engine::Backend<float>> be_;
  std::unique_ptr<engine::Model<float>> model_;
  double last_train_accuracy_ = 0;
};

// A base model by grid name (svm, xgboost, rf, cnn1d, dense, lstm). The SVM includes the
// study's StandardScaler, fitted on whatever rows fit() sees.
std::unique_ptr<ml::Classifier> make_model(const std::string& name, const ExperimentConfig& cfg,
                                           const std::vector<int>& sample_shape, const RunContext& ctx);

// Everything that decides a base model's result, for the cell's hash.
std::string model_fingerprint(const std::string& name, const ExperimentConfig& cfg);

}  // namespace gtzan::experiments
