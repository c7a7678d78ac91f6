#include "asyncio/events.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <thread>

#include "asyncio/concurrent_futures.hpp"
#include "asyncio/epoll_network.hpp"
#include "asyncio/sim_network.hpp"
#include "asyncio/sleep.hpp"
#include "asyncio/tasks.hpp"
#include "asyncio/threads.hpp"
#include "asyncio/transports.hpp"
#include "asyncio/unix_events.hpp"
#include "mixed_network.hpp"

namespace asyncio {

namespace {

// base_events.py: _MIN_SCHEDULED_TIMER_HANDLES, _MIN_CANCELLED_TIMER_HANDLES_FRACTION
constexpr std::size_t kMinScheduledTimerHandles = 100;
constexpr double kMinCancelledTimerHandlesFraction = 0.5;
// time.get_clock_info('monotonic').resolution on Linux.
constexpr Nanos kClockResolution = 1;
// base_events.py: MAXIMUM_SELECT_TIMEOUT (24 hours).
constexpr Nanos kMaximumSelectTimeout = 24LL * 3600 * 1000000000;
// Batches longer than this prefetch what their entries touch, kPrefetchAhead entries per stage.
constexpr std::size_t kLargeBatch = 64;
constexpr std::size_t kPrefetchAhead = 4;

// events.py: BaseDefaultEventLoopPolicy's per-thread state.
struct PolicyState {
  EventLoopPtr loop;
  bool set_called = false;
};
thread_local PolicyState t_policy;
const std::thread::id main_thread_id = std::this_thread::get_id();

LogSink& log_sink() {
  static LogSink sink;
  return sink;
}

Nanos saturating_add(Nanos a, Nanos b) {
  Nanos r;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? std::numeric_limits<Nanos>::max() : std::numeric_limits<Nanos>::min();
  return r;
}

Nanos to_nanos(double seconds) { return seconds_to_nanos(seconds); }


}  // namespace

void MonotonicClock::sleep(Nanos d) {
  if (d > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(d));
}

void detail::reset_event_loop_policy() noexcept { t_policy = PolicyState{}; }
void detail::throw_no_running_loop() { throw RuntimeError("no running event loop"); }

EventLoop& get_event_loop() {
  if (EventLoop* running = running_loop()) return *running;
  auto& p = t_policy;
  const bool main = std::this_thread::get_id() == main_thread_id;
  if (!p.loop && !p.set_called && main) set_event_loop(new_event_loop());
  if (!p.loop) {
    throw RuntimeError(std::string("There is no current event loop in thread ") +
                       (main ? "'MainThread'" : "'Thread'") + ".");
  }
  return *p.loop;
}

void set_event_loop(EventLoopPtr loop) {
  t_policy.set_called = true;
  t_policy.loop = std::move(loop);
}

namespace {
std::function<EventLoopPtr()>& loop_factory() {
  static std::function<EventLoopPtr()> f;
  return f;
}
}  // namespace

EventLoopPtr new_event_loop() { return loop_factory() ? loop_factory()() : make_ref<EventLoop>(); }
void set_new_event_loop_factory(std::function<EventLoopPtr()> factory) { loop_factory() = std::move(factory); }
EventLoopPtr new_real_time_event_loop() { return make_ref<EventLoop>(std::make_unique<MonotonicClock>()); }

void set_log_sink(LogSink sink) { log_sink() = std::move(sink); }

void log_message(const std::string& text) {
  ExceptionContext ctx;
  ctx.message = text;
  if (auto& sink = log_sink())
    sink(text, ctx);
  else
    std::fprintf(stderr, "%s\n", text.c_str());
}

EventLoop::EventLoop(std::shared_ptr<Clock> clock, std::shared_ptr<Network> network)
    : clock_(std::move(clock)),
      vclock_(clock_->is_virtual() ? static_cast<VirtualClock*>(clock_.get()) : nullptr),
      network_(std::move(network)) {
  // A real loop waits in its selector (call_soon_threadsafe wakes it), so it has one from the start;
  // a virtual loop makes its simulated network when something first uses it.
  if (!network_ && !vclock_) network_ = std::make_shared<EpollNetwork>();
}

const std::shared_ptr<Network>& EventLoop::network_ptr() {
  // The network keeps the clock alive: sockets may outlive the loop.
  if (!network_) network_ = std::make_shared<SimNetwork>(std::shared_ptr<VirtualClock>(clock_, vclock_));
  return network_;
}

EventLoop::~EventLoop() {
  cut_links();
  // BaseEventLoop.__del__ closes an unclosed loop (and so its own descriptors).
  if (network_)
    for (int fd : own_fds_) network_->close(fd);
  detail::close_signals(*this);
  for (std::size_t i = 0; i < ready_.size(); ++i) release_entry(ready_[i]);
  for (auto& e : scheduled_) release_entry(e.entry);
}

void EventLoop::release_entry(std::uintptr_t e) noexcept {
  switch (e & kKindMask) {
    case kFirstCallback:
      // A future's pending first callback holds a reference (often to the task waiting on it): drop
      // it with the entry, as dropping a HandleState would.
      static_cast<FutureBase*>(entry_object(e))->drop_first_callback();
      break;
    case kOwnSleepTimer:
      // A task's sleep slot is free again once its timer entry is gone.
      static_cast<TaskBase*>(entry_object(e))->own_sleep_queued_ = false;
      break;
    default: break;
  }
  entry_object(e)->release();
}

void EventLoop::throw_closed() { throw RuntimeError("Event loop is closed"); }

void EventLoop::check_running() const {
  if (running_) throw RuntimeError("This event loop is already running");
  if (running_loop()) throw RuntimeError("Cannot run the event loop while another loop is running");
}

void EventLoop::schedule_soon(Ref<HandleState> h) { push_ready(h.get(), kHandle); }

TimerHandle EventLoop::schedule_timer(Ref<HandleState> h) {
  check_closed();
  h->timer = true;
  push_timer(reinterpret_cast<std::uintptr_t>(static_cast<RefCounted*>(h.get())) | kHandle, h->when);
  return TimerHandle(std::move(h));
}

void EventLoop::schedule_threadsafe(Ref<HandleState> h) {
  // base_events.py call_soon_threadsafe appends to _ready at once: from the running loop's own
  // thread that is call_soon's place in the queue. Other threads' handles join at the next poll.
  if (running_loop() == this) {
    check_closed();
    schedule_soon(std::move(h));
    return;
  }
  std::lock_guard lock(ts_mutex_);
  if (closed_) throw RuntimeError("Event loop is closed");
  ts_queue_.push_back(std::move(h));
  ts_pending_.store(true, std::memory_order_release);
  // selector_events.py: call_soon_threadsafe -> _write_to_self.
  if (!vclock_)
    network_->wakeup();
  else if (kernel_)
    kernel_->wakeup();
}

Nanos EventLoop::later_deadline(double delay) {
  // 3.11 lets a NaN delay through; the timer then compares false to everything and fires on the next
  // iteration. Scheduling it "now" gives that outcome without NaN in the heap.
  if (std::isnan(delay)) delay = 0;
  return later_deadline(to_nanos(delay));
}

Nanos EventLoop::later_deadline(Nanos delay) {
  check_closed();
  return saturating_add(time_ns(), delay);
}

Nanos EventLoop::at_deadline(double when) { return std::isnan(when) ? time_ns() : to_nanos(when); }

bool EventLoop::timer_cancelled(std::uintptr_t e) noexcept {
  RefCounted* obj = entry_object(e);
  switch (e & kKindMask) {
    case kSleepTimer: return static_cast<SleepFuture*>(obj)->timer_cancelled;
    case kOwnSleepTimer: return static_cast<TaskBase*>(obj)->own_sleep_timer_cancelled_;
    default: return static_cast<HandleState*>(obj)->cancelled;
  }
}

void EventLoop::set_timer_scheduled(std::uintptr_t e, bool scheduled) noexcept {
  RefCounted* obj = entry_object(e);
  switch (e & kKindMask) {
    case kSleepTimer: static_cast<SleepFuture*>(obj)->timer_scheduled = scheduled; return;
    case kOwnSleepTimer: static_cast<TaskBase*>(obj)->own_sleep_scheduled_ = scheduled; return;
    default: static_cast<HandleState*>(obj)->scheduled = scheduled;
  }
}

void EventLoop::push_timer(std::uintptr_t e, Nanos when) {
  scheduled_.push({when, e});
  entry_object(e)->add_ref();
  set_timer_scheduled(e, true);
}

std::uintptr_t EventLoop::pop_timer() {
  const std::uintptr_t e = scheduled_.pop().entry;
  set_timer_scheduled(e, false);
  return e;
}

// base_events.py: _timer_handle_cancelled
void timer_handle_cancelled(HandleState& h) {
  if (h.scheduled && h.loop) ++h.loop->timer_cancelled_count_;
}

// An entry without a Handle: `call` runs on its object, which the entry's reference keeps alive until
// it returns; an exception goes to the handler as if from the Handle CPython would have queued.
template <class T, class F>
[[gnu::always_inline]] inline void EventLoop::run_guarded(RefCounted* obj, const char* label, F call) {
  auto keep = Ref<T>::adopt(static_cast<T*>(obj));
  try {
    call(*keep);
  } catch (...) {
    report_entry_error(std::current_exception(), label ? Label::literal(label) : Label());
  }
}

// Inlined into run_batch: a ready entry is run at the rate of callbacks.
[[gnu::always_inline]] inline void EventLoop::run_entry(std::uintptr_t e) {
  RefCounted* obj = entry_object(e);
  switch (e & kKindMask) {
    case kTaskStep:
      // The Handle CPython would report: call_soon(self.__step) labelled by its wrapper.
      run_guarded<TaskBase>(obj, "<TaskStepMethWrapper>", [](TaskBase& t) { t.step(nullptr); });
      return;
    case kFirstCallback: run_guarded<FutureBase>(obj, nullptr, [](FutureBase& f) { f.run_first_callback(); }); return;
    case kOwnSleepWakeup: run_guarded<TaskBase>(obj, nullptr, [](TaskBase& t) { t.wake_from_own_sleep(); }); return;
    case kOwnSleepTimer: {
      auto task = Ref<TaskBase>::adopt(static_cast<TaskBase*>(obj));
      task->own_sleep_queued_ = false;
      if (!task->own_sleep_timer_cancelled_) task->fire_own_sleep();  // cannot raise, as for kSleepTimer
      return;
    }
    case kTransportRead:
    case kTransportWrite: {
      auto t = Ref<BaseTransport>::adopt(static_cast<BaseTransport*>(obj));
      run_transport_event(*t, (e & kKindMask) == kTransportRead ? kEventRead : kEventWrite);
      return;
    }
    case kSleepTimer: {
      // A cancelled handle is skipped (events.py: Handle._run is never reached).
      auto fut = Ref<SleepFuture>::adopt(static_cast<SleepFuture*>(obj));
      if (fut->timer_cancelled) return;
      fut->fire();  // setting a pending future's result only schedules its callbacks: it cannot raise
      return;
    }
    default: {
      auto h = Ref<HandleState>::adopt(static_cast<HandleState*>(obj));
      if (h->cancelled) return;
      try {
        h->run();
      } catch (...) {
        report_callback_error(std::current_exception(), Handle(std::move(h)));
      }
    }
  }
}

// Phase 4, inlined into iterate.
[[gnu::always_inline]] inline void EventLoop::run_batch() {
  const std::size_t ntodo = ready_.size();
  if (ntodo > kLargeBatch) [[unlikely]] {
    run_large_batch(ntodo);
    return;
  }
  for (std::size_t n = ntodo; n > 0; --n) {
    const std::uintptr_t e = ready_.front();
    ready_.pop_front();
    run_entry(e);
  }
}

// Inlined where they are used: out of line, GCC finds these free of side effects and drops the calls.
[[gnu::always_inline]] inline void EventLoop::prefetch_pointee(std::uintptr_t e) noexcept {
  RefCounted* obj = entry_object(e);
  switch (e & kKindMask) {
    case kTaskStep:
    case kOwnSleepWakeup: __builtin_prefetch(static_cast<TaskBase*>(obj)->resume_point_.address(), 1); return;
    case kFirstCallback:
      if (RefCounted* woken = static_cast<FutureBase*>(obj)->first_obj_) __builtin_prefetch(woken, 1);
      return;
    default: return;
  }
}

[[gnu::always_inline]] inline void EventLoop::prefetch_woken_frame(std::uintptr_t e) noexcept {
  if ((e & kKindMask) != kFirstCallback) return;
  auto* fut = static_cast<FutureBase*>(entry_object(e));
  if (fut->first_fn_ == &TaskBase::wakeup)
    __builtin_prefetch(static_cast<TaskBase*>(fut->first_obj_)->resume_point_.address(), 1);
}

// A large batch (timers firing in deadline order, a wave of task steps) touches objects scattered
// over memory in an order unrelated to where they live, and each entry runs long enough that the
// CPU does not reach the next one's misses by itself. So each entry's objects are prefetched in
// three stages, each reading what the previous one brought in: the entry's own object, then what
// it points to (a task's coroutine frame; the object a future's first callback wakes), then, for a
// future waking a task, that task's frame.
void EventLoop::run_large_batch(std::size_t ntodo) {
  for (std::size_t n = ntodo; n > 0; --n) {
    if (n > 3 * kPrefetchAhead) {
      // Both lines a task's step reads first: its flags (at the start) and resume_point_ (64 bytes in).
      auto* obj = reinterpret_cast<const char*>(entry_object(ready_[3 * kPrefetchAhead]));
      __builtin_prefetch(obj, 1);
      __builtin_prefetch(obj + 64, 1);
    }
    if (n > 2 * kPrefetchAhead) prefetch_pointee(ready_[2 * kPrefetchAhead]);
    if (n > kPrefetchAhead) prefetch_woken_frame(ready_[kPrefetchAhead]);
    const std::uintptr_t e = ready_.front();
    ready_.pop_front();
    run_entry(e);
  }
}

// The body of run_once, inlined into run_forever's loop: one iteration per callback in a chain.
[[gnu::always_inline]] inline void EventLoop::iterate() {
  // Phase 1: purge cancelled timers.
  const std::size_t sched_count = scheduled_.size();
  if (sched_count > kMinScheduledTimerHandles &&
      static_cast<double>(timer_cancelled_count_) / static_cast<double>(sched_count) >
          kMinCancelledTimerHandlesFraction) {
    scheduled_.filter_and_heapify([](const detail::TimerEntry& e) {
      if (!timer_cancelled(e.entry)) return false;
      set_timer_scheduled(e.entry, false);
      release_entry(e.entry);
      return true;
    });
    timer_cancelled_count_ = 0;
  } else {
    while (!scheduled_.empty() && timer_cancelled(scheduled_.front().entry)) {
      --timer_cancelled_count_;
      release_entry(pop_timer());
    }
  }

  // Phase 2: poll.
  // With timeout 0 and no descriptor registered the poll only collects call_soon_threadsafe
  // callbacks: skip the rest of it.
  if (!ready_.empty() || stopping_) {
    if (io_registered_) [[unlikely]] poll_network(0);
    if (ts_pending_.load(std::memory_order_acquire)) [[unlikely]] drain_threadsafe();
  }
  else if (!scheduled_.empty())
    poll(std::min(std::max<Nanos>(0, scheduled_.front().when - time_ns()), kMaximumSelectTimeout));
  else
    poll(std::nullopt);

  // Phase 3: due timers go to the end of the ready queue. _run_once reads the clock for end_time in
  // every iteration; with no timer scheduled nothing uses it, and reading the real clock changes
  // nothing, so that read is skipped (a clock_gettime per iteration). A virtual clock's read advances
  // it by a tick, which later reads see: that one stays.
  if (!scheduled_.empty() || vclock_) {
    const Nanos end_time = saturating_add(time_ns(), kClockResolution);
    if (!scheduled_.empty() && scheduled_.front().when < end_time) queue_due_timers(end_time);
  }

  // Phase 4: run the snapshot.
  run_batch();
}

void EventLoop::run_once() { iterate(); }

void EventLoop::run_forever() {
  check_closed();
  check_running();
  running_ = true;
  detail::set_running_loop(this);
  struct Reset {
    EventLoop* self;
    ~Reset() {
      self->stopping_ = false;
      self->running_ = false;
      detail::set_running_loop(nullptr);
    }
  } reset{this};
  for (;;) {
    iterate();
    if (stopping_) break;
  }
}

namespace {
void stop_loop_cb(FutureBase& fut, RefCounted*) {
  // base_events.py: _run_until_complete_cb; KeyboardInterrupt/SystemExit already stop the loop by
  // propagating.
  if (!fut.cancelled() && is_exit_exception(fut.exception())) return;
  fut.get_loop().stop();
}
}  // namespace

void EventLoop::run_until_complete(FutureBase& fut) {
  check_closed();
  check_running();
  if (&fut.get_loop() != this)
    throw ValueError("The future belongs to a different loop than the one specified as the loop argument");
  Ref<FutureBase> keep(&fut);
  static const char key = 0;
  fut.add_fast_callback(stop_loop_cb, nullptr, &key);
  try {
    run_forever();
  } catch (...) {
    fut.remove_done_callback(&key);
    throw;
  }
  fut.remove_done_callback(&key);
  if (!fut.done()) throw RuntimeError("Event loop stopped before Future completed.");
  fut.raise_if_failed();
}

void EventLoop::close() {
  if (running_) throw RuntimeError("Cannot close a running event loop");
  if (closed_) return;
  cut_links();  // before closed_: a thread's post() either queued its callback already or fails
  closed_ = true;
  {
    std::lock_guard lock(ts_mutex_);
    ts_queue_.clear();
  }
  // base_events.py: close() clears _ready and _scheduled; pending handles are dropped silently.
  auto ready = std::move(ready_);
  auto scheduled = std::move(scheduled_);
  ready_.clear();
  scheduled_.clear();
  timer_cancelled_count_ = 0;
  for (auto& e : scheduled) set_timer_scheduled(e.entry, false);
  // The tasks still pending can never run again: release what their frames hold (futures whose
  // callbacks point back at them), so they are destroyed, and reported, once unreferenced.
  std::vector<Ref<TaskBase>> pending = all_tasks();
  for (std::size_t i = 0; i < ready.size(); ++i) release_entry(ready[i]);
  for (auto& e : scheduled) release_entry(e.entry);
  for (auto& t : pending) t->discard_frame();
  close_network();
  detail::close_signals(*this);
  // base_events.py: close() shuts the default executor down without waiting for its jobs.
  executor_shutdown_called_ = true;
  if (auto executor = std::move(default_executor_)) executor->shutdown(false);
}

void EventLoop::queue_due_timers(Nanos end_time) {
  // A sleep's entry keeps its kSleepTimer tag in the ready queue: it runs as its TimerHandle would.
  const std::size_t first = ready_.size();
  do ready_.push_back(scheduled_.pop().entry);
  while (!scheduled_.empty() && scheduled_.front().when < end_time);
  // TimerHandle._scheduled = False for each, before any of them runs. A separate pass, so that the
  // handles (cold, at 1M timers) are fetched ahead of their use, not one per pop; this pass does
  // little per entry, so it reaches further ahead than run_large_batch.
  const std::size_t n = ready_.size();
  for (std::size_t i = first; i < n; ++i) {
    if (i + 4 * kPrefetchAhead < n) __builtin_prefetch(entry_object(ready_[i + 4 * kPrefetchAhead]), 1);
    set_timer_scheduled(ready_[i], false);
  }
}

void EventLoop::poll(std::optional<Nanos> timeout) {
  if (auto* vc = virtual_clock()) {
    if (external_ && (!timeout || *timeout > 0) && wait_external()) [[unlikely]] {
      drain_threadsafe();
      return;
    }
    // Ready descriptors, or a simulated delivery before the deadline, end the wait.
    if (io_registered_ && poll_network(timeout)) {
      drain_threadsafe();
      return;
    }
    // A deadline saturated at the end of time (an infinite delay) is never reached: CPython would
    // wait on it forever, so it counts as nothing to wait for.
    const bool forever = !timeout || (*timeout > 0 && scheduled_.front().when == std::numeric_limits<Nanos>::max());
    if (timeout && *timeout > 0 && !forever) {
      // epoll_wait's rounding, counted from the moment time() was read: the clock lands up to 1 ms past
      // the deadline, and every timer due within that millisecond fires in this iteration, as on CPython.
      vc->advance(epoll_timeout(*timeout));
    } else if (forever && !ts_pending_.load(std::memory_order_acquire)) {
      throw Deadlock(
          "deadlock: the event loop has no callback ready, no timer scheduled, and nothing else can wake it");
    }
  } else {
    poll_network(timeout);
  }
  drain_threadsafe();
}

bool EventLoop::wait_external() {
  for (;;) {
    if (io_registered_ && poll_network(0)) return true;
    {
      std::lock_guard lock(ts_mutex_);
      if (ts_pending_.load(std::memory_order_relaxed)) return true;
      if (blocked_ >= external_) return false;
    }
    // Until a kernel descriptor is ready or wakeup() (an eventfd: a wakeup after the check above is
    // not lost); what is ready is read by poll_network above.
    std::vector<IoEvent> ignored;
    kernel_->select(std::nullopt, ignored);
  }
}

void EventLoop::note_blocking(long delta) noexcept {
  std::lock_guard lock(ts_mutex_);
  blocked_ = static_cast<std::size_t>(static_cast<long>(blocked_) + delta);
  if (vclock_ && kernel_) kernel_->wakeup();
}

const std::shared_ptr<Network>& EventLoop::kernel() {
  if (!vclock_) return network_;
  if (!kernel_) {
    auto k = std::make_shared<EpollNetwork>();
    std::lock_guard lock(ts_mutex_);
    kernel_ = std::move(k);
  }
  return kernel_;
}

int EventLoop::add_kernel_descriptor(int fd) {
  if (!vclock_) return fd;
  if (!mixed_) {
    mixed_ = std::make_shared<detail::MixedNetwork>(network_ptr(), kernel());
    network_ = mixed_;
  }
  return mixed_->adopt(fd);
}

void EventLoop::drain_threadsafe() {
  if (!ts_pending_.load(std::memory_order_acquire)) return;
  std::vector<Ref<HandleState>> q;
  {
    std::lock_guard lock(ts_mutex_);
    q.swap(ts_queue_);
    ts_pending_.store(false, std::memory_order_release);
  }
  for (auto& h : q) ready_.push_back(reinterpret_cast<std::uintptr_t>(static_cast<RefCounted*>(h.detach())) | kHandle);
  if (signals_) [[unlikely]] detail::queue_arrived_signals(*this);
}

void EventLoop::report_entry_error(std::exception_ptr e, Label label) {
  Ref<HandleState> h(new HandleState(this));
  h->label = std::move(label);
  report_callback_error(std::move(e), Handle(std::move(h)));
}

void EventLoop::report_callback_error(std::exception_ptr e, Handle handle) {
  if (is_exit_exception(e)) std::rethrow_exception(e);
  const Label& label = handle.state()->label;
  ExceptionContext ctx;
  ctx.message = "Exception in callback " + (label.empty() ? std::string("<callback>") : label.str());
  ctx.exception = std::move(e);
  ctx.handle = std::move(handle);
  call_exception_handler(ctx);
}

namespace {
std::string handle_repr(const Handle& h) {
  return h.state()->timer ? TimerHandle(Ref<HandleState>(h.state())).repr() : h.repr();
}
// repr() of the context dict, keys in the order CPython inserts them.
std::string context_repr(const ExceptionContext& ctx) {
  std::string out = "{'message': " + py_repr(ctx.message);
  if (ctx.exception) out += ", 'exception': " + inspect(ctx.exception).repr();
  if (ctx.future) out += std::string(", '") + ctx.future_key + "': " + ctx.future->repr();
  if (ctx.handle) out += ", 'handle': " + handle_repr(ctx.handle);
  for (auto& [key, value] : ctx.extra) out += ", " + py_repr(key) + ": " + value;
  return out + "}";
}
}  // namespace

void EventLoop::default_exception_handler(const ExceptionContext& ctx) {
  std::string text = ctx.message.empty() ? "Unhandled exception in event loop" : ctx.message;
  // Other keys in sorted order, as base_events.py: default_exception_handler does.
  std::vector<std::pair<std::string, std::string>> lines = ctx.extra;
  if (ctx.context) lines.emplace_back("context", context_repr(*ctx.context));
  if (ctx.future) lines.emplace_back(ctx.future_key, ctx.future->repr());
  if (ctx.handle) lines.emplace_back("handle", handle_repr(ctx.handle));
  std::stable_sort(lines.begin(), lines.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (auto& [key, value] : lines) text += "\n" + key + ": " + value;
  if (ctx.exception) text += "\n" + inspect(ctx.exception).describe();
  if (auto& sink = log_sink())
    sink(text, ctx);
  else
    std::fprintf(stderr, "%s\n", text.c_str());
}

void EventLoop::call_exception_handler(const ExceptionContext& ctx) {
  if (!handler_) {
    try {
      default_exception_handler(ctx);
    } catch (...) {
      if (is_exit_exception(std::current_exception())) throw;
    }
    return;
  }
  try {
    handler_(*this, ctx);
  } catch (...) {
    auto e = std::current_exception();
    if (is_exit_exception(e)) throw;
    ExceptionContext outer;
    outer.message = "Unhandled error in exception handler";
    outer.exception = e;
    outer.context = &ctx;
    try {
      default_exception_handler(outer);
    } catch (...) {
      if (is_exit_exception(std::current_exception())) throw;
    }
  }
}

std::string EventLoop::repr() const {
  return std::string("<EventLoop running=") + (running_ ? "True" : "False") + " closed=" +
         (closed_ ? "True" : "False") + " debug=False>";
}

std::vector<Ref<TaskBase>> EventLoop::all_tasks() const {
  std::vector<Ref<TaskBase>> out;
  for (TaskBase* t : task_slots_)
    if (t && !t->done()) out.emplace_back(t);
  return out;
}

// tasks.py: _register_task. Cleared slots are reclaimed when the list would grow and at least half
// of it is cleared: amortized O(1), and the list stays within twice the tasks alive.
void EventLoop::register_task(TaskBase* t) {
  if (task_slots_.size() == task_slots_.capacity() && dead_task_slots_ >= task_slots_.size() / 2) {
    std::size_t n = 0;
    for (TaskBase* live : task_slots_)
      if (live) task_slots_[live->slot_ = static_cast<std::uint32_t>(n++)] = live;
    task_slots_.resize(n);
    dead_task_slots_ = 0;
  }
  t->slot_ = static_cast<std::uint32_t>(task_slots_.size());
  task_slots_.push_back(t);
}

void EventLoop::unregister_task(TaskBase* t) noexcept {
  if (t->slot_ == TaskBase::kNoSlot) return;
  task_slots_[std::exchange(t->slot_, TaskBase::kNoSlot)] = nullptr;
  ++dead_task_slots_;
  while (!task_slots_.empty() && !task_slots_.back()) {
    task_slots_.pop_back();
    --dead_task_slots_;
  }
}

void EventLoop::add_link(std::shared_ptr<LoopLink> link, bool external) {
  check_closed();
  {
    std::lock_guard lock(link->mutex_);
    link->loop_ = this;
    link->external_ = external;
    if (link->blocked_) note_blocking(link->blocked_);
  }
  if (external) kernel();  // where a virtual loop waits for it
  external_ += external;
  links_.push_back(std::move(link));
}

void EventLoop::remove_link(LoopLink& link) noexcept {
  {
    std::lock_guard lock(link.mutex_);
    if (!link.loop_) return;
    link.loop_ = nullptr;
    if (link.blocked_) note_blocking(-link.blocked_);
    link.detach();
  }
  external_ -= link.external_;
  auto it = std::find_if(links_.begin(), links_.end(), [&](auto& l) { return l.get() == &link; });
  links_.erase(it);
}

void EventLoop::cut_links() noexcept {
  for (auto& link : links_) {
    std::lock_guard lock(link->mutex_);
    link->loop_ = nullptr;
    link->detach();
  }
  links_.clear();
  external_ = 0;
  blocked_ = 0;
}

void EventLoop::set_default_executor(std::shared_ptr<concurrent::ThreadPoolExecutor> executor) {
  default_executor_ = std::move(executor);
}

std::shared_ptr<concurrent::Executor> EventLoop::default_executor() {
  check_closed();
  // base_events.py: _check_default_executor.
  if (executor_shutdown_called_) throw RuntimeError("Executor shutdown has been called");
  if (!default_executor_) default_executor_ = std::make_shared<concurrent::ThreadPoolExecutor>(std::nullopt, "asyncio");
  return default_executor_;
}

namespace {
// base_events.py: _do_shutdown, in a thread of its own. Not in the coroutine below: g++ 12 destroys
// a lambda's captures twice when the lambda is built inside a coroutine.
std::jthread shutdown_in_thread(std::shared_ptr<detail::FutureLink<void>> link,
                                std::shared_ptr<concurrent::Executor> executor) {
  return std::jthread([link, executor] {
    std::exception_ptr error;
    try {
      executor->shutdown(true);
    } catch (...) {
      error = std::current_exception();
    }
    link->post([link, error] {
      // futures._set_result_unless_cancelled / future.set_exception unless cancelled.
      Future<> f = link->take();
      if (f.cancelled()) return;
      if (error)
        f.set_exception(error);
      else
        f.set_result();
    });
  });
}
}  // namespace

// base_events.py: shutdown_default_executor. The jthread is joined however the coroutine ends, as
// the `finally: thread.join()` does.
Coro<void> EventLoop::shutdown_default_executor() {
  executor_shutdown_called_ = true;
  if (!default_executor_) co_return;
  Future<> future = create_future<>();
  std::jthread thread = shutdown_in_thread(detail::link_future(future), default_executor_);
  co_await future;
}

}  // namespace asyncio
