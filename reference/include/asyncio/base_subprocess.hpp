#pragma once
// Child processes: the transport of loop.subprocess_exec / subprocess_shell (base_subprocess.py:
// BaseSubprocessTransport, WriteSubprocessPipeProto, ReadSubprocessPipeProto; unix_events.py:
// _UnixSubprocessTransport._start and the child watchers).
//
// The child is spawned with posix_spawn (Popen's fork + exec, with close_fds and restore_signals:
// descriptors above 2 closed, SIGPIPE and SIGXFSZ back to SIG_DFL). Its pipes are the kernel's and
// become pipe transports of the loop (connect_read_pipe / connect_write_pipe in a task, as
// _connect_pipes does). Its exit is watched with a pidfd registered as a reader
// (PidfdChildWatcher); without pidfd_open (Linux < 5.3), a thread waits in waitpid
// (ThreadedChildWatcher). Either way the child is reaped once, and _process_exited runs two loop
// iterations after the exit is noticed (call_soon_threadsafe(call_soon, ...)).
//
// On a virtual-time loop the child, its pipes and its pidfd are kernel objects
// (EventLoop::add_kernel_descriptor), and the child is external work from spawn until the transport
// finishes: the clock does not move while it runs; the loop waits in the kernel's epoll instead. A
// child blocked on a pipe the program does not read therefore holds the virtual clock (a real
// loop would fire its timers meanwhile).
//
// Protocol callbacks, as CPython's: connection_made, then pipe_data_received(fd, data)* and
// pipe_connection_lost(fd, exc) per pipe, process_exited() once the child is reaped, and
// connection_lost(None) once it has exited and every pipe is closed. Callbacks arriving before
// connection_made (the pipes connect first) are queued and follow it in order.
#include <array>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "asyncio/events.hpp"
#include "asyncio/futures.hpp"
#include "asyncio/protocols.hpp"
#include "asyncio/transports.hpp"

namespace asyncio {

/// subprocess.PIPE, STDOUT and DEVNULL. A child stream is one of them, a descriptor of the process
/// (>= 0), or std::nullopt (Python's None: inherited).
inline constexpr int PIPE = -1;
inline constexpr int STDOUT = -2;
inline constexpr int DEVNULL = -3;
using Stdio = std::optional<int>;

/// The keyword arguments of subprocess_exec / subprocess_shell (their defaults: three pipes).
/// `stdout` and friends are macros of <cstdio>, hence the names.
struct SubprocessOptions {
  Stdio std_in = PIPE;
  Stdio std_out = PIPE;
  Stdio std_err = PIPE;  // STDOUT: the child's stderr goes where its stdout goes
  std::optional<std::string> cwd;
  /// The child's environment ("NAME=value"); nullopt: this process's.
  std::optional<std::vector<std::string>> env;
};

class BaseSubprocessTransport;

namespace detail {
/// WriteSubprocessPipeProto / ReadSubprocessPipeProto: the protocol of one of the child's pipes,
/// forwarding to the subprocess transport.
class SubprocessPipeProto final : public Protocol {
 public:
  SubprocessPipeProto(Ref<BaseSubprocessTransport> proc, int fd) : proc_(std::move(proc)), fd_(fd) {}
  void connection_made(BaseTransport& transport) override { pipe = Ref<BaseTransport>(&transport); }
  void connection_lost(std::exception_ptr exc) override;
  void pause_writing() override;
  void resume_writing() override;
  void data_received(std::string_view data) override;
  std::string qualname() const override {
    return fd_ == 0 ? "WriteSubprocessPipeProto" : "ReadSubprocessPipeProto";
  }
  std::string repr() const override;

  Ref<BaseTransport> pipe;
  bool disconnected = false;

 private:
  Ref<BaseSubprocessTransport> proc_;  // null after connection_lost
  int fd_;
};
}  // namespace detail

class BaseSubprocessTransport final : public SubprocessTransport {
 public:
  /// Spawns the child (an OSError such as FileNotFoundError(2, 'No such file or directory') if it
  /// cannot be) and starts connecting its pipes; `waiter` gets the outcome of that.
  BaseSubprocessTransport(EventLoop& loop, Ref<BaseProtocol> protocol, const std::vector<std::string>& args,
                          const SubprocessOptions& opts, Future<> waiter);
  ~BaseSubprocessTransport() override;

  int get_pid() const override { return pid_; }
  std::optional<int> get_returncode() const override { return returncode_; }
  /// The pipe transport of the child's stdin (0), stdout (1) or stderr (2), or null.
  BaseTransport* get_pipe_transport(int fd) const override;
  /// ProcessLookupError() once the transport has finished; nothing once the child was reaped.
  void send_signal(int sig) override;
  void terminate() override;
  void kill() override;
  /// Closes the pipes and kills the child if it is still running.
  void close() override;
  bool is_closing() const override { return closed_; }
  void set_protocol(Ref<BaseProtocol> protocol) override { protocol_ = std::move(protocol); }
  Ref<BaseProtocol> get_protocol() const override { return protocol_; }
  /// 'subprocess': the pid (Python gives the Popen object).
  ExtraInfo get_extra_info(std::string_view name) const override;
  /// `<_UnixSubprocessTransport pid=123 running stdin=<...> stdout=<...>>`
  std::string repr() const override;
  /// _wait(): the return code, once the transport has finished (connection_lost).
  Coro<int> wait();

  // From the pipes' protocols (_pipe_connection_lost, _pipe_data_received, the flow control).
  void pipe_connection_lost(int fd, std::exception_ptr exc);
  void pipe_data_received(int fd, std::string_view data);
  SubprocessProtocol& protocol() const;

 private:
  void spawn(const std::vector<std::string>& args, const SubprocessOptions& opts);
  Coro<void> connect_pipes(Future<> waiter);
  void schedule_connection_made();  // out of connect_pipes: see pipe_protocol_factory
  void watch_child();
  void child_reaped(int returncode);  // the watcher's callback
  void process_exited(int returncode);
  template <class F>
  void call(F fn);  // _call: queued until connection_made, then call_soon
  void try_finish();
  void call_connection_lost();
  void close_unconnected() noexcept;
  bool child_exited_unreported() const noexcept;

  Ref<EventLoop> loop_;  // null once finished (_loop = None)
  Ref<BaseProtocol> protocol_;
  int pid_ = -1;
  std::optional<int> returncode_;
  bool reaped_ = false;
  bool closed_ = false;
  bool finished_ = false;
  bool proc_ = false;  // _proc is not None
  std::array<bool, 3> piped_{};          // the key is in _pipes
  std::array<Ref<detail::SubprocessPipeProto>, 3> pipes_;  // its value, once connected
  std::array<int, 3> parent_fds_{-1, -1, -1};  // this side of each pipe, in the loop's numbering
  std::optional<std::vector<std::function<void()>>> pending_calls_;
  std::vector<Future<int>> exit_waiters_;
  int pidfd_ = -1;  // in the loop's numbering
  std::shared_ptr<LoopLink> link_;  // the child as external work; the waitpid thread's way back
  std::thread waiter_thread_;      // ThreadedChildWatcher, without pidfd
};

}  // namespace asyncio
