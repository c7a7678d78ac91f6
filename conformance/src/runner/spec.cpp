#include "aiospec/spec.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace aiospec {

namespace {

const std::regex kHeading(R"(^## (.*?) — (.+)$)");
const std::regex kFence(R"(^(`{3,}|~{3,})(.*)$)");
const std::regex kMeta(R"(^Level: (\S+)(?: · Python: (.+))?$)");
const std::regex kClauseId(R"([a-z][a-z0-9_]*(\.[a-z0-9_]+)+)");
const std::regex kTerm(R"(^\s*(>=|<=|==|!=|<|>)\s*(\d+)\.(\d+)\s*$)");

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto pos = text.find(sep, start);
    out.emplace_back(text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

struct Fence {
  std::string info;
  std::vector<std::string> content;
  std::size_t after;
};

Fence read_fence(const std::vector<std::string>& lines, std::size_t i) {
  std::smatch m;
  std::regex_match(lines[i], m, kFence);
  const std::string marker = m[1];
  Fence f{m[2].str(), {}, lines.size()};
  f.info.erase(0, f.info.find_first_not_of(" \t"));
  for (std::size_t j = i + 1; j < lines.size(); ++j) {
    std::smatch c;
    if (std::regex_match(lines[j], c, kFence) && c[1].str()[0] == marker[0] && c[1].length() >= static_cast<long>(marker.size()) &&
        c[2].str().find_first_not_of(" \t") == std::string::npos) {
      f.after = j + 1;
      return f;
    }
    f.content.push_back(lines[j]);
  }
  return f;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (auto& l : lines) s += l + "\n";
  return s;
}

}  // namespace

const char* to_string(Level l) noexcept {
  switch (l) {
    case Level::must: return "must";
    case Level::cpython: return "cpython";
    case Level::unspecified: return "unspecified";
  }
  return "?";
}

std::optional<Level> parse_level(std::string_view s) noexcept {
  if (s == "must") return Level::must;
  if (s == "cpython") return Level::cpython;
  if (s == "unspecified") return Level::unspecified;
  return std::nullopt;
}

std::optional<VersionRange> VersionRange::parse(std::string_view text) {
  VersionRange r;
  for (auto& part : split(text, ',')) {
    std::smatch m;
    if (!std::regex_match(part, m, kTerm)) return std::nullopt;
    r.terms.push_back({m[1], std::stoi(m[2]), std::stoi(m[3])});
  }
  return r;
}

bool VersionRange::contains(int major, int minor) const noexcept {
  const auto v = std::make_pair(major, minor);
  for (auto& t : terms) {
    const auto b = std::make_pair(t.major, t.minor);
    const bool ok = t.op == ">=" ? v >= b : t.op == "<=" ? v <= b : t.op == "==" ? v == b : t.op == "!=" ? v != b
                  : t.op == "<"  ? v < b : v > b;
    if (!ok) return false;
  }
  return true;
}

bool VersionRange::contains(std::string_view version) const {
  auto parts = split(version, '.');
  if (parts.size() < 2) return false;
  try {
    return contains(std::stoi(parts[0]), std::stoi(parts[1]));
  } catch (...) {
    return false;
  }
}

std::string VersionRange::str() const {
  std::string s;
  for (auto& t : terms) {
    if (!s.empty()) s += ",";
    s += t.op + std::to_string(t.major) + "." + std::to_string(t.minor);
  }
  return s.empty() ? "any" : s;
}

void read_chapter(std::string_view text, const std::string& file, Spec& out) {
  const auto lines = split(text, '\n');
  auto error = [&](std::size_t i, std::string msg) { out.errors.push_back({file, static_cast<int>(i + 1), std::move(msg)}); };
  struct Clause {
    std::string id, title;
    std::optional<Level> level;
    VersionRange python;
    int examples = 0;
    std::size_t line;
  };
  std::optional<Clause> clause;
  // The index in out.cases of an example awaiting its output, or kNone (a sentinel rather than an optional,
  // which gcc 12 -O2 wrongly reports as maybe used uninitialised).
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t pending = kNone;
  auto close_clause = [&] {
    if (clause && clause->examples == 0) error(clause->line, "clause " + clause->id + " has no example");
    clause.reset();
  };
  for (std::size_t i = 0; i < lines.size();) {
    const std::string& line = lines[i];
    if (std::regex_match(line, kFence)) {
      Fence f = read_fence(lines, i);
      auto w = words(f.info);
      const bool is_example =
          !w.empty() && w[0] == "python" && std::any_of(w.begin(), w.end(), [](auto& x) { return x.rfind("example=", 0) == 0; });
      if (is_example) {
        if (pending != kNone) error(out.cases[pending].line - 1, "example " + out.cases[pending].id + " has no output block");
        pending = kNone;
        std::string id;
        VersionRange own;
        bool ok = true;
        for (std::size_t k = 1; k < w.size(); ++k) {
          auto eq = w[k].find('=');
          auto key = w[k].substr(0, eq), value = eq == std::string::npos ? "" : w[k].substr(eq + 1);
          if (key == "example") {
            id = value;
          } else if (key == "python") {
            if (auto r = VersionRange::parse(value)) own = *r;
            else error(i, "malformed Python specifier '" + value + "'");
          } else {
            error(i, "unknown attribute '" + w[k] + "' on an example");
          }
        }
        if (!clause) {
          error(i, "example " + id + " is outside any clause");
          ok = false;
        } else if (id.rfind(clause->id + ".", 0) != 0 || id.size() == clause->id.size() + 1 ||
                   id.find_first_not_of("0123456789", clause->id.size() + 1) != std::string::npos) {
          error(i, "example id '" + id + "' must be '" + clause->id + ".<n>'");
          ok = false;
        }
        if (ok) {
          Case c;
          c.id = id;
          c.clause = clause->id;
          c.title = clause->title;
          c.level = clause->level.value_or(Level::must);
          c.python = clause->python;
          c.python.terms.insert(c.python.terms.end(), own.terms.begin(), own.terms.end());
          c.file = file;
          c.line = static_cast<int>(i + 1);
          c.program = joined(f.content);
          ++clause->examples;
          out.cases.push_back(std::move(c));
          pending = out.cases.size() - 1;
        }
      } else if (!w.empty() && w[0] == "output") {
        if (pending == kNone) {
          error(i, "output block without an example before it");
        } else {
          Case& c = out.cases[pending];
          const bool unordered = w.size() == 2 && w[1] == "unordered";
          if (w.size() > 1 && !unordered) error(i, "unknown output block info string '" + f.info + "'");
          if (unordered && c.level != Level::unspecified) error(i, "'output unordered' is only for unspecified clauses");
          c.expected = joined(f.content);
          c.unordered = unordered;
        }
        pending = kNone;
      } else {
        pending = kNone;
      }
      i = f.after;
      continue;
    }
    if (pending != kNone && line.find_first_not_of(" \t") != std::string::npos) {
      error(out.cases[pending].line - 1, "example " + out.cases[pending].id + " has no output block");
      out.cases.erase(out.cases.begin() + static_cast<long>(pending));
      pending = kNone;
    }
    std::smatch m;
    if (std::regex_match(line, m, kHeading)) {
      close_clause();
      const std::string id = m[1];
      if (!std::regex_match(id, kClauseId)) {
        error(i, "malformed clause id '" + id + "' (lowercase area.name, [a-z0-9_])");
      } else {
        ++out.clauses;
        clause = Clause{id, m[2], std::nullopt, {}, 0, i};
        std::size_t j = i + 1;
        while (j < lines.size() && lines[j].find_first_not_of(" \t") == std::string::npos) ++j;
        std::smatch meta;
        if (j >= lines.size() || !std::regex_match(lines[j], meta, kMeta)) {
          error(i, "clause " + id + ": missing 'Level: …' line after the heading");
        } else {
          clause->level = parse_level(meta[1].str());
          if (!clause->level) error(j, "clause " + id + ": unknown level '" + meta[1].str() + "' (must, cpython, unspecified)");
          if (meta[2].matched) {
            if (auto r = VersionRange::parse(meta[2].str())) clause->python = *r;
            else error(j, "clause " + id + ": malformed Python specifier '" + meta[2].str() + "'");
          }
        }
      }
    } else if (line.rfind("# ", 0) == 0 || line.rfind("## ", 0) == 0) {
      close_clause();
    }
    ++i;
  }
  if (pending != kNone) {
    error(out.cases[pending].line - 1, "example " + out.cases[pending].id + " has no output block");
    out.cases.erase(out.cases.begin() + static_cast<long>(pending));
  }
  close_clause();
}

Spec read_spec(const std::filesystem::path& root) {
  Spec spec;
  std::vector<std::filesystem::path> files;
  for (auto& e : std::filesystem::directory_iterator(root / "spec"))
    if (e.path().extension() == ".md") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (auto& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    read_chapter(text.str(), "spec/" + p.filename().string(), spec);
  }
  std::map<std::string, const Case*> seen;
  for (auto& c : spec.cases) {
    auto [it, fresh] = seen.emplace(c.id, &c);
    if (!fresh)
      spec.errors.push_back({c.file, c.line, "duplicate example id " + c.id + " (first at " + it->second->file + ":" +
                                                 std::to_string(it->second->line) + ")"});
  }
  return spec;
}

}  // namespace aiospec
