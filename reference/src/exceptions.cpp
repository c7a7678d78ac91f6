#include "asyncio/exceptions.hpp"

#include <cerrno>
#include <cstring>
#include <exception>
#include <typeinfo>

namespace asyncio {

namespace {
// unicode_repr and bytes_repr (Objects/unicodeobject.c, Objects/bytesobject.c): prefer single quotes;
// switch to double when the text has ' but no ". Bytes from 0x80 are escaped in a bytes repr; in a
// str's they are UTF-8, printable.
std::string quoted(std::string_view s, bool bytes) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char q = (has_single && !has_double) ? '"' : '\'';
  std::string out = bytes ? "b" : "";
  out += q;
  static const char* hex = "0123456789abcdef";
  for (unsigned char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c == static_cast<unsigned char>(q)) {
          out += '\\';
          out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f || (bytes && c >= 0x80)) {
          out += "\\x";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += q;
  return out;
}
}  // namespace

std::string py_repr(std::string_view s) { return quoted(s, false); }
std::string bytes_repr(std::string_view s) { return quoted(s, true); }

std::string BaseException::str() const {
  if (args_.empty()) return {};
  if (args_.size() == 1) return args_[0];
  std::string out = "(";
  for (std::size_t i = 0; i < args_.size(); ++i) {
    if (i) out += ", ";
    out += py_repr(args_[i]);
  }
  return out + ")";
}

std::string BaseException::repr() const {
  std::string out = type_name();
  out += '(';
  for (std::size_t i = 0; i < args_.size(); ++i) {
    if (i) out += ", ";
    out += py_repr(args_[i]);
  }
  return out + ')';
}

std::string BaseException::describe() const {
  std::string name = module_name();
  if (!name.empty()) name += '.';
  name += type_name();
  std::string msg = str();
  return msg.empty() ? name : name + ": " + msg;
}

std::string BaseExceptionGroup::str() const {
  const auto n = exceptions_.size();
  return message() + " (" + std::to_string(n) + (n == 1 ? " sub-exception)" : " sub-exceptions)");
}

std::string BaseExceptionGroup::repr() const {
  std::string out = std::string(type_name()) + "(" + py_repr(message()) + ", [";
  for (std::size_t i = 0; i < exceptions_.size(); ++i) {
    if (i) out += ", ";
    out += inspect(exceptions_[i]).repr();
  }
  return out + "])";
}

std::exception_ptr make_exception_group(std::string message, std::vector<std::exception_ptr> exceptions) {
  bool all_exceptions = true;
  for (auto& e : exceptions) all_exceptions = all_exceptions && is_exception(e);
  if (all_exceptions) return std::make_exception_ptr(ExceptionGroup(std::move(message), std::move(exceptions)));
  return std::make_exception_ptr(BaseExceptionGroup(std::move(message), std::move(exceptions)));
}

ExceptionInfo inspect(const std::exception_ptr& e) {
  ExceptionInfo info;
  if (!e) return info;
  try {
    std::rethrow_exception(e);
  } catch (const BaseException& b) {
    info.exc = &b;
  } catch (const std::exception& x) {
    info.foreign = std::string(typeid(x).name()) + ": " + x.what();
  } catch (...) {
    info.foreign = "unknown C++ exception";
  }
  return info;
}

std::string ExceptionInfo::repr() const { return exc ? exc->repr() : foreign; }
std::string ExceptionInfo::describe() const { return exc ? exc->describe() : foreign; }

namespace {
// True if `e` holds one of the types E...
template <class E, class... Rest>
bool holds(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const E&) {
    return true;
  } catch (...) {
  }
  if constexpr (sizeof...(Rest) > 0)
    return holds<Rest...>(e);
  else
    return false;
}
}  // namespace

std::string OSError::str() const {
  if (errno_ == 0 && args().size() != 2) return Exception::str();
  return "[Errno " + args()[0] + "] " + args()[1];
}

std::string OSError::repr() const {
  if (errno_ == 0 && args().size() != 2) return Exception::repr();
  return std::string(type_name()) + "(" + args()[0] + ", " + py_repr(args()[1]) + ")";
}

std::string strerror_text(int errnum) {
  char buf[256];
  // GNU strerror_r returns the text (possibly a static string, not buf).
  return ::strerror_r(errnum, buf, sizeof buf);
}

namespace {
template <class E>
std::exception_ptr os_error(int errnum, std::string text) {
  return std::make_exception_ptr(E(errnum, std::move(text)));
}
}  // namespace

std::exception_ptr make_os_error(int errnum, std::string text) {
  if (text.empty()) text = strerror_text(errnum);
  // Objects/exceptions.c: _PyExc_InitState's errnomap (Linux errnos).
  switch (errnum) {
    case EAGAIN: case EALREADY: case EINPROGRESS: return os_error<BlockingIOError>(errnum, std::move(text));
    case ECHILD: return os_error<ChildProcessError>(errnum, std::move(text));
    case EPIPE: case ESHUTDOWN: return os_error<BrokenPipeError>(errnum, std::move(text));
    case ECONNABORTED: return os_error<ConnectionAbortedError>(errnum, std::move(text));
    case ECONNREFUSED: return os_error<ConnectionRefusedError>(errnum, std::move(text));
    case ECONNRESET: return os_error<ConnectionResetError>(errnum, std::move(text));
    case EEXIST: return os_error<FileExistsError>(errnum, std::move(text));
    case ENOENT: return os_error<FileNotFoundError>(errnum, std::move(text));
    case EINTR: return os_error<InterruptedError>(errnum, std::move(text));
    case EISDIR: return os_error<IsADirectoryError>(errnum, std::move(text));
    case ENOTDIR: return os_error<NotADirectoryError>(errnum, std::move(text));
    case EACCES: case EPERM: return os_error<PermissionError>(errnum, std::move(text));
    case ESRCH: return os_error<ProcessLookupError>(errnum, std::move(text));
    case ETIMEDOUT: return os_error<TimeoutError>(errnum, std::move(text));
    default: return os_error<OSError>(errnum, std::move(text));
  }
}

void raise_os_error(int errnum, std::string text) { std::rethrow_exception(make_os_error(errnum, std::move(text))); }

IncompleteReadError::IncompleteReadError(std::string partial_, long long expected_)
    : EOFError(std::to_string(partial_.size()) + " bytes read on a total of " +
               (expected_ < 0 ? std::string("undefined") : std::to_string(expected_)) + " expected bytes"),
      partial(std::move(partial_)),
      expected(expected_) {}

bool is_cancelled_error(const std::exception_ptr& e) { return e && holds<CancelledError>(e); }

bool is_exception(const std::exception_ptr& e) {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const Exception&) {
    return true;
  } catch (const ExceptionGroup&) {
    return true;
  } catch (const BaseException&) {
    return false;
  } catch (...) {
    return true;
  }
}

bool is_exit_exception(const std::exception_ptr& e) { return e && holds<KeyboardInterrupt, SystemExit>(e); }

}  // namespace asyncio
