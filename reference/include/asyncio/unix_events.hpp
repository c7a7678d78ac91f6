#pragma once
// Pipe transports (unix_events.py: _UnixReadPipeTransport, _UnixWritePipeTransport), the transports
// of loop.connect_read_pipe / connect_write_pipe, written on the loop's add_reader/add_writer and the
// Network interface, so they run unchanged on epoll and on the simulated network; and signal
// handlers (add_signal_handler, remove_signal_handler; declared in events.hpp).
//
// Signals: while a loop has a handler, the process's handler of each of its signals counts the
// arrival in the loop (async-signal-safe: atomics and an eventfd write), flags the loop's
// threadsafe queue and wakes its poll, as the C handler writing the signal number to
// signal.set_wakeup_fd's descriptor does. The poll phase then queues _read_from_self, which queues
// each arrived signal's handler with call_soon (_process_self_data -> _handle_signal): a handler
// runs two iterations after the poll that saw the signal, as in CPython. Arrivals are counted per
// signal, and handled in signal-number order within one poll. One loop at a time receives signals
// (set_wakeup_fd is process-wide): the last to add a handler. A virtual-time loop sees a signal at
// its next poll; it waits for one only while external work is pending.
//
// A pipe is named by its descriptor (Python passes a file object; here the int is the 'pipe' extra
// info), which must be non-blocking (os.set_blocking is the caller's: the networks' descriptors are).
// The transport owns it and closes it after connection_lost. Unlike the socket transports, pipe
// transports are not registered as owning their descriptor (CPython adds them to loop._transports
// only for sockets), so loop.add_reader on it is not refused.
//
// Callback order, as CPython's:
//   read end:  connection_made -> data_received* -> eof_received -> connection_lost(None), each
//              from its own call_soon; eof_received's answer is ignored (a pipe cannot half-close);
//   write end: connection_made -> pause_writing/resume_writing* -> connection_lost, which gets
//              None after close()/write_eof() drained the buffer or abort(), None when the reader
//              went away with nothing buffered, BrokenPipeError() when it went away with data
//              buffered, and BrokenPipeError(32, 'Broken pipe') when a write found it gone.
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "asyncio/events.hpp"
#include "asyncio/futures.hpp"
#include "asyncio/transports.hpp"

namespace asyncio {

/// What both pipe transports hold: the descriptor, the loop and the protocol, and the end of the
/// connection (_call_connection_lost). Transport, not CPython's narrower ReadTransport for the read
/// end, because connect_read_pipe returns a Ref<Transport>; the write methods of the read end raise
/// NotImplementedError.
class PipeTransport : public Transport {
 public:
  ~PipeTransport() override;
  /// 'pipe': the descriptor (also once closed, as Python keeps the closed file object).
  ExtraInfo get_extra_info(std::string_view name) const override;
  bool is_closing() const override { return closing_; }
  void set_protocol(Ref<BaseProtocol> protocol) override { protocol_ = std::move(protocol); }
  Ref<BaseProtocol> get_protocol() const override { return protocol_; }

 protected:
  /// Asks the network what `fd` is (os.fstat): ValueError(`wrong_kind`) unless a pipe, a socket or a
  /// character device, OSError if it is no descriptor; the descriptor stays the caller's then.
  PipeTransport(EventLoop& loop, int fd, Ref<BaseProtocol> protocol, const char* wrong_kind);
  virtual const char* class_name() const noexcept = 0;
  /// `<_UnixWritePipeTransport closing fd=8 polling bufsize=5464>`: `event` is the interest shown as
  /// polling or idle, `tail` what follows it while the pipe is open.
  std::string repr_with(unsigned event, const std::string& tail) const;
  /// Schedules protocol.connection_made(self) (the constructors' first call_soon).
  void schedule_connection_made();
  /// Schedules the waiter's result (the constructors' last call_soon).
  void schedule_waiter(std::optional<Future<>> waiter);
  /// call_soon(self._call_connection_lost, exc).
  void schedule_connection_lost(std::exception_ptr exc);
  /// try: protocol.connection_lost(exc); finally: close the pipe, drop the protocol and the loop.
  void call_connection_lost(std::exception_ptr exc);
  /// The loop's handle label of one of this class's methods: `_UnixReadPipeTransport._read_ready()`.
  std::string method_label(const char* method) const;

  Ref<EventLoop> loop_;  // null once connection_lost has run (transport._loop = None)
  int fd_;
  int kind_;  // S_IFIFO, S_IFSOCK or S_IFCHR
  bool pipe_open_ = true;  // transport._pipe is not None
  Ref<BaseProtocol> protocol_;
  bool closing_ = false;
};

/// _UnixReadPipeTransport: reads up to kMaxSize bytes per iteration into protocol.data_received.
class UnixReadPipeTransport final : public PipeTransport {
 public:
  /// The protocol must be a Protocol (the only kind whose data_received a read pipe calls).
  UnixReadPipeTransport(EventLoop& loop, int fd, Ref<BaseProtocol> protocol,
                        std::optional<Future<>> waiter = std::nullopt);
  void set_protocol(Ref<BaseProtocol> protocol) override;
  void close() override;
  bool is_reading() const override { return !paused_ && !closing_; }
  void pause_reading() override;
  void resume_reading() override;
  /// `<_UnixReadPipeTransport fd=7 polling>`
  std::string repr() const override;

  /// os.read() size (unix_events.py: max_size).
  static constexpr std::size_t kMaxSize = 256 * 1024;

 private:
  const char* class_name() const noexcept override { return "_UnixReadPipeTransport"; }
  void io_ready(unsigned) override { read_ready(); }
  std::string io_label(unsigned) const override { return method_label("_read_ready()"); }
  /// TypeError unless `protocol` is a Protocol; returns it.
  static Ref<BaseProtocol> checked(Ref<BaseProtocol> protocol);
  void add_reader();
  void read_ready();
  /// _fatal_error after a failed read: reported unless EIO; then _close.
  void fatal_error(int err, const char* message);
  void close_with(std::exception_ptr exc);  // _close
  bool paused_ = false;
};

/// _UnixWritePipeTransport: writes at once what the pipe takes and buffers the rest, with flow
/// control; a reader on the write end learns that the read end was closed.
class UnixWritePipeTransport final : public PipeTransport {
 public:
  UnixWritePipeTransport(EventLoop& loop, int fd, Ref<BaseProtocol> protocol,
                         std::optional<Future<>> waiter = std::nullopt);
  /// Writes to a closing or lost pipe are dropped; from the sixth on each logs 'pipe closed by peer
  /// or os.write(pipe, data) raised exception.'.
  void write(std::string_view data) override;
  /// Closes once the buffer is flushed.
  void write_eof() override;
  bool can_write_eof() const override { return true; }
  void close() override;
  /// Drops the buffer and closes at once.
  void abort() override { close_with(nullptr); }
  std::size_t get_write_buffer_size() const override { return buffer_.size() - buffer_start_; }
  void set_write_buffer_limits(std::optional<std::size_t> high = std::nullopt,
                               std::optional<std::size_t> low = std::nullopt) override;
  std::pair<std::size_t, std::size_t> get_write_buffer_limits() const override { return flow_.limits(); }
  /// `<_UnixWritePipeTransport fd=8 idle bufsize=0>`
  std::string repr() const override;

  /// constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES: lost writes before the warning.
  static constexpr int kLogThresholdForConnlostWrites = 5;

 private:
  const char* class_name() const noexcept override { return "_UnixWritePipeTransport"; }
  void io_ready(unsigned event) override { event == kEventRead ? read_ready() : write_ready(); }
  std::string io_label(unsigned event) const override {
    return method_label(event == kEventRead ? "_read_ready()" : "_write_ready()");
  }
  void read_ready();
  void write_ready();
  /// _fatal_error after a failed write: an OSError, so never reported (only logged in debug mode).
  void fatal_error(int err) { close_with(make_os_error(err)); }
  void close_with(std::exception_ptr exc);  // _close
  void clear_buffer() noexcept;
  void maybe_pause_protocol();
  void maybe_resume_protocol();

  FlowControl flow_;
  int conn_lost_ = 0;
  // The bytearray of unsent data; the front is consumed by advancing buffer_start_ (CPython's
  // `del self._buffer[:n]`), compacted once it outweighs the rest.
  std::string buffer_;
  std::size_t buffer_start_ = 0;
};

namespace detail {
/// _UnixSelectorEventLoop.close(): removes the loop's signal handlers.
void close_signals(EventLoop& loop) noexcept;
/// The poll phase, once signals arrived: queues _read_from_self.
void queue_arrived_signals(EventLoop& loop);
/// The identity of the loop's handler of `sig` (loop._signal_handlers.get(sig)), or null.
const void* signal_handler(EventLoop& loop, int sig) noexcept;
}  // namespace detail

}  // namespace asyncio
