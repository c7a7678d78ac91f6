// coroutine: coroutine objects and `await`.
#include <fmt/format.h>

#include "generator.hpp"

namespace aiospec::interp {

using namespace scenario;

Object Interp::make_coro(asyncio::Coro<Object> c, const char* qualname, bool is_async_def) {
  c.set_name(qualname);
  auto obj = asyncio::make_ref<CoroObj>(std::move(c), qualname);
  obj->is_async_def = is_async_def;
  return Object(Tag::Coro, obj);
}

asyncio::Coro<Object> Interp::await_object(Object x) {
  switch (x.tag()) {
    case Tag::Coro: {
      auto* c = x.as<CoroObj>();
      std::exception_ptr ep;
      Object v;
      try {
        v = co_await c->coro;
      } catch (const Abort&) {
        throw;
      } catch (...) {
        ep = std::current_exception();
      }
      if (ep) {
        // The finished frame's promise still holds the exception, which would hold the frame:
        // break the cycle (the exception keeps the coroutine object, as a traceback would).
        if (auto h = c->coro.handle()) h.promise().exception = nullptr;
        rethrow_keeping(ep, {std::move(x)});
      }
      co_return v;
    }
    case Tag::Future: {
      Ref<asyncio::FutureBase> fut(x.as<asyncio::FutureBase>());
      asyncio::FutureAwaiter<asyncio::FutureBase> awaiter{fut};  // named: g++ 12 destroys a braced temporary awaiter twice
      co_await awaiter;
      co_return future_result(*fut);
    }
    case Tag::Native:
      if (is_agen_op(x)) co_return co_await await_agen_op(*this, std::move(x));
      [[fallthrough]];
    case Tag::Instance: {
      Object aw = x.is(Tag::Native) ? getattr_opt(x, "__await__") : special(x, "__await__");
      if (!aw.null()) co_return co_await await_object(call0(aw));
      break;
    }
    default: break;
  }
  raise(T.TypeError, fmt::format("object {} can't be used in 'await' expression", type_of(x)->name));
}

}  // namespace aiospec::interp
