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
ASYNCIO_EXCEPTION(OSError, Exception, "")
/// asyncio.TimeoutError is builtins.TimeoutError since 3.11.
ASYNCIO_EXCEPTION(TimeoutError, OSError, "")
ASYNCIO_EXCEPTION(InvalidStateError, Exception, "asyncio.exceptions")
ASYNCIO_EXCEPTION(QueueEmpty, Exception, "asyncio.queues")
ASYNCIO_EXCEPTION(QueueFull, Exception, "asyncio.queues")
ASYNCIO_EXCEPTION(BrokenBarrierError, RuntimeError, "asyncio.exceptions")
#undef ASYNCIO_EXCEPTION

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
