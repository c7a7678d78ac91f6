#pragma once
// Abstract transports (asyncio/transports.py). The concrete ones live where CPython's do:
// selector_events.hpp (sockets: stream and datagram), unix_events.hpp (pipes). Methods a transport
// does not implement raise NotImplementedError, as the abstract Python methods do.
//
// As in Python, Transport is both a ReadTransport and a WriteTransport (virtual bases): a protocol
// receives a BaseTransport& in connection_made; `transport_cast<Transport>(t)` gives the typed
// reference.
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "asyncio/network.hpp"
#include "asyncio/protocols.hpp"
#include "asyncio/ref.hpp"

namespace asyncio {

class Socket;
class EventLoop;

/// A value of get_extra_info: None, an address ('peername', 'sockname'), a descriptor ('pipe'), the
/// transport's socket ('socket'), or a string.
using ExtraInfo = std::variant<std::monostate, SockAddr, int, Socket*, std::string>;

class BaseTransport : public RefCounted {
 public:
  /// get_extra_info(name): std::monostate for an unknown name (Python's default None).
  virtual ExtraInfo get_extra_info(std::string_view name) const;
  virtual bool is_closing() const;
  /// Closes the transport: buffered data is still flushed, then connection_lost(None) is called.
  virtual void close();
  virtual void set_protocol(Ref<BaseProtocol> protocol);
  virtual Ref<BaseProtocol> get_protocol() const;
  /// repr(transport): `<_SelectorSocketTransport fd=7 read=polling write=<idle, bufsize=0>>`.
  virtual std::string repr() const;

 protected:
  friend class EventLoop;
  /// The transport's own callback for its descriptor's kEventRead or kEventWrite readiness
  /// (_read_ready, _write_ready), registered with EventLoop::add_transport_reader/_writer.
  virtual void io_ready(unsigned event);
  /// The Handle CPython would report an exception of io_ready against: "_SelectorSocketTransport._read_ready()".
  virtual std::string io_label(unsigned event) const;

 private:
  // Events whose io_ready is in the ready queue, and those of them a removal cancelled.
  std::uint8_t io_queued_ = 0;
  std::uint8_t io_cancelled_ = 0;
};

class ReadTransport : public virtual BaseTransport {
 public:
  virtual bool is_reading() const;
  virtual void pause_reading();
  virtual void resume_reading();
};

class WriteTransport : public virtual BaseTransport {
 public:
  /// Flow-control limits; nullopt high = 64 KiB (or 4 x low), nullopt low = high / 4. ValueError
  /// unless high >= low >= 0 (transports.py: _FlowControlMixin._set_write_buffer_limits).
  virtual void set_write_buffer_limits(std::optional<std::size_t> high = std::nullopt,
                                       std::optional<std::size_t> low = std::nullopt);
  virtual std::size_t get_write_buffer_size() const;
  /// (low, high), as Python returns them.
  virtual std::pair<std::size_t, std::size_t> get_write_buffer_limits() const;
  virtual void write(std::string_view data);
  /// The default writes the concatenation (transports.py: b"".join(list_of_data)).
  virtual void writelines(const std::vector<std::string>& list_of_data);
  virtual void write_eof();
  virtual bool can_write_eof() const;
  /// Closes at once: buffered data is lost; connection_lost(None) follows.
  virtual void abort();
};

class Transport : public ReadTransport, public WriteTransport {};

class DatagramTransport : public virtual BaseTransport {
 public:
  /// Sends one datagram to `addr` (family 0: the connected peer).
  virtual void sendto(std::string_view data, const SockAddr& addr = {});
  virtual void abort();
  virtual std::size_t get_write_buffer_size() const;
};

class SubprocessTransport : public virtual BaseTransport {
 public:
  virtual int get_pid() const;
  /// nullopt while the child runs; negative for a signal.
  virtual std::optional<int> get_returncode() const;
  /// The transport of the child's fd 0, 1 or 2, or null.
  virtual BaseTransport* get_pipe_transport(int fd) const;
  virtual void send_signal(int sig);
  virtual void terminate();
  virtual void kill();
};

/// Flow control for the write side (transports.py: _FlowControlMixin): pause_writing when the buffer
/// goes over the high-water mark, resume_writing when it drains to the low one. Errors from the
/// protocol's callbacks go to the loop's exception handler ("protocol.pause_writing() failed").
class FlowControl {
 public:
  static constexpr std::size_t kDefaultHigh = 64 * 1024;
  void set_limits(std::optional<std::size_t> high, std::optional<std::size_t> low);
  std::pair<std::size_t, std::size_t> limits() const noexcept { return {low_, high_}; }
  /// _maybe_pause_protocol / _maybe_resume_protocol given the current buffer size; an error from the
  /// protocol goes to `loop`'s exception handler with `transport` and `protocol` in the context.
  void maybe_pause(EventLoop& loop, BaseTransport& transport, BaseProtocol& protocol, std::size_t size);
  void maybe_resume(EventLoop& loop, BaseTransport& transport, BaseProtocol& protocol, std::size_t size);
  bool paused() const noexcept { return paused_; }

 private:
  std::size_t high_ = kDefaultHigh;
  std::size_t low_ = kDefaultHigh / 4;
  bool paused_ = false;
};

[[noreturn]] void throw_transport_type_error(const BaseTransport& t);
/// The typed view of a transport a protocol received: `Ref<Transport> t = transport_cast<Transport>(base)`.
/// TypeError if it is not one.
template <class T>
Ref<T> transport_cast(BaseTransport& t) {
  auto* p = dynamic_cast<T*>(&t);
  if (!p) throw_transport_type_error(t);
  return Ref<T>(p);
}

}  // namespace asyncio
