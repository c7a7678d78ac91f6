#include "aiospec/runner.hpp"

#include <fnmatch.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

namespace aiospec {

namespace {
int level_rank(Level l) { return l == Level::must ? 0 : l == Level::cpython ? 1 : 2; }
}  // namespace

const char* to_string(Status s) noexcept {
  switch (s) {
    case Status::PASS: return "PASS";
    case Status::FAIL: return "FAIL";
    case Status::XFAIL: return "XFAIL";
    case Status::XPASS: return "XPASS";
    case Status::SKIP: return "SKIP";
    case Status::TIMEOUT: return "TIMEOUT";
    case Status::CRASH: return "CRASH";
    case Status::ERROR: return "ERROR";
  }
  return "?";
}

std::optional<Status> parse_status(std::string_view s) noexcept {
  for (auto st : {Status::PASS, Status::FAIL, Status::XFAIL, Status::XPASS, Status::SKIP, Status::TIMEOUT,
                  Status::CRASH, Status::ERROR})
    if (s == to_string(st)) return st;
  return std::nullopt;
}

AdapterImplementation::AdapterImplementation(std::vector<std::string> argv, bool prefer_virtual)
    : proc_(std::move(argv)) {
  const auto& modes = proc_.hello().time_modes;
  const bool can_virtual = std::find(modes.begin(), modes.end(), "virtual") != modes.end();
  time_mode_ = prefer_virtual && can_virtual ? "virtual" : "real";
}

ImplementationFactory implementation_factory(const std::string& impl, const std::string& python, bool real_time) {
  if (impl == "reference") return make_reference_implementation;
  const std::string adapter = std::string(AIOSPEC_SOURCE_DIR) + "/conformance/adapters/python/aiospec_adapter.py";
  std::vector<std::string> argv;
  if (impl == "cpython" || impl == "cpython-pytasks") {
    argv = {python.empty() ? "python3" : python, adapter, "--loop", impl};
  } else if (impl == "uvloop") {
    // Debian's python3 carries python3-uvloop; a pyenv interpreter usually does not.
    argv = {python.empty() ? "/usr/bin/python3" : python, adapter, "--loop", "uvloop"};
  } else if (impl.rfind("cmd:", 0) == 0) {
    argv = {"/bin/sh", "-c", "exec " + impl.substr(4)};
  } else {
    throw std::invalid_argument("unknown implementation '" + impl +
                                "' (reference, cpython, cpython-pytasks, uvloop, cmd:PROGRAM)");
  }
  return [argv, real_time]() -> std::unique_ptr<Implementation> {
    return std::make_unique<AdapterImplementation>(argv, !real_time);
  };
}

std::map<std::string, Expectation> load_expectations(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the expectations file");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("cases") || !j["cases"].is_object())
    throw std::runtime_error(path + ": not an expectations file (an object with a \"cases\" object)");
  std::map<std::string, Expectation> out;
  for (auto& [id, e] : j["cases"].items()) {
    Expectation x;
    auto st = parse_status(e.value("status", "FAIL"));
    if (!st || *st == Status::PASS || *st == Status::XFAIL || *st == Status::XPASS || *st == Status::SKIP)
      throw std::runtime_error(path + ": case " + id + ": status must be FAIL, TIMEOUT, CRASH or ERROR");
    x.status = *st;
    x.reason = e.value("reason", "");
    x.link = e.value("link", "");
    if (x.reason.empty()) throw std::runtime_error(path + ": case " + id + ": a known divergence needs a reason");
    out.emplace(id, std::move(x));
  }
  return out;
}

std::size_t RunSummary::count(Status s) const {
  std::size_t n = 0;
  for (auto& r : results) n += r.status == s;
  return n;
}

std::size_t RunSummary::unexpected() const {
  std::size_t n = 0;
  for (auto& r : results) n += r.unexpected;
  return n;
}

std::string RunSummary::levels_line() const {
  std::string out;
  const char* words[] = {"conformant", "compatible", "as allowed"};
  for (Level l : {Level::must, Level::cpython, Level::unspecified}) {
    std::size_t ok = 0, all = 0;
    for (auto& r : results) {
      if (!r.c || r.c->level != l || r.status == Status::SKIP) continue;
      ++all;
      ok += r.status == Status::PASS;
    }
    if (!out.empty()) out += "; ";
    out += std::string(to_string(l)) + ": " + std::to_string(ok) + "/" + std::to_string(all) + " " + words[level_rank(l)];
  }
  return out;
}

namespace {

void classify(CaseResult& r, const Observation& obs, const std::map<std::string, Expectation>& expectations) {
  r.seconds = obs.seconds;
  switch (obs.kind) {
    case Observation::Kind::result: {
      r.observed = obs.output;
      auto j = judge(*r.c, obs.output);
      r.status = j.pass ? Status::PASS : Status::FAIL;
      r.diff = std::move(j.diff);
      break;
    }
    case Observation::Kind::timeout: r.status = Status::TIMEOUT; break;
    case Observation::Kind::crash: r.status = Status::CRASH; break;
    case Observation::Kind::error: r.status = Status::ERROR; break;
  }
  if (r.status != Status::PASS && r.reason.empty()) r.reason = obs.message;
  auto e = expectations.find(r.c->id);
  if (e == expectations.end()) {
    r.unexpected = r.status != Status::PASS;
    return;
  }
  if (r.status == Status::PASS) {
    r.status = Status::XPASS;  // a known divergence that went away: update the expectations
    r.reason = "expected " + std::string(to_string(e->second.status)) + ": " + e->second.reason;
    r.unexpected = true;
  } else if (r.status == e->second.status) {
    r.status = Status::XFAIL;
    r.reason = e->second.reason + (e->second.link.empty() ? "" : " (" + e->second.link + ")");
  } else {
    r.unexpected = true;
    r.reason = "expected " + std::string(to_string(e->second.status)) + ", got " + to_string(r.status) + ": " + r.reason;
  }
}

}  // namespace

RunSummary run_cases(const Spec& spec, const ImplementationFactory& factory, const SuiteOptions& opts) {
  const int jobs = std::max(1, opts.jobs);
  std::vector<std::unique_ptr<Implementation>> impls;
  impls.push_back(factory());  // errors starting the first instance propagate (exit 2/3)
  RunSummary summary;
  summary.implementation = impls[0]->name();
  summary.version = impls[0]->version();
  summary.python = impls[0]->python();
  summary.time_mode = impls[0]->time_mode();

  std::vector<std::size_t> todo;
  for (auto& c : spec.cases) {
    if (fnmatch(opts.filter.c_str(), c.id.c_str(), 0) != 0) continue;
    if (opts.max_level && level_rank(c.level) > level_rank(*opts.max_level)) continue;
    CaseResult r;
    r.c = &c;
    r.id = c.id;
    r.file = c.file;
    r.line = c.line;
    if (!c.python.contains(summary.python)) {
      r.status = Status::SKIP;
      r.reason = "needs Python " + c.python.str() + "; " + summary.implementation + " runs Python " + summary.python;
    }
    summary.results.push_back(std::move(r));
  }
  for (auto& e : spec.errors) {
    CaseResult r;
    r.id = "spec-error:" + e.file + ":" + std::to_string(e.line);
    r.file = e.file;
    r.line = e.line;
    r.status = Status::ERROR;
    r.unexpected = true;
    r.reason = e.message;
    summary.results.push_back(std::move(r));
  }
  for (std::size_t i = 0; i < summary.results.size(); ++i)
    if (summary.results[i].c && summary.results[i].status != Status::SKIP) todo.push_back(i);

  for (int k = 1; k < jobs && static_cast<std::size_t>(k) < todo.size(); ++k) {
    try {
      impls.push_back(factory());
    } catch (const std::exception&) {
      break;  // fewer workers, same results
    }
  }
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex progress_mutex;
  auto worker = [&](Implementation& impl) {
    for (std::size_t k; (k = next++) < todo.size();) {
      CaseResult& r = summary.results[todo[k]];
      classify(r, impl.run(*r.c, opts.timeout), opts.expectations);
      if (opts.progress) {
        std::lock_guard lock(progress_mutex);
        opts.progress(r, ++done, todo.size());
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t k = 1; k < impls.size(); ++k) threads.emplace_back(worker, std::ref(*impls[k]));
  worker(*impls[0]);
  for (auto& t : threads) t.join();
  return summary;
}

}  // namespace aiospec
