#include "aiospec/fuzz/differential.hpp"

#include <algorithm>
#include <map>
#include <ostream>

#include "aiospec/interpreter.hpp"

namespace aiospec::fuzz {

Trace run_on_reference(const std::string& source) {
  const RunResult r = run_program(source, "fuzz.py");
  Trace t;
  t.output = r.normalized();
  t.exit_status = r.exit_status;
  for (const OutputLine& l : r.lines) t.lines.push_back({l.text, l.time});
  return t;
}

Trace from_observation(const Observation& obs) {
  Trace t;
  t.output = obs.output;
  t.exit_status = obs.exit_status;
  std::size_t start = 0, i = 0;
  while (start < obs.output.size()) {
    auto nl = obs.output.find('\n', start);
    if (nl == std::string::npos) nl = obs.output.size();
    t.lines.push_back({obs.output.substr(start, nl - start), i < obs.line_times.size() ? obs.line_times[i] : std::nullopt});
    start = nl + 1;
    ++i;
  }
  return t;
}

std::string set_order_form(const std::string& output) {
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < output.size();) {
    std::size_t nl = output.find('\n', start);
    if (nl == std::string::npos) nl = output.size();
    lines.push_back(output.substr(start, nl - start));
    start = nl + 1;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t sep = lines[i].find(" done [");
    if (line_task(lines[i]) < 0 || sep == std::string::npos) continue;
    const std::string prefix = lines[i].substr(0, sep + 1);
    // n names are separated by n - 1 commas
    const auto n = 1 + static_cast<std::size_t>(std::count(lines[i].begin() + static_cast<std::ptrdiff_t>(sep), lines[i].end(), ','));
    if (n < 2) continue;
    // The task does not suspend between these lines, so they are consecutive.
    std::size_t j = i + 1;
    while (j < lines.size() && lines[j].rfind(prefix, 0) != 0) ++j;
    std::size_t end = j;
    while (end < lines.size() && end - j < n && lines[end].rfind(prefix, 0) == 0) ++end;
    if (end - j == n) std::sort(lines.begin() + static_cast<std::ptrdiff_t>(j), lines.begin() + static_cast<std::ptrdiff_t>(end));
  }
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) out += lines[i] + (i + 1 < lines.size() || output.back() == '\n' ? "\n" : "");
  return out;
}

std::string real_time_form(const std::vector<TimedLine>& lines, const Expected& e) {
  std::map<std::string, std::optional<std::int64_t>> when;
  for (const ExpectedLine& l : e.lines) when.emplace(l.text, l.us);
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < lines.size()) {
    auto it = when.find(lines[i].text);
    std::size_t j = i + 1;
    if (it != when.end() && it->second)
      while (j < lines.size()) {
        auto jt = when.find(lines[j].text);
        if (jt == when.end() || jt->second != it->second) break;
        ++j;
      }
    std::vector<std::string> run;
    for (std::size_t k = i; k < j; ++k) run.push_back(lines[k].text);
    std::sort(run.begin(), run.end());
    out.insert(out.end(), run.begin(), run.end());
    i = j;
  }
  std::string text;
  for (auto& l : out) text += l + "\n";
  return text;
}

rc::Shrinkable<Program> shrink(rc::Shrinkable<Program> s, const std::function<bool(const Program&)>& fails,
                               int& tried) {
  for (bool progress = true; progress;) {
    progress = false;
    auto seq = s.shrinks();
    while (auto next = seq.next()) {
      ++tried;
      if (fails(next->value())) {
        s = std::move(*next);
        progress = true;
        break;
      }
    }
  }
  return s;
}

void showValue(const Program& p, std::ostream& os) { os << "\n" << to_source(p); }

}  // namespace aiospec::fuzz
