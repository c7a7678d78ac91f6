#pragma once
// The event loop (asyncio/base_events.py: BaseEventLoop) and the module-level loop functions of
// asyncio/events.py (get_running_loop, get_event_loop, set_event_loop, new_event_loop).
//
// One iteration (`run_once`, CPython's `_run_once`) has four phases, in this order:
//   1. Purge cancelled timers: if more than 100 timers are scheduled and more than half are
//      cancelled, rebuild the heap without them (heapify); otherwise pop cancelled ones off its head.
//   2. Poll: timeout 0 if anything is ready or the loop is stopping, else until the earliest deadline,
//      else forever. The network's selector is asked for ready descriptors (selector.select(timeout));
//      for each, in the order epoll reports them, the reader's handle and then the writer's join the
//      ready queue (selector_events.py: _process_events). A virtual clock does not wait: it jumps to
//      the deadline, or sooner to the moment the simulated network next delivers something (and with
//      nothing to wait for, the loop is deadlocked: see Deadlock). A real clock waits in epoll_wait,
//      and call_soon_threadsafe wakes it. Callbacks queued by other threads join the ready queue here.
//      External work (a job in another thread: run_in_executor, to_thread, wrap_future, the
//      executor's shutdown; a child process; see LoopLink) is what a virtual clock must not jump
//      past: while any is pending and nothing is due, a virtual loop polls its descriptors without
//      moving the clock and otherwise blocks, for real, in the kernel's epoll (see
//      add_kernel_descriptor) until a kernel descriptor is ready or another thread queues a
//      callback; it jumps only once no external work is pending, or all of it is blocked waiting
//      for this loop (a job in result() of a run_coroutine_threadsafe future). A real clock needs
//      nothing more: it waits in epoll anyway.
//      With no descriptor registered and something ready, the poll is skipped (select(0) would return
//      nothing).
//   3. Due timers: every timer with deadline < time() + clock resolution (1 ns) is popped in heap order
//      and appended to the END of the ready queue, after the callbacks already waiting there.
//   4. Run exactly the handles that were ready when this phase began (a snapshot); anything they
//      schedule waits for the next iteration. Cancelled handles are skipped. An exception from a
//      callback goes to the exception handler, except KeyboardInterrupt/SystemExit, which propagate
//      and leave the rest of the batch queued.
// `run_forever` repeats iterations until `stop()`; a stop requested before it starts still allows one
// full iteration.
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "asyncio/clock.hpp"
#include "asyncio/exceptions.hpp"
#include "asyncio/future_base.hpp"
#include "asyncio/handles.hpp"
#include "asyncio/network.hpp"
#include "asyncio/ref.hpp"
#include "asyncio/ring.hpp"
#include "asyncio/timer_heap.hpp"

namespace asyncio {

class TaskBase;
class SleepFuture;
class BaseTransport;
class BaseProtocol;
class Transport;
class DatagramTransport;
class Server;
class Socket;
struct AddrInfo;
struct ConnectionOptions;
struct ServerOptions;
struct DatagramOptions;
struct SubprocessOptions;
class SubprocessTransport;
template <class T>
class Future;
template <class T>
class Task;
template <class T>
class Coro;
class LoopLink;
namespace detail {
class MixedNetwork;
struct SignalHandlers;
}  // namespace detail
namespace concurrent {
class Executor;
class ThreadPoolExecutor;
}  // namespace concurrent

/// Raised out of the loop when a virtual-time loop has nothing ready, no timer and no other thread
/// that could wake it: waiting would be forever. Not a Python exception; aiospec's own diagnosis.
class Deadlock : public BaseException {
 public:
  using BaseException::BaseException;
  const char* type_name() const noexcept override { return "Deadlock"; }
  const char* module_name() const noexcept override { return "aiospec"; }
};

/// The dict passed to exception handlers (base_events.py: call_exception_handler).
struct ExceptionContext {
  std::string message;
  std::exception_ptr exception;
  /// The 'future' (or, with future_key "task", the 'task') entry; valid during the call only.
  const FutureBase* future = nullptr;
  const char* future_key = "future";
  Handle handle;
  /// The 'context' entry: the context whose handler failed ("Unhandled error in exception handler").
  const ExceptionContext* context = nullptr;
  /// Other entries ('transport', 'protocol', 'socket', ...) as (key, repr), in insertion order.
  std::vector<std::pair<std::string, std::string>> extra;
};

class EventLoop : public RefCounted {
 public:
  using ExceptionHandler = std::function<void(EventLoop&, const ExceptionContext&)>;

  /// A loop on its own virtual clock (the default) or on the given clock, which loops may share (as
  /// CPython's share time.monotonic). The network defaults to a SimNetwork for a virtual clock (made
  /// when first used) and an EpollNetwork for a real one; a SimNetwork given must run on this clock.
  explicit EventLoop(std::shared_ptr<Clock> clock = std::make_shared<VirtualClock>(),
                     std::shared_ptr<Network> network = nullptr);
  ~EventLoop() override;

  // --- Scheduling (base_events.py: call_soon, call_later, call_at, call_soon_threadsafe) ---
  // `cb` is any callable taking no arguments; it is stored in the handle (see HandleState).
  // call_soon is inlined into its caller: a callback that schedules the next one then costs one pool
  // block and one loop iteration, no calls (asyncio-bench: chained call_soon).
  template <class F>
  [[gnu::always_inline]] Handle call_soon(F&& cb) {
    check_closed();
    Ref<HandleState> h(new HandleState(this, std::forward<F>(cb)));
    h->add_ref();  // the queue's reference
    ready_.push_back(reinterpret_cast<std::uintptr_t>(static_cast<RefCounted*>(h.get())) | kHandle);
    return Handle(std::move(h));
  }
  template <class F>
  Handle call_soon(F&& cb, std::string label) {
    Handle h = call_soon(std::forward<F>(cb));
    h.state()->label = std::move(label);
    return h;
  }
  /// A delay of 0 or less is still a timer: it runs after the callbacks already ready.
  template <class F>
  TimerHandle call_later(double delay_seconds, F&& cb, std::string label = {}) {
    return call_at_ns(later_deadline(delay_seconds), std::forward<F>(cb), std::move(label));
  }
  template <class F>
  TimerHandle call_later_ns(Nanos delay, F&& cb, std::string label = {}) {
    return call_at_ns(later_deadline(delay), std::forward<F>(cb), std::move(label));
  }
  template <class F>
  TimerHandle call_at(double when_seconds, F&& cb, std::string label = {}) {
    TimerHandle h = call_at_ns(at_deadline(when_seconds), std::forward<F>(cb), std::move(label));
    h.state()->when_given = when_seconds;
    return h;
  }
  template <class F>
  TimerHandle call_at_ns(Nanos when, F&& cb, std::string label = {}) {
    check_closed();
    Ref<HandleState> h(new HandleState(this, std::forward<F>(cb)));
    if (!label.empty()) h->label = std::move(label);
    h->when = when;
    return schedule_timer(std::move(h));
  }
  /// Thread-safe; wakes a loop blocked in the poll phase.
  template <class F>
  void call_soon_threadsafe(F&& cb, std::string label = {}) {
    Ref<HandleState> h(new HandleState(this, std::forward<F>(cb)));
    if (!label.empty()) h->label = std::move(label);
    schedule_threadsafe(std::move(h));
  }
  /// Internal fast paths: schedule `h` (already filled in) like call_soon, or as a timer at h->when.
  void schedule_soon(Ref<HandleState> h);
  TimerHandle schedule_timer(Ref<HandleState> h);

  // --- Readiness (selector_events.py: add_reader, remove_reader, add_writer, remove_writer) ---
  // `cb` runs as a loop callback each iteration the descriptor is ready. Adding replaces (and cancels)
  // the previous callback; remove_* return whether one was registered. A descriptor owned by a
  // transport is refused with RuntimeError, as _ensure_fd_no_transport does.
  template <class F>
  void add_reader(int fd, F&& cb, std::string label = {}) {
    ensure_fd_no_transport(fd);
    add_io_handle(fd, kEventRead, make_io_handle(std::forward<F>(cb), std::move(label)));
  }
  template <class F>
  void add_writer(int fd, F&& cb, std::string label = {}) {
    ensure_fd_no_transport(fd);
    add_io_handle(fd, kEventWrite, make_io_handle(std::forward<F>(cb), std::move(label)));
  }
  bool remove_reader(int fd);
  bool remove_writer(int fd);
  /// The same without the transport check: what transports use for their own descriptor
  /// (selector_events.py: _add_reader, _remove_reader, ...).
  template <class F>
  Handle add_reader_internal(int fd, F&& cb, std::string label = {}) {
    return add_io_handle(fd, kEventRead, make_io_handle(std::forward<F>(cb), std::move(label)));
  }
  template <class F>
  Handle add_writer_internal(int fd, F&& cb, std::string label = {}) {
    return add_io_handle(fd, kEventWrite, make_io_handle(std::forward<F>(cb), std::move(label)));
  }
  /// A transport's own reader or writer: `t`'s io_ready(event) (selector_events.py: _add_reader(
  /// self._sock_fd, self._read_ready)), queued without a Handle.
  void add_transport_reader(int fd, BaseTransport& t) { add_transport_callback(fd, kEventRead, t); }
  void add_transport_writer(int fd, BaseTransport& t) { add_transport_callback(fd, kEventWrite, t); }
  bool remove_reader_internal(int fd) { return remove_io_handle(fd, kEventRead); }
  bool remove_writer_internal(int fd) { return remove_io_handle(fd, kEventWrite); }
  /// Whether the selector watches fd for reading / writing (selector_events' _test_selector_event).
  bool has_reader(int fd) const noexcept;
  bool has_writer(int fd) const noexcept;
  /// The transport that owns `fd` (selector_events.py: _transports), or null.
  BaseTransport* transport_for(int fd) const noexcept;
  void attach_transport(int fd, BaseTransport* t);
  void detach_transport(int fd, BaseTransport* t) noexcept;
  /// Raises RuntimeError('File descriptor 5 is used by transport <...>') if a transport owns fd.
  void ensure_fd_no_transport(int fd) const;
  // --- Sockets (selector_events.py: sock_recv, ...): non-blocking sockets of this loop's network;
  // the socket must outlive the call. Each tries the operation at once and otherwise waits for
  // readiness with add_reader/add_writer, exactly as CPython's.
  Coro<std::string> sock_recv(Socket& sock, std::size_t n);
  Coro<std::size_t> sock_recv_into(Socket& sock, std::span<char> buf);
  Coro<std::pair<std::string, SockAddr>> sock_recvfrom(Socket& sock, std::size_t bufsize);
  Coro<void> sock_sendall(Socket& sock, std::string data);
  Coro<std::size_t> sock_sendto(Socket& sock, std::string data, SockAddr address);
  /// `address` is resolved first for AF_INET/AF_INET6 (host, port); a failed connect raises
  /// OSError(errno, 'Connect call failed (host, port)') of the errno's subclass.
  Coro<void> sock_connect(Socket& sock, SockAddr address);
  Coro<std::pair<Socket, SockAddr>> sock_accept(Socket& sock);
  /// loop.getaddrinfo (see socket.hpp: numeric hosts and 'localhost'). CPython runs the resolver in
  /// the default executor; here it answers through the loop as the quickest thread would: the
  /// result is set by a callback one iteration later.
  Coro<std::vector<AddrInfo>> getaddrinfo(std::string host, std::string port, int family = 0, int type = 0,
                                          int proto = 0, int flags = 0);

  // --- Transports and servers (base_events.hpp for the options and Server) ---
  using ProtocolFactoryFn = std::function<Ref<BaseProtocol>()>;
  /// (transport, protocol) of a TCP connection to host:port.
  Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> create_connection(ProtocolFactoryFn factory, std::string host,
                                                                         std::string port, ConnectionOptions opts);
  Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> create_connection(ProtocolFactoryFn factory, std::string host,
                                                                         std::string port);
  /// A server listening on host:port (host "": every interface; port "0": an ephemeral port).
  Coro<Ref<Server>> create_server(ProtocolFactoryFn factory, std::string host, std::string port, ServerOptions opts);
  Coro<Ref<Server>> create_server(ProtocolFactoryFn factory, std::string host, std::string port);
  Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> create_unix_connection(ProtocolFactoryFn factory, std::string path);
  Coro<Ref<Server>> create_unix_server(ProtocolFactoryFn factory, std::string path, ServerOptions opts);
  Coro<Ref<Server>> create_unix_server(ProtocolFactoryFn factory, std::string path);
  Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> connect_accepted_socket(ProtocolFactoryFn factory, Socket sock);
  Coro<std::pair<Ref<DatagramTransport>, Ref<BaseProtocol>>> create_datagram_endpoint(ProtocolFactoryFn factory,
                                                                                     DatagramOptions opts);
  /// unix_events.py: the read end / write end of a pipe (or any non-blocking descriptor of this
  /// loop's network: a pipe, a socket, a character device). The transport owns the descriptor.
  Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> connect_read_pipe(ProtocolFactoryFn factory, int fd);
  Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> connect_write_pipe(ProtocolFactoryFn factory, int fd);

  // --- Subprocesses (base_events.py: subprocess_exec, subprocess_shell; see base_subprocess.hpp) ---
  /// The child `args[0]` (looked up in PATH) with a SubprocessProtocol from `factory`; stdin, stdout
  /// and stderr default to PIPE. FileNotFoundError(2, 'No such file or directory') for a missing
  /// program.
  Coro<std::pair<Ref<SubprocessTransport>, Ref<BaseProtocol>>> subprocess_exec(ProtocolFactoryFn factory,
                                                                               std::vector<std::string> args,
                                                                               SubprocessOptions opts);
  Coro<std::pair<Ref<SubprocessTransport>, Ref<BaseProtocol>>> subprocess_exec(ProtocolFactoryFn factory,
                                                                               std::vector<std::string> args);
  /// `/bin/sh -c cmd`.
  Coro<std::pair<Ref<SubprocessTransport>, Ref<BaseProtocol>>> subprocess_shell(ProtocolFactoryFn factory,
                                                                                std::string cmd,
                                                                                SubprocessOptions opts);
  Coro<std::pair<Ref<SubprocessTransport>, Ref<BaseProtocol>>> subprocess_shell(ProtocolFactoryFn factory,
                                                                                std::string cmd);

  // --- Signals (unix_events.py: add_signal_handler, remove_signal_handler) ---
  /// `callback` runs as a loop callback (call_soon) after the signal arrives. RuntimeError('sig 9
  /// cannot be caught') for SIGKILL and SIGSTOP, ValueError('invalid signal number 0') outside
  /// 1..NSIG-1, ValueError('set_wakeup_fd only works in main thread of the main interpreter') off
  /// the main thread.
  void add_signal_handler(int sig, std::function<void()> callback);
  /// False if none was set; restores SIG_DFL (SIGINT: Python's default_int_handler, see unix_events.hpp).
  bool remove_signal_handler(int sig);

  // Internal (base_events.py / selector_events.py): _ensure_resolved — a numeric host resolves at
  // once (_ipaddr_info), anything else through getaddrinfo; _start_serving / _stop_serving /
  // _accept_connection for a Server's listening socket.
  Coro<std::vector<AddrInfo>> resolve(std::string host, std::string port, int family, int type, int proto, int flags);
  void start_serving(Ref<Server> server, Socket& sock, int backlog);
  void stop_serving(Socket& sock);
  void accept_connections(Ref<Server> server, Socket& sock, int backlog);
  /// constants.ACCEPT_RETRY_DELAY (seconds).
  static constexpr double kAcceptRetryDelay = 1;

  /// The network the loop's sockets live on (see network.hpp). Sockets share it: it outlives the loop
  /// while one is open.
  Network& network() { return *network_ptr(); }
  const std::shared_ptr<Network>& network_ptr();

  // --- Time ---
  double time() { return static_cast<double>(time_ns()) / 1e9; }
  // The loop reads its clock several times per iteration: the virtual clock's read is inlined.
  Nanos time_ns() { return vclock_ ? vclock_->now() : clock_->now(); }
  Clock& clock() noexcept { return *clock_; }
  /// The virtual clock, or null for a real one.
  VirtualClock* virtual_clock() noexcept { return vclock_; }

  // --- Futures and tasks (defined in futures.hpp / tasks.hpp) ---
  /// loop.create_future(). Works on a closed loop too, as in CPython.
  template <class T = void>
  Future<T> create_future();
  /// loop.create_task(): the first step is scheduled with call_soon; the body does not start before
  /// the caller yields. RuntimeError('Event loop is closed') on a closed loop.
  template <class T>
  Task<T> create_task(Coro<T> coro, std::string name = {});

  // --- Running ---
  void run_forever();
  /// Runs until `fut` is done; raises what its result() raises. The typed overloads (Coro, Task,
  /// Future) are in runners.hpp.
  void run_until_complete(FutureBase& fut);
  template <class T>
  T run_until_complete(Coro<T> coro);
  template <class T>
  T run_until_complete(const Task<T>& task);
  template <class T>
  T run_until_complete(const Future<T>& fut);
  void stop() noexcept { stopping_ = true; }
  void close();
  bool is_running() const noexcept { return running_; }
  bool is_closed() const noexcept { return closed_; }
  /// One iteration (`_run_once`); see the phases at the top of this file.
  void run_once();

  // --- Errors ---
  void set_exception_handler(ExceptionHandler h) { handler_ = std::move(h); }
  const ExceptionHandler& get_exception_handler() const noexcept { return handler_; }
  void default_exception_handler(const ExceptionContext& ctx);
  void call_exception_handler(const ExceptionContext& ctx);

  /// `<EventLoop running=False closed=False debug=False>`
  std::string repr() const;

  // --- Tasks (tasks.py: _all_tasks, _current_tasks) ---
  TaskBase* current_task() const noexcept { return current_task_; }
  /// The loop's tasks that are not done, in creation order.
  std::vector<Ref<TaskBase>> all_tasks() const;
  /// Task names default to Task-N from one counter (tasks.py: _task_name_counter), per loop here.
  std::uint64_t next_task_number() noexcept { return ++task_counter_; }

  /// Raises RuntimeError('Event loop is closed') when closed (base_events.py: _check_closed).
  void check_closed() const {
    if (closed_) [[unlikely]] throw_closed();
  }

  // --- Executors (base_events.py: run_in_executor, set_default_executor, shutdown_default_executor) ---
  /// Runs fn() in `executor` (null: the default one, a ThreadPoolExecutor named 'asyncio', made on
  /// first use) and returns an asyncio future of its result (futures.wrap_future). RuntimeError
  /// ('Executor shutdown has been called') for the default executor after
  /// shutdown_default_executor() or close(). Defined in threads.hpp.
  template <class F>
  Future<std::invoke_result_t<F&>> run_in_executor(std::shared_ptr<concurrent::Executor> executor, F fn);
  void set_default_executor(std::shared_ptr<concurrent::ThreadPoolExecutor> executor);
  /// The default executor, made if needed (run_in_executor(None, ...)'s first lines).
  std::shared_ptr<concurrent::Executor> default_executor();
  /// Shuts the default executor down in a thread of its own (shutdown(wait=True)) and waits for it
  /// without blocking the loop; later run_in_executor(None, ...) calls raise.
  Coro<void> shutdown_default_executor();

  // --- Links to other threads (see LoopLink) ---
  /// Registers `link` (loop thread); an `external` one is pending work that holds a virtual clock.
  void add_link(std::shared_ptr<LoopLink> link, bool external);
  /// Ends `link` (loop thread): it posts nothing more, and its loop objects are released.
  void remove_link(LoopLink& link) noexcept;
  /// The external links pending.
  std::size_t external_count() const noexcept { return external_; }
  /// Makes a kernel descriptor (a pipe to a child process, a pidfd, a signal wakeup) one of this
  /// loop's network, which then owns it, and returns its number there: the same on a real loop; on
  /// a virtual loop the simulated network's descriptors and the kernel's share one numbering (the
  /// kernel's above kKernelFdBase) and one selector.
  int add_kernel_descriptor(int fd);
  static constexpr int kKernelFdBase = 1 << 14;
  /// A descriptor of this loop's network that close() closes: what stands for CPython's own (the
  /// selector's epoll descriptor, the self-pipe), so that a program's sockets get CPython's numbers.
  void own_descriptor(int fd) { own_fds_.push_back(fd); }

  std::size_t ready_count() const noexcept { return ready_.size(); }
  std::size_t timer_count() const noexcept { return scheduled_.size(); }

 private:
  friend class TaskBase;
  friend class FutureBase;
  friend class SleepFuture;
  friend class LoopLink;
  // A ready-queue entry is a tagged pointer owning one reference. Internal callbacks that CPython
  // schedules with call_soon but that user code never sees as a Handle need no HandleState: the
  // entry names the object and what to do with it. Each is still exactly one FIFO entry, pushed
  // where CPython's call_soon would append its Handle, so the queue's order is CPython's.
  enum ReadyKind : std::uintptr_t {
    kHandle = 0,         // a HandleState: call_soon, due timers, rare internal callbacks
    kTaskStep = 1,       // TaskBase: Task.__step() with no exception (tasks.py: __init__, __step's bare yield)
    kFirstCallback = 2,  // FutureBase: its first done callback (futures.py: __schedule_callbacks)
    kSleepTimer = 3,     // SleepFuture: sleep()'s timer, futures._set_result_unless_cancelled (sleep.hpp)
    kOwnSleepTimer = 4,  // TaskBase: the same for the future in the task's own sleep slot (tasks.hpp)
    kOwnSleepWakeup = 5, // TaskBase: Task.__wakeup, the done callback of its sleep slot's future
    kTransportRead = 6,  // BaseTransport: its reader callback (_read_ready), from _process_events
    kTransportWrite = 7, // BaseTransport: its writer callback (_write_ready, _sendto_ready)
  };
  static constexpr std::uintptr_t kKindMask = 7;  // every entry's object is at least 8-byte aligned
  /// Appends `obj` as a `kind` entry (call_soon: RuntimeError when closed).
  void push_ready(RefCounted* obj, ReadyKind kind) {
    check_closed();
    obj->RefCounted::add_ref();
    ready_.push_back(reinterpret_cast<std::uintptr_t>(obj) | kind);
  }
  static RefCounted* entry_object(std::uintptr_t e) noexcept { return reinterpret_cast<RefCounted*>(e & ~kKindMask); }
  // One event's callback in the selector's key.data (selector_events.py: the (reader, writer)
  // pair): a kHandle entry, or a transport's own _read_ready/_write_ready as a kTransportRead /
  // kTransportWrite entry, so that an idle connection holds no Handle. Owns one reference.
  class IoCallback {
   public:
    IoCallback() = default;
    explicit IoCallback(std::uintptr_t e) noexcept : e_(e) {}
    IoCallback(IoCallback&& o) noexcept : e_(std::exchange(o.e_, 0)) {}
    IoCallback& operator=(IoCallback&& o) noexcept {
      std::swap(e_, o.e_);
      return *this;
    }
    ~IoCallback() {
      if (e_) entry_object(e_)->release();
    }
    explicit operator bool() const noexcept { return e_ != 0; }
    std::uintptr_t entry() const noexcept { return e_; }

   private:
    std::uintptr_t e_ = 0;
  };
  /// Drops an entry of the ready queue or the timer heap unrun.
  static void release_entry(std::uintptr_t e) noexcept;
  void run_entry(std::uintptr_t e);
  void run_large_batch(std::size_t ntodo);
  void prefetch_pointee(std::uintptr_t e) noexcept;
  void prefetch_woken_frame(std::uintptr_t e) noexcept;
  void report_callback_error(std::exception_ptr e, Handle handle);
  /// report_callback_error for an entry that has no Handle: the one CPython would report, labelled.
  [[gnu::cold]] void report_entry_error(std::exception_ptr e, Label label);
  template <class T, class F>
  void run_guarded(RefCounted* obj, const char* label, F call);
  void check_running() const;
  /// call_later's deadline: time() + delay (saturating; a NaN delay is 0, see events.cpp).
  Nanos later_deadline(double delay_seconds);
  Nanos later_deadline(Nanos delay);
  /// call_at's deadline in nanoseconds (a NaN deadline is now).
  Nanos at_deadline(double when_seconds);
  void schedule_threadsafe(Ref<HandleState> h);
  [[noreturn]] static void throw_closed();
  // A timer-heap entry is a HandleState (call_later, call_at), or a SleepFuture or a task's sleep
  // slot standing for sleep()'s TimerHandle: these read Handle._cancelled and write
  // TimerHandle._scheduled on any of them.
  static bool timer_cancelled(std::uintptr_t e) noexcept;
  static void set_timer_scheduled(std::uintptr_t e, bool scheduled) noexcept;
  /// Pushes a timer entry (taking a reference) onto the timer heap.
  void push_timer(std::uintptr_t e, Nanos when);
  /// Pops the heap's head, marking it unscheduled; the caller takes over its reference.
  std::uintptr_t pop_timer();
  /// Phase 3 once the heap's head is due: pops every timer due before end_time into the ready queue.
  void queue_due_timers(Nanos end_time);  void iterate();
  void poll(std::optional<Nanos> timeout);
  /// A virtual loop's poll while external work is pending: ready simulated descriptors, or else a
  /// real wait for another thread's callback; the clock does not move. False, having waited for
  /// nothing, when every external job is blocked on this loop.
  bool wait_external();
  /// LoopLink::blocking: a thread starts or stops waiting for something this loop computes.
  void note_blocking(long delta) noexcept;
  void drain_threadsafe();
  void cut_links() noexcept;
  template <class F>
  Ref<HandleState> make_io_handle(F&& cb, std::string label) {
    check_closed();
    Ref<HandleState> h(new HandleState(this, std::forward<F>(cb)));
    if (!label.empty()) h->label = std::move(label);
    return h;
  }
  Handle add_io_handle(int fd, unsigned event, Ref<HandleState> h);
  void add_io_callback(int fd, unsigned event, IoCallback cb);
  void add_transport_callback(int fd, unsigned event, BaseTransport& t);
  /// The old callback of a replaced or removed registration is cancelled (_add_reader's
  /// reader.cancel(), _remove_reader's handle.cancel()): a queued entry of it will not run.
  static void cancel_io_callback(const IoCallback& cb, unsigned event) noexcept;
  void run_transport_event(BaseTransport& t, unsigned event);
  bool remove_io_handle(int fd, unsigned event);
  /// _process_events: the handles of the descriptors in io_events_ join the ready queue.
  void process_io_events();
  void queue_io_callback(int fd, unsigned event);
  /// The selector's poll: timeout as for select(); jumps a virtual clock to the network's next event.
  /// Returns false when a virtual loop found nothing to wait for.
  bool poll_network(std::optional<Nanos> timeout);
  void close_network() noexcept;
  void run_batch();

  std::shared_ptr<Clock> clock_;
  VirtualClock* vclock_;  // clock_ when it is virtual
  detail::Ring<std::uintptr_t> ready_;  // ReadyKind-tagged pointers, owning one reference each
  // Deadlines next to their entries (kHandle, kSleepTimer or kOwnSleepTimer tagged pointers, owning
  // one reference each): sifting compares without touching the handles.
  detail::TimerHeap scheduled_;
  std::size_t timer_cancelled_count_ = 0;
  bool stopping_ = false;
  bool running_ = false;
  bool closed_ = false;
  ExceptionHandler handler_;
  TaskBase* current_task_ = nullptr;
  // What the running task's step suspended on (TaskBase::suspend_on): only read by that step, so
  // one per loop rather than one per task.
  FutureBase* yielded_ = nullptr;
  // The exception the running step throws into its coroutine (Task.__step's coro.throw(exc)): read
  // by the awaiter it resumes (detail::resume_task) within that step, so it too is one per loop.
  std::exception_ptr throw_in_;
  // The unfinished tasks in creation order (tasks.py: _all_tasks), one slot each, cleared when the
  // task finishes. Clearing touches only the slot; a linked list touched both neighbours, two cache
  // misses per task when a million tasks finish in deadline order, not creation order.
  std::vector<TaskBase*> task_slots_;
  std::size_t dead_task_slots_ = 0;
  void register_task(TaskBase* t);
  void unregister_task(TaskBase* t) noexcept;
  std::uint64_t task_counter_ = 0;

  // The selector's map (selectors.py: _fd_to_key), indexed by descriptor; its events are the
  // callbacks present.
  struct IoSlot {
    IoCallback reader;
    IoCallback writer;
    BaseTransport* transport = nullptr;
    unsigned mask() const noexcept { return (reader ? kEventRead : 0u) | (writer ? kEventWrite : 0u); }
  };
  std::shared_ptr<Network> network_;
  std::vector<int> own_fds_;  // own_descriptor's
  std::vector<IoSlot> io_;
  std::size_t io_registered_ = 0;  // descriptors with a non-zero mask
  std::vector<IoEvent> io_events_;

  std::mutex ts_mutex_;
  std::vector<Ref<HandleState>> ts_queue_;
  std::atomic<bool> ts_pending_{false};
  // A virtual loop's kernel epoll, made with its first external work or kernel descriptor: where it
  // waits for them, and what call_soon_threadsafe wakes (set under ts_mutex_).
  std::shared_ptr<Network> kernel_;
  /// The kernel's network: network_ on a real loop, else kernel_, made if needed (loop thread).
  const std::shared_ptr<Network>& kernel();
  // A virtual loop's network once it has kernel descriptors: the simulated one and kernel_ in one.
  std::shared_ptr<detail::MixedNetwork> mixed_;
  // The signals with a handler and their wakeup descriptor (unix_events.cpp).
  std::shared_ptr<detail::SignalHandlers> signals_;
  friend struct detail::SignalHandlers;

  std::shared_ptr<concurrent::Executor> default_executor_;
  bool executor_shutdown_called_ = false;
  std::vector<std::shared_ptr<LoopLink>> links_;
  std::size_t external_ = 0;  // links_ that are external
  std::size_t blocked_ = 0;   // threads in LoopLink::blocking(true), under ts_mutex_

  friend void timer_handle_cancelled(HandleState& h);
};

using EventLoopPtr = Ref<EventLoop>;

/// What another thread holds to reach a loop: the loop's objects are reference-counted without
/// atomics, so a thread never touches them; it posts closures (which capture only thread-safe
/// values and the link) with post(), and the loop releases what the link keeps for it (detach())
/// on its own thread, when the work ends (remove_link) or the loop closes. A link registered as
/// external is work whose end a virtual clock waits for (see the poll phase).
class LoopLink {
 public:
  LoopLink() = default;
  LoopLink(const LoopLink&) = delete;
  LoopLink& operator=(const LoopLink&) = delete;
  virtual ~LoopLink() = default;
  /// Any thread: call_soon_threadsafe(fn) on the linked loop; false, with fn dropped in this thread,
  /// once the loop closed or the link ended.
  template <class F>
  bool post(F&& fn) {
    std::lock_guard lock(mutex_);
    if (!loop_) return false;
    loop_->call_soon_threadsafe(std::forward<F>(fn));
    return true;
  }
  /// Any thread: it waits (or stops waiting) for a result the linked loop computes, so a virtual
  /// clock may move although the thread's own job is pending.
  void blocking(bool on) {
    std::lock_guard lock(mutex_);
    blocked_ += on ? 1 : -1;
    if (loop_) loop_->note_blocking(on ? 1 : -1);
  }

 protected:
  /// Loop thread, under the link's lock: drop the loop objects kept for the work.
  virtual void detach() noexcept {}

 private:
  friend class EventLoop;
  std::mutex mutex_;
  EventLoop* loop_ = nullptr;
  bool external_ = false;
  long blocked_ = 0;  // threads in blocking(true) on this link
};

inline void FutureBase::finish() {
  state_ = State::finished;
  schedule_callbacks();
}

inline void FutureBase::schedule_callbacks() {
  // futures.py: __schedule_callbacks calls call_soon for each callback in order; the first one's
  // entry is this future itself.
  if (first_fn_) loop_->push_ready(this, EventLoop::kFirstCallback);
  if (has_callbacks()) [[unlikely]] schedule_listed_callbacks();
}

/// asyncio.new_event_loop(): the event loop policy's new loop (events.py: get_event_loop_policy().
/// new_event_loop()) — by default a loop on its own virtual clock. Runner and get_event_loop() make
/// theirs here too.
EventLoopPtr new_event_loop();
/// What new_event_loop() makes from now on, in every thread (a policy's new_event_loop); null
/// restores the default.
void set_new_event_loop_factory(std::function<EventLoopPtr()> factory);
/// A loop on the real monotonic clock.
EventLoopPtr new_real_time_event_loop();
namespace detail {
// The loop running on this thread (events.py: _running_loop), read by every await: inline, so that
// reading it is one thread-local load rather than a call.
inline constinit thread_local EventLoop* t_running_loop = nullptr;
[[noreturn]] void throw_no_running_loop();
}  // namespace detail

/// events._get_running_loop(): the running loop or null.
inline EventLoop* running_loop() noexcept { return detail::t_running_loop; }
/// asyncio.get_running_loop(); RuntimeError('no running event loop') outside a running loop.
inline EventLoop& get_running_loop() {
  if (!detail::t_running_loop) [[unlikely]] detail::throw_no_running_loop();
  return *detail::t_running_loop;
}
/// asyncio.get_event_loop() with 3.11.7's rules: the running loop; otherwise the loop set for this
/// thread; in the main thread, if set_event_loop was never called, a new loop is created and set;
/// else RuntimeError("There is no current event loop in thread 'MainThread'.").
EventLoop& get_event_loop();
/// asyncio.set_event_loop(loop or nullptr).
void set_event_loop(EventLoopPtr loop);

/// Where the default exception handler and other diagnostics go (Python's logging to stderr). The
/// text is what CPython's `asyncio` logger would print; the context is the structured form.
using LogSink = std::function<void(const std::string& text, const ExceptionContext& ctx)>;
void set_log_sink(LogSink sink);
/// A message of the `asyncio` logger without an exception context (logger.warning(...)): to the log
/// sink, or stderr as logging's last-resort handler prints it.
void log_message(const std::string& text);

namespace detail {
inline void set_running_loop(EventLoop* loop) noexcept { t_running_loop = loop; }
/// Forgets this thread's current loop and whether set_event_loop was ever called, as in a fresh
/// process (the interpreter runs many programs in one process).
void reset_event_loop_policy() noexcept;
}

}  // namespace asyncio
