#pragma once
// Reports rendered from DIR/results.json alone (no retraining): DIR/report.md and
// DIR/report.html with the study's headline table beside ours and the difference, the honest
// tables, an accuracy bar chart and confusion-matrix heatmaps (inline SVG).
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace gtzan::experiments {

// The study's headline accuracy (percent) from docs/study.md; nullopt when not reported.
// lstm: the held-out figure (train = true: the printed last-epoch training accuracy).
std::optional<double> study_accuracy(const std::string& subset, double seconds, const std::string& model,
                                     bool lstm_train = false);

void render_report(const std::filesystem::path& dir);

// Exposed for tests.
std::string bar_chart_svg(const nlohmann::json& records);
std::string confusion_svg(const nlohmann::json& record);

}  // namespace gtzan::experiments
