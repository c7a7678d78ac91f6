#pragma once
// The runner's side of the adapter protocol (conformance/PROTOCOL.md): starts an adapter process, reads
// its hello, sends run requests and waits for each response with a deadline. A dead, hung or garbling
// adapter is killed and restarted; the case in flight gets CRASH, TIMEOUT or ERROR.
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace aiospec {

/// What an implementation printed for one case, or why it could not say.
struct Observation {
  enum class Kind { result, timeout, crash, error };
  Kind kind = Kind::error;
  std::string output;                                // normalised output (kind == result)
  std::vector<std::optional<double>> line_times;     // loop time of each output line
  int exit_status = 0;
  std::string message;                               // timeout/crash/error details
  double seconds = 0;                                // wall time of the case
};

/// The adapter could not be started as configured (no such program or Python, the loop cannot be
/// imported): a usage or configuration error (exit 3), not an infrastructure failure (exit 2).
struct ConfigurationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct AdapterHello {
  int protocol = 0;
  std::string name, version, python;
  std::vector<std::string> features, time_modes;
};

class AdapterProcess {
 public:
  /// `argv[0]` is looked up on PATH. Throws ConfigurationError if it cannot be started, exits before its
  /// hello or says in its hello that it cannot load the loop; std::runtime_error if it hangs, garbles or
  /// speaks another protocol version.
  explicit AdapterProcess(std::vector<std::string> argv, std::chrono::milliseconds hello_timeout = std::chrono::seconds(30));
  ~AdapterProcess();
  AdapterProcess(const AdapterProcess&) = delete;
  AdapterProcess& operator=(const AdapterProcess&) = delete;

  const AdapterHello& hello() const noexcept { return hello_; }
  /// Runs one program. Never throws for the adapter's misbehaviour: it is reported in the Observation
  /// and the adapter restarted for the next case.
  Observation run(const std::string& id, const std::string& program, const std::string& time_mode, double timeout);

 private:
  void start();
  void stop() noexcept;
  /// One line from the adapter's stdout, or nullopt when the deadline passes or the stream ends.
  std::optional<std::string> read_line(std::chrono::steady_clock::time_point deadline, bool& eof);

  std::vector<std::string> argv_;
  std::chrono::milliseconds hello_timeout_;
  AdapterHello hello_;
  int pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string buffer_;
};

}  // namespace aiospec
