#include "asyncio/transports.hpp"

#include "asyncio/events.hpp"
#include "asyncio/exceptions.hpp"

namespace asyncio {

namespace {
[[noreturn]] void not_implemented() { throw NotImplementedError(); }
}  // namespace

ExtraInfo BaseTransport::get_extra_info(std::string_view) const { return {}; }
bool BaseTransport::is_closing() const { not_implemented(); }
void BaseTransport::close() { not_implemented(); }
void BaseTransport::set_protocol(Ref<BaseProtocol>) { not_implemented(); }
Ref<BaseProtocol> BaseTransport::get_protocol() const { not_implemented(); }
std::string BaseTransport::repr() const { return "<asyncio.transports.BaseTransport object>"; }
void BaseTransport::io_ready(unsigned) { not_implemented(); }
std::string BaseTransport::io_label(unsigned event) const {
  return event == kEventRead ? "BaseTransport._read_ready()" : "BaseTransport._write_ready()";
}

bool ReadTransport::is_reading() const { not_implemented(); }
void ReadTransport::pause_reading() { not_implemented(); }
void ReadTransport::resume_reading() { not_implemented(); }

void WriteTransport::set_write_buffer_limits(std::optional<std::size_t>, std::optional<std::size_t>) { not_implemented(); }
std::size_t WriteTransport::get_write_buffer_size() const { not_implemented(); }
std::pair<std::size_t, std::size_t> WriteTransport::get_write_buffer_limits() const { not_implemented(); }
void WriteTransport::write(std::string_view) { not_implemented(); }
void WriteTransport::writelines(const std::vector<std::string>& list_of_data) {
  std::string joined;
  for (auto& d : list_of_data) joined += d;
  write(joined);
}
void WriteTransport::write_eof() { not_implemented(); }
bool WriteTransport::can_write_eof() const { not_implemented(); }
void WriteTransport::abort() { not_implemented(); }

void DatagramTransport::sendto(std::string_view, const SockAddr&) { not_implemented(); }
void DatagramTransport::abort() { not_implemented(); }
std::size_t DatagramTransport::get_write_buffer_size() const { not_implemented(); }

int SubprocessTransport::get_pid() const { not_implemented(); }
std::optional<int> SubprocessTransport::get_returncode() const { not_implemented(); }
BaseTransport* SubprocessTransport::get_pipe_transport(int) const { not_implemented(); }
void SubprocessTransport::send_signal(int) { not_implemented(); }
void SubprocessTransport::terminate() { not_implemented(); }
void SubprocessTransport::kill() { not_implemented(); }

void throw_transport_type_error(const BaseTransport& t) { throw TypeError("unexpected transport " + t.repr()); }

// transports.py: _FlowControlMixin._set_write_buffer_limits.
void FlowControl::set_limits(std::optional<std::size_t> high, std::optional<std::size_t> low) {
  const std::size_t h = high ? *high : low ? 4 * *low : kDefaultHigh;
  const std::size_t l = low ? *low : h / 4;
  if (h < l) throw ValueError("high (" + std::to_string(h) + ") must be >= low (" + std::to_string(l) + ") must be >= 0");
  high_ = h;
  low_ = l;
}

namespace {
void report_flow_error(EventLoop& loop, BaseTransport& transport, BaseProtocol& protocol, const char* message) {
  auto e = std::current_exception();
  if (is_exit_exception(e)) throw;
  ExceptionContext ctx;
  ctx.message = message;
  ctx.exception = e;
  ctx.extra = {{"transport", transport.repr()}, {"protocol", protocol.repr()}};
  loop.call_exception_handler(ctx);
}
}  // namespace

void FlowControl::maybe_pause(EventLoop& loop, BaseTransport& transport, BaseProtocol& protocol, std::size_t size) {
  if (size <= high_ || paused_) return;
  paused_ = true;
  try {
    protocol.pause_writing();
  } catch (...) {
    report_flow_error(loop, transport, protocol, "protocol.pause_writing() failed");
  }
}

void FlowControl::maybe_resume(EventLoop& loop, BaseTransport& transport, BaseProtocol& protocol, std::size_t size) {
  if (!paused_ || size > low_) return;
  paused_ = false;
  try {
    protocol.resume_writing();
  } catch (...) {
    report_flow_error(loop, transport, protocol, "protocol.resume_writing() failed");
  }
}

}  // namespace asyncio
