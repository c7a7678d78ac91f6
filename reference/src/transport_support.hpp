#pragma once
// What the transports' sources share (selector_events, unix_events): not installed.
#include <cerrno>
#include <cstddef>
#include <memory>
#include <string>

namespace asyncio::detail {

/// The -errno of a non-blocking read or write that would have waited: CPython's
/// `except (BlockingIOError, InterruptedError)`.
inline bool would_block(long rc) noexcept { return rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR; }

/// The buffer a transport reads into: data_received gets a view of it, so an idle transport costs no
/// receive buffer (CPython allocates a bytes object per read instead). Both max_size are 256 KiB.
constexpr std::size_t kReadBufferSize = 256 * 1024;
inline char* read_buffer() {
  thread_local std::unique_ptr<char[]> buf(new char[kReadBufferSize]);
  return buf.get();
}

/// reprlib.repr of an object with a long repr (Repr.repr_instance, maxother=30): the middle elided,
/// as handle labels show a callback's arguments.
inline std::string reprlib_other(std::string s) {
  constexpr std::size_t kMax = 30;
  if (s.size() <= kMax) return s;
  const std::size_t i = (kMax - 3) / 2, j = kMax - 3 - i;
  return s.substr(0, i) + "..." + s.substr(s.size() - j);
}

}  // namespace asyncio::detail
