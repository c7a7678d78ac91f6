// Reading the spec chapters (spec/*.md; the format is described in spec/README.md).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aiospec {

// A Python version range: comparison terms on (major, minor), e.g. {">=", {3, 11}}.
struct VersionTerm {
  std::string op;
  int major = 3, minor = 0;
};
bool in_range(const std::vector<VersionTerm>& terms, int major, int minor);

struct SpecExample {
  std::string id;                   // clause id + ".n"
  std::string clause;
  std::string path;                 // the chapter file as given to the reader
  int line = 0;                     // of the opening fence, 1-based
  std::string source;
  std::string output;               // expected normalised output (each line ends in '\n')
  bool has_output = false;
  bool unordered = false;           // compare as a multiset of lines
  std::vector<VersionTerm> python;  // the clause's range plus the example's own
};

struct SpecClause {
  std::string id, title, level, path;
  int line = 0;
  std::vector<VersionTerm> python;
  std::vector<SpecExample> examples;
};

struct SpecError {
  std::string path;
  int line = 0;
  std::string message;
};

// Parses one chapter; format errors are appended to `errors`.
std::vector<SpecClause> read_spec_chapter(std::string_view text, const std::string& path, std::vector<SpecError>& errors);
// Every spec/*.md under `dir`, in file-name order.
std::vector<SpecClause> read_spec_dir(const std::string& dir, std::vector<SpecError>& errors);

}  // namespace aiospec
