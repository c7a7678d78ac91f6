// What the bindings of asyncio's I/O share (modules/asyncio_protocols.cpp, asyncio_transports.cpp,
// asyncio_base_events.cpp): the program's protocol objects behind the reference loop's protocols,
// transports as Python objects, addresses and data.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "../interp.hpp"

namespace aiospec::interp {

// The program's protocol object (any object: Python's protocols are duck-typed) a reference
// protocol forwards its callbacks to, and the Python object of its transport.
struct PyProtocolLink {
  PyProtocolLink(Interp& i, Object p) : ip(i), py(std::move(p)) {}
  virtual ~PyProtocolLink() = default;
  // One Python object per transport, made on first use (connection_made).
  Object transport_object(asyncio::BaseTransport& t);
  // self.py.<method>(*args); its errors go to the transport, as CPython's do.
  Object call(const char* method, std::vector<Object> args);
  Interp& ip;
  Object py;
  Object transport;
};
// The link of a protocol the interpreter made; null for the reference's own (streams).
PyProtocolLink* protocol_link(asyncio::BaseProtocol* p);

// Which callbacks the transport calls: create_connection's, create_datagram_endpoint's, subprocess_exec's.
enum class ProtocolKind { Stream, Datagram, Subprocess };
// A factory for the reference loop calling the program's protocol_factory.
asyncio::ProtocolFactory protocol_factory(Interp& ip, Object factory, ProtocolKind kind);
// (transport, protocol), as the loop's create_* methods return them.
Object connection_pair(Interp& ip, asyncio::BaseTransport& t, asyncio::BaseProtocol* p);

Object transport_obj(const Ref<asyncio::BaseTransport>& t);
// transport.get_extra_info(name, default).
Object extra_info(Interp& ip, const Ref<asyncio::BaseTransport>& t, std::string_view name, const Object& dflt);
// A Server object (base_events.Server).
Object server_obj(Ref<asyncio::Server> s);
// A socket the loop owns (a transport's or a server's), as asyncio.trsock.TransportSocket: `get`
// gives it while it is open, null after.
Object transport_socket_obj(std::function<const asyncio::Socket*()> get);

// socket.socket objects (modules/socket.cpp): one for `s`; whether `o` is one; the Socket of a
// socket argument of `method` (refused for a blocking one where the call would block the loop, as
// loop.sock_recv's would); and the Socket a transport takes over (the object then only shows it).
Object socket_obj(asyncio::Socket s, bool blocking = true);
// What a thread blocked on the network sees (modules/socket.cpp): nothing else in the program runs,
// the virtual clock moves to the network's next delivery, which is made; false when `deadline` comes
// first (the clock is then there). Nothing in flight and no deadline: the program stops, naming `what`.
bool wait_on_network(Interp& ip, std::optional<asyncio::Nanos> deadline, std::string_view what);
bool is_socket(const Object& o);
asyncio::Socket& socket_arg(Interp& ip, const Object& o, const char* method, bool nonblocking);
asyncio::Socket lend_socket(Interp& ip, const Object& o, const char* method);

// selectors._fileobj_to_fd: an int, or anything with a fileno() method (ValueError otherwise).
int fileobj_to_fd(Interp& ip, const Object& o);
// A class of asyncio's as if defined in Python (module `module`), so that a program's subclass of it
// is an ordinary class; its methods are put in its namespace.
Ref<TypeObj> python_class(Interp& ip, const char* name, const Ref<TypeObj>& base, const char* module);

// Addresses as Python spells them: ('127.0.0.1', 8888), ('::1', 8888, 0, 0), a path.
Object addr_obj(Interp& ip, const asyncio::SockAddr& a);
asyncio::SockAddr addr_arg(Interp& ip, const Object& o);
// A host or port argument: None is "", an int its digits.
std::string host_arg(Interp& ip, const Object& o);
std::string port_arg(Interp& ip, const Object& o);
// The bytes a transport's write() or sendto() takes: TypeError "data argument must be a bytes-like
// object, not 'str'" (selector_events.py), or on a write pipe AssertionError(repr(data))
// (unix_events.py: _UnixWritePipeTransport.write asserts).
std::string data_arg(Interp& ip, const Object& o, const asyncio::BaseTransport& t);
// What writelines() writes: WriteTransport.writelines' b''.join(list_of_data) (3.11).
std::string joined_data(Interp& ip, const Object& list_of_data);
// Received data as a Python bytes.
Object bytes_value(Interp& ip, std::string s);

// The arguments of a call bound to a Python signature: `names` in order, the first `positional` of
// them positional-or-keyword, the rest keyword-only, the first `required` required; missing ones Null.
// A method's messages count its self (`method`), a function's do not.
std::vector<Object> bind_params(Interp& ip, const char* fn, CallArgs& a, std::initializer_list<const char*> names,
                                std::size_t positional, std::size_t required, bool method = true);
// create_connection's keyword arguments after (protocol_factory or host, host or port, port or limit):
// ssl, family, proto, flags, sock, local_addr, server_hostname, ... (open_connection passes its **kwds on).
asyncio::ConnectionOptions connection_options(Interp& ip, const char* fn, const std::vector<Object>& p);
// Options the reference loop has no counterpart for (ssl=...): refused unless None.
void refuse_unsupported(Interp& ip, const char* fn, const std::vector<Object>& params, std::size_t from,
                        std::initializer_list<const char*> names);
// A coroutine object of `c` that returns None.
Object none_coro(Interp& ip, asyncio::Coro<> c, const char* qualname, Object keep);

// loop.create_connection, create_server...: Null for other names (modules/asyncio_base_events.cpp).
Object io_loop_method(Interp& ip, const Object& self, std::string_view name);
// asyncio's protocol and transport classes, in the module's attributes.
void install_protocol_classes(Interp& ip, std::map<std::string, Object, std::less<>>& attrs);
void install_transport_classes(Interp& ip, std::map<std::string, Object, std::less<>>& attrs);
// open_connection, start_server..., StreamReader, StreamWriter (modules/asyncio_streams.cpp).
void install_stream_bindings(Interp& ip, std::map<std::string, Object, std::less<>>& attrs);
// The event loop policies and SelectorEventLoop (modules/asyncio_events.cpp).
void install_policy_bindings(Interp& ip, std::map<std::string, Object, std::less<>>& attrs);
Object reader_obj(Ref<asyncio::StreamReader> r);
Object writer_obj(Ref<asyncio::StreamWriter> w);
// create_subprocess_exec/shell and asyncio.subprocess; loop.subprocess_exec/subprocess_shell
// (modules/asyncio_subprocess.cpp).
void install_subprocess_bindings(Interp& ip, std::map<std::string, Object, std::less<>>& attrs);
Object subprocess_loop_method(Interp& ip, const Object& self, std::string_view name);
// loop.add_reader ... sock_recv ... getaddrinfo (modules/asyncio_selector_events.cpp), then subprocess_loop_method.
Object selector_loop_method(Interp& ip, const Object& self, std::string_view name);
// A loop callback: the Handle's label "f(1, 'a') at file.py:3", and the call of fn(*args) (modules/asyncio.cpp).
std::string callback_label(Interp& ip, const Object& fn, const std::vector<Object>& args);
std::function<void()> callback_fn(Interp& ip, Object fn, std::vector<Object> args);

}  // namespace aiospec::interp
