// What the subcommands share: the run's context for reports, file output, progress on a terminal.
#include <unistd.h>
#include <sys/utsname.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "commands.hpp"

namespace aiospec::cli {

std::string command_output(const std::string& cmd) {
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

RunContext context() {
  RunContext ctx;
  ctx.suite_version = "0.1.0";
  ctx.git_revision = command_output("git -C '" AIOSPEC_SOURCE_DIR "' rev-parse --short HEAD 2>/dev/null");
  if (ctx.git_revision.empty()) ctx.git_revision = "unknown";
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  ctx.started = buf;
  utsname u{};
  ::uname(&u);
  ctx.host = fmt::format("{} {} {}, {} CPUs", u.sysname, u.release, u.machine, std::thread::hardware_concurrency());
  return ctx;
}

std::optional<std::size_t> parse_size(const std::string& s) {
  std::size_t digits = 0, value = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) {
    if (value > (std::size_t{1} << 50)) return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(s[digits++] - '0');
  }
  if (digits == 0 || s.size() > digits + 1) return std::nullopt;
  if (digits == s.size()) return value;
  switch (std::toupper(static_cast<unsigned char>(s.back()))) {
    case 'K': return value << 10;
    case 'M': return value << 20;
    case 'G': return value << 30;
    default: return std::nullopt;
  }
}

bool write_file(const std::string& path, const std::function<void(std::ostream&)>& body) {
  std::ofstream out(path);
  if (!out) {
    std::cerr << "aiospec: cannot write " << path << "\n";
    return false;
  }
  body(out);
  return true;
}

std::function<void(const CaseResult&, std::size_t, std::size_t)> progress_reporter() {
  const bool tty = ::isatty(2);
  return [tty](const CaseResult& r, std::size_t done, std::size_t total) {
    if (tty) {
      const char* colour = r.unexpected ? "\x1b[31m" : r.status == Status::PASS ? "\x1b[32m" : "\x1b[33m";
      std::fprintf(stderr, "\r\x1b[K[%zu/%zu] %s%s\x1b[0m %s", done, total, colour, to_string(r.status), r.id.c_str());
      if (done == total) std::fputc('\n', stderr);
    } else if (r.unexpected) {
      std::fprintf(stderr, "%s %s (%s:%d) %s\n", to_string(r.status), r.id.c_str(), r.file.c_str(), r.line, r.reason.c_str());
    }
  };
}

}  // namespace aiospec::cli
