#include "asyncio/concurrent_futures.hpp"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "asyncio/events.hpp"

namespace asyncio::concurrent {

namespace {
const char* status_name(FutureStatus s) {
  switch (s) {
    case FutureStatus::pending: return "PENDING";
    case FutureStatus::running: return "RUNNING";
    case FutureStatus::cancelled: return "CANCELLED";
    case FutureStatus::cancelled_and_notified: return "CANCELLED_AND_NOTIFIED";
    case FutureStatus::finished: return "FINISHED";
  }
  return "";
}

const std::thread::id main_thread = std::this_thread::get_id();
thread_local std::string t_thread_name;

// thread.py: ThreadPoolExecutor._counter, for the default prefix.
std::atomic<int> pool_counter{0};
}  // namespace

const std::string& current_thread_name() {
  static const std::string main_name = "MainThread";
  return t_thread_name.empty() && std::this_thread::get_id() == main_thread ? main_name : t_thread_name;
}

bool detail::FutureCore::cancelled() const {
  std::lock_guard lock(mutex_);
  return status_ == FutureStatus::cancelled || status_ == FutureStatus::cancelled_and_notified;
}

bool detail::FutureCore::running() const {
  std::lock_guard lock(mutex_);
  return status_ == FutureStatus::running;
}

bool detail::FutureCore::done() const {
  std::lock_guard lock(mutex_);
  return status_ == FutureStatus::cancelled || status_ == FutureStatus::cancelled_and_notified ||
         status_ == FutureStatus::finished;
}

void detail::FutureCore::wait_done(std::unique_lock<std::mutex>& lock, std::optional<double> timeout) const {
  auto is_done = [this] { return status_ != FutureStatus::pending && status_ != FutureStatus::running; };
  if (!is_done()) {
    if (computed_by_) computed_by_->blocking(true);
    bool in_time = true;
    if (!timeout)
      condition_.wait(lock, is_done);
    else
      in_time = condition_.wait_for(lock, std::chrono::duration<double>(*timeout), is_done);
    if (computed_by_) computed_by_->blocking(false);
    if (!in_time) throw TimeoutError();
  }
  if (status_ != FutureStatus::finished) throw CancelledError();
}

void detail::FutureCore::check_settable() const {
  if (status_ != FutureStatus::pending && status_ != FutureStatus::running)
    throw InvalidStateError(std::string(status_name(status_)) + ": " + repr_locked());
}

std::string detail::FutureCore::repr_locked() const {
  // Python prints the state in lower case: state=pending, state=finished.
  std::string state = status_name(status_);
  for (char& c : state) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  char head[48];
  std::snprintf(head, sizeof head, "<Future at %p state=", static_cast<const void*>(this));
  return head + state + ">";
}

void detail::FutureCore::log_callback_error(const std::string& repr) {
  log_message("exception calling callback for " + repr);
}

int ThreadPoolExecutor::default_max_workers() {
  const unsigned cpus = std::thread::hardware_concurrency();
  return std::min(32, static_cast<int>(cpus ? cpus : 1) + 4);
}

ThreadPoolExecutor::ThreadPoolExecutor(std::optional<int> max_workers, std::string thread_name_prefix)
    : max_workers_(max_workers.value_or(default_max_workers())), prefix_(std::move(thread_name_prefix)) {
  if (max_workers_ <= 0) throw ValueError("max_workers must be greater than 0");
  if (prefix_.empty()) prefix_ = "ThreadPoolExecutor-" + std::to_string(pool_counter++);
}

ThreadPoolExecutor::~ThreadPoolExecutor() { shutdown(true); }

std::size_t ThreadPoolExecutor::thread_count() const {
  std::lock_guard lock(mutex_);
  return threads_.size();
}

void ThreadPoolExecutor::submit_item(std::unique_ptr<WorkItem> item) {
  std::lock_guard lock(mutex_);
  if (shutdown_) throw RuntimeError("cannot schedule new futures after shutdown");
  queue_.push_back(std::move(item));
  work_ready_.notify_one();
  // _adjust_thread_count: an idle worker takes it, else a new one is started while under the cap.
  if (idle_ > 0) {
    --idle_;
    return;
  }
  if (static_cast<int>(threads_.size()) < max_workers_) {
    const int index = static_cast<int>(threads_.size());
    threads_.emplace_back([this, index] { worker(index); });
  }
}

void ThreadPoolExecutor::worker(int index) {
  t_thread_name = prefix_ + "_" + std::to_string(index);
  pthread_setname_np(pthread_self(), t_thread_name.substr(0, 15).c_str());  // the kernel keeps 15 bytes
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [this] { return !queue_.empty(); });
    std::unique_ptr<WorkItem> item = std::move(queue_.front());
    queue_.pop_front();
    if (!item) {
      // thread.py: _worker passes the None on, so that every worker sees it.
      queue_.push_back(nullptr);
      work_ready_.notify_one();
      return;
    }
    lock.unlock();
    item->run();
    item.reset();
    lock.lock();
    ++idle_;
  }
}

void ThreadPoolExecutor::shutdown(bool wait, bool cancel_futures) {
  std::deque<std::unique_ptr<WorkItem>> cancelled;
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
    if (cancel_futures) {
      // Drain the queue (keeping a None already there) and cancel what has not started.
      for (auto& item : queue_)
        if (item) cancelled.push_back(std::move(item));
      queue_.clear();
    }
    queue_.push_back(nullptr);
    work_ready_.notify_one();
  }
  for (auto& item : cancelled) item->cancel();
  if (!wait) return;
  std::lock_guard join(join_mutex_);
  for (auto& t : threads_)
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
}

}  // namespace asyncio::concurrent
