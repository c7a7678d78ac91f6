#pragma once
// asyncio.create_subprocess_exec / create_subprocess_shell and Process (asyncio/subprocess.py): a
// child process with stream readers and writers on its pipes.
//
//   auto proc = co_await asyncio::create_subprocess_exec({"cat"}, {.std_in = asyncio::PIPE, .std_out = asyncio::PIPE});
//   auto [out, err] = co_await proc->communicate("hello");
//   int rc = co_await proc->wait();   // 0; -9 for a child killed by SIGKILL
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "asyncio/base_subprocess.hpp"
#include "asyncio/streams.hpp"

namespace asyncio {

/// subprocess.SubprocessStreamProtocol: feeds the child's stdout and stderr to StreamReaders and
/// gives its stdin a StreamWriter; closes the transport once the child has exited and both output
/// pipes are closed.
class SubprocessStreamProtocol final : public SubprocessProtocol {
 public:
  SubprocessStreamProtocol(long limit, EventLoop& loop);
  void connection_made(BaseTransport& transport) override;
  void pipe_data_received(int fd, std::string_view data) override;
  void pipe_connection_lost(int fd, std::exception_ptr exc) override;
  void process_exited() override;
  void pause_writing() override;
  void resume_writing() override;
  std::string qualname() const override { return "SubprocessStreamProtocol"; }
  /// `<SubprocessStreamProtocol stdin=<StreamWriter ...> stdout=<StreamReader ...>>`
  std::string repr() const override;

  Ref<StreamWriter> std_in;
  Ref<StreamReader> std_out;
  Ref<StreamReader> std_err;

 private:
  class StdinFlow;  // the FlowControlMixin part, whose close waiter is _stdin_closed
  void maybe_close_transport();
  long limit_;
  Ref<EventLoop> loop_;
  Ref<StdinFlow> flow_;
  Ref<SubprocessTransport> transport_;
  bool process_exited_ = false;
  std::vector<int> pipe_fds_;
};

/// asyncio.subprocess.Process.
class Process : public RefCounted {
 public:
  Process(Ref<SubprocessTransport> transport, Ref<SubprocessStreamProtocol> protocol, EventLoop& loop);
  /// `<Process 1234>`
  std::string repr() const { return "<Process " + std::to_string(pid) + ">"; }
  /// None while the child runs; negative for a signal.
  std::optional<int> returncode() const { return transport_->get_returncode(); }
  /// Waits for the child to exit (and its pipes to close); returns returncode.
  Coro<int> wait();
  void send_signal(int sig) { transport_->send_signal(sig); }
  void terminate() { transport_->terminate(); }
  void kill() { transport_->kill(); }
  /// Sends `input` to stdin (then closes it; a BrokenPipeError or ConnectionResetError is ignored),
  /// reads stdout and stderr to EOF, waits for the child; returns (stdout, stderr), empty for a stream
  /// that is not a pipe.
  Coro<std::pair<std::string, std::string>> communicate(std::optional<std::string> input = std::nullopt);

  Ref<StreamWriter> std_in;   // null unless stdin is a pipe
  Ref<StreamReader> std_out;  // null unless stdout is a pipe
  Ref<StreamReader> std_err;  // null unless stderr is a pipe
  const int pid;

 private:
  Coro<std::string> feed_stdin(std::string input);
  Coro<std::string> read_stream(int fd);
  Ref<SubprocessTransport> transport_;
  Ref<SubprocessStreamProtocol> protocol_;
  Ref<EventLoop> loop_;
};

/// The options of create_subprocess_exec / create_subprocess_shell, whose streams default to None
/// (inherited), unlike loop.subprocess_exec's.
inline const SubprocessOptions kInheritStdio{std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt};

/// asyncio.create_subprocess_exec(*args, stdin=..., stdout=..., stderr=..., limit=...).
Coro<Ref<Process>> create_subprocess_exec(std::vector<std::string> args, SubprocessOptions opts = kInheritStdio,
                                          long limit = kDefaultStreamLimit);
/// asyncio.create_subprocess_shell(cmd, ...): `/bin/sh -c cmd`.
Coro<Ref<Process>> create_subprocess_shell(std::string cmd, SubprocessOptions opts = kInheritStdio,
                                           long limit = kDefaultStreamLimit);

}  // namespace asyncio
