#include "asyncio/exceptions.hpp"

#include <exception>
#include <typeinfo>

namespace asyncio {

std::string py_repr(std::string_view s) {
  // Python's unicode_repr: prefer single quotes; switch to double when the text has ' but no ".
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char q = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, q);
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
        } else if (c < 0x20 || c == 0x7f) {
          out += "\\x";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through: printable in Python's repr
        }
    }
  }
  out += q;
  return out;
}

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
