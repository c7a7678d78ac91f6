#include "asyncio/unix_events.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <map>
#include <vector>

#include <cerrno>
#include <string>

#include "asyncio/coroutines.hpp"
#include "asyncio/exceptions.hpp"
#include "asyncio/tasks.hpp"
#include "transport_support.hpp"

namespace asyncio {

namespace {
// base_events.py: connect_read_pipe / connect_write_pipe. The transport's constructor schedules
// connection_made and then the waiter's result, so this returns one iteration after connection_made.
template <class T>
Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> connect_pipe(EventLoop& loop, EventLoop::ProtocolFactoryFn factory,
                                                                int fd) {
  Ref<BaseProtocol> protocol = factory();
  Future<> waiter = loop.create_future();
  Ref<Transport> transport(new T(loop, fd, protocol, waiter));
  try {
    co_await waiter;
  } catch (...) {  // a bare `except:`, cancellation included
    transport->close();
    throw;
  }
  co_return std::pair{std::move(transport), std::move(protocol)};
}
}  // namespace

Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> EventLoop::connect_read_pipe(ProtocolFactoryFn factory, int fd) {
  return connect_pipe<UnixReadPipeTransport>(*this, std::move(factory), fd);
}

Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> EventLoop::connect_write_pipe(ProtocolFactoryFn factory, int fd) {
  return connect_pipe<UnixWritePipeTransport>(*this, std::move(factory), fd);
}

// --- What both ends share ---------------------------------------------------------------------

PipeTransport::PipeTransport(EventLoop& loop, int fd, Ref<BaseProtocol> protocol, const char* wrong_kind)
    : loop_(&loop), fd_(fd), kind_(loop.network().fd_kind(fd)), protocol_(std::move(protocol)) {
  if (kind_ < 0) raise_os_error(-kind_);  // os.fstat
  if (kind_ != S_IFIFO && kind_ != S_IFSOCK && kind_ != S_IFCHR) throw ValueError(wrong_kind);
  // call_soon's RuntimeError, raised before a callback holds a reference to the half-built transport.
  loop.check_closed();
}

PipeTransport::~PipeTransport() {
  // __del__: an unclosed transport closes its pipe (the ResourceWarning is ignored by default).
  if (pipe_open_) loop_->network().close(fd_);
}

ExtraInfo PipeTransport::get_extra_info(std::string_view name) const {
  return name == "pipe" ? ExtraInfo(fd_) : ExtraInfo{};
}

std::string PipeTransport::repr_with(unsigned event, const std::string& tail) const {
  std::string out = std::string("<") + class_name();
  if (!pipe_open_)
    out += " closed";
  else if (closing_)
    out += " closing";
  out += " fd=" + std::to_string(fd_);
  // The selector is gone once the loop is closed (and with the loop once connection_lost has run).
  if (pipe_open_ && !loop_->is_closed()) {
    const bool polling = event == kEventRead ? loop_->has_reader(fd_) : loop_->has_writer(fd_);
    out += polling ? " polling" : " idle";
    out += tail;
  } else {
    out += pipe_open_ ? " open" : " closed";
  }
  return out + ">";
}

std::string PipeTransport::method_label(const char* method) const { return std::string(class_name()) + "." + method; }

void PipeTransport::schedule_connection_made() {
  loop_->call_soon([p = protocol_, t = Ref<PipeTransport>(this)] { p->connection_made(*t); },
                   protocol_->qualname() + ".connection_made(" + detail::reprlib_other(repr()) + ")");
}

void PipeTransport::schedule_waiter(std::optional<Future<>> waiter) {
  if (waiter)
    loop_->call_soon([w = *waiter] {
      if (!w.cancelled()) w.set_result();  // futures._set_result_unless_cancelled
    });
}

void PipeTransport::schedule_connection_lost(std::exception_ptr exc) {
  std::string label =
      method_label("_call_connection_lost(") + (exc ? detail::reprlib_other(inspect(exc).repr()) : "None") + ")";
  loop_->call_soon([t = Ref<PipeTransport>(this), exc = std::move(exc)] { t->call_connection_lost(exc); },
                   std::move(label));
}

void PipeTransport::call_connection_lost(std::exception_ptr exc) {
  // A second call (abort() after close() or abort()) does nothing. CPython's fails with
  // AttributeError ('NoneType' object has no attribute 'close'), reported by the exception handler.
  if (!pipe_open_) return;
  struct Finally {
    PipeTransport* t;
    ~Finally() {
      t->loop_->network().close(t->fd_);
      t->pipe_open_ = false;
      t->protocol_ = nullptr;
      t->loop_ = nullptr;
    }
  } finally{this};
  Ref<BaseProtocol> p = protocol_;
  p->connection_lost(std::move(exc));
}

// --- _UnixReadPipeTransport -------------------------------------------------------------------

static_assert(UnixReadPipeTransport::kMaxSize <= detail::kReadBufferSize);

UnixReadPipeTransport::UnixReadPipeTransport(EventLoop& loop, int fd, Ref<BaseProtocol> protocol,
                                             std::optional<Future<>> waiter)
    : PipeTransport(loop, fd, checked(std::move(protocol)), "Pipe transport is for pipes/sockets only.") {
  // __init__: connection_made, then the reader (only once connection_made has run), then the waiter.
  schedule_connection_made();
  loop.call_soon([t = Ref<UnixReadPipeTransport>(this)] { t->add_reader(); });
  schedule_waiter(std::move(waiter));
}

Ref<BaseProtocol> UnixReadPipeTransport::checked(Ref<BaseProtocol> protocol) {
  // CPython would fail at the first data_received (AttributeError); here the protocol is refused.
  if (!dynamic_cast<Protocol*>(protocol.get()))
    throw TypeError("a read pipe transport needs a Protocol, got " + protocol->repr());
  return protocol;
}

void UnixReadPipeTransport::set_protocol(Ref<BaseProtocol> protocol) {
  PipeTransport::set_protocol(checked(std::move(protocol)));
}

std::string UnixReadPipeTransport::repr() const { return repr_with(kEventRead, ""); }

void UnixReadPipeTransport::add_reader() {
  if (!is_reading()) return;
  loop_->add_transport_reader(fd_, *this);
}

void UnixReadPipeTransport::read_ready() {
  char* buf = detail::read_buffer();
  const long n = loop_->network().recv(fd_, buf, kMaxSize);
  if (detail::would_block(n)) return;
  if (n < 0) return fatal_error(static_cast<int>(-n), "Fatal read error on pipe transport");
  if (n > 0) {
    // Not guarded: an error from data_received goes to the loop's handler as this callback's.
    Ref<BaseProtocol> keep = protocol_;
    static_cast<Protocol&>(*keep).data_received(std::string_view(buf, static_cast<std::size_t>(n)));
    return;
  }
  // EOF: the reader goes, then eof_received and connection_lost(None) run from their own call_soon.
  closing_ = true;
  loop_->remove_reader_internal(fd_);
  loop_->call_soon([p = protocol_] { static_cast<Protocol&>(*p).eof_received(); },
                   protocol_->qualname() + ".eof_received()");
  schedule_connection_lost(nullptr);
}

void UnixReadPipeTransport::pause_reading() {
  if (!is_reading()) return;
  paused_ = true;
  loop_->remove_reader_internal(fd_);
}

void UnixReadPipeTransport::resume_reading() {
  if (closing_ || !paused_) return;
  paused_ = false;
  add_reader();
}

void UnixReadPipeTransport::close() {
  if (!closing_) close_with(nullptr);
}

void UnixReadPipeTransport::fatal_error(int err, const char* message) {
  std::exception_ptr exc = make_os_error(err);
  // EIO (a pty whose other side went away) is an ordinary end; only logged in debug mode.
  if (err != EIO) {
    ExceptionContext ctx;
    ctx.message = message;
    ctx.exception = exc;
    ctx.extra = {{"transport", repr()}, {"protocol", protocol_->repr()}};
    loop_->call_exception_handler(ctx);
  }
  close_with(std::move(exc));
}

void UnixReadPipeTransport::close_with(std::exception_ptr exc) {
  closing_ = true;
  loop_->remove_reader_internal(fd_);
  schedule_connection_lost(std::move(exc));
}

// --- _UnixWritePipeTransport ------------------------------------------------------------------

UnixWritePipeTransport::UnixWritePipeTransport(EventLoop& loop, int fd, Ref<BaseProtocol> protocol,
                                               std::optional<Future<>> waiter)
    : PipeTransport(loop, fd, std::move(protocol), "Pipe transport is only for pipes, sockets and character devices") {
  schedule_connection_made();
  // A reader on the write end reports the read end closing (the descriptor turns readable with
  // EPOLLERR). Not for character devices. Added even if connection_made closed the transport.
  if (kind_ != S_IFCHR)
    loop.call_soon([t = Ref<UnixWritePipeTransport>(this)] {
      t->loop_->add_transport_reader(t->fd_, *t);
    });
  schedule_waiter(std::move(waiter));
}

std::string UnixWritePipeTransport::repr() const {
  return repr_with(kEventWrite, " bufsize=" + std::to_string(get_write_buffer_size()));
}

void UnixWritePipeTransport::read_ready() {
  // The read end was closed. A reader left registered after connection_lost (see the constructor)
  // has no loop any more: CPython's fails there with AttributeError.
  if (!loop_) return;
  close_with(get_write_buffer_size() ? std::make_exception_ptr(BrokenPipeError()) : nullptr);
}

void UnixWritePipeTransport::write(std::string_view data) {
  if (data.empty()) return;
  if (conn_lost_ || closing_) {
    if (conn_lost_ >= kLogThresholdForConnlostWrites)
      log_message("pipe closed by peer or os.write(pipe, data) raised exception.");
    ++conn_lost_;
    return;
  }
  if (!get_write_buffer_size()) {
    // Try to write at once; buffer only what the pipe does not take.
    const long n = loop_->network().send(fd_, data.data(), data.size());
    if (!detail::would_block(n)) {
      if (n < 0) {
        ++conn_lost_;
        return fatal_error(static_cast<int>(-n));
      }
      data.remove_prefix(static_cast<std::size_t>(n));
      if (data.empty()) return;
    }
    loop_->add_transport_writer(fd_, *this);
  }
  if (buffer_start_ == buffer_.size()) clear_buffer();
  buffer_.append(data);
  maybe_pause_protocol();
}

void UnixWritePipeTransport::write_ready() {
  const long n = loop_->network().send(fd_, buffer_.data() + buffer_start_, get_write_buffer_size());
  if (detail::would_block(n)) return;
  if (n < 0) {
    clear_buffer();
    ++conn_lost_;
    // Removed here: _close removes the writer only while data is buffered.
    loop_->remove_writer_internal(fd_);
    return fatal_error(static_cast<int>(-n));
  }
  if (static_cast<std::size_t>(n) == get_write_buffer_size()) {
    clear_buffer();
    loop_->remove_writer_internal(fd_);
    maybe_resume_protocol();  // may append to the buffer
    if (closing_) {
      loop_->remove_reader_internal(fd_);
      call_connection_lost(nullptr);
    }
    return;
  }
  buffer_start_ += static_cast<std::size_t>(n);
  // Compact once the consumed front outweighs what is left (amortised O(1) per byte).
  if (buffer_start_ > buffer_.size() / 2) {
    buffer_.erase(0, buffer_start_);
    buffer_start_ = 0;
  }
}

void UnixWritePipeTransport::write_eof() {
  if (closing_) return;
  closing_ = true;
  if (!get_write_buffer_size()) {
    loop_->remove_reader_internal(fd_);
    schedule_connection_lost(nullptr);
  }
}

void UnixWritePipeTransport::close() {
  // write_eof is all a write pipe needs to close.
  if (pipe_open_ && !closing_) write_eof();
}

void UnixWritePipeTransport::close_with(std::exception_ptr exc) {
  // Once connection_lost has run there is no loop: CPython's raises AttributeError here.
  if (!loop_) return;
  closing_ = true;
  if (get_write_buffer_size()) loop_->remove_writer_internal(fd_);
  clear_buffer();
  loop_->remove_reader_internal(fd_);
  schedule_connection_lost(std::move(exc));
}

void UnixWritePipeTransport::clear_buffer() noexcept {
  buffer_.clear();
  buffer_start_ = 0;
}

void UnixWritePipeTransport::set_write_buffer_limits(std::optional<std::size_t> high, std::optional<std::size_t> low) {
  flow_.set_limits(high, low);
  maybe_pause_protocol();
}

void UnixWritePipeTransport::maybe_pause_protocol() {
  if (protocol_) flow_.maybe_pause(*loop_, *this, *protocol_, get_write_buffer_size());
}

void UnixWritePipeTransport::maybe_resume_protocol() {
  if (protocol_) flow_.maybe_resume(*loop_, *this, *protocol_, get_write_buffer_size());
}

}  // namespace asyncio

// --- Signals (unix_events.py: add_signal_handler, remove_signal_handler, _handle_signal) --------

namespace asyncio {

struct detail::SignalHandlers {
  explicit SignalHandlers(EventLoop& l) : loop(&l) {}
  EventLoop* loop;
  std::map<int, Handle> handlers;  // _signal_handlers
  std::atomic<unsigned> arrived[NSIG] = {};
  std::atomic<bool> pending{false};  // something arrived since the last poll

  static void on_signal(int sig) noexcept;
  static void queue(EventLoop& loop);
  static const void* handler(EventLoop& loop, int sig) noexcept;
  static void close(EventLoop& loop) noexcept;
  void read_from_self();
};

namespace {
// The loop that receives signals (signal.set_wakeup_fd's descriptor is the loop's).
std::atomic<detail::SignalHandlers*> g_receiver{nullptr};

// valid_signals(): 1..NSIG-1 on Linux.
void check_signal(int sig) {
  if (sig < 1 || sig >= NSIG) throw ValueError("invalid signal number " + std::to_string(sig));
}

bool on_main_thread() { return gettid() == getpid(); }
}  // namespace

void detail::SignalHandlers::on_signal(int sig) noexcept {
  const int saved_errno = errno;
  if (SignalHandlers* s = g_receiver.load(std::memory_order_acquire)) {
    s->arrived[sig].fetch_add(1, std::memory_order_relaxed);
    s->pending.store(true, std::memory_order_release);
    EventLoop& loop = *s->loop;
    loop.ts_pending_.store(true, std::memory_order_release);
    // _write_to_self: an eventfd write, async-signal-safe.
    if (!loop.vclock_)
      loop.network_->wakeup();
    else if (Network* k = loop.kernel_.get())
      k->wakeup();
  }
  errno = saved_errno;
}

// _read_from_self / _process_self_data: each arrived signal's handler joins the ready queue.
void detail::SignalHandlers::read_from_self() {
  for (int sig = 1; sig < NSIG; ++sig) {
    for (unsigned n = arrived[sig].exchange(0, std::memory_order_acq_rel); n > 0; --n) {
      auto it = handlers.find(sig);
      if (it == handlers.end()) break;  // "Assume it's some race condition."
      loop->schedule_soon(Ref<HandleState>(it->second.state()));
    }
  }
}

void detail::SignalHandlers::queue(EventLoop& loop) {
  if (!loop.signals_->pending.exchange(false, std::memory_order_acq_rel)) return;
  Ref<HandleState> h(new HandleState(&loop, [s = loop.signals_] { s->read_from_self(); }));
  h->label = Label::literal("_UnixSelectorEventLoop._read_from_self()");
  loop.push_ready(h.get(), EventLoop::kHandle);
}

void detail::queue_arrived_signals(EventLoop& loop) { SignalHandlers::queue(loop); }

void EventLoop::add_signal_handler(int sig, std::function<void()> callback) {
  check_signal(sig);
  check_closed();
  // set_wakeup_fd raises ValueError off the main thread; add_signal_handler re-raises it as RuntimeError.
  if (!on_main_thread()) throw RuntimeError("set_wakeup_fd only works in main thread of the main interpreter");
  if (!signals_) signals_ = std::make_shared<detail::SignalHandlers>(*this);
  g_receiver.store(signals_.get(), std::memory_order_release);
  signals_->handlers[sig] = Handle(Ref<HandleState>(new HandleState(this, std::move(callback))));
  struct sigaction sa{};
  sa.sa_handler = &detail::SignalHandlers::on_signal;
  sa.sa_flags = SA_RESTART;  // signal.siginterrupt(sig, False)
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, nullptr) < 0) {
    const int err = errno;
    signals_->handlers.erase(sig);
    if (err == EINVAL) throw RuntimeError("sig " + std::to_string(sig) + " cannot be caught");
    raise_os_error(err);
  }
}

bool EventLoop::remove_signal_handler(int sig) {
  check_signal(sig);
  if (!signals_ || !signals_->handlers.erase(sig)) return false;
  // SIG_DFL; for SIGINT, Python's default_int_handler, which a C++ program has as SIG_DFL.
  struct sigaction sa{};
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, nullptr) < 0) {
    if (errno == EINVAL) throw RuntimeError("sig " + std::to_string(sig) + " cannot be caught");
    raise_os_error(errno);
  }
  if (signals_->handlers.empty()) {
    // set_wakeup_fd(-1).
    detail::SignalHandlers* expected = signals_.get();
    g_receiver.compare_exchange_strong(expected, nullptr);
  }
  return true;
}

const void* detail::signal_handler(EventLoop& loop, int sig) noexcept { return SignalHandlers::handler(loop, sig); }
void detail::close_signals(EventLoop& loop) noexcept { SignalHandlers::close(loop); }

const void* detail::SignalHandlers::handler(EventLoop& loop, int sig) noexcept {
  if (!loop.signals_) return nullptr;
  auto it = loop.signals_->handlers.find(sig);
  return it == loop.signals_->handlers.end() ? nullptr : it->second.state();
}

void detail::SignalHandlers::close(EventLoop& loop) noexcept {
  if (!loop.signals_) return;
  std::vector<int> sigs;
  for (auto& [sig, handle] : loop.signals_->handlers) sigs.push_back(sig);
  for (int sig : sigs) {
    try {
      loop.remove_signal_handler(sig);
    } catch (...) {
    }
  }
}

}  // namespace asyncio
