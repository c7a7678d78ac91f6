#include "aiospec/report.hpp"

#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace aiospec {

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 forbids most control characters, which a program may print.
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\n' && ch != '\t' && ch != '\r')
          out += fmt::format("&#x{:x};", 0x2400 + static_cast<unsigned char>(ch));  // control picture
        else
          out += ch;
    }
  }
  return out;
}

namespace {

nlohmann::json case_json(const CaseResult& r) {
  nlohmann::json j = {{"type", "case"}, {"id", r.id}, {"file", r.file}, {"line", r.line},
                      {"status", to_string(r.status)}, {"unexpected", r.unexpected}, {"seconds", r.seconds}};
  if (r.c) {
    j["clause"] = r.c->clause;
    j["level"] = to_string(r.c->level);
  }
  if (!r.reason.empty()) j["reason"] = r.reason;
  if (r.outcome != r.status) j["outcome"] = to_string(r.outcome);
  if (r.status == Status::FAIL || r.status == Status::XFAIL) {
    j["expected"] = r.c->expected;
    j["observed"] = r.observed;
    j["diff"] = r.diff;
  }
  return j;
}

}  // namespace

void write_jsonl(std::ostream& out, const RunSummary& s, const RunContext& ctx) {
  nlohmann::json h = {{"type", "header"},          {"suite", "aiospec"},
                      {"suite_version", ctx.suite_version}, {"git_revision", ctx.git_revision},
                      {"implementation", s.implementation}, {"implementation_version", s.version},
                      {"python", s.python},        {"time", s.time_mode},
                      {"tolerance_ms", s.tolerance * 1000},
                      {"started", ctx.started},    {"environment", ctx.host}};
  out << h.dump() << "\n";
  for (auto& r : s.results) out << case_json(r).dump() << "\n";
}

void write_junit(std::ostream& out, const RunSummary& s) {
  std::size_t failures = 0, errors = 0, skipped = 0;
  double seconds = 0;
  for (auto& r : s.results) {
    failures += r.status == Status::FAIL || r.status == Status::XPASS;
    errors += r.status == Status::TIMEOUT || r.status == Status::CRASH || r.status == Status::ERROR;
    skipped += r.status == Status::SKIP || r.status == Status::XFAIL;
    seconds += r.seconds;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"aiospec\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
                     s.results.size(), failures, errors, skipped, seconds);
  out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
                     xml_escape(s.implementation + " " + s.version), s.results.size(), failures, errors, skipped, seconds);
  for (auto& r : s.results) {
    std::string classname = r.file;
    if (auto slash = classname.rfind('/'); slash != std::string::npos) classname.erase(0, slash + 1);
    if (auto dot = classname.rfind(".md"); dot != std::string::npos) classname.erase(dot);
    out << fmt::format("    <testcase classname=\"spec.{}\" name=\"{}\" file=\"{}\" line=\"{}\" time=\"{:.3f}\"",
                       xml_escape(classname), xml_escape(r.id), xml_escape(r.file), r.line, r.seconds);
    const std::string reason = xml_escape(r.reason);
    switch (r.status) {
      case Status::PASS: out << "/>\n"; continue;
      case Status::SKIP: out << ">\n      <skipped message=\"" << reason << "\"/>\n"; break;
      case Status::XFAIL: out << ">\n      <skipped message=\"known divergence: " << reason << "\"/>\n"; break;
      case Status::FAIL:
        out << ">\n      <failure message=\"output differs\">" << xml_escape(r.diff) << "</failure>\n";
        break;
      case Status::XPASS: out << ">\n      <failure message=\"unexpected pass: " << reason << "\"/>\n"; break;
      default:
        out << ">\n      <error type=\"" << to_string(r.status) << "\" message=\"" << reason << "\"/>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

void write_markdown(std::ostream& out, const RunSummary& s, const RunContext& ctx) {
  out << fmt::format("## aiospec: {} {} (Python {}, {} time)\n\n", s.implementation, s.version, s.python, s.time_mode);
  out << "**" << s.levels_line() << "**\n\n";
  if (s.time_mode == "real")
    out << fmt::format("Real time, judged with a tolerance of {:.0f} ms (conformance/README.md, \"Judging\").\n\n",
                       s.tolerance * 1000);
  out << "| status | cases |\n|---|---|\n";
  for (auto st : {Status::PASS, Status::FAIL, Status::XFAIL, Status::XPASS, Status::SKIP, Status::TIMEOUT,
                  Status::CRASH, Status::ERROR})
    if (auto n = s.count(st)) out << "| " << to_string(st) << " | " << n << " |\n";
  out << "\n";
  if (s.unexpected() == 0) {
    out << "Nothing unexpected.\n";
  } else {
    out << "### Unexpected results\n\n";
    for (auto& r : s.results) {
      if (!r.unexpected) continue;
      out << fmt::format("- `{}` ({}:{}) **{}**", r.id, r.file, r.line, to_string(r.status));
      if (!r.reason.empty()) out << ": " << r.reason;
      out << "\n";
      if (!r.diff.empty()) out << "\n  ```diff\n" << r.diff << "  ```\n";
    }
  }
  out << fmt::format("\n<sub>aiospec {} at {}, {}</sub>\n", ctx.suite_version, ctx.git_revision, ctx.started);
}

void write_expectations(std::ostream& out, const RunSummary& s, const std::map<std::string, Expectation>& old,
                        const std::string& file) {
  // Entries of other files (python.json) and of this file that did not apply to this run stay as they are.
  std::map<std::string, nlohmann::ordered_json> entries;
  auto entry = [](const Expectation& e, const char* level) {
    nlohmann::ordered_json j;
    if (e.statuses.size() == 1) {
      j["status"] = to_string(e.statuses[0]);
    } else {
      j["status"] = nlohmann::ordered_json::array();
      for (auto st : e.statuses) j["status"].push_back(to_string(st));
    }
    j["reason"] = e.reason;
    if (!e.link.empty()) j["link"] = e.link;
    if (!e.python.empty()) j["python"] = e.python;
    if (level) j["level"] = level;
    return j;
  };
  for (auto& [id, e] : old)
    if (e.source == file) entries[id] = entry(e, nullptr);
  for (auto& r : s.results) {
    if (!r.c || r.outcome == Status::SKIP) continue;
    auto prev = old.find(r.id);
    const bool applies = prev != old.end() && prev->second.applies_to(s.python);
    const char* level = to_string(r.c->level);
    if (applies && prev->second.allows(r.outcome)) {
      if (prev->second.source == file) entries[r.id] = entry(prev->second, level);
      continue;
    }
    const bool mine = prev != old.end() && prev->second.source == file;
    if (r.outcome == Status::PASS) {
      if (mine && applies) entries.erase(r.id);  // the divergence went away
      continue;
    }
    Expectation e;
    e.statuses = {r.outcome};
    e.reason = mine ? prev->second.reason : "TODO: explain the divergence (" + r.c->clause + ")";
    if (mine) e.link = prev->second.link;
    if (mine && applies) e.python = prev->second.python;
    entries[r.id] = entry(e, level);
  }
  nlohmann::ordered_json cases = nlohmann::ordered_json::object();
  for (auto& [id, j] : entries) cases[id] = j;
  nlohmann::ordered_json j = {{"implementation", s.implementation}, {"version", s.version}, {"python", s.python}, {"cases", cases}};
  out << j.dump(2) << "\n";
}

}  // namespace aiospec
