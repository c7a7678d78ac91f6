#pragma once
// Socket transports (selector_events.py: _SelectorTransport, _SelectorSocketTransport,
// _SelectorDatagramTransport), written on the loop's add_reader/add_writer and the Network
// interface, so they run unchanged on epoll and on the simulated network.
//
// The order of a new transport's first callbacks is CPython's: the constructor schedules, with
// call_soon, protocol.connection_made(transport), then the reader registration, then the waiter's
// result — so connection_made runs before the first data_received, and create_connection returns
// one iteration after connection_made.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "asyncio/events.hpp"
#include "asyncio/futures.hpp"
#include "asyncio/pool.hpp"
#include "asyncio/socket.hpp"
#include "asyncio/transports.hpp"

namespace asyncio {

class Server;

namespace detail {
/// A socket address in 40 bytes (a SockAddr takes 80): the transports keep two per connection.
class PackedAddr {
 public:
  PackedAddr() = default;
  explicit PackedAddr(const SockAddr& a);
  /// Whether an address is held (Python: the extra info is not None).
  explicit operator bool() const noexcept { return family_ != 0; }
  SockAddr unpack() const;

 private:
  std::uint8_t family_ = 0;  // 0: None
  std::uint16_t port_ = 0;
  std::uint32_t flowinfo_ = 0, scope_id_ = 0;
  unsigned char ip_[16] = {};
  std::unique_ptr<std::string> path_;  // AF_UNIX
};
}  // namespace detail

/// _SelectorTransport: what socket transports share: the socket, the protocol, closing, flow control.
class SelectorTransport : public Transport {
 public:
  /// recv() size (selector_events.py: max_size).
  static constexpr std::size_t kMaxSize = 256 * 1024;
  /// constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES: writes to a lost connection before the warning.
  static constexpr int kLogThresholdForConnlostWrites = 5;

  ~SelectorTransport() override;
  ExtraInfo get_extra_info(std::string_view name) const override;
  bool is_closing() const override { return closing_; }
  void close() override;
  void abort() override { force_close(nullptr); }
  void set_protocol(Ref<BaseProtocol> protocol) override;
  Ref<BaseProtocol> get_protocol() const override { return protocol_; }
  bool is_reading() const override { return !closing_ && !paused_; }
  void pause_reading() override;
  void resume_reading() override;
  void set_write_buffer_limits(std::optional<std::size_t> high = std::nullopt,
                               std::optional<std::size_t> low = std::nullopt) override;
  std::pair<std::size_t, std::size_t> get_write_buffer_limits() const override { return flow_.limits(); }
  std::string repr() const override;
  /// The transport's socket (closed once connection_lost has run).
  const Socket& socket() const noexcept { return sock_; }

  // One connection's transport is allocated per accept: from the loop's pools, without a malloc header.
  static void* operator new(std::size_t size) { return detail::pool_allocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { detail::pool_deallocate(p, size); }

 protected:
  SelectorTransport(EventLoop& loop, Socket sock, Ref<BaseProtocol> protocol, std::optional<SockAddr> peername,
                    Server* server);
  virtual const char* class_name() const noexcept = 0;
  /// _read_ready: the reader callback.
  virtual void read_ready() = 0;
  /// Drops unsent data (_force_close's self._buffer.clear()).
  virtual void clear_buffer() noexcept = 0;
  /// _fatal_error: an OSError is not reported (only logged in debug mode); anything else goes to
  /// the exception handler with `message`; then force_close.
  void fatal_error(std::exception_ptr exc, const char* message);
  void force_close(std::exception_ptr exc);
  virtual void call_connection_lost(std::exception_ptr exc);
  /// _add_reader: only while reading (not paused, not closing).
  void add_reader();
  void maybe_pause_protocol();
  void maybe_resume_protocol();
  /// Schedules connection_made, the reader and the waiter's result (the constructors' tail).
  void schedule_start(std::optional<Future<>> waiter);
  /// Logs 'socket.send() raised exception.' once a lost connection has been written to
  /// kLogThresholdForConnlostWrites times.
  void count_lost_write();

  Ref<EventLoop> loop_;  // null once connection_lost has run (transport._loop = None)
  Socket sock_;
  int sock_fd_;
  Ref<BaseProtocol> protocol_;
  Ref<Server> server_;
  detail::PackedAddr sockname_, peername_;
  FlowControl flow_;
  int conn_lost_ = 0;
  bool closing_ = false;
  bool paused_ = false;
  bool protocol_connected_ = false;
};

/// _SelectorSocketTransport: TCP and Unix stream sockets.
class SelectorSocketTransport final : public SelectorTransport {
 public:
  SelectorSocketTransport(EventLoop& loop, Socket sock, Ref<BaseProtocol> protocol,
                          std::optional<Future<>> waiter = std::nullopt,
                          std::optional<SockAddr> peername = std::nullopt, Server* server = nullptr);
  void set_protocol(Ref<BaseProtocol> protocol) override;
  std::size_t get_write_buffer_size() const override { return buffer_.size() - buffer_start_; }
  /// Sends at once what the socket takes; buffers the rest and waits for writability.
  /// RuntimeError('Cannot call write() after write_eof()').
  void write(std::string_view data) override;
  void write_eof() override;
  bool can_write_eof() const override { return true; }

 private:
  const char* class_name() const noexcept override { return "_SelectorSocketTransport"; }
  void io_ready(unsigned event) override { event == kEventRead ? read_ready() : write_ready(); }
  std::string io_label(unsigned event) const override {
    return std::string(class_name()) + (event == kEventRead ? "._read_ready()" : "._write_ready()");
  }
  void read_ready() override;
  void clear_buffer() noexcept override {
    buffer_.clear();
    buffer_start_ = 0;
  }
  void read_ready_get_buffer();
  void read_ready_data_received();
  void read_ready_on_eof();
  void write_ready();
  bool call_eof_received();
  bool buffered_ = false;  // protocol is a BufferedProtocol
  bool eof_ = false;
  // The bytearray of unsent data; the front is consumed by advancing buffer_start_ (CPython's
  // `del self._buffer[:n]` moves the rest each time).
  std::string buffer_;
  std::size_t buffer_start_ = 0;
};

/// _SelectorDatagramTransport: UDP and Unix datagram sockets.
class SelectorDatagramTransport final : public SelectorTransport, public DatagramTransport {
 public:
  SelectorDatagramTransport(EventLoop& loop, Socket sock, Ref<BaseProtocol> protocol,
                            std::optional<SockAddr> address = std::nullopt,
                            std::optional<Future<>> waiter = std::nullopt);
  std::size_t get_write_buffer_size() const override { return buffer_size_; }
  /// ValueError('Invalid address: must be None or ...') for another address on a connected endpoint.
  void sendto(std::string_view data, const SockAddr& addr = {}) override;
  void abort() override { SelectorTransport::abort(); }
  void set_protocol(Ref<BaseProtocol> protocol) override;

 private:
  const char* class_name() const noexcept override { return "_SelectorDatagramTransport"; }
  void io_ready(unsigned event) override { event == kEventRead ? read_ready() : sendto_ready(); }
  std::string io_label(unsigned event) const override {
    return std::string(class_name()) + (event == kEventRead ? "._read_ready()" : "._sendto_ready()");
  }
  void read_ready() override;
  void clear_buffer() noexcept override {
    buffer_.clear();
    buffer_size_ = 0;
  }
  void sendto_ready();
  DatagramProtocol* dprotocol_ = nullptr;  // protocol_, as the DatagramProtocol it must be
  std::optional<SockAddr> address_;
  std::deque<std::pair<std::string, SockAddr>> buffer_;
  std::size_t buffer_size_ = 0;
};

}  // namespace asyncio
