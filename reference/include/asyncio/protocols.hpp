#pragma once
// Protocols (asyncio/protocols.py): the callbacks a transport calls. Subclass one and override what
// you need; the defaults do nothing, as in Python. A transport holds its protocol by reference count
// (Python's transport._protocol), so a protocol that keeps its transport forms a cycle that close()
// breaks: a closed transport drops its protocol after connection_lost.
//
// Callback order, for a stream transport (selector_events.py: _SelectorSocketTransport):
//   connection_made -> data_received* -> eof_received? -> connection_lost (exactly once)
// connection_made is scheduled with call_soon after the transport is built; connection_lost is
// scheduled with call_soon by close() / abort() / a fatal error.
#include <cstddef>
#include <exception>
#include <span>
#include <string>
#include <string_view>

#include "asyncio/network.hpp"
#include "asyncio/ref.hpp"

namespace asyncio {

class BaseTransport;

class BaseProtocol : public RefCounted {
 public:
  /// Called when a connection is made; `transport` is the transport representing it.
  virtual void connection_made(BaseTransport& transport) { (void)transport; }
  /// Called once when the connection is lost or closed: null for a regular EOF or close(), else the
  /// error (an OSError subclass).
  virtual void connection_lost(std::exception_ptr exc) { (void)exc; }
  /// Flow control: the transport's write buffer went over the high-water mark...
  virtual void pause_writing() {}
  /// ...and drained to (or below) the low-water mark again.
  virtual void resume_writing() {}
  /// repr(protocol), for the exception handler's context (Python: `<__main__.P object at 0x...>`).
  virtual std::string repr() const { return "<" + qualname() + " object>"; }
  /// The class's __qualname__, which names the protocol's callbacks in "Exception in callback ...".
  virtual std::string qualname() const { return "BaseProtocol"; }
};

/// Streaming protocol (TCP, Unix sockets, pipes).
class Protocol : public BaseProtocol {
 public:
  virtual void data_received(std::string_view data) { (void)data; }
  /// The other end sent EOF. Returning false (Python's None/False) makes the transport close itself;
  /// true keeps it open (half-closed) until the protocol closes it.
  virtual bool eof_received() { return false; }
};

/// Streaming protocol with manual control of the receive buffer (protocols.BufferedProtocol): the
/// transport asks for a buffer and reads straight into it.
class BufferedProtocol : public BaseProtocol {
 public:
  /// A buffer to read into, of at least one byte; `size_hint` is the recommended size (-1: any).
  virtual std::span<char> get_buffer(long size_hint) = 0;
  /// `nbytes` bytes were written into the buffer get_buffer returned.
  virtual void buffer_updated(std::size_t nbytes) = 0;
  virtual bool eof_received() { return false; }
};

/// Datagram (UDP, Unix datagram) protocol.
class DatagramProtocol : public BaseProtocol {
 public:
  virtual void datagram_received(std::string_view data, const SockAddr& addr) { (void)data, (void)addr; }
  /// A previous send or receive raised an OSError (e.g. ConnectionRefusedError after an ICMP error).
  virtual void error_received(std::exception_ptr exc) { (void)exc; }
};

/// The protocol of a child process's pipes (protocols.SubprocessProtocol).
class SubprocessProtocol : public BaseProtocol {
 public:
  virtual void pipe_data_received(int fd, std::string_view data) { (void)fd, (void)data; }
  virtual void pipe_connection_lost(int fd, std::exception_ptr exc) { (void)fd, (void)exc; }
  virtual void process_exited() {}
};

}  // namespace asyncio
