#include <cstdio>
#include <memory>

#include "backend/feature_backend.hpp"
#include "cli/commands.hpp"
#include "features/feature_set.hpp"
#include "jobs/extract_features.hpp"

namespace gtzan::cli {

Action add_features(CLI::App& app) {
  struct Opts {
    jobs::ExtractOptions job;
    std::string input, out, track_out, device = "cpu";
    bool list = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("features", "Compute a feature table (CSV) from audio files");
  sub->footer(
      "Examples:\n"
      "  gtzan features --input data/synth --set core --out core_30s.csv\n"
      "  gtzan features --input data/synth --set core --segments 10 --out core_3s.csv\n"
      "  gtzan features --input data/synth --set seed309 --segments 10 --out seg_3s.csv \\\n"
      "                 --track-out track_30s.csv     # both tables from one pass over the audio\n"
      "  gtzan features --input ~/gtzan/Data --set core --segment-seconds 3 --out seg.csv --threads 8\n"
      "  gtzan features --input blues.00000.wav --set core --out one.csv\n"
      "  gtzan features --list-sets\n"
      "Rows: one per track (padded/trimmed to --length, default 30 s) or per segment.\n"
      "CSV header: filename,label,segment,<columns>. Unreadable files are reported, skipped and\n"
      "summarised; exit status 0 (1 with --strict). Interrupted jobs resume from OUT.partial.");
  sub->add_flag("--list-sets", o->list, "Print every feature set with its columns and exit");
  sub->add_option("--input", o->input, "GTZAN tree, folder of audio files, or one file");
  sub->add_option("--set", o->job.set, "Feature set (see --list-sets)")->capture_default_str();
  sub->add_option("--out", o->out, "Output CSV file");
  auto* seg = sub->add_option("--segments", o->job.segments, "Split each track into N pieces (numpy.array_split)");
  sub->add_option("--segment-seconds", o->job.segment_seconds,
                  "Split into fixed pieces of S seconds (a shorter tail is dropped)")->excludes(seg);
  sub->add_option("--track-out", o->track_out,
                  "With --segments/--segment-seconds: also write the track rows here, computed in "
                  "the same pass (one decode, one upload per track)");
  sub->add_option("--length", o->job.length_seconds,
                  "Pad/trim each file to S seconds before segmenting (0 = as loaded)")->capture_default_str();
  sub->add_option("--device", o->device, "cpu | cuda | auto")->capture_default_str();
  sub->add_option("--threads", o->job.threads, "Worker threads (default: all cores)");
  sub->add_option("--batch", o->job.batch,
                  "Clips per GPU launch (bounds GPU memory; halved and retried when the GPU "
                  "runs out of memory)")->check(CLI::Range(1, 100000))->capture_default_str();
  sub->add_option("--streams", o->job.streams,
                  "GPU batches in flight at once, each on its own CUDA stream and host thread "
                  "(copies and host steps of one overlap the kernels of another)")
      ->check(CLI::Range(1, 16))->capture_default_str();
  sub->add_flag("--strict", o->job.strict, "Exit with status 1 when any file failed");
  sub->add_flag("--quiet", o->job.quiet, "No progress line");
  return [o] {
    if (o->list) {
      for (const auto& s : features::feature_sets()) {
        std::printf("%s (%zu columns): %s\n", s.name.c_str(), s.columns.size(), s.description.c_str());
        for (const auto& c : s.columns)
          std::printf("  %s\t%s%s %s\n", c.name.c_str(), c.frame.c_str(),
                      c.row < 0 ? "" : ("[" + std::to_string(c.row) + "]").c_str(),
                      c.stat == features::Stat::Mean ? "mean" : c.stat == features::Stat::Var ? "var" : "value");
      }
      return 0;
    }
    if (o->input.empty() || o->out.empty())
      throw std::invalid_argument("features: --input and --out are required (or --list-sets)");
    o->job.input = o->input;
    o->job.out = o->out;
    o->job.track_out = o->track_out;
    o->job.device = backend::parse_device(o->device);
    const auto summary = jobs::extract_features(o->job);
    std::fputs(jobs::format_summary(summary, o->job.out).c_str(), stderr);
    return (o->job.strict && !summary.failures.empty()) ? 1 : 0;
  };
}

}  // namespace gtzan::cli
