#pragma once
// Python's exception hierarchy, as far as asyncio needs it. Mirrors builtins and asyncio/exceptions.py:
// BaseException is the root and is deliberately not a std::exception, so `catch (const std::exception&)`
// does not swallow cancellation, just as `except Exception` does not catch CancelledError.
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncio {

/// Python's repr() of a str: single quotes unless the text contains ' and no ".
std::string py_repr(std::string_view s);
/// Python's repr() of a bytes (`b'\\x00ab'`): the same quote choice, \\x escapes for all but printable ASCII.
std::string bytes_repr(std::string_view s);

class BaseException {
 public:
  BaseException() = default;
  explicit BaseException(std::string message) { args_.push_back(std::move(message)); }
  explicit BaseException(std::vector<std::string> args) : args_(std::move(args)) {}
  virtual ~BaseException() = default;

  /// The class name Python prints (`ValueError`).
  virtual const char* type_name() const noexcept { return "BaseException"; }
  /// The module for traceback's `module.Name: msg` line; empty for builtins.
  virtual const char* module_name() const noexcept { return ""; }
  /// `str(exc)`: '' with no args, the argument with one, the tuple's str with several.
  virtual std::string str() const;
  /// `repr(exc)`: `ValueError('boom')`.
  virtual std::string repr() const;
  /// The last line of a traceback: `ValueError: boom`, or `asyncio.exceptions.CancelledError`.
  std::string describe() const;

  const std::vector<std::string>& args() const noexcept { return args_; }
  /// `raise X from cause` (`__cause__`).
  std::exception_ptr cause;

 private:
  std::vector<std::string> args_;
};

#define ASYNCIO_EXCEPTION(Name, Base, Module)                                   \
  class Name : public Base {                                                    \
   public:                                                                      \
    using Base::Base;                                                           \
    const char* type_name() const noexcept override { return #Name; }           \
    const char* module_name() const noexcept override { return Module; }        \
  };

ASYNCIO_EXCEPTION(Exception, BaseException, "")
ASYNCIO_EXCEPTION(KeyboardInterrupt, BaseException, "")
ASYNCIO_EXCEPTION(SystemExit, BaseException, "")
ASYNCIO_EXCEPTION(GeneratorExit, BaseException, "")
/// asyncio.CancelledError derives from BaseException since Python 3.8.
ASYNCIO_EXCEPTION(CancelledError, BaseException, "asyncio.exceptions")
ASYNCIO_EXCEPTION(RuntimeError, Exception, "")
ASYNCIO_EXCEPTION(ValueError, Exception, "")
ASYNCIO_EXCEPTION(TypeError, Exception, "")
ASYNCIO_EXCEPTION(AssertionError, Exception, "")

/// OSError. `OSError(errno, strerror)` has str `[Errno 111] Connection refused`; the one-argument form
/// (`OSError("msg")`) has no errno, as in Python. `make_os_error` picks the subclass an errno maps to,
/// as OSError.__new__ does (Objects/exceptions.c: errnomap).
class OSError : public Exception {
 public:
  using Exception::Exception;
  OSError(int errnum, std::string strerror)
      : Exception(std::vector<std::string>{std::to_string(errnum), std::move(strerror)}), errno_(errnum) {}
  const char* type_name() const noexcept override { return "OSError"; }
  /// `e.errno` (0 when constructed without one).
  int error_code() const noexcept { return errno_; }
  /// `e.strerror`: the second argument of the two-argument form.
  const std::string& strerror() const noexcept { return args().size() >= 2 ? args()[1] : args().front(); }
  std::string str() const override;
  std::string repr() const override;

 private:
  int errno_ = 0;
};

/// asyncio.TimeoutError is builtins.TimeoutError since 3.11 (errno ETIMEDOUT).
ASYNCIO_EXCEPTION(TimeoutError, OSError, "")
ASYNCIO_EXCEPTION(BlockingIOError, OSError, "")
ASYNCIO_EXCEPTION(ChildProcessError, OSError, "")
ASYNCIO_EXCEPTION(ConnectionError, OSError, "")
ASYNCIO_EXCEPTION(BrokenPipeError, ConnectionError, "")
ASYNCIO_EXCEPTION(ConnectionAbortedError, ConnectionError, "")
ASYNCIO_EXCEPTION(ConnectionRefusedError, ConnectionError, "")
ASYNCIO_EXCEPTION(ConnectionResetError, ConnectionError, "")
ASYNCIO_EXCEPTION(FileExistsError, OSError, "")
ASYNCIO_EXCEPTION(FileNotFoundError, OSError, "")
ASYNCIO_EXCEPTION(InterruptedError, OSError, "")
ASYNCIO_EXCEPTION(IsADirectoryError, OSError, "")
ASYNCIO_EXCEPTION(NotADirectoryError, OSError, "")
ASYNCIO_EXCEPTION(PermissionError, OSError, "")
ASYNCIO_EXCEPTION(ProcessLookupError, OSError, "")
/// socket.gaierror: getaddrinfo's errors (EAI_* codes, negative on Linux).
ASYNCIO_EXCEPTION(gaierror, OSError, "socket")

/// The OSError subclass for `errnum` (ECONNREFUSED -> ConnectionRefusedError, ...), with
/// `strerror` defaulting to the C library's text (os.strerror).
std::exception_ptr make_os_error(int errnum, std::string strerror = {});
[[noreturn]] void raise_os_error(int errnum, std::string strerror = {});
/// os.strerror(errnum).
std::string strerror_text(int errnum);
ASYNCIO_EXCEPTION(InvalidStateError, Exception, "asyncio.exceptions")
ASYNCIO_EXCEPTION(QueueEmpty, Exception, "asyncio.queues")
ASYNCIO_EXCEPTION(QueueFull, Exception, "asyncio.queues")
ASYNCIO_EXCEPTION(BrokenBarrierError, RuntimeError, "asyncio.exceptions")
ASYNCIO_EXCEPTION(EOFError, Exception, "")
ASYNCIO_EXCEPTION(NotImplementedError, RuntimeError, "")
ASYNCIO_EXCEPTION(SendfileNotAvailableError, RuntimeError, "asyncio.exceptions")
#undef ASYNCIO_EXCEPTION

/// asyncio.IncompleteReadError(partial, expected) (exceptions.py): an EOFError whose str is
/// `{len(partial)} bytes read on a total of {expected!r} expected bytes`; `expected` is None
/// (-1 here, printed "undefined") for readuntil.
class IncompleteReadError : public EOFError {
 public:
  IncompleteReadError(std::string partial, long long expected);
  const char* type_name() const noexcept override { return "IncompleteReadError"; }
  const char* module_name() const noexcept override { return "asyncio.exceptions"; }
  std::string partial;
  long long expected;  // -1 for None
};

/// asyncio.LimitOverrunError(message, consumed) (exceptions.py).
class LimitOverrunError : public Exception {
 public:
  LimitOverrunError(std::string message, std::size_t consumed)
      : Exception(std::move(message)), consumed(consumed) {}
  const char* type_name() const noexcept override { return "LimitOverrunError"; }
  const char* module_name() const noexcept override { return "asyncio.exceptions"; }
  std::size_t consumed;
};

/// BaseExceptionGroup / ExceptionGroup (PEP 654): a message and the grouped exceptions. The group is an
/// ExceptionGroup (an Exception) when every member is an Exception; `make_exception_group` picks.
class BaseExceptionGroup : public BaseException {
 public:
  BaseExceptionGroup(std::string message, std::vector<std::exception_ptr> exceptions)
      : BaseException(std::move(message)), exceptions_(std::move(exceptions)) {}
  const char* type_name() const noexcept override { return "BaseExceptionGroup"; }
  /// `unhandled errors in a TaskGroup (2 sub-exceptions)`
  std::string str() const override;
  std::string repr() const override;
  const std::string& message() const noexcept { return args().front(); }
  const std::vector<std::exception_ptr>& exceptions() const noexcept { return exceptions_; }

 private:
  std::vector<std::exception_ptr> exceptions_;
};

/// ExceptionGroup is both an Exception and a BaseExceptionGroup in Python; in C++ it derives from
/// BaseExceptionGroup, and `is_exception()` reports it as an Exception.
class ExceptionGroup : public BaseExceptionGroup {
 public:
  using BaseExceptionGroup::BaseExceptionGroup;
  const char* type_name() const noexcept override { return "ExceptionGroup"; }
};

std::exception_ptr make_exception_group(std::string message, std::vector<std::exception_ptr> exceptions);

/// What Python would say about an arbitrary C++ exception: the BaseException if it is one, otherwise a
/// description of the foreign exception (std::exception::what()).
struct ExceptionInfo {
  const BaseException* exc = nullptr;  // valid while the exception_ptr lives
  std::string foreign;                 // set when exc is null
  std::string repr() const;
  std::string describe() const;
};
ExceptionInfo inspect(const std::exception_ptr& e);

bool is_cancelled_error(const std::exception_ptr& e);
/// True for Python `Exception` subclasses (and foreign C++ exceptions, which behave like Exception).
bool is_exception(const std::exception_ptr& e);
/// KeyboardInterrupt and SystemExit propagate out of the loop (base_events.py: Handle._run).
bool is_exit_exception(const std::exception_ptr& e);

}  // namespace asyncio
