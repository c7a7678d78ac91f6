#pragma once
// Streams (asyncio/streams.py, 3.11): StreamReader, StreamWriter, StreamReaderProtocol and the
// open_connection / start_server helpers, on the loop's transports, so they run unchanged on epoll
// and on the simulated network.
//
//     auto [reader, writer] = co_await asyncio::open_connection("127.0.0.1", "8888");
//     writer->write("ping\n");
//     co_await writer->drain();
//     std::string line = co_await reader->readline();
//
// Readers, writers and protocols are reference counted (make_ref / Ref), as Python's objects are;
// a coroutine suspended in one of their methods holds a reference. A StreamReaderProtocol refers to
// its reader weakly (streams.py: _stream_reader_wr), since the reader refers to the transport, which
// refers to the protocol; the writer refers to the reader strongly. Dropping the last reference to a
// StreamWriter whose transport is still open closes it and warns (ResourceWarning
// 'unclosed <StreamWriter ...>'), as StreamWriter.__del__ does.
#include <concepts>
#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "asyncio/base_events.hpp"
#include "asyncio/coroutines.hpp"
#include "asyncio/events.hpp"
#include "asyncio/futures.hpp"
#include "asyncio/locks.hpp"
#include "asyncio/protocols.hpp"
#include "asyncio/tasks.hpp"
#include "asyncio/transports.hpp"

namespace asyncio {

/// streams._DEFAULT_LIMIT: 64 KiB.
inline constexpr long kDefaultStreamLimit = 64 * 1024;

class StreamReader;
class StreamWriter;

namespace detail {
/// weakref.ref(reader): cleared when the reader is destroyed.
struct StreamReaderRef final : RefCounted {
  StreamReader* reader;
  explicit StreamReaderRef(StreamReader* r) noexcept : reader(r) {}
};
}  // namespace detail

class StreamReader : public RefCounted {
 public:
  /// The line length limit, and half the buffer size at which reading pauses.
  /// ValueError('Limit cannot be <= 0'). No loop: get_event_loop().
  explicit StreamReader(long limit = kDefaultStreamLimit, EventLoop* loop = nullptr);
  ~StreamReader() override;

  /// `<StreamReader 5 bytes eof limit=10 waiter=<Future pending> exception=... transport=<...> paused>`
  std::string repr() const;
  std::exception_ptr exception() const noexcept { return exception_; }
  /// Wakes a waiting read with `exc`; later reads raise it.
  void set_exception(std::exception_ptr exc);
  template <class E>
  void set_exception(E e) {
    set_exception(std::make_exception_ptr(std::move(e)));
  }
  /// AssertionError('Transport already set').
  void set_transport(Ref<BaseTransport> transport);
  void feed_eof();
  /// True once feed_eof() was called and the buffer is empty.
  bool at_eof() const noexcept { return eof_ && buffer_.empty(); }
  /// Appends to the buffer and wakes a waiting read; pauses the transport's reading once more than
  /// 2 * limit bytes are buffered. AssertionError('feed_data after feed_eof').
  void feed_data(std::string_view data);

  /// Up to the first b'\n', included; at EOF the incomplete line (empty at the end). A line over the
  /// limit raises ValueError with LimitOverrunError's message, after dropping the line (or, with no
  /// newline in sight, the whole buffer).
  Coro<std::string> readline();
  /// Up to `separator`, included. IncompleteReadError(partial, None) at EOF (the buffer is emptied);
  /// LimitOverrunError when the data before the separator is over the limit (the data stays).
  /// ValueError('Separator should be at least one-byte string').
  Coro<std::string> readuntil(std::string separator = "\n");
  /// n < 0: everything until EOF; otherwise up to n bytes, as soon as any are buffered (empty at EOF).
  Coro<std::string> read(long n = -1);
  /// Exactly n bytes, or IncompleteReadError(partial, n) at EOF.
  /// ValueError('readexactly size can not be less than zero').
  Coro<std::string> readexactly(long n);

  long limit() const noexcept { return limit_; }
  /// The bytes received and not yet read (streams.py: _buffer).
  const std::string& buffer() const noexcept { return buffer_; }
  /// weakref.ref(self).
  Ref<detail::StreamReaderRef> weak_ref();

 private:
  /// What _wait_for_data awaits: `await self._waiter`, then `finally: self._waiter = None` (even if
  /// a newer read has put its own waiter there meanwhile); raises what interrupted the wait. An
  /// awaiter, not a coroutine: no frame per chunk read.
  class [[nodiscard]] DataWaiter {
   public:
    DataWaiter(StreamReader& reader, detail::Waiter waiter) noexcept : reader_(reader), inner_(std::move(waiter)) {}
    bool await_ready() noexcept { return inner_.await_ready(); }
    void await_suspend(std::coroutine_handle<> h) { inner_.await_suspend(h); }
    void await_resume() {
      std::exception_ptr error = inner_.await_resume();
      reader_.waiter_ = nullptr;
      if (error) std::rethrow_exception(error);
    }

   private:
    StreamReader& reader_;
    detail::AwaitWaiter inner_;
  };

  void wakeup_waiter();
  /// The first n bytes of the buffer, removed from it: `data = bytes(memoryview(self._buffer)[:n]);
  /// del self._buffer[:n]`.
  std::string take(std::size_t n);
  void maybe_resume_transport();
  /// _wait_for_data: waits for feed_data() or feed_eof(), resuming a paused transport first.
  /// RuntimeError('read() called while another coroutine is already waiting for incoming data').
  DataWaiter wait_for_data(const char* func_name);

  long limit_;
  Ref<EventLoop> loop_;
  std::string buffer_;
  bool eof_ = false;
  bool paused_ = false;
  Ref<FutureState<void>> waiter_;
  std::exception_ptr exception_;
  Ref<BaseTransport> transport_;
  Ref<detail::StreamReaderRef> weak_;
};

/// FlowControlMixin: the drain() side of flow control (pause_writing, resume_writing,
/// connection_lost), for StreamWriter.drain().
class FlowControlMixin : public Protocol {
 public:
  /// No loop: get_event_loop().
  explicit FlowControlMixin(EventLoop* loop = nullptr);
  void pause_writing() override;
  /// Wakes every drain() waiting, in order.
  void resume_writing() override;
  /// Wakes the drain() calls waiting (if writing is paused), with `exc` if there is one.
  void connection_lost(std::exception_ptr exc) override;
  /// _drain_helper: ConnectionResetError('Connection lost') once the connection is lost; otherwise
  /// returns at once unless writing is paused, then waits for resume_writing or connection_lost.
  Coro<> drain_helper();
  /// Whether drain_helper() would do more than return at once.
  bool drain_helper_needed() const noexcept { return paused_ || connection_lost_; }
  /// The future StreamWriter.wait_closed() awaits. NotImplementedError here.
  virtual Future<> get_close_waiter(StreamWriter& stream);

 protected:
  Ref<EventLoop> loop_;

 private:
  bool paused_ = false;
  detail::Waiters drain_waiters_;
  bool connection_lost_ = false;
};

/// client_connected_cb of start_server: a coroutine function, whose coroutine runs as a task
/// (an error from it goes to the exception handler, 'Unhandled exception in client_connected_cb',
/// and closes the transport), or a plain function. Each connection's protocol holds a copy. With
/// g++ 12, a lambda that captures by value must be named before `co_await start_server(...)`: one
/// written inside the co_await expression is destroyed twice.
class ClientConnectedCallback {
 public:
  template <class F>
    requires(!std::same_as<F, ClientConnectedCallback> && std::invocable<F&, Ref<StreamReader>, Ref<StreamWriter>>)
  ClientConnectedCallback(F f) {
    using R = std::invoke_result_t<F&, Ref<StreamReader>, Ref<StreamWriter>>;
    // An optional Coro: a caller that decides per call, as streams.py does (`if iscoroutine(res)`).
    static_assert(std::is_void_v<R> || std::is_same_v<R, Coro<>> || std::is_same_v<R, std::optional<Coro<>>>,
                  "client_connected_cb returns void, Coro<> or std::optional<Coro<>>");
    if constexpr (std::is_void_v<R>)
      fn_ = [f = std::move(f)](Ref<StreamReader> r, Ref<StreamWriter> w) mutable -> std::optional<Coro<>> {
        f(std::move(r), std::move(w));
        return std::nullopt;
      };
    else
      fn_ = std::move(f);
  }
  /// Calls it; the coroutine it returned, if any.
  std::optional<Coro<>> operator()(Ref<StreamReader> reader, Ref<StreamWriter> writer) const {
    return fn_(std::move(reader), std::move(writer));
  }

 private:
  std::function<std::optional<Coro<>>(Ref<StreamReader>, Ref<StreamWriter>)> fn_;
};

/// StreamReaderProtocol: feeds a StreamReader from a transport's callbacks; for a server connection,
/// makes the StreamWriter and calls client_connected_cb in connection_made.
class StreamReaderProtocol : public FlowControlMixin {
 public:
  explicit StreamReaderProtocol(Ref<StreamReader> stream_reader,
                                std::optional<ClientConnectedCallback> client_connected_cb = std::nullopt,
                                EventLoop* loop = nullptr);
  /// __del__: the close waiter's exception counts as retrieved.
  ~StreamReaderProtocol() override;
  void connection_made(BaseTransport& transport) override;
  /// EOF (exc null) or the error to the reader, then the close waiter, then the drain() waiters.
  void connection_lost(std::exception_ptr exc) override;
  void data_received(std::string_view data) override;
  /// Feeds EOF to the reader and keeps the transport open (half-closed): true.
  bool eof_received() override;
  Future<> get_close_waiter(StreamWriter&) override { return closed_; }
  /// `<asyncio.streams.StreamReaderProtocol object at 0x...>`
  std::string repr() const override;

 private:
  /// _stream_reader: the reader while it lives and the connection is not lost, else null.
  StreamReader* stream_reader() const noexcept { return stream_reader_wr_ ? stream_reader_wr_->reader : nullptr; }

  Ref<detail::StreamReaderRef> stream_reader_wr_;
  // A server's reader is kept alive until the connection is made (nothing else refers to it yet).
  Ref<StreamReader> strong_reader_;
  Ref<StreamWriter> stream_writer_;
  std::optional<Task<>> task_;
  Ref<BaseTransport> transport_;
  std::optional<ClientConnectedCallback> client_connected_cb_;
  Future<> closed_;
};

/// StreamWriter: a transport's write side, with drain() for flow control.
class StreamWriter : public RefCounted {
 public:
  StreamWriter(Ref<WriteTransport> transport, Ref<FlowControlMixin> protocol, Ref<StreamReader> reader,
               EventLoop& loop);
  /// __del__: closes a transport that is not closing, with ResourceWarning 'unclosed <StreamWriter ...>'
  /// (or 'loop is closed', without closing, when the loop is closed).
  ~StreamWriter() override;

  /// `<StreamWriter transport=<_SelectorSocketTransport ...> reader=<StreamReader ...>>`
  std::string repr() const;
  WriteTransport& transport() const noexcept { return *transport_; }
  void write(std::string_view data) { transport_->write(data); }
  void writelines(const std::vector<std::string>& data) { transport_->writelines(data); }
  void write_eof() { transport_->write_eof(); }
  bool can_write_eof() const { return transport_->can_write_eof(); }
  void close() { transport_->close(); }
  bool is_closing() const { return transport_->is_closing(); }
  /// Waits for connection_lost; raises its error, if there was one.
  Coro<> wait_closed();
  /// get_extra_info(name, default).
  ExtraInfo get_extra_info(std::string_view name, ExtraInfo default_value = {}) const;
  /// Raises the reader's exception if it has one; yields once if the transport is closing (so that
  /// connection_lost can run); then waits while writing is paused (FlowControlMixin.drain_helper).
  Coro<> drain();

 private:
  Ref<WriteTransport> transport_;
  Ref<FlowControlMixin> protocol_;
  Ref<StreamReader> reader_;
  Ref<EventLoop> loop_;
};

/// A (reader, writer) pair, as open_connection returns it.
using StreamPair = std::pair<Ref<StreamReader>, Ref<StreamWriter>>;

/// create_connection with a StreamReaderProtocol: (reader, writer).
Coro<StreamPair> open_connection(std::string host, std::string port, long limit = kDefaultStreamLimit,
                                 ConnectionOptions opts = {});
/// create_server whose connections each get a reader and a writer, handed to client_connected_cb.
Coro<Ref<Server>> start_server(ClientConnectedCallback client_connected_cb, std::string host, std::string port,
                               long limit = kDefaultStreamLimit, ServerOptions opts = {});
/// The same on Unix sockets (create_unix_connection, create_unix_server).
Coro<StreamPair> open_unix_connection(std::string path, long limit = kDefaultStreamLimit);
Coro<Ref<Server>> start_unix_server(ClientConnectedCallback client_connected_cb, std::string path,
                                    long limit = kDefaultStreamLimit, ServerOptions opts = {});

}  // namespace asyncio
