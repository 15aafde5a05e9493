#include <cstdio>
#include <memory>

#include "audio/audio_io.hpp"
#include "backend/feature_backend.hpp"
#include "cli/commands.hpp"
#include "core/npy.hpp"
#include "features/clip_graph.hpp"

namespace gtzan::cli {

Action add_frames(CLI::App& app) {
  struct Opts {
    std::string input, feature, out, device = "cpu";
    bool list = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("frames", "Write one frame-level feature matrix as .npy");
  sub->footer(
      "Examples:\n"
      "  gtzan frames --input blues.00000.wav --feature mfcc13 --out mfcc.npy\n"
      "  gtzan frames --list\n"
      "The array is float32, shape (bins, frames), as librosa returns it for the file as loaded\n"
      "(no padding or trimming): np.load('mfcc.npy') vs librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13).");
  sub->add_flag("--list", o->list, "Print the feature names and exit");
  sub->add_option("--input", o->input, "One audio file");
  sub->add_option("--feature", o->feature, "Feature name (see --list)");
  sub->add_option("--out", o->out, "Output .npy file");
  sub->add_option("--device", o->device, "cpu | cuda | auto")->capture_default_str();
  return [o] {
    if (o->list) {
      for (const auto& n : features::ClipGraph::frame_feature_names()) std::printf("%s\n", n.c_str());
      return 0;
    }
    if (o->input.empty() || o->feature.empty() || o->out.empty())
      throw std::invalid_argument("frames: --input, --feature and --out are required (or --list)");
    const auto& names = features::ClipGraph::frame_feature_names();
    if (std::find(names.begin(), names.end(), o->feature) == names.end())
      throw std::invalid_argument("unknown feature '" + o->feature + "' (see `gtzan frames --list`)");
    const auto y = audio::load_mono(o->input);
    auto be = backend::make_backend(backend::parse_device(o->device), 1);
    const Matrix m = be->compute_frame(o->feature, y);
    write_npy(o->out, m);
    std::fprintf(stderr, "frames: %s %zux%zu -> %s\n", o->feature.c_str(), m.rows, m.cols, o->out.c_str());
    return 0;
  };
}

}  // namespace gtzan::cli
