#pragma once
// concurrent.futures (concurrent/futures/_base.py, thread.py): the thread-safe Future that
// run_coroutine_threadsafe returns and executors complete, Executor, and ThreadPoolExecutor, the
// pool behind loop.run_in_executor(None, ...). Unlike asyncio's futures these may be used from any
// thread: every operation takes the future's lock, and done callbacks run in the thread that
// completed (or cancelled) the future, or at once in the thread adding one to a done future.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "asyncio/exceptions.hpp"
#include "asyncio/futures.hpp"

namespace asyncio::concurrent {

/// _base.py's states: PENDING, RUNNING, CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED.
enum class FutureStatus { pending, running, cancelled, cancelled_and_notified, finished };

namespace detail {
/// What every Future<T> shares: the state machine, the condition and the callbacks.
class FutureCore {
 public:
  FutureStatus status() const {
    std::lock_guard lock(mutex_);
    return status_;
  }
  bool cancelled() const;
  bool running() const;
  bool done() const;

 protected:
  /// Waits until done (timeout in seconds; nullopt: forever): TimeoutError() when it expires,
  /// CancelledError() for a cancelled future (_base.py: result, exception).
  void wait_done(std::unique_lock<std::mutex>& lock, std::optional<double> timeout) const;
  /// set_result/set_exception's check: InvalidStateError('CANCELLED: <Future at 0x... state=cancelled>')
  /// unless pending or running.
  void check_settable() const;
  /// Runs the callbacks taken under the lock; an exception is logged (_invoke_callbacks).
  template <class Self>
  static void invoke(std::vector<std::function<void(const Self&)>>& callbacks, const Self& self);
  static void log_callback_error(const std::string& repr);
  std::string repr_locked() const;

  mutable std::mutex mutex_;
  mutable std::condition_variable condition_;
  FutureStatus status_ = FutureStatus::pending;
  std::exception_ptr exception_;
  // run_coroutine_threadsafe's future: the loop computing it, told while a thread waits in
  // result() (see LoopLink::blocking).
  std::shared_ptr<LoopLink> computed_by_;
};
}  // namespace detail

/// concurrent.futures.Future with a typed result; copies share one future.
template <class T = void>
class Future {
 public:
  using value_type = T;
  using Callback = std::function<void(const Future&)>;
  Future() : s_(std::make_shared<State>()) {}

  bool cancelled() const { return s_->cancelled(); }
  bool running() const { return s_->running(); }
  bool done() const { return s_->done(); }
  FutureStatus status() const { return s_->status(); }
  /// False if running or done; otherwise cancels, wakes the waiters, runs the callbacks, True.
  bool cancel() const {
    std::unique_lock lock(s_->mutex_);
    if (s_->status_ == FutureStatus::running || s_->status_ == FutureStatus::finished) return false;
    if (s_->status_ == FutureStatus::pending) {
      s_->status_ = FutureStatus::cancelled;
      s_->condition_.notify_all();
    } else {
      return true;
    }
    auto cbs = std::move(s_->callbacks_);
    lock.unlock();
    State::invoke(cbs, *this);
    return true;
  }
  /// Blocks until done; raises what the future holds (CancelledError, TimeoutError on timeout).
  T result(std::optional<double> timeout = std::nullopt) const {
    std::unique_lock lock(s_->mutex_);
    s_->wait_done(lock, timeout);
    if (s_->exception_) std::rethrow_exception(s_->exception_);
    return asyncio::detail::take<T>(*s_->value_);
  }
  std::exception_ptr exception(std::optional<double> timeout = std::nullopt) const {
    std::unique_lock lock(s_->mutex_);
    s_->wait_done(lock, timeout);
    return s_->exception_;
  }
  /// Runs `fn(*this)` when done: at once (in this thread) if it already is.
  void add_done_callback(Callback fn) const {
    {
      std::lock_guard lock(s_->mutex_);
      if (s_->status_ != FutureStatus::cancelled && s_->status_ != FutureStatus::cancelled_and_notified &&
          s_->status_ != FutureStatus::finished) {
        s_->callbacks_.push_back(std::move(fn));
        return;
      }
    }
    std::vector<Callback> one{std::move(fn)};
    State::invoke(one, *this);
  }
  /// The executor's side: False (now CANCELLED_AND_NOTIFIED) for a cancelled future, True (now
  /// RUNNING) for a pending one; RuntimeError('Future in unexpected state') otherwise.
  bool set_running_or_notify_cancel() const { return s_->set_running_or_notify_cancel(); }
  void set_result(stored_t<T> value = {}) const {
    std::unique_lock lock(s_->mutex_);
    s_->check_settable();
    s_->value_.emplace(std::move(value));
    complete(lock);
  }
  void set_exception(std::exception_ptr e) const {
    std::unique_lock lock(s_->mutex_);
    s_->check_settable();
    s_->exception_ = std::move(e);
    complete(lock);
  }
  /// `<Future at 0x... state=pending>`
  std::string repr() const {
    std::lock_guard lock(s_->mutex_);
    return s_->repr_locked();
  }
  friend bool operator==(const Future& a, const Future& b) noexcept { return a.s_ == b.s_; }
  /// Internal (run_coroutine_threadsafe): the link to the loop that computes this future.
  void set_computed_by(std::shared_ptr<LoopLink> link) const { s_->computed_by_ = std::move(link); }

 private:
  struct State : detail::FutureCore {
    bool set_running_or_notify_cancel();
    std::optional<stored_t<T>> value_;
    std::vector<Callback> callbacks_;
    friend class Future;
  };
  void complete(std::unique_lock<std::mutex>& lock) const {
    s_->status_ = FutureStatus::finished;
    s_->condition_.notify_all();
    auto cbs = std::move(s_->callbacks_);
    lock.unlock();
    State::invoke(cbs, *this);
  }
  std::shared_ptr<State> s_;
};

template <class T>
bool Future<T>::State::set_running_or_notify_cancel() {
  std::lock_guard lock(this->mutex_);
  if (this->status_ == FutureStatus::cancelled) {
    this->status_ = FutureStatus::cancelled_and_notified;
    return false;
  }
  if (this->status_ == FutureStatus::pending) {
    this->status_ = FutureStatus::running;
    return true;
  }
  throw RuntimeError("Future in unexpected state");
}

template <class Self>
void detail::FutureCore::invoke(std::vector<std::function<void(const Self&)>>& callbacks, const Self& self) {
  for (auto& cb : callbacks) {
    try {
      cb(self);
    } catch (...) {
      log_callback_error(self.repr());
    }
  }
}

/// One queued call (thread.py: _WorkItem): runs unless its future was cancelled first.
class WorkItem {
 public:
  virtual ~WorkItem() = default;
  virtual void run() = 0;
  /// shutdown(cancel_futures=True) for an item not yet started.
  virtual void cancel() = 0;
};

/// concurrent.futures.Executor. Shared by reference count (std::shared_ptr): the loop and its callers
/// may both hold the default executor.
class Executor {
 public:
  virtual ~Executor() = default;
  /// submit(fn): queues fn and returns its future; RuntimeError('cannot schedule new futures after
  /// shutdown') once shut down.
  template <class F>
  Future<std::invoke_result_t<F&>> submit(F fn) {
    using R = std::invoke_result_t<F&>;
    struct Item final : WorkItem {
      Item(Future<R> f, F fn) : future(std::move(f)), fn(std::move(fn)) {}
      void run() override {
        if (!future.set_running_or_notify_cancel()) return;
        try {
          if constexpr (std::is_void_v<R>) {
            fn();
            future.set_result();
          } else {
            future.set_result(fn());
          }
        } catch (...) {
          future.set_exception(std::current_exception());
        }
      }
      void cancel() override { future.cancel(); }
      Future<R> future;
      F fn;
    };
    Future<R> future;
    submit_item(std::make_unique<Item>(future, std::move(fn)));
    return future;
  }
  /// Stops taking work; the work already queued still runs (unless cancel_futures cancels what has
  /// not started). With wait, returns once every worker has ended.
  virtual void shutdown(bool wait = true, bool cancel_futures = false) = 0;

 protected:
  virtual void submit_item(std::unique_ptr<WorkItem> item) = 0;
};

/// concurrent.futures.ThreadPoolExecutor: workers started on demand, one per submit that finds no
/// idle worker, up to max_workers (default min(32, cpu count + 4)), named `{prefix}_{n}`
/// (the default prefix: ThreadPoolExecutor-{k}). Destroying it is shutdown(wait=True), as the
/// interpreter joins the workers at exit.
class ThreadPoolExecutor final : public Executor {
 public:
  /// ValueError('max_workers must be greater than 0').
  explicit ThreadPoolExecutor(std::optional<int> max_workers = std::nullopt, std::string thread_name_prefix = {});
  ~ThreadPoolExecutor() override;
  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;
  void shutdown(bool wait = true, bool cancel_futures = false) override;
  int max_workers() const noexcept { return max_workers_; }
  /// len(executor._threads): the workers started so far.
  std::size_t thread_count() const;
  /// min(32, os.cpu_count() + 4).
  static int default_max_workers();

 private:
  void submit_item(std::unique_ptr<WorkItem> item) override;
  void worker(int index);

  const int max_workers_;
  std::string prefix_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<std::unique_ptr<WorkItem>> queue_;  // null: the None that wakes a worker to exit
  int idle_ = 0;                                 // _idle_semaphore
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
  std::mutex join_mutex_;
};

/// threading.current_thread().name for the threads this library starts (a pool's workers:
/// 'asyncio_0', ...); "MainThread" for the main thread, "" for other threads.
const std::string& current_thread_name();

}  // namespace asyncio::concurrent
