#pragma once
// EarlyStopping and ReduceLROnPlateau with Keras's exact bookkeeping (TF 2.x callbacks.py).
#include <limits>

#include <nlohmann/json.hpp>

#include "engine/model.hpp"

namespace gtzan::engine {

struct EarlyStoppingState {
  TrainSpec::EarlyStopping cfg;
  int wait = 0, best_epoch = 0;
  double best = std::numeric_limits<double>::infinity();
  bool have_best_weights = false;
  // Returns true when training should stop. take_snapshot(): copy the weights as the best.
  template <class Snapshot>
  bool on_epoch_end(int epoch, double current, Snapshot take_snapshot) {
    if (cfg.restore_best_weights && !have_best_weights) {
      take_snapshot();
      have_best_weights = true;
    }
    ++wait;
    if (current - cfg.min_delta < best) {
      best = current;
      best_epoch = epoch;
      if (cfg.restore_best_weights) take_snapshot();
      wait = 0;
      return false;
    }
    return wait >= cfg.patience && epoch > 0;
  }
  nlohmann::json to_json() const { return {{"wait", wait}, {"best_epoch", best_epoch}, {"best", best}, {"have_best_weights", have_best_weights}}; }
  void from_json(const nlohmann::json& j) {
    wait = j.at("wait");
    best_epoch = j.at("best_epoch");
    best = j.at("best").is_null() ? std::numeric_limits<double>::infinity() : j.at("best").get<double>();
    have_best_weights = j.at("have_best_weights");
  }
};

struct ReduceLrState {
  TrainSpec::ReduceLROnPlateau cfg;
  int wait = 0, cooldown_counter = 0;
  double best = std::numeric_limits<double>::infinity();
  // Returns the learning rate to use from the next epoch on.
  double on_epoch_end(double current, double lr) {
    if (cooldown_counter > 0) {
      --cooldown_counter;
      wait = 0;
    }
    if (current < best - cfg.min_delta) {
      best = current;
      wait = 0;
    } else if (cooldown_counter <= 0) {
      ++wait;
      if (wait >= cfg.patience) {
        if (lr > static_cast<double>(static_cast<float>(cfg.min_lr))) {
          lr = std::max(lr * cfg.factor, cfg.min_lr);
          cooldown_counter = cfg.cooldown;
          wait = 0;
        }
      }
    }
    return lr;
  }
  nlohmann::json to_json() const { return {{"wait", wait}, {"cooldown", cooldown_counter}, {"best", best}}; }
  void from_json(const nlohmann::json& j) {
    wait = j.at("wait");
    cooldown_counter = j.at("cooldown");
    best = j.at("best").is_null() ? std::numeric_limits<double>::infinity() : j.at("best").get<double>();
  }
};

}  // namespace gtzan::engine
