#pragma once
// Each `gtzan` subcommand registers its options on the CLI11 app and returns the action to
// run when it is chosen. The action returns the process exit status.
#include <CLI/CLI.hpp>

#include <functional>

namespace gtzan::cli {

using Action = std::function<int()>;

Action add_synth(CLI::App& app);
Action add_features(CLI::App& app);
Action add_frames(CLI::App& app);
Action add_bench(CLI::App& app);
Action add_split(CLI::App& app);
Action add_train(CLI::App& app);
Action add_predict(CLI::App& app);  // cmd_predict.cpp
Action add_experiment(CLI::App& app);  // cmd_experiment.cpp
Action add_report(CLI::App& app);
// `bench train` (cmd_train.cpp): registers under `bench`, sets action, returns the subcommand.
CLI::App* add_bench_train(CLI::App& bench, Action& action);

}  // namespace gtzan::cli
