// The `traceback` module (Lib/traceback.py): printing and formatting exceptions with their
// tracebacks, as the interpreter prints an uncaught one (traceback.cpp). Not provided (refused):
// limit=, and the stack functions (print_stack, format_stack, extract_*), which need frame objects.
#include <fmt/format.h>

#include "../interp.hpp"
#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

// The exception of (exc, /, value=_sentinel, tb=_sentinel): value wins when given (the 3.9
// signature); a traceback given is the one a traceback object of its own names.
Object exception_of(Interp& ip, const char* fn, const Object& exc, const Object& value, const Object& tb) {
  Object e = value.null() ? exc : value;
  if (!e.is_none() && !e.is(Tag::Exc)) ip.raise(ip.T.TypeError, fmt::format("{}(): exception expected, got {}", fn, ip.type_of(e)->name));
  if (!tb.null() && e.is(Tag::Exc) && !tb.is_none()) set_traceback(ip, *e.as<ExcObj>(), tb);
  return e;
}

void refuse_limit(Interp& ip, const Object& limit) {
  if (!limit.null() && !limit.is_none()) ip.refuse("traceback's limit= argument");
}

// `tb` None: the exception without its traceback.
std::vector<std::string> lines_of(Interp& ip, const Object& e, const Object& chain, const Object& tb = {}) {
  // TracebackException(type(None), None, None) formats as "NoneType: None".
  if (e.is_none()) return {"NoneType: None\n"};
  ExcObj& x = *e.as<ExcObj>();
  std::vector<TbEntry> kept;
  if (tb.is_none()) std::swap(kept, x.tb);
  std::vector<std::string> out = ip.format_exception(x, chain.null() || ip.truthy(chain));
  if (tb.is_none()) std::swap(kept, x.tb);
  return out;
}

void write(Interp& ip, const Object& file, const std::vector<std::string>& pieces) {
  for (const std::string& p : pieces) {
    if (file.null() || file.is_none())
      ip.write_err(p);
    else
      ip.call1(ip.getattr(file, "write"), ip.str_obj(p));
  }
}

Object handled(Interp& ip) {
  std::exception_ptr ep = ip.handled();
  return ep ? ip.exc_object(ep) : Object::none();
}

Object str_list(Interp& ip, const std::vector<std::string>& pieces) {
  std::vector<Object> v;
  for (const std::string& p : pieces) v.push_back(ip.str_obj(p));
  return ip.list_obj(std::move(v));
}

}  // namespace

Object module_traceback(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("traceback");
  auto& A = m->attrs;
  A["print_exception"] = ip.builtin("print_exception", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    auto p = bind_params(ip, "print_exception", a, {"exc", "value", "tb", "limit", "file", "chain"}, 3, 1, false);
    refuse_limit(ip, p[3]);
    write(ip, p[4], lines_of(ip, exception_of(ip, "print_exception", p[0], p[1], p[2]), p[5], p[2]));
    return Object::none();
  });
  A["format_exception"] = ip.builtin("format_exception", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    auto p = bind_params(ip, "format_exception", a, {"exc", "value", "tb", "limit", "chain"}, 3, 1, false);
    refuse_limit(ip, p[3]);
    return str_list(ip, lines_of(ip, exception_of(ip, "format_exception", p[0], p[1], p[2]), p[4], p[2]));
  });
  A["format_exception_only"] = ip.builtin("format_exception_only", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    auto p = bind_params(ip, "format_exception_only", a, {"exc", "value"}, 2, 1, false);
    Object e = exception_of(ip, "format_exception_only", p[0], p[1], Object());
    if (e.is_none()) return str_list(ip, {"NoneType: None\n"});
    std::vector<std::string> lines = ip.exc_lines(*e.as<ExcObj>());
    for (std::string& l : lines) l += "\n";
    return str_list(ip, lines);
  });
  A["print_exc"] = ip.builtin("print_exc", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    auto p = bind_params(ip, "print_exc", a, {"limit", "file", "chain"}, 3, 0, false);
    refuse_limit(ip, p[0]);
    write(ip, p[1], lines_of(ip, handled(ip), p[2]));
    return Object::none();
  });
  A["format_exc"] = ip.builtin("format_exc", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    auto p = bind_params(ip, "format_exc", a, {"limit", "chain"}, 2, 0, false);
    refuse_limit(ip, p[0]);
    return ip.str_obj(join(lines_of(ip, handled(ip), p[1])));
  });
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp
