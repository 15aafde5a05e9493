#pragma once
// Feature CSVs as model inputs: the feature matrix, genre labels, and who each row came from.
// Two layouts are recognised by their header:
//   ours   (`gtzan features`): filename,label,segment,<features...>  (segment empty = whole track)
//   Kaggle (features_30_sec.csv / features_3_sec.csv): filename,length,<57 features>,label.
//          `filename` and `length` are not features (length is the clip's sample count); they
//          are dropped as the public notebooks do, unless keep_kaggle_length is set.
// CRLF and LF line endings are both accepted. Every cell must be a finite number: a bad cell
// throws InputError naming the file, the line, the column number and its name.
#include <filesystem>
#include <istream>
#include <string>
#include <vector>

#include "ml/table.hpp"

namespace gtzan::ml {

enum class TableFormat { Gtzan, Kaggle };

struct FeatureTableOptions {
  bool keep_kaggle_length = false;  // Kaggle only: keep `length` as the first feature column
};

struct FeatureTable {
  std::filesystem::path source;
  TableFormat format = TableFormat::Gtzan;
  std::vector<std::string> names;      // feature column names, in X's column order
  Table X;                             // rows x names.size()
  std::vector<std::string> filenames;  // per row, as written in the file
  std::vector<std::string> track_ids;  // per row: the track a row belongs to (for grouping)
  std::vector<int> segments;           // per row: segment index, -1 for a whole-track row
  std::vector<std::string> genres;     // per row: the label text
  std::vector<std::string> classes;    // distinct labels, sorted (LabelEncoder's order)
  std::vector<int> labels;             // per row: index into classes

  std::size_t rows() const { return X.rows; }
  // Track ids as integer codes in sorted order: groups for group_kfold.
  std::vector<int> track_groups() const;
};

FeatureTable read_feature_table(const std::filesystem::path& path,
                                const FeatureTableOptions& options = {});
// The same from a stream; `name` is used in error messages and stored as source.
FeatureTable parse_feature_table(std::istream& in, const std::filesystem::path& name,
                                 const FeatureTableOptions& options = {});

// Kaggle's track id: the filename up to its second '.', e.g. blues.00000.3.wav -> blues.00000
// and blues.00000.wav -> blues.00000. A name with fewer dots is returned whole.
std::string kaggle_track_id(const std::string& filename);
// Kaggle's segment index: the third dot-field when there are four (blues.00000.3.wav -> 3),
// -1 otherwise.
int kaggle_segment(const std::string& filename);

}  // namespace gtzan::ml
