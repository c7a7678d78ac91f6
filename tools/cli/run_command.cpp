// aiospec run: the conformance run of the spec on one implementation.
#include <unistd.h>
#include <sys/utsname.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "aiospec/report.hpp"
#include "aiospec/runner.hpp"
#include "aiospec/spec.hpp"
#include "commands.hpp"

namespace aiospec::cli {

namespace {

struct RunArgs {
  std::string impl = "reference";
  std::string python;
  std::string filter = "*";
  std::string level;
  int jobs = 0;
  double timeout = 30;
  std::string expectations;
  bool update_expectations = false;
  bool real_time = false;
  std::string junit, json, markdown;
};

std::string command_output(const char* cmd) {
  std::string out;
  if (FILE* p = ::popen(cmd, "r")) {
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

bool write_file(const std::string& path, const std::function<void(std::ostream&)>& body) {
  std::ofstream out(path);
  if (!out) {
    std::cerr << "aiospec: cannot write " << path << "\n";
    return false;
  }
  body(out);
  return true;
}

int run(const RunArgs& a) {
  SuiteOptions opts;
  opts.filter = a.filter;
  opts.timeout = a.timeout;
  opts.jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (!a.level.empty()) opts.max_level = parse_level(a.level);
  std::string expectations_path = a.expectations;
  if (expectations_path.empty()) {
    const std::string guess = std::string(AIOSPEC_SOURCE_DIR) + "/conformance/expectations/" +
                              (a.impl.rfind("cmd:", 0) == 0 ? std::string("cmd") : a.impl) + ".json";
    if (std::ifstream(guess)) expectations_path = guess;
  }
  try {
    if (!expectations_path.empty()) opts.expectations = load_expectations(expectations_path);
  } catch (const std::exception& e) {
    std::cerr << "aiospec: " << e.what() << "\n";
    return usage;
  }

  const Spec spec = read_spec(AIOSPEC_SOURCE_DIR);
  const bool tty = ::isatty(2);
  opts.progress = [tty](const CaseResult& r, std::size_t done, std::size_t total) {
    if (tty) {
      const char* colour = r.unexpected ? "\x1b[31m" : r.status == Status::PASS ? "\x1b[32m" : "\x1b[33m";
      std::fprintf(stderr, "\r\x1b[K[%zu/%zu] %s%s\x1b[0m %s", done, total, colour, to_string(r.status), r.id.c_str());
      if (done == total) std::fputc('\n', stderr);
    } else if (r.unexpected) {
      std::fprintf(stderr, "%s %s (%s:%d) %s\n", to_string(r.status), r.id.c_str(), r.file.c_str(), r.line, r.reason.c_str());
    }
  };

  RunSummary s;
  try {
    auto factory = implementation_factory(a.impl, a.python, a.real_time);
    s = run_cases(spec, factory, opts);
  } catch (const std::invalid_argument& e) {
    std::cerr << "aiospec: " << e.what() << "\n";
    return usage;
  } catch (const std::exception& e) {
    std::cerr << "aiospec: cannot run on " << a.impl << ": " << e.what() << "\n";
    return infrastructure;
  }

  const RunContext ctx = context();
  if (!a.json.empty() && !write_file(a.json, [&](std::ostream& o) { write_jsonl(o, s, ctx); })) return infrastructure;
  if (!a.junit.empty() && !write_file(a.junit, [&](std::ostream& o) { write_junit(o, s); })) return infrastructure;
  if (!a.markdown.empty() && !write_file(a.markdown, [&](std::ostream& o) { write_markdown(o, s, ctx); }))
    return infrastructure;
  if (a.update_expectations) {
    const std::string path = expectations_path.empty()
                                 ? std::string(AIOSPEC_SOURCE_DIR) + "/conformance/expectations/" + a.impl + ".json"
                                 : expectations_path;
    if (!write_file(path, [&](std::ostream& o) { write_expectations(o, s, opts.expectations); })) return infrastructure;
    std::cout << "expectations written to " << path << "\n";
  }

  for (auto& r : s.results) {
    if (!r.unexpected) continue;
    std::cout << fmt::format("{} {} ({}:{})", to_string(r.status), r.id, r.file, r.line);
    if (!r.reason.empty()) std::cout << ": " << r.reason;
    std::cout << "\n";
    if (!r.diff.empty()) std::cout << r.diff;
  }
  std::cout << fmt::format("{} {} (Python {}, {} time): {}\n", s.implementation, s.version, s.python, s.time_mode,
                           s.levels_line());
  std::string counts;
  for (auto st : {Status::PASS, Status::FAIL, Status::XFAIL, Status::XPASS, Status::SKIP, Status::TIMEOUT,
                  Status::CRASH, Status::ERROR})
    if (auto n = s.count(st)) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, to_string(st));
  std::cout << counts << "; " << s.unexpected() << " unexpected\n";
  return s.unexpected() ? unexpected : ok;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run the spec's cases on an implementation and judge them");
  cmd->add_option("--impl", args->impl, "reference | cpython | cpython-pytasks | uvloop | cmd:PROGRAM")
      ->capture_default_str();
  cmd->add_option("--python", args->python, "the Python interpreter for cpython/uvloop adapters");
  cmd->add_option("--filter", args->filter, "only cases whose id matches this glob")->capture_default_str();
  cmd->add_option("--level", args->level, "must: must clauses only; cpython: must and cpython")
      ->check(CLI::IsMember({"must", "cpython"}));
  cmd->add_option("--jobs,-j", args->jobs, "parallel workers (default: CPU count)");
  cmd->add_option("--timeout", args->timeout, "seconds per case")->capture_default_str();
  cmd->add_option("--expectations", args->expectations, "known divergences (default conformance/expectations/IMPL.json)");
  cmd->add_flag("--update-expectations", args->update_expectations, "rewrite the expectations file from this run");
  cmd->add_flag("--real-time", args->real_time, "run in real time even where the adapter can virtualise the clock");
  cmd->add_option("--junit", args->junit, "write JUnit XML here");
  cmd->add_option("--json", args->json, "write the JSON-lines record here");
  cmd->add_option("--markdown", args->markdown, "write a Markdown summary here");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace aiospec::cli
