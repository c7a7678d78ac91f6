#pragma once
// Reports of a run: JSON lines (the canonical record), JUnit XML and a Markdown summary derived from it.
#include <iosfwd>
#include <string>

#include "aiospec/runner.hpp"

namespace aiospec {

struct RunContext {
  std::string suite_version;
  std::string git_revision;
  std::string started;  // ISO 8601 UTC
  std::string host;     // OS and CPU summary, no paths
};

/// Text escaped for XML and HTML content and attributes; control characters become visible pictures.
std::string xml_escape(std::string_view s);

/// The header line and one line per case.
void write_jsonl(std::ostream& out, const RunSummary& s, const RunContext& ctx);
void write_junit(std::ostream& out, const RunSummary& s);
/// A summary for a CI step summary: the level line, counts by status, and every unexpected result.
void write_markdown(std::ostream& out, const RunSummary& s, const RunContext& ctx);
/// Rewrites the expectations file `file` from the run: every case that did not end as an applicable
/// expectation allows becomes a known divergence of this file (keeping the reason and link already
/// recorded for it), one that passes is dropped; entries for cases not run, or not applying to this
/// Python, are kept, and cases covered by another file (python.json) are left to it.
void write_expectations(std::ostream& out, const RunSummary& s, const std::map<std::string, Expectation>& old,
                        const std::string& file);

}  // namespace aiospec
