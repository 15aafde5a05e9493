// gtzan: GPU-first music-genre classification engine (command-line entry point).
#include <cstdio>
#include <exception>
#include <map>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"gtzan: librosa-exact audio features and genre classifiers, CPU or CUDA.\n"
               "Run `gtzan <command> --help` for a command's options and examples."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gtzan 0.1.0");
  std::map<std::string, gtzan::cli::Action> actions;
  actions["synth"] = gtzan::cli::add_synth(app);
  actions["features"] = gtzan::cli::add_features(app);
  actions["frames"] = gtzan::cli::add_frames(app);
  actions["bench"] = gtzan::cli::add_bench(app);
  actions["split"] = gtzan::cli::add_split(app);
  actions["train"] = gtzan::cli::add_train(app);
  actions["predict"] = gtzan::cli::add_predict(app);
  actions["experiment"] = gtzan::cli::add_experiment(app);
  actions["report"] = gtzan::cli::add_report(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    for (auto* sub : app.get_subcommands()) return actions.at(sub->get_name())();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gtzan: error: %s\n", e.what());
    return 2;
  }
  return 0;
}
