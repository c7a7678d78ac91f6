#include "asyncio/streams.hpp"

#include <algorithm>
#include <cstdio>
#include <variant>

#include "asyncio/sleep.hpp"

namespace asyncio {

namespace {
/// The reference a Python frame holds on `self` while a method is suspended (none for an object
/// that is not Ref-owned).
Ref<RefCounted> keep_alive(RefCounted* self) { return self->ref_count() ? Ref<RefCounted>(self) : Ref<RefCounted>(); }

std::string object_address(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%#zx", reinterpret_cast<std::size_t>(p));
  return buf;
}
}  // namespace

// ---------------------------------------------------------------------------------------- StreamReader

StreamReader::StreamReader(long limit, EventLoop* loop) : limit_(limit) {
  // The line length limit is a security feature; it also doubles as half the buffer limit.
  if (limit <= 0) throw ValueError("Limit cannot be <= 0");
  loop_ = Ref<EventLoop>(loop ? loop : &get_event_loop());
}

StreamReader::~StreamReader() {
  if (weak_) weak_->reader = nullptr;
}

Ref<detail::StreamReaderRef> StreamReader::weak_ref() {
  if (!weak_) weak_ = make_ref<detail::StreamReaderRef>(this);
  return weak_;
}

std::string StreamReader::repr() const {
  std::string info = "StreamReader";
  if (!buffer_.empty()) info += " " + std::to_string(buffer_.size()) + " bytes";
  if (eof_) info += " eof";
  if (limit_ != kDefaultStreamLimit) info += " limit=" + std::to_string(limit_);
  if (waiter_) info += " waiter=" + waiter_->repr();
  if (exception_) info += " exception=" + inspect(exception_).repr();
  if (transport_) info += " transport=" + transport_->repr();
  if (paused_) info += " paused";
  return "<" + info + ">";
}

void StreamReader::set_exception(std::exception_ptr exc) {
  exception_ = exc;
  if (auto waiter = std::move(waiter_); waiter && !waiter->cancelled()) waiter->set_exception(std::move(exc));
}

void StreamReader::wakeup_waiter() {
  // Wakes a read*() waiting for data or EOF.
  if (auto waiter = std::move(waiter_); waiter && !waiter->cancelled()) waiter->set_result();
}

void StreamReader::set_transport(Ref<BaseTransport> transport) {
  if (transport_) throw AssertionError("Transport already set");
  transport_ = std::move(transport);
}

std::string StreamReader::take(std::size_t n) {
  // All of it: the buffer itself is handed over instead of copied (the next feed_data allocates the
  // buffer that the copy would have).
  if (n >= buffer_.size()) return std::exchange(buffer_, {});
  std::string data = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return data;
}

void StreamReader::maybe_resume_transport() {
  if (paused_ && buffer_.size() <= static_cast<std::size_t>(limit_)) {
    paused_ = false;
    transport_cast<ReadTransport>(*transport_)->resume_reading();
  }
}

void StreamReader::feed_eof() {
  eof_ = true;
  wakeup_waiter();
}

void StreamReader::feed_data(std::string_view data) {
  if (eof_) throw AssertionError("feed_data after feed_eof");
  if (data.empty()) return;
  buffer_ += data;
  wakeup_waiter();
  if (transport_ && !paused_ && buffer_.size() > 2 * static_cast<std::size_t>(limit_)) {
    try {
      transport_cast<ReadTransport>(*transport_)->pause_reading();
    } catch (const NotImplementedError&) {
      // The transport can't be paused: buffer everything, and forget it so as not to keep trying.
      transport_ = nullptr;
      return;
    }
    paused_ = true;
  }
}

StreamReader::DataWaiter StreamReader::wait_for_data(const char* func_name) {
  // One future links feed_data() to one read: with two reads waiting, which one would get the next
  // data could not be known.
  if (waiter_)
    throw RuntimeError(std::string(func_name) +
                       "() called while another coroutine is already waiting for incoming data");
  if (eof_) throw AssertionError("_wait_for_data after EOF");
  // Waiting for data while paused would deadlock (readexactly(n) with n > limit).
  if (paused_) {
    paused_ = false;
    transport_cast<ReadTransport>(*transport_)->resume_reading();
  }
  waiter_ = make_ref<FutureState<void>>(*loop_);
  return DataWaiter(*this, waiter_);
}

Coro<std::string> StreamReader::readline() {
  auto keep = keep_alive(this);
  const std::string_view sep = "\n";
  try {
    co_return co_await readuntil(std::string(sep));
  } catch (const IncompleteReadError& e) {
    co_return e.partial;
  } catch (const LimitOverrunError& e) {
    if (std::string_view(buffer_).substr(std::min(e.consumed, buffer_.size())).starts_with(sep))
      buffer_.erase(0, e.consumed + sep.size());
    else
      buffer_.clear();
    maybe_resume_transport();
    throw ValueError(e.args().front());
  }
}

Coro<std::string> StreamReader::readuntil(std::string separator) {
  auto keep = keep_alive(this);
  const long seplen = static_cast<long>(separator.size());
  if (seplen == 0) throw ValueError("Separator should be at least one-byte string");
  if (exception_) std::rethrow_exception(exception_);

  // `offset` bytes from the start of the buffer hold no separator. Each search consumes all but the
  // last seplen - 1 bytes (they may begin a separator), so a long separator's tail is rescanned:
  // separators are short.
  long offset = 0;
  long isep;
  // Until the separator is found, the buffer overruns the limit, or EOF.
  for (;;) {
    // Signed: a concurrent read() may have shrunk the buffer below `offset` while this one waited.
    const long buflen = static_cast<long>(buffer_.size());
    if (buflen - offset >= seplen) {
      const auto found = buffer_.find(separator, offset);
      if (found != std::string::npos) {
        isep = static_cast<long>(found);
        break;
      }
      offset = buflen + 1 - seplen;
      if (offset > limit_) throw LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
    }
    // EOF is checked after the buffer: the last chunk may have completed the separator.
    if (eof_) throw IncompleteReadError(std::exchange(buffer_, {}), -1);
    co_await wait_for_data("readuntil");  // resumes reading if the stream was paused
  }
  if (isep > limit_) throw LimitOverrunError("Separator is found, but chunk is longer than limit", isep);
  std::string chunk = take(static_cast<std::size_t>(isep + seplen));
  maybe_resume_transport();
  co_return chunk;
}

Coro<std::string> StreamReader::read(long n) {
  auto keep = keep_alive(this);
  if (exception_) std::rethrow_exception(exception_);
  if (n == 0) co_return std::string();
  if (n < 0) {
    // Blocks of at most `limit` until EOF: waiting for everything at once would deadlock once more
    // than 2 * limit bytes pause the transport.
    std::string blocks;
    for (;;) {
      std::string block = co_await read(limit_);
      if (block.empty()) break;
      blocks += block;
    }
    co_return blocks;
  }
  if (buffer_.empty() && !eof_) co_await wait_for_data("read");
  std::string data = take(static_cast<std::size_t>(n));
  maybe_resume_transport();
  co_return data;
}

Coro<std::string> StreamReader::readexactly(long n) {
  auto keep = keep_alive(this);
  if (n < 0) throw ValueError("readexactly size can not be less than zero");
  if (exception_) std::rethrow_exception(exception_);
  if (n == 0) co_return std::string();
  while (buffer_.size() < static_cast<std::size_t>(n)) {
    if (eof_) throw IncompleteReadError(std::exchange(buffer_, {}), n);
    co_await wait_for_data("readexactly");
  }
  std::string data = take(static_cast<std::size_t>(n));
  maybe_resume_transport();
  co_return data;
}

// ------------------------------------------------------------------------------------ FlowControlMixin

FlowControlMixin::FlowControlMixin(EventLoop* loop) : loop_(loop ? loop : &get_event_loop()) {}

void FlowControlMixin::pause_writing() {
  if (paused_) throw AssertionError();
  paused_ = true;
}

void FlowControlMixin::resume_writing() {
  if (!paused_) throw AssertionError();
  paused_ = false;
  for (auto& waiter : drain_waiters_)
    if (!waiter->done()) waiter->set_result();
}

void FlowControlMixin::connection_lost(std::exception_ptr exc) {
  connection_lost_ = true;
  // Wakes the writers if they are waiting, that is if writing is paused.
  if (!paused_) return;
  for (auto& waiter : drain_waiters_) {
    if (waiter->done()) continue;
    if (exc)
      waiter->set_exception(exc);
    else
      waiter->set_result();
  }
}

Coro<> FlowControlMixin::drain_helper() {
  if (connection_lost_) throw ConnectionResetError("Connection lost");
  if (!paused_) co_return;
  auto keep = keep_alive(this);
  if (auto error = co_await detail::wait_in_line(drain_waiters_, make_ref<FutureState<void>>(*loop_)))
    std::rethrow_exception(error);
}

Future<> FlowControlMixin::get_close_waiter(StreamWriter&) { throw NotImplementedError(); }

// -------------------------------------------------------------------------------- StreamReaderProtocol

StreamReaderProtocol::StreamReaderProtocol(Ref<StreamReader> stream_reader,
                                           std::optional<ClientConnectedCallback> client_connected_cb, EventLoop* loop)
    : FlowControlMixin(loop), client_connected_cb_(std::move(client_connected_cb)), closed_(loop_->create_future()) {
  if (stream_reader) stream_reader_wr_ = stream_reader->weak_ref();
  // A stream of create_server: nothing else refers to the reader until the connection is made.
  if (client_connected_cb_) strong_reader_ = std::move(stream_reader);
}

StreamReaderProtocol::~StreamReaderProtocol() {
  // Prevents the report of an exception nobody awaited wait_closed() for.
  if (closed_.done() && !closed_.cancelled()) closed_.exception();
}

std::string StreamReaderProtocol::repr() const {
  return "<asyncio.streams.StreamReaderProtocol object at " + object_address(this) + ">";
}

void StreamReaderProtocol::connection_made(BaseTransport& transport) {
  transport_ = Ref<BaseTransport>(&transport);
  StreamReader* reader = stream_reader();
  if (reader) reader->set_transport(transport_);
  if (!client_connected_cb_) return;
  stream_writer_ = make_ref<StreamWriter>(transport_cast<WriteTransport>(transport), Ref<FlowControlMixin>(this),
                                          Ref<StreamReader>(reader), *loop_);
  if (auto coro = (*client_connected_cb_)(Ref<StreamReader>(reader), stream_writer_)) {
    task_ = loop_->create_task(std::move(*coro));
    task_->add_done_callback([self = Ref<StreamReaderProtocol>(this), transport = transport_](FutureBase& task) {
      // A cancelled task raises CancelledError here, which the loop reports (3.11 does not check).
      std::exception_ptr exc = task.exception();
      if (!exc) return;
      ExceptionContext ctx;
      ctx.message = "Unhandled exception in client_connected_cb";
      ctx.exception = exc;
      ctx.extra = {{"transport", transport->repr()}};
      self->loop_->call_exception_handler(ctx);
      transport->close();
    });
  }
  strong_reader_ = nullptr;
}

void StreamReaderProtocol::connection_lost(std::exception_ptr exc) {
  if (StreamReader* reader = stream_reader()) {
    if (exc)
      reader->set_exception(exc);
    else
      reader->feed_eof();
  }
  if (!closed_.done()) {
    if (exc)
      closed_.set_exception(exc);
    else
      closed_.set_result();
  }
  FlowControlMixin::connection_lost(exc);
  stream_reader_wr_ = nullptr;
  stream_writer_ = nullptr;
  task_.reset();
  transport_ = nullptr;
}

void StreamReaderProtocol::data_received(std::string_view data) {
  if (StreamReader* reader = stream_reader()) reader->feed_data(data);
}

bool StreamReaderProtocol::eof_received() {
  if (StreamReader* reader = stream_reader()) reader->feed_eof();
  return true;
}

// ---------------------------------------------------------------------------------------- StreamWriter

StreamWriter::StreamWriter(Ref<WriteTransport> transport, Ref<FlowControlMixin> protocol, Ref<StreamReader> reader,
                           EventLoop& loop)
    : transport_(std::move(transport)), protocol_(std::move(protocol)), reader_(std::move(reader)), loop_(&loop) {}

StreamWriter::~StreamWriter() {
  if (transport_->is_closing()) return;
  if (loop_->is_closed()) {
    warn("ResourceWarning", "loop is closed");
    return;
  }
  close();
  warn("ResourceWarning", "unclosed " + repr());
}

std::string StreamWriter::repr() const {
  std::string info = "StreamWriter transport=" + transport_->repr();
  if (reader_) info += " reader=" + reader_->repr();
  return "<" + info + ">";
}

Coro<> StreamWriter::wait_closed() {
  auto keep = keep_alive(this);
  co_await protocol_->get_close_waiter(*this);
}

ExtraInfo StreamWriter::get_extra_info(std::string_view name, ExtraInfo default_value) const {
  ExtraInfo value = transport_->get_extra_info(name);
  return std::holds_alternative<std::monostate>(value) ? default_value : value;
}

Coro<> StreamWriter::drain() {
  auto keep = keep_alive(this);
  if (reader_)
    if (std::exception_ptr exc = reader_->exception()) std::rethrow_exception(exc);
  // Yield so that connection_lost() may run: otherwise `write(); await drain()` in a loop would
  // never see the connection's error once the transport is closing.
  if (transport_->is_closing()) co_await sleep(0);
  // `await self._protocol._drain_helper()`, which returns at once unless writing is paused or the
  // connection lost: its coroutine is only made then (awaiting it costs no loop iteration either way).
  if (protocol_->drain_helper_needed()) co_await protocol_->drain_helper();
}

// ------------------------------------------------------------------------------------------- Helpers

namespace {
// streams.py: open_connection / open_unix_connection, around the loop's call that connects.
template <class Connect>
Coro<StreamPair> open_stream(long limit, Connect connect) {
  EventLoop& loop = get_running_loop();
  auto reader = make_ref<StreamReader>(limit, &loop);
  auto protocol = make_ref<StreamReaderProtocol>(reader, std::nullopt, &loop);
  // Named: g++ 12 destroys a lambda written inside a co_await expression twice, which would release
  // the protocol it captures twice.
  ProtocolFactory factory = [protocol]() -> Ref<BaseProtocol> { return protocol; };
  auto connection = co_await connect(loop, std::move(factory));
  auto writer = make_ref<StreamWriter>(std::move(connection.first), protocol, reader, loop);
  co_return StreamPair{std::move(reader), std::move(writer)};
}

// streams.py: start_server's factory. The loop outlives the server's connections.
ProtocolFactory stream_protocol_factory(ClientConnectedCallback client_connected_cb, long limit, EventLoop& loop) {
  return [client_connected_cb = std::move(client_connected_cb), limit, loop = &loop]() -> Ref<BaseProtocol> {
    return make_ref<StreamReaderProtocol>(make_ref<StreamReader>(limit, loop), client_connected_cb, loop);
  };
}
}  // namespace

Coro<StreamPair> open_connection(std::string host, std::string port, long limit, ConnectionOptions opts) {
  co_return co_await open_stream(limit, [&](EventLoop& loop, ProtocolFactory factory) {
    return loop.create_connection(std::move(factory), std::move(host), std::move(port), std::move(opts));
  });
}

Coro<StreamPair> open_unix_connection(std::string path, long limit) {
  co_return co_await open_stream(limit, [&](EventLoop& loop, ProtocolFactory factory) {
    return loop.create_unix_connection(std::move(factory), std::move(path));
  });
}

Coro<Ref<Server>> start_server(ClientConnectedCallback client_connected_cb, std::string host, std::string port,
                               long limit, ServerOptions opts) {
  EventLoop& loop = get_running_loop();
  co_return co_await loop.create_server(stream_protocol_factory(std::move(client_connected_cb), limit, loop),
                                        std::move(host), std::move(port), std::move(opts));
}

Coro<Ref<Server>> start_unix_server(ClientConnectedCallback client_connected_cb, std::string path, long limit,
                                    ServerOptions opts) {
  EventLoop& loop = get_running_loop();
  co_return co_await loop.create_unix_server(stream_protocol_factory(std::move(client_connected_cb), limit, loop),
                                             std::move(path), std::move(opts));
}

}  // namespace asyncio
