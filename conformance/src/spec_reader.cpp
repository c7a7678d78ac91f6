// The spec reader: the C++ twin of tools/spec-outputs' parser.
#include "aiospec/spec_reader.hpp"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace aiospec {

namespace {

const std::regex kClauseId(R"([a-z0-9_]+(?:\.[a-z0-9_]+)+)");
const std::regex kHeading(R"(^## (.*?) — (.+)$)");
const std::regex kFence(R"(^(`{3,}|~{3,})(.*)$)");
const std::regex kMeta(R"(^Level: (\S+)(?: · Python: (.+))?$)");
const std::regex kTerm(R"(^\s*(>=|<=|==|!=|<|>)\s*(\d+)\.(\d+)\s*$)");

bool parse_specifier(const std::string& text, std::vector<VersionTerm>& out) {
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    std::smatch m;
    if (!std::regex_match(part, m, kTerm)) return false;
    out.push_back(VersionTerm{m[1], std::stoi(m[2]), std::stoi(m[3])});
  }
  return true;
}

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> w;
  std::stringstream ss(s);
  std::string x;
  while (ss >> x) w.push_back(x);
  return w;
}

}  // namespace

bool in_range(const std::vector<VersionTerm>& terms, int major, int minor) {
  for (const auto& t : terms) {
    auto v = std::make_pair(major, minor), b = std::make_pair(t.major, t.minor);
    bool ok = t.op == ">=" ? v >= b : t.op == "<=" ? v <= b : t.op == "==" ? v == b : t.op == "!=" ? v != b : t.op == "<" ? v < b : v > b;
    if (!ok) return false;
  }
  return true;
}

std::vector<SpecClause> read_spec_chapter(std::string_view text, const std::string& path, std::vector<SpecError>& errors) {
  std::vector<std::string> lines;
  {
    std::string cur;
    for (char c : text) {
      if (c == '\n') {
        lines.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    lines.push_back(cur);
  }
  auto error = [&](std::size_t i, std::string msg) { errors.push_back(SpecError{path, static_cast<int>(i + 1), std::move(msg)}); };
  std::deque<SpecClause> clauses;  // stable addresses while `clause` points into it
  SpecClause* clause = nullptr;
  SpecExample* last = nullptr;  // an example still waiting for its output block
  for (std::size_t i = 0; i < lines.size();) {
    const std::string& line = lines[i];
    std::smatch fm;
    if (std::regex_match(line, fm, kFence)) {
      const std::string marker = fm[1];
      const std::string info = fm[2];
      std::size_t j = i + 1;
      for (; j < lines.size(); ++j) {
        std::smatch cm;
        if (std::regex_match(lines[j], cm, kFence) && cm[1].str()[0] == marker[0] && cm[1].length() >= static_cast<long>(marker.size()) &&
            words_of(cm[2]).empty())
          break;
      }
      std::string content;
      for (std::size_t k = i + 1; k < j && k < lines.size(); ++k) content += lines[k] + "\n";
      auto words = words_of(info);
      bool is_example = !words.empty() && words[0] == "python" &&
                        std::any_of(words.begin(), words.end(), [](const std::string& w) { return w.rfind("example=", 0) == 0; });
      last = is_example ? last : (!words.empty() && words[0] == "output" ? last : nullptr);
      if (is_example) {
        last = nullptr;
        SpecExample ex;
        ex.path = path;
        ex.line = static_cast<int>(i + 1);
        ex.source = content;
        std::vector<VersionTerm> own;
        for (std::size_t k = 1; k < words.size(); ++k) {
          auto eq = words[k].find('=');
          std::string key = words[k].substr(0, eq), value = eq == std::string::npos ? "" : words[k].substr(eq + 1);
          if (key == "example") ex.id = value;
          else if (key == "python") {
            if (!parse_specifier(value, own)) error(i, "malformed Python specifier '" + value + "'");
          } else error(i, "unknown attribute '" + words[k] + "' on an example");
        }
        if (!clause) {
          error(i, "example " + ex.id + " is outside any clause");
        } else {
          auto dot = ex.id.rfind('.');
          if (dot == std::string::npos || ex.id.substr(0, dot) != clause->id) {
            error(i, "example id '" + ex.id + "' must be '" + clause->id + ".<n>'");
          } else {
            ex.clause = clause->id;
            ex.python = clause->python;
            ex.python.insert(ex.python.end(), own.begin(), own.end());
            clause->examples.push_back(std::move(ex));
            last = &clause->examples.back();
          }
        }
      } else if (!words.empty() && words[0] == "output") {
        if (!last) {
          error(i, "output block without an example before it");
        } else {
          if (words.size() > 2 || (words.size() == 2 && words[1] != "unordered")) error(i, "unknown output block info string '" + info + "'");
          last->output = content;
          last->has_output = true;
          last->unordered = words.size() == 2;
        }
        last = nullptr;
      }
      i = j + 1;
      continue;
    }
    if (!line.empty() && line.find_first_not_of(" \t") != std::string::npos) last = nullptr;
    std::smatch hm;
    if (std::regex_match(line, hm, kHeading) && std::regex_match(hm[1].str(), kClauseId)) {
      SpecClause c;
      c.id = hm[1];
      c.title = hm[2];
      c.path = path;
      c.line = static_cast<int>(i + 1);
      std::size_t j = i + 1;
      while (j < lines.size() && lines[j].find_first_not_of(" \t") == std::string::npos) ++j;
      std::smatch mm;
      if (j < lines.size() && std::regex_match(lines[j], mm, kMeta)) {
        c.level = mm[1];
        if (c.level != "must" && c.level != "cpython" && c.level != "unspecified") error(j, "clause " + c.id + ": unknown level '" + c.level + "'");
        if (mm[2].matched && !parse_specifier(mm[2], c.python)) error(j, "clause " + c.id + ": malformed Python specifier");
      } else {
        error(i, "clause " + c.id + ": missing 'Level: …' line after the heading");
      }
      clauses.push_back(std::move(c));
      clause = &clauses.back();
    } else if (line.rfind("# ", 0) == 0 || line.rfind("## ", 0) == 0) {
      clause = nullptr;
    }
    ++i;
  }
  for (auto& c : clauses)
    for (auto& e : c.examples)
      if (!e.has_output) error(static_cast<std::size_t>(e.line - 1), "example " + e.id + " has no output block");
  return {std::make_move_iterator(clauses.begin()), std::make_move_iterator(clauses.end())};
}

std::vector<SpecClause> read_spec_dir(const std::string& dir, std::vector<SpecError>& errors) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".md" && entry.path().filename() != "README.md") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::vector<SpecClause> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto cs = read_spec_chapter(ss.str(), f, errors);
    for (auto& c : cs) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace aiospec
