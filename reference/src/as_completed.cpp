#include "asyncio/as_completed.hpp"

#include <algorithm>

namespace asyncio {

namespace detail {

// tasks.py: as_completed._on_completion
void AsCompletedState::on_completion(FutureBase& f, RefCounted* self) {
  auto& st = static_cast<AsCompletedState&>(*self);
  if (st.todo.empty()) return;  // _on_timeout() was here first
  st.todo.erase(std::find(st.todo.begin(), st.todo.end(), Ref<FutureBase>(&f)));
  st.done.put_nowait(Ref<FutureBase>(&f));
  if (st.todo.empty() && st.timeout_handle) st.timeout_handle.cancel();
}

// tasks.py: as_completed._on_timeout
void AsCompletedState::on_timeout() {
  for (auto& f : todo) {
    f->remove_done_callback(this);
    done.put_nowait(nullptr);  // a dummy value for _wait_for_one()
  }
  todo.clear();
  timeout_handle = TimerHandle();  // the loop holds the running handle; drop our reference to it
}

Coro<Ref<FutureBase>> wait_for_one(Ref<AsCompletedState> st) {
  Ref<FutureBase> f = co_await st->done.get();
  if (!f) throw TimeoutError();
  f->raise_if_failed();
  co_return f;
}

}  // namespace detail

AsCompleted::AsCompleted(FutureList fs, std::optional<double> timeout) : fs_(std::move(fs)), timeout_(timeout) {}

void AsCompleted::start() {
  started_ = true;
  auto& loop = get_event_loop();  // events._get_event_loop(): usable outside a coroutine
  state_ = make_ref<detail::AsCompletedState>();
  auto& todo = state_->todo;
  for (auto& f : fs_) {
    // ensure_future(f, loop=loop)
    if (&f->get_loop() != &loop)
      throw ValueError("The future belongs to a different loop than the one specified as the loop argument");
    if (std::find(todo.begin(), todo.end(), f) == todo.end()) todo.push_back(f);
  }
  fs_.clear();
  for (auto& f : todo) f->add_fast_callback(&detail::AsCompletedState::on_completion, state_.get(), state_.get());
  if (!todo.empty() && timeout_) {
    Ref<detail::AsCompletedState> st = state_;
    state_->timeout_handle = loop.call_later(*timeout_, [st] { st->on_timeout(); }, "as_completed.<locals>._on_timeout()");
  }
  remaining_ = todo.size();
}

bool AsCompleted::advance() {
  if (!started_) start();
  if (remaining_ == 0) return false;
  --remaining_;
  return true;
}

std::optional<Coro<Ref<FutureBase>>> AsCompleted::next() {
  if (!advance()) return std::nullopt;
  auto c = detail::wait_for_one(state_);
  c.set_name(detail::wait_for_one_name);
  return c;
}

}  // namespace asyncio
