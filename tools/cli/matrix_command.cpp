// aiospec matrix: the spec run on every implementation installed here, folded into a clause × implementation
// table (Markdown and a self-contained HTML page).
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "aiospec/spec.hpp"
#include "commands.hpp"

namespace aiospec::cli {

namespace {

struct MatrixArgs {
  std::string html, markdown;
  std::string filter = "*";
  int jobs = 0;
  double timeout = 30;
  double tolerance_ms = 50;
};

/// One implementation to run: what to ask implementation_factory for, or why it is missing.
struct Column {
  std::string label;  // how the column is headed before it runs
  std::string impl, python;
  std::string missing;  // non-empty: not run, and why
  RunSummary summary;
};

std::vector<Column> installed_columns() {
  namespace fs = std::filesystem;
  std::vector<Column> cols;
  const std::string root = command_output("pyenv root 2>/dev/null");
  for (int minor = 8; minor <= 13; ++minor) {
    const std::string series = fmt::format("3.{}", minor);
    Column c{"cpython " + series, "cpython", "", "", {}};
    std::vector<std::string> found;
    std::error_code ec;
    if (!root.empty())
      for (auto& e : fs::directory_iterator(fs::path(root) / "versions", ec))
        if (e.path().filename().string().rfind(series + ".", 0) == 0 && fs::exists(e.path() / "bin/python3"))
          found.push_back(e.path().filename().string());
    if (found.empty()) {
      c.missing = root.empty() ? "pyenv is not installed" : "no CPython " + series + " under `pyenv root`";
    } else {
      std::sort(found.begin(), found.end());  // one column per series: its newest installed release
      c.label = "cpython " + found.back();
      c.python = (fs::path(root) / "versions" / found.back() / "bin/python3").string();
    }
    cols.push_back(c);
  }
  const bool system_python = std::filesystem::exists("/usr/bin/python3");
  const std::string why_not = "no /usr/bin/python3";
  cols.push_back({"cpython (/usr/bin/python3)", "cpython", "/usr/bin/python3", system_python ? "" : why_not, {}});
  Column pytasks{"cpython-pytasks 3.11", "cpython-pytasks", "", "", {}};
  for (auto& c : cols)
    if (c.label.rfind("cpython 3.11", 0) == 0 && c.missing.empty()) pytasks.python = c.python;
  if (pytasks.python.empty()) pytasks.missing = "no CPython 3.11 under `pyenv root`";
  cols.push_back(pytasks);
  cols.push_back({"uvloop", "uvloop", "/usr/bin/python3", system_python ? "" : why_not, {}});
  cols.push_back({"reference", "reference", "", "", {}});
  return cols;
}

/// Worst first: the status a clause shows is the worst of its examples'.
int severity(Status s) {
  switch (s) {
    case Status::CRASH: return 0;
    case Status::TIMEOUT: return 1;
    case Status::ERROR: return 2;
    case Status::FAIL: return 3;
    case Status::XPASS: return 4;
    case Status::XFAIL: return 5;
    case Status::PASS: return 6;
    case Status::SKIP: return 7;
  }
  return 7;
}

struct Cell {
  Status status = Status::SKIP;
  std::size_t examples = 0, bad = 0;  // bad: examples with the shown (non-passing) status
  std::string detail;                 // per example, for the HTML tooltip
};

std::map<std::string, Cell> fold(const RunSummary& s) {
  std::map<std::string, Cell> cells;
  for (auto& r : s.results) {
    if (!r.c) continue;
    Cell& c = cells[r.c->clause];
    if (c.examples == 0 || severity(r.status) < severity(c.status)) {
      c.status = r.status;
      c.bad = 0;
    }
    c.bad += r.status == c.status;
    ++c.examples;
    c.detail += fmt::format("{}{}: {}", c.detail.empty() ? "" : "\n", r.id, to_string(r.status));
    if (r.status != Status::PASS && !r.reason.empty()) c.detail += " (" + r.reason.substr(0, 200) + ")";
  }
  return cells;
}

std::string cell_text(const Cell& c) {
  if (c.status == Status::PASS || c.status == Status::SKIP || c.examples == 1) return to_string(c.status);
  return fmt::format("{} {}/{}", to_string(c.status), c.bad, c.examples);
}

std::string heading(const Column& c) {
  if (!c.missing.empty()) return c.label;
  const auto& s = c.summary;
  return fmt::format("{} {} (Python {}, {} time)", s.implementation, s.version, s.python, s.time_mode);
}

struct ClauseRow {
  std::string id, title, file;
  Level level;
};

std::vector<ClauseRow> clause_rows(const Spec& spec, const std::string& filter) {
  std::vector<ClauseRow> rows;
  for (auto& c : spec.cases) {
    if (fnmatch(filter.c_str(), c.id.c_str(), 0) != 0) continue;
    if (rows.empty() || rows.back().id != c.clause) rows.push_back({c.clause, c.title, c.file, c.level});
  }
  return rows;
}

void write_markdown_matrix(std::ostream& out, const std::vector<ClauseRow>& rows, const std::vector<Column>& cols,
                           const RunContext& ctx) {
  out << "# aiospec conformance matrix\n\n";
  out << "Each cell folds the clause's examples: the worst status among them (CRASH, TIMEOUT, ERROR, FAIL, XPASS, "
         "XFAIL, PASS, SKIP), with how many examples of how many have it.\n\n";
  out << "| implementation | result |\n|---|---|\n";
  for (auto& c : cols)
    out << "| " << heading(c) << " | "
        << (c.missing.empty() ? fmt::format("{}; {} unexpected", c.summary.levels_line(), c.summary.unexpected())
                              : "missing: " + c.missing)
        << " |\n";
  out << "\n| clause | level |";
  for (auto& c : cols)
    if (c.missing.empty()) out << " " << c.summary.implementation << " " << c.summary.python << " |";
  out << "\n|---|---|";
  for (auto& c : cols)
    if (c.missing.empty()) out << "---|";
  out << "\n";
  std::vector<std::map<std::string, Cell>> folded;
  for (auto& c : cols)
    if (c.missing.empty()) folded.push_back(fold(c.summary));
  for (auto& r : rows) {
    out << "| `" << r.id << "` | " << to_string(r.level) << " |";
    for (auto& f : folded) {
      auto it = f.find(r.id);
      out << " " << (it == f.end() ? "—" : cell_text(it->second)) << " |";
    }
    out << "\n";
  }
  out << fmt::format("\n<sub>aiospec {} at {}, {}; {}</sub>\n", ctx.suite_version, ctx.git_revision, ctx.started, ctx.host);
}

void write_html_matrix(std::ostream& out, const std::vector<ClauseRow>& rows, const std::vector<Column>& cols,
                       const RunContext& ctx) {
  out << R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>aiospec conformance matrix</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}
th{background:#f3f3f3;position:sticky;top:0}
td.PASS{background:#c8efc8}td.XFAIL{background:#fbe6a6}td.SKIP{background:#eee;color:#777}
td.FAIL{background:#f6b3b3}td.XPASS{background:#f6b3b3}td.ERROR,td.CRASH,td.TIMEOUT{background:#d78ad7}
td.must{font-weight:bold}td.cpython{color:#235}td.unspecified{color:#777;font-style:italic}
td.none{color:#aaa}code{font-size:12px}
</style></head><body>
<h1>aiospec conformance matrix</h1>
<p>Each cell folds the clause's examples: the worst status among them (CRASH, TIMEOUT, ERROR, FAIL, XPASS, XFAIL,
PASS, SKIP) and how many examples of how many have it. Hover a cell for every example's status and reason.
Levels: <b>must</b> (documented guarantees), cpython (CPython's de-facto behaviour), <i>unspecified</i>.</p>
<table><tr><th>implementation</th><th>result</th></tr>
)";
  for (auto& c : cols)
    out << "<tr><td>" << xml_escape(heading(c)) << "</td><td>"
        << xml_escape(c.missing.empty() ? fmt::format("{}; {} unexpected", c.summary.levels_line(), c.summary.unexpected())
                                         : "missing: " + c.missing)
        << "</td></tr>\n";
  out << "</table>\n<h2>Clauses</h2>\n<table><tr><th>clause</th><th>level</th>";
  std::vector<std::map<std::string, Cell>> folded;
  for (auto& c : cols) {
    if (!c.missing.empty()) continue;
    out << "<th>" << xml_escape(c.summary.implementation) << "<br>" << xml_escape(c.summary.python) << "</th>";
    folded.push_back(fold(c.summary));
  }
  out << "</tr>\n";
  for (auto& r : rows) {
    out << "<tr><td title=\"" << xml_escape(r.title + " (" + r.file + ")") << "\"><code>" << xml_escape(r.id)
        << "</code></td><td class=\"" << to_string(r.level) << "\">" << to_string(r.level) << "</td>";
    for (auto& f : folded) {
      auto it = f.find(r.id);
      if (it == f.end()) {
        out << "<td class=\"none\">—</td>";
        continue;
      }
      out << "<td class=\"" << to_string(it->second.status) << "\" title=\"" << xml_escape(it->second.detail) << "\">"
          << xml_escape(cell_text(it->second)) << "</td>";
    }
    out << "</tr>\n";
  }
  out << fmt::format("</table>\n<p><small>aiospec {} at {}, {}; {}</small></p>\n</body></html>\n",
                     xml_escape(ctx.suite_version), xml_escape(ctx.git_revision), xml_escape(ctx.started),
                     xml_escape(ctx.host));
}

int matrix(const MatrixArgs& a) {
  const Spec spec = read_spec(AIOSPEC_SOURCE_DIR);
  auto cols = installed_columns();
  const int jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (auto& c : cols) {
    if (!c.missing.empty()) {
      std::cout << c.label << ": missing (" << c.missing << ")\n";
      continue;
    }
    SuiteOptions opts;
    opts.filter = a.filter;
    opts.jobs = jobs;
    opts.timeout = a.timeout;
    opts.tolerance = a.tolerance_ms / 1000;
    opts.progress = progress_reporter();
    try {
      opts.expectations = load_expectation_files(default_expectation_files(c.impl));
      auto factory = implementation_factory(c.impl, c.python, false);
      if (opts.tolerance > 0) opts.timing_oracle = implementation_factory("cpython", "", false);
      c.summary = run_cases(spec, factory, opts);
    } catch (const std::exception& e) {
      c.missing = e.what();
      std::cout << c.label << ": missing (" << c.missing << ")\n";
      continue;
    }
    std::cout << heading(c) << ": " << c.summary.levels_line() << "; " << c.summary.unexpected() << " unexpected\n";
  }
  const RunContext ctx = context();
  const auto rows = clause_rows(spec, a.filter);
  if (!a.markdown.empty() && !write_file(a.markdown, [&](std::ostream& o) { write_markdown_matrix(o, rows, cols, ctx); }))
    return infrastructure;
  if (!a.html.empty() && !write_file(a.html, [&](std::ostream& o) { write_html_matrix(o, rows, cols, ctx); }))
    return infrastructure;
  if (a.markdown.empty() && a.html.empty()) write_markdown_matrix(std::cout, rows, cols, ctx);
  return ok;
}

}  // namespace

void add_matrix_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<MatrixArgs>();
  auto* cmd = app.add_subcommand(
      "matrix", "Run the spec on every installed CPython (pyenv 3.8-3.13, /usr/bin/python3), CPython with "
                "pure-Python tasks, uvloop and the reference; write a clause x implementation matrix");
  cmd->add_option("--html", args->html, "write the matrix as a self-contained HTML page here");
  cmd->add_option("--markdown", args->markdown, "write the matrix as Markdown here (default: standard output)");
  cmd->add_option("--jobs,-j", args->jobs, "parallel workers per implementation (default: CPU count)");
  cmd->add_option("--filter", args->filter, "only cases whose id matches this glob")->capture_default_str();
  cmd->add_option("--timeout", args->timeout, "seconds per case")->capture_default_str();
  cmd->add_option("--tolerance", args->tolerance_ms, "real time: milliseconds within which timing may differ")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->callback([args, &exit_code] { exit_code = matrix(*args); });
}

}  // namespace aiospec::cli
