#include "aiospec/adapter_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace aiospec {

namespace {
using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxLine = 64 << 20;  // an adapter flooding one line is cut off here
constexpr auto kGrace = std::chrono::seconds(5);  // beyond the case's own timeout

bool write_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}
}  // namespace

AdapterProcess::AdapterProcess(std::vector<std::string> argv, std::chrono::milliseconds hello_timeout)
    : argv_(std::move(argv)), hello_timeout_(hello_timeout) {
  ::signal(SIGPIPE, SIG_IGN);
  start();
}

AdapterProcess::~AdapterProcess() { stop(); }

void AdapterProcess::start() {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  std::vector<char*> args;
  for (auto& a : argv_) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(in[0]);
  ::close(out[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    throw ConfigurationError("cannot start adapter '" + argv_[0] + "': " + std::strerror(rc));
  }
  pid_ = pid;
  to_child_ = in[1];
  from_child_ = out[0];
  buffer_.clear();

  bool eof = false;
  auto line = read_line(Clock::now() + hello_timeout_, eof);
  if (!line) {
    stop();
    if (eof) throw ConfigurationError("adapter '" + argv_[0] + "' exited before its hello (is the command right?)");
    throw std::runtime_error("adapter '" + argv_[0] + "' timed out before its hello");
  }
  nlohmann::json h = nlohmann::json::parse(*line, nullptr, false);
  if (h.is_discarded() || h.value("type", "") != "hello") {
    stop();
    throw std::runtime_error("adapter '" + argv_[0] + "' did not start with a hello: " + line->substr(0, 200));
  }
  if (h.contains("error")) {
    stop();
    throw ConfigurationError(h.value("error", std::string("the adapter cannot start")));
  }
  hello_.protocol = h.value("protocol", 0);
  if (hello_.protocol != 1) {
    stop();
    throw std::runtime_error("adapter speaks protocol " + std::to_string(hello_.protocol) + "; this runner speaks 1");
  }
  auto impl = h.value("implementation", nlohmann::json::object());
  hello_.name = impl.value("name", "unknown");
  hello_.version = impl.value("version", "unknown");
  hello_.python = h.value("python", "");
  hello_.features = h.value("features", std::vector<std::string>{});
  hello_.time_modes = h.value("time", std::vector<std::string>{"real"});
}

void AdapterProcess::stop() noexcept {
  if (to_child_ >= 0) ::close(std::exchange(to_child_, -1));
  if (from_child_ >= 0) ::close(std::exchange(from_child_, -1));
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
}

std::optional<std::string> AdapterProcess::read_line(Clock::time_point deadline, bool& eof) {
  eof = false;
  for (;;) {
    auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (buffer_.size() > kMaxLine) return std::nullopt;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd p{from_child_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue;
    char buf[65536];
    ssize_t n = ::read(from_child_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof = true;
      return std::nullopt;
    }
    buffer_.append(buf, static_cast<std::size_t>(n));
  }
}

Observation AdapterProcess::run(const std::string& id, const std::string& program, const std::string& time_mode,
                                double timeout) {
  Observation obs;
  const auto started = Clock::now();
  auto restart = [&](std::string why, Observation::Kind kind) {
    obs.kind = kind;
    obs.message = std::move(why);
    stop();
    try {
      start();
    } catch (const std::exception& e) {
      obs.message += "; restarting the adapter failed: " + std::string(e.what());
    }
  };
  if (pid_ < 0) {
    try {
      start();
    } catch (const std::exception& e) {
      obs.message = e.what();
      return obs;
    }
  }
  nlohmann::json req = {{"type", "run"}, {"id", id}, {"program", program}, {"filename", "example.py"}  // what tools/spec-outputs records with: it shows in reprs and logs
                       ,
                        {"time", time_mode}, {"timeout", timeout}};
  if (!write_all(to_child_, req.dump() + "\n")) {
    restart("the adapter closed its input", Observation::Kind::crash);
    return obs;
  }
  const auto deadline = started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout)) + kGrace;
  bool eof = false;
  auto line = read_line(deadline, eof);
  obs.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (!line) {
    if (eof)
      restart("the adapter exited while running the case", Observation::Kind::crash);
    else if (buffer_.size() > kMaxLine)
      restart("the adapter flooded its output", Observation::Kind::error);
    else
      restart("no response within " + std::to_string(timeout) + " s", Observation::Kind::timeout);
    return obs;
  }
  auto r = nlohmann::json::parse(*line, nullptr, false);
  if (r.is_discarded() || !r.is_object() || r.value("id", nlohmann::json()) != id) {
    restart("the adapter wrote something that is not a response to this case: " + line->substr(0, 200),
            Observation::Kind::error);
    return obs;
  }
  const std::string type = r.value("type", "");
  obs.message = r.value("message", "");
  if (type == "result") {
    obs.kind = Observation::Kind::result;
    obs.output = r.value("output", "");
    obs.exit_status = r.value("exit_status", 0);
    for (auto& l : r.value("lines", nlohmann::json::array()))
      obs.line_times.push_back(l.size() > 1 && l[1].is_number() ? std::optional<double>(l[1].get<double>()) : std::nullopt);
    if (r.contains("seconds") && r["seconds"].is_number()) obs.seconds = r["seconds"].get<double>();
  } else if (type == "timeout") {
    obs.kind = Observation::Kind::timeout;
    obs.message = "no result within " + std::to_string(timeout) + " s";
  } else if (type == "crash") {
    obs.kind = Observation::Kind::crash;
  } else {
    obs.kind = Observation::Kind::error;
    if (obs.message.empty()) obs.message = "unexpected response type '" + type + "'";
  }
  return obs;
}

}  // namespace aiospec
