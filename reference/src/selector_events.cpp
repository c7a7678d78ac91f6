// selector_events.py: the loop's selector half (BaseSelectorEventLoop: readiness callbacks, the
// descriptor-to-transport map, _process_events, the sock_* methods, accepting connections) and the
// socket transports (_SelectorTransport, _SelectorSocketTransport, _SelectorDatagramTransport).
#include "asyncio/selector_events.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <utility>

#include <cerrno>
#include <memory>
#include <string>

#include "asyncio/base_events.hpp"
#include "asyncio/coroutines.hpp"
#include "asyncio/futures.hpp"
#include "asyncio/tasks.hpp"
#include "asyncio/events.hpp"
#include "asyncio/exceptions.hpp"
#include "asyncio/transports.hpp"
#include "transport_support.hpp"

namespace asyncio {

namespace {
void check_fd(int fd) {
  // selectors._fileobj_to_fd
  if (fd < 0) throw ValueError("Invalid file descriptor: " + std::to_string(fd));
}
void check_selector(int rc) {
  if (rc < 0) raise_os_error(-rc);
}
}  // namespace

Handle EventLoop::add_io_handle(int fd, unsigned event, Ref<HandleState> h) {
  h->add_ref();
  add_io_callback(fd, event, IoCallback(reinterpret_cast<std::uintptr_t>(static_cast<RefCounted*>(h.get())) | kHandle));
  return Handle(std::move(h));
}

void EventLoop::add_transport_callback(int fd, unsigned event, BaseTransport& t) {
  t.add_ref();
  add_io_callback(fd, event,
                  IoCallback(reinterpret_cast<std::uintptr_t>(static_cast<RefCounted*>(&t)) |
                             (event == kEventRead ? kTransportRead : kTransportWrite)));
}

void EventLoop::add_io_callback(int fd, unsigned event, IoCallback cb) {
  check_fd(fd);
  if (static_cast<std::size_t>(fd) >= io_.size()) io_.resize(fd + 1);
  IoSlot& slot = io_[fd];
  const unsigned mask = slot.mask();
  check_selector(network().modify(fd, mask | event));
  if (!mask) ++io_registered_;
  // _add_reader: the old handle is cancelled after the selector is updated.
  IoCallback& place = event == kEventRead ? slot.reader : slot.writer;
  std::swap(place, cb);
  if (cb) cancel_io_callback(cb, event);
}

void EventLoop::cancel_io_callback(const IoCallback& cb, unsigned event) noexcept {
  RefCounted* obj = entry_object(cb.entry());
  if ((cb.entry() & kKindMask) == kHandle) {
    Handle(Ref<HandleState>(static_cast<HandleState*>(obj))).cancel();
    return;
  }
  auto* t = static_cast<BaseTransport*>(obj);
  t->io_cancelled_ |= t->io_queued_ & event;
}

bool EventLoop::remove_io_handle(int fd, unsigned event) {
  if (closed_ || fd < 0 || static_cast<std::size_t>(fd) >= io_.size()) return false;
  IoSlot& slot = io_[fd];
  const unsigned old_mask = slot.mask();
  if (!old_mask) return false;
  const unsigned mask = old_mask & ~event;
  check_selector(network_->modify(fd, mask));
  if (!mask) --io_registered_;
  IoCallback old = std::move(event == kEventRead ? slot.reader : slot.writer);
  if (!old) return false;
  cancel_io_callback(old, event);
  return true;
}

bool EventLoop::remove_reader(int fd) {
  ensure_fd_no_transport(fd);
  return remove_io_handle(fd, kEventRead);
}

bool EventLoop::remove_writer(int fd) {
  ensure_fd_no_transport(fd);
  return remove_io_handle(fd, kEventWrite);
}

bool EventLoop::has_reader(int fd) const noexcept {
  return fd >= 0 && static_cast<std::size_t>(fd) < io_.size() && io_[fd].reader;
}

bool EventLoop::has_writer(int fd) const noexcept {
  return fd >= 0 && static_cast<std::size_t>(fd) < io_.size() && io_[fd].writer;
}

BaseTransport* EventLoop::transport_for(int fd) const noexcept {
  return fd >= 0 && static_cast<std::size_t>(fd) < io_.size() ? io_[fd].transport : nullptr;
}

void EventLoop::attach_transport(int fd, BaseTransport* t) {
  check_fd(fd);
  if (static_cast<std::size_t>(fd) >= io_.size()) io_.resize(fd + 1);
  io_[fd].transport = t;
}

void EventLoop::detach_transport(int fd, BaseTransport* t) noexcept {
  if (transport_for(fd) == t) io_[fd].transport = nullptr;
}

void EventLoop::ensure_fd_no_transport(int fd) const {
  check_fd(fd);
  BaseTransport* t = transport_for(fd);
  if (t && !t->is_closing())
    throw RuntimeError("File descriptor " + std::to_string(fd) + " is used by transport " + t->repr());
}

// selector_events.py: _process_events. For each ready descriptor, its reader's handle and then its
// writer's join the ready queue (_add_callback skips cancelled ones; a cancelled reader is removed).
void EventLoop::process_io_events() {
  for (const IoEvent& ev : io_events_) {
    if (static_cast<std::size_t>(ev.fd) >= io_.size()) continue;
    if (ev.readable) queue_io_callback(ev.fd, kEventRead);
    if (ev.writable) queue_io_callback(ev.fd, kEventWrite);
  }
  io_events_.clear();
}

void EventLoop::queue_io_callback(int fd, unsigned event) {
  const IoCallback& cb = event == kEventRead ? io_[fd].reader : io_[fd].writer;
  if (!cb) return;
  RefCounted* obj = entry_object(cb.entry());
  if ((cb.entry() & kKindMask) != kHandle) {
    static_cast<BaseTransport*>(obj)->io_queued_ |= event;
  } else if (static_cast<HandleState*>(obj)->cancelled) {
    remove_io_handle(fd, event);
    return;
  }
  obj->add_ref();
  ready_.push_back(cb.entry());
}

// An entry process_io_events queued for a transport's own callback, unless a removal cancelled it.
void EventLoop::run_transport_event(BaseTransport& t, unsigned event) {
  t.io_queued_ &= ~event;
  if (t.io_cancelled_ & event) {
    t.io_cancelled_ &= ~event;
    return;
  }
  try {
    t.io_ready(event);
  } catch (...) {
    report_entry_error(std::current_exception(), t.io_label(event));
  }
}

bool EventLoop::poll_network(std::optional<Nanos> timeout) {
  Network& net = *network_;
  io_events_.clear();
  bool waited = false;
  if (vclock_) {
    net.select(0, io_events_);
    // Nothing ready: epoll_wait would return when the simulated network next delivers, if that comes
    // before the timeout (rounded up to whole milliseconds, as for timers).
    if (io_events_.empty() && (!timeout || *timeout > 0)) {
      if (auto next = net.next_event_time()) {
        const Nanos now = vclock_->peek();
        if (!timeout || *next - now <= epoll_timeout(*timeout)) {
          vclock_->advance_to(*next);
          net.select(0, io_events_);
          waited = true;
        }
      }
    }
  } else {
    net.select(timeout, io_events_);
  }
  const bool any = !io_events_.empty();
  process_io_events();
  return any || waited;
}

void EventLoop::close_network() noexcept {
  // BaseSelectorEventLoop.close: the selector closes; registered callbacks are dropped.
  for (IoSlot& slot : io_) {
    if (slot.mask() && network_) network_->modify(static_cast<int>(&slot - io_.data()), 0);
    slot = IoSlot{};
  }
  io_registered_ = 0;
  for (int fd : std::exchange(own_fds_, {})) network_->close(fd);
}

}  // namespace asyncio

// --- Transports -------------------------------------------------------------------------------

namespace asyncio {

namespace {
using detail::read_buffer;
using detail::reprlib_other;
using detail::would_block;
static_assert(SelectorTransport::kMaxSize <= detail::kReadBufferSize);

bool is_os_error(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const OSError&) {
    return true;
  } catch (...) {
    return false;
  }
}

// Runs a protocol callback as the transports do: KeyboardInterrupt/SystemExit propagate, anything
// else goes to fatal_error with `message`. Returns whether it succeeded.
template <class F, class OnError>
bool protocol_call(F&& f, OnError&& on_error) {
  try {
    f();
    return true;
  } catch (...) {
    auto e = std::current_exception();
    if (is_exit_exception(e)) throw;
    on_error(e);
    return false;
  }
}
}  // namespace

detail::PackedAddr::PackedAddr(const SockAddr& a)
    : family_(static_cast<std::uint8_t>(a.family)), port_(a.port), flowinfo_(a.flowinfo), scope_id_(a.scope_id) {
  if (a.family == AF_UNIX)
    path_ = std::make_unique<std::string>(a.path);
  else if (inet_pton(a.family, a.host.c_str(), ip_) != 1)
    family_ = 0;  // not numeric: cannot come from getsockname/getpeername/accept
}

SockAddr detail::PackedAddr::unpack() const {
  if (family_ == AF_UNIX) return SockAddr::unix_path(*path_);
  char text[INET6_ADDRSTRLEN];
  inet_ntop(family_, ip_, text, sizeof text);
  return family_ == AF_INET6 ? SockAddr::inet6(text, port_, flowinfo_, scope_id_) : SockAddr::inet(text, port_);
}

SelectorTransport::SelectorTransport(EventLoop& loop, Socket sock, Ref<BaseProtocol> protocol,
                                     std::optional<SockAddr> peername, Server* server)
    : loop_(&loop), sock_(std::move(sock)), sock_fd_(sock_.fileno()), server_(server) {
  // schedule_start's call_soon would fail on a closed loop with this transport half-built.
  loop.check_closed();
  SockAddr a;
  if (sock_.network().getsockname(sock_fd_, a) == 0) sockname_ = detail::PackedAddr(a);
  if (peername)
    peername_ = detail::PackedAddr(*peername);
  else if (sock_.network().getpeername(sock_fd_, a) == 0)
    peername_ = detail::PackedAddr(a);
  protocol_ = std::move(protocol);
  protocol_connected_ = true;
  if (server_) server_->attach();
  loop.attach_transport(sock_fd_, this);
}

SelectorTransport::~SelectorTransport() {
  // __del__: an unclosed transport closes its socket (the ResourceWarning is ignored by default).
  if (loop_) loop_->detach_transport(sock_fd_, this);
}

void SelectorTransport::schedule_start(std::optional<Future<>> waiter) {
  // _SelectorSocketTransport.__init__: three call_soon, in this order.
  loop_->call_soon([p = protocol_, t = Ref<SelectorTransport>(this)] { p->connection_made(*t); },
                   protocol_->qualname() + ".connection_made(" + reprlib_other(repr()) + ")");
  loop_->call_soon([t = Ref<SelectorTransport>(this)] { t->add_reader(); });
  if (waiter)
    loop_->call_soon([w = *waiter] {
      if (!w.cancelled()) w.set_result();  // futures._set_result_unless_cancelled
    });
}

ExtraInfo SelectorTransport::get_extra_info(std::string_view name) const {
  if (name == "socket") return sock_.fileno() >= 0 ? const_cast<Socket*>(&sock_) : ExtraInfo{};
  if (name == "sockname") return sockname_ ? ExtraInfo(sockname_.unpack()) : ExtraInfo{};
  if (name == "peername") return peername_ ? ExtraInfo(peername_.unpack()) : ExtraInfo{};
  return {};
}

std::string SelectorTransport::repr() const {
  std::string out = std::string("<") + class_name();
  if (sock_.fileno() < 0)
    out += " closed";
  else if (closing_)
    out += " closing";
  out += " fd=" + std::to_string(sock_fd_);
  if (loop_ && !loop_->is_closed()) {
    out += loop_->has_reader(sock_fd_) ? " read=polling" : " read=idle";
    out += std::string(" write=<") + (loop_->has_writer(sock_fd_) ? "polling" : "idle") +
           ", bufsize=" + std::to_string(get_write_buffer_size()) + ">";
  }
  return out + ">";
}

void SelectorTransport::set_protocol(Ref<BaseProtocol> protocol) {
  protocol_ = std::move(protocol);
  protocol_connected_ = true;
}

void SelectorTransport::pause_reading() {
  if (!is_reading()) return;
  paused_ = true;
  loop_->remove_reader_internal(sock_fd_);
}

void SelectorTransport::resume_reading() {
  if (closing_ || !paused_) return;
  paused_ = false;
  add_reader();
}

void SelectorTransport::add_reader() {
  if (!is_reading()) return;
  loop_->add_transport_reader(sock_fd_, *this);
}

void SelectorTransport::close() {
  if (closing_) return;
  closing_ = true;
  loop_->remove_reader_internal(sock_fd_);
  if (get_write_buffer_size() == 0) {
    ++conn_lost_;
    loop_->remove_writer_internal(sock_fd_);
    loop_->call_soon([t = Ref<SelectorTransport>(this)] { t->call_connection_lost(nullptr); });
  }
}

void SelectorTransport::fatal_error(std::exception_ptr exc, const char* message) {
  // An OSError is only logged in debug mode; anything else is the protocol's or the program's bug.
  if (!is_os_error(exc)) {
    ExceptionContext ctx;
    ctx.message = message;
    ctx.exception = exc;
    ctx.extra = {{"transport", repr()}, {"protocol", protocol_ ? protocol_->repr() : "None"}};
    loop_->call_exception_handler(ctx);
  }
  force_close(std::move(exc));
}

void SelectorTransport::force_close(std::exception_ptr exc) {
  if (conn_lost_) return;
  if (get_write_buffer_size() != 0) {
    clear_buffer();
    loop_->remove_writer_internal(sock_fd_);
  }
  if (!closing_) {
    closing_ = true;
    loop_->remove_reader_internal(sock_fd_);
  }
  ++conn_lost_;
  loop_->call_soon([t = Ref<SelectorTransport>(this), exc = std::move(exc)] { t->call_connection_lost(exc); });
}

void SelectorTransport::call_connection_lost(std::exception_ptr exc) {
  // try: connection_lost; finally: close the socket and drop the protocol, loop and server.
  struct Finally {
    SelectorTransport* t;
    ~Finally() {
      t->loop_->detach_transport(t->sock_fd_, t);
      t->sock_.close();
      t->protocol_ = nullptr;
      t->loop_ = nullptr;
      if (Ref<Server> server = std::move(t->server_)) server->detach();
    }
  } finally{this};
  if (protocol_connected_) {
    Ref<BaseProtocol> p = protocol_;
    p->connection_lost(std::move(exc));
  }
}

void SelectorTransport::set_write_buffer_limits(std::optional<std::size_t> high, std::optional<std::size_t> low) {
  flow_.set_limits(high, low);
  maybe_pause_protocol();
}

void SelectorTransport::maybe_pause_protocol() {
  if (protocol_) flow_.maybe_pause(*loop_, *this, *protocol_, get_write_buffer_size());
}

void SelectorTransport::maybe_resume_protocol() {
  if (protocol_) flow_.maybe_resume(*loop_, *this, *protocol_, get_write_buffer_size());
}

void SelectorTransport::count_lost_write() {
  if (conn_lost_ >= kLogThresholdForConnlostWrites) log_message("socket.send() raised exception.");
  ++conn_lost_;
}

SelectorSocketTransport::SelectorSocketTransport(EventLoop& loop, Socket sock, Ref<BaseProtocol> protocol,
                                                 std::optional<Future<>> waiter, std::optional<SockAddr> peername,
                                                 Server* server)
    : SelectorTransport(loop, std::move(sock), std::move(protocol), std::move(peername), server) {
  // The base set the protocol; this class's set_protocol also picks the read path.
  buffered_ = dynamic_cast<BufferedProtocol*>(protocol_.get()) != nullptr;
  // base_events._set_nodelay: TCP sockets only.
  if ((sock_.family() == AF_INET || sock_.family() == AF_INET6) && sock_.type() == SOCK_STREAM)
    sock_.network().setsockopt(sock_fd_, IPPROTO_TCP, TCP_NODELAY, 1);
  schedule_start(std::move(waiter));
}

void SelectorSocketTransport::set_protocol(Ref<BaseProtocol> protocol) {
  buffered_ = dynamic_cast<BufferedProtocol*>(protocol.get()) != nullptr;
  SelectorTransport::set_protocol(std::move(protocol));
}

void SelectorSocketTransport::read_ready() {
  if (buffered_)
    read_ready_get_buffer();
  else
    read_ready_data_received();
}

void SelectorSocketTransport::read_ready_get_buffer() {
  if (conn_lost_) return;
  Ref<BaseProtocol> keep = protocol_;
  auto& p = static_cast<BufferedProtocol&>(*keep);
  std::span<char> buf;
  if (!protocol_call(
          [&] {
            buf = p.get_buffer(-1);
            if (buf.empty()) throw RuntimeError("get_buffer() returned an empty buffer");
          },
          [&](std::exception_ptr e) { fatal_error(e, "Fatal error: protocol.get_buffer() call failed."); }))
    return;
  const long n = sock_.network().recv(sock_fd_, buf.data(), buf.size());
  if (would_block(n)) return;
  if (n < 0) return fatal_error(make_os_error(static_cast<int>(-n)), "Fatal read error on socket transport");
  if (n == 0) return read_ready_on_eof();
  protocol_call([&] { p.buffer_updated(static_cast<std::size_t>(n)); },
                [&](std::exception_ptr e) { fatal_error(e, "Fatal error: protocol.buffer_updated() call failed."); });
}

void SelectorSocketTransport::read_ready_data_received() {
  if (conn_lost_) return;
  char* buf = read_buffer();
  const long n = sock_.network().recv(sock_fd_, buf, kMaxSize);
  if (would_block(n)) return;
  if (n < 0) return fatal_error(make_os_error(static_cast<int>(-n)), "Fatal read error on socket transport");
  if (n == 0) return read_ready_on_eof();
  Ref<BaseProtocol> keep = protocol_;
  protocol_call([&] { static_cast<Protocol&>(*keep).data_received(std::string_view(buf, static_cast<std::size_t>(n))); },
                [&](std::exception_ptr e) { fatal_error(e, "Fatal error: protocol.data_received() call failed."); });
}

bool SelectorSocketTransport::call_eof_received() {
  Ref<BaseProtocol> keep = protocol_;
  if (buffered_) return static_cast<BufferedProtocol&>(*keep).eof_received();
  if (auto* p = dynamic_cast<Protocol*>(keep.get())) return p->eof_received();
  return false;
}

void SelectorSocketTransport::read_ready_on_eof() {
  bool keep_open = false;
  if (!protocol_call([&] { keep_open = call_eof_received(); },
                     [&](std::exception_ptr e) { fatal_error(e, "Fatal error: protocol.eof_received() call failed."); }))
    return;
  if (keep_open)
    loop_->remove_reader_internal(sock_fd_);
  else
    close();
}

void SelectorSocketTransport::write(std::string_view data) {
  if (eof_) throw RuntimeError("Cannot call write() after write_eof()");
  if (data.empty()) return;
  if (conn_lost_) return count_lost_write();
  if (get_write_buffer_size() == 0) {
    // Try to send at once; buffer only what the socket does not take.
    const long n = sock_.network().send(sock_fd_, data.data(), data.size());
    if (!would_block(n)) {
      if (n < 0) return fatal_error(make_os_error(static_cast<int>(-n)), "Fatal write error on socket transport");
      data.remove_prefix(static_cast<std::size_t>(n));
      if (data.empty()) return;
    }
    loop_->add_transport_writer(sock_fd_, *this);
  }
  if (buffer_start_ == buffer_.size()) clear_buffer();
  buffer_.append(data);
  maybe_pause_protocol();
}

void SelectorSocketTransport::write_ready() {
  if (conn_lost_) return;
  const long n = sock_.network().send(sock_fd_, buffer_.data() + buffer_start_, get_write_buffer_size());
  if (would_block(n)) return;
  if (n < 0) {
    loop_->remove_writer_internal(sock_fd_);
    clear_buffer();
    return fatal_error(make_os_error(static_cast<int>(-n)), "Fatal write error on socket transport");
  }
  buffer_start_ += static_cast<std::size_t>(n);
  // Compact once the consumed front outweighs what is left (amortised O(1) per byte).
  if (buffer_start_ == buffer_.size())
    clear_buffer();
  else if (buffer_start_ > buffer_.size() / 2) {
    buffer_.erase(0, buffer_start_);
    buffer_start_ = 0;
  }
  maybe_resume_protocol();  // may append to the buffer
  if (get_write_buffer_size() == 0) {
    loop_->remove_writer_internal(sock_fd_);
    if (closing_)
      call_connection_lost(nullptr);
    else if (eof_)
      sock_.shutdown(SHUT_WR);
  }
}

void SelectorSocketTransport::write_eof() {
  if (closing_ || eof_) return;
  eof_ = true;
  if (get_write_buffer_size() == 0) sock_.shutdown(SHUT_WR);
}

SelectorDatagramTransport::SelectorDatagramTransport(EventLoop& loop, Socket sock, Ref<BaseProtocol> protocol,
                                                     std::optional<SockAddr> address, std::optional<Future<>> waiter)
    : SelectorTransport(loop, std::move(sock), std::move(protocol), std::nullopt, nullptr),
      address_(std::move(address)) {
  dprotocol_ = dynamic_cast<DatagramProtocol*>(protocol_.get());
  if (!dprotocol_) throw TypeError("a datagram transport needs a DatagramProtocol, got " + protocol_->repr());
  schedule_start(std::move(waiter));
}

void SelectorDatagramTransport::set_protocol(Ref<BaseProtocol> protocol) {
  auto* d = dynamic_cast<DatagramProtocol*>(protocol.get());
  if (!d) throw TypeError("a datagram transport needs a DatagramProtocol, got " + protocol->repr());
  dprotocol_ = d;
  SelectorTransport::set_protocol(std::move(protocol));
}

void SelectorDatagramTransport::read_ready() {
  if (conn_lost_) return;
  char* buf = read_buffer();
  SockAddr from;
  const long n = sock_.network().recvfrom(sock_fd_, buf, kMaxSize, &from);
  if (would_block(n)) return;
  Ref<BaseProtocol> keep = protocol_;
  // An OSError goes to error_received; an error raised there propagates to the loop's handler.
  if (n < 0) return dprotocol_->error_received(make_os_error(static_cast<int>(-n)));
  dprotocol_->datagram_received(std::string_view(buf, static_cast<std::size_t>(n)), from);
}

void SelectorDatagramTransport::sendto(std::string_view data, const SockAddr& addr_in) {
  if (data.empty()) return;
  SockAddr addr = addr_in;
  if (address_) {
    if (addr.family != 0 && addr != *address_)
      throw ValueError("Invalid address: must be None or " + address_->repr());
    addr = *address_;
  }
  if (conn_lost_ && address_) return count_lost_write();
  if (buffer_.empty()) {
    const long n = peername_ ? sock_.network().send(sock_fd_, data.data(), data.size())
                             : sock_.network().sendto(sock_fd_, data.data(), data.size(), addr);
    if (!would_block(n)) {
      if (n < 0) {
        Ref<BaseProtocol> keep = protocol_;
        dprotocol_->error_received(make_os_error(static_cast<int>(-n)));
      }
      return;
    }
    loop_->add_transport_writer(sock_fd_, *this);
  }
  buffer_.emplace_back(std::string(data), std::move(addr));
  buffer_size_ += data.size();
  maybe_pause_protocol();
}

void SelectorDatagramTransport::sendto_ready() {
  Ref<BaseProtocol> keep = protocol_;
  while (!buffer_.empty()) {
    auto& [data, addr] = buffer_.front();
    const long n = peername_ ? sock_.network().send(sock_fd_, data.data(), data.size())
                             : sock_.network().sendto(sock_fd_, data.data(), data.size(), addr);
    if (would_block(n)) break;  // try again later
    buffer_size_ -= data.size();
    buffer_.pop_front();
    if (n < 0) return dprotocol_->error_received(make_os_error(static_cast<int>(-n)));
  }
  maybe_resume_protocol();  // may append to the buffer
  if (buffer_.empty()) {
    loop_->remove_writer_internal(sock_fd_);
    if (closing_) call_connection_lost(nullptr);
  }
}

}  // namespace asyncio

// --- The sock_* methods and accepting connections (BaseSelectorEventLoop) ------------------------

namespace asyncio {

namespace {

// The done callbacks of the sock_* futures (_sock_read_done / _sock_write_done): unless the handle
// was replaced (cancelled) meanwhile, the reader or writer goes.
template <class T>
void remove_when_done(EventLoop& loop, const Future<T>& fut, int fd, Handle handle, bool reader) {
  fut.add_done_callback([&loop, fd, handle = std::move(handle), reader](FutureBase&) {
    if (handle.cancelled()) return;
    if (reader)
      loop.remove_reader(fd);
    else
      loop.remove_writer(fd);
  });
}

// The body of _sock_recv and its relatives: try `op` (a Network call returning >= 0 or -errno)
// and complete the future with `done(rc)`, unless it would block; nothing once the future is done.
template <class T, class Op, class Done>
void try_complete(const Future<T>& fut, Op& op, Done& done) {
  if (fut.done()) return;
  const long rc = op();
  if (would_block(rc)) return;
  if (rc < 0)
    fut.set_exception(make_os_error(static_cast<int>(-rc)));
  else
    fut.set_result(done(rc));
}

// sock_recv, sock_recv_into, sock_recvfrom, sock_sendto: one attempt at once, then as a reader or
// writer callback until it no longer would block.
template <class T, class Op, class Done>
Coro<T> sock_io(EventLoop& loop, int fd, bool reader, Op op, Done done) {
  const long rc = op();
  if (!would_block(rc)) {
    if (rc < 0) raise_os_error(static_cast<int>(-rc));
    co_return done(rc);
  }
  Future<T> fut = loop.create_future<T>();
  loop.ensure_fd_no_transport(fd);
  auto cb = [fut, op, done]() mutable { try_complete(fut, op, done); };
  Handle h = reader ? loop.add_reader_internal(fd, std::move(cb)) : loop.add_writer_internal(fd, std::move(cb));
  remove_when_done(loop, fut, fd, std::move(h), reader);
  co_return co_await fut;
}
}  // namespace

Coro<std::string> EventLoop::sock_recv(Socket& sock, std::size_t n) {
  auto buf = std::make_shared<std::string>(n, '\0');
  return sock_io<std::string>(
      *this, sock.fileno(), true,
      [net = sock.network_ptr(), fd = sock.fileno(), buf] { return net->recv(fd, buf->data(), buf->size()); },
      [buf](long rc) {
        buf->resize(static_cast<std::size_t>(rc));
        return std::move(*buf);
      });
}

Coro<std::size_t> EventLoop::sock_recv_into(Socket& sock, std::span<char> buf) {
  return sock_io<std::size_t>(
      *this, sock.fileno(), true,
      [net = sock.network_ptr(), fd = sock.fileno(), buf] { return net->recv(fd, buf.data(), buf.size()); },
      [](long rc) { return static_cast<std::size_t>(rc); });
}

Coro<std::pair<std::string, SockAddr>> EventLoop::sock_recvfrom(Socket& sock, std::size_t bufsize) {
  auto buf = std::make_shared<std::pair<std::string, SockAddr>>(std::string(bufsize, '\0'), SockAddr{});
  return sock_io<std::pair<std::string, SockAddr>>(
      *this, sock.fileno(), true,
      [net = sock.network_ptr(), fd = sock.fileno(), buf] {
        return net->recvfrom(fd, buf->first.data(), buf->first.size(), &buf->second);
      },
      [buf](long rc) {
        buf->first.resize(static_cast<std::size_t>(rc));
        return std::move(*buf);
      });
}

Coro<std::size_t> EventLoop::sock_sendto(Socket& sock, std::string data, SockAddr address) {
  auto d = std::make_shared<std::string>(std::move(data));
  return sock_io<std::size_t>(
      *this, sock.fileno(), false,
      [net = sock.network_ptr(), fd = sock.fileno(), d, address] {
        return net->sendto(fd, d->data(), d->size(), address);
      },
      [](long rc) { return static_cast<std::size_t>(rc); });
}

Coro<void> EventLoop::sock_sendall(Socket& sock, std::string data) {
  const int fd = sock.fileno();
  auto net = sock.network_ptr();
  long n = net->send(fd, data.data(), data.size());
  if (would_block(n))
    n = 0;
  else if (n < 0)
    raise_os_error(static_cast<int>(-n));
  if (static_cast<std::size_t>(n) == data.size()) co_return;
  Future<> fut = create_future<void>();
  ensure_fd_no_transport(fd);
  // _sock_sendall: the position lives with the callback.
  Handle h = add_writer_internal(fd, [fut, net, fd, d = std::make_shared<std::string>(std::move(data)),
                                      pos = static_cast<std::size_t>(n)]() mutable {
    if (fut.done()) return;
    const long rc = net->send(fd, d->data() + pos, d->size() - pos);
    if (would_block(rc)) return;
    if (rc < 0) return fut.set_exception(make_os_error(static_cast<int>(-rc)));
    pos += static_cast<std::size_t>(rc);
    if (pos == d->size()) fut.set_result();
  });
  remove_when_done(*this, fut, fd, std::move(h), false);
  co_await fut;
}

namespace {
// _sock_connect_cb: the connect finished (or failed) once the socket is writable.
void sock_connect_cb(const Future<>& fut, Network& net, int fd, const SockAddr& address) {
  if (fut.done()) return;
  const int err = net.getsockopt(fd, SOL_SOCKET, SO_ERROR);
  if (would_block(err)) return;
  if (err < 0) return fut.set_exception(make_os_error(-err));
  if (err != 0) return fut.set_exception(make_os_error(err, "Connect call failed " + address.repr()));
  fut.set_result();
}
}  // namespace

Coro<void> EventLoop::sock_connect(Socket& sock, SockAddr address) {
  if (sock.family() == AF_INET || sock.family() == AF_INET6) {
    auto resolved = co_await resolve(address.host, std::to_string(address.port), sock.family(), sock.type(),
                                     sock.proto(), 0);
    address = resolved.at(0).addr;
  }
  Future<> fut = create_future<void>();
  // _sock_connect
  const int fd = sock.fileno();
  auto net = sock.network_ptr();
  const int rc = net->connect(fd, address);
  if (rc == -EINPROGRESS || would_block(rc)) {
    ensure_fd_no_transport(fd);
    Handle h = add_writer_internal(fd, [fut, net, fd, address] { sock_connect_cb(fut, *net, fd, address); });
    remove_when_done(*this, fut, fd, std::move(h), false);
  } else if (rc < 0) {
    fut.set_exception(make_os_error(-rc));
  } else {
    fut.set_result();
  }
  co_await fut;
}

namespace {
// _sock_accept: re-registers itself each time the accept would block.
void sock_accept_step(EventLoop& loop, const Future<std::pair<Socket, SockAddr>>& fut,
                      const std::shared_ptr<Network>& net, int fd, int family, int type, int proto) {
  SockAddr peer;
  const int conn = net->accept(fd, &peer);
  if (would_block(conn)) {
    loop.ensure_fd_no_transport(fd);
    Handle h = loop.add_reader_internal(fd, [&loop, fut, net, fd, family, type, proto] {
      if (!fut.done()) sock_accept_step(loop, fut, net, fd, family, type, proto);
    });
    remove_when_done(loop, fut, fd, std::move(h), true);
  } else if (conn < 0) {
    fut.set_exception(make_os_error(-conn));
  } else {
    fut.set_result({Socket::adopt(net, conn, family, type, proto), std::move(peer)});
  }
}
}  // namespace

Coro<std::pair<Socket, SockAddr>> EventLoop::sock_accept(Socket& sock) {
  auto fut = create_future<std::pair<Socket, SockAddr>>();
  sock_accept_step(*this, fut, sock.network_ptr(), sock.fileno(), sock.family(), sock.type(), sock.proto());
  co_return co_await fut;
}

namespace {
// _accept_connection2: the transport of one accepted connection; errors are only logged in debug
// mode, so the task never fails.
Coro<void> accept_connection2(EventLoop& loop, EventLoop::ProtocolFactoryFn factory, Socket conn, SockAddr peer,
                              Ref<Server> server) {
  try {
    Ref<BaseProtocol> protocol = factory();
    Future<> waiter = loop.create_future<void>();
    Ref<SelectorSocketTransport> transport(
        new SelectorSocketTransport(loop, std::move(conn), protocol, waiter, std::move(peer), server.get()));
    try {
      co_await waiter;
    } catch (...) {
      transport->close();
      throw;
    }
  } catch (...) {
    if (is_exit_exception(std::current_exception())) throw;
  }
}
}  // namespace

// _accept_connection: called once per iteration in which the listening socket is readable; accepts
// up to `backlog` connections, each set up by its own task.
void EventLoop::accept_connections(Ref<Server> server, Socket& sock, int backlog) {
  Network& net = sock.network();
  for (int i = 0; i < backlog; ++i) {
    SockAddr peer;
    const int conn = net.accept(sock.fileno(), &peer);
    if (would_block(conn) || conn == -ECONNABORTED) return;
    if (conn < 0) {
      const int err = -conn;
      if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
        // Linux keeps reporting the socket readable: stop watching it for a while.
        ExceptionContext ctx;
        ctx.message = "socket.accept() out of system resource";
        ctx.exception = make_os_error(err);
        ctx.extra = {{"socket", transport_socket_repr(sock)}};
        call_exception_handler(ctx);
        remove_reader_internal(sock.fileno());
        call_later(kAcceptRetryDelay, [this, server, &sock, backlog] { start_serving(server, sock, backlog); });
        return;
      }
      raise_os_error(err);  // the loop reports it as the callback's error
    }
    create_task(accept_connection2(*this, server->factory(), Socket::adopt(sock.network_ptr(), conn, sock.family(),
                                                                           sock.type(), sock.proto()),
                                   std::move(peer), server));
  }
}

// _start_serving
void EventLoop::start_serving(Ref<Server> server, Socket& sock, int backlog) {
  add_reader_internal(sock.fileno(), [this, server, &sock, backlog] { accept_connections(server, sock, backlog); },
                      "BaseSelectorEventLoop._accept_connection()");
}

// _stop_serving
void EventLoop::stop_serving(Socket& sock) {
  remove_reader_internal(sock.fileno());
  sock.close();
}

}  // namespace asyncio
