#pragma once
// Reads the spec (spec/*.md, format in spec/README.md) into cases: one per example. The same rules as
// tools/spec-outputs, which checks the expected outputs against CPython.
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace aiospec {

enum class Level { must, cpython, unspecified };
const char* to_string(Level l) noexcept;
std::optional<Level> parse_level(std::string_view s) noexcept;

/// A Python version specifier ("Python: >=3.11,<3.13"), major.minor only.
struct VersionRange {
  struct Term {
    std::string op;
    int major, minor;
  };
  std::vector<Term> terms;
  bool contains(int major, int minor) const noexcept;
  bool contains(std::string_view version) const;  // "3.11.7"
  std::string str() const;
  static std::optional<VersionRange> parse(std::string_view text);
};

/// One example of one clause: a program and the output CPython prints.
struct Case {
  std::string id;        // gather.order.1
  std::string clause;    // gather.order
  std::string title;     // the clause's title
  Level level = Level::must;
  VersionRange python;   // the clause's terms and the example's own
  std::string file;      // repo-relative, e.g. spec/gather.md
  int line = 0;          // the example's opening fence
  std::string program;
  std::string expected;
  bool unordered = false;
};

/// GoogleTest prints a case by its id.
inline void PrintTo(const Case& c, std::ostream* os) { *os << c.id; }

/// A malformed part of the spec: reported with file:line, and the rest is still read.
struct SpecError {
  std::string file;
  int line;
  std::string message;
  std::string str() const { return file + ":" + std::to_string(line) + ": " + message; }
};

struct Spec {
  std::vector<Case> cases;
  std::vector<SpecError> errors;
  std::size_t clauses = 0;
};

/// Reads every spec/*.md under `root` (the repository), in file-name order.
Spec read_spec(const std::filesystem::path& root);
/// Reads one chapter's text; `file` is the name used in cases and errors.
void read_chapter(std::string_view text, const std::string& file, Spec& out);

}  // namespace aiospec
