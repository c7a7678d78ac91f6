#include "asyncio/base_subprocess.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "asyncio/tasks.hpp"
#include "asyncio/unix_events.hpp"

extern char** environ;

namespace asyncio {

namespace {

/// The OSError Popen raises when the child cannot be started: its str names the program
/// ("[Errno 2] No such file or directory: 'prog'"), its repr does not.
template <class Base>
class SpawnError final : public Base {
 public:
  SpawnError(int err, std::string filename) : Base(err, strerror_text(err)), filename_(std::move(filename)) {}
  std::string str() const override { return Base::str() + ": " + py_repr(filename_); }

 private:
  std::string filename_;
};

[[noreturn]] void raise_spawn_error(int err, const std::string& filename) {
  switch (err) {
    case ENOENT: throw SpawnError<FileNotFoundError>(err, filename);
    case EACCES:
    case EPERM: throw SpawnError<PermissionError>(err, filename);
    case ENOTDIR: throw SpawnError<NotADirectoryError>(err, filename);
    default: throw SpawnError<OSError>(err, filename);
  }
}

/// os.waitstatus_to_exitcode: the exit status, or -signal.
int exit_code(int status) { return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status); }

/// Closes the descriptors of a failed spawn.
struct FdList {
  std::vector<int> fds;
  ~FdList() {
    for (int fd : fds) ::close(fd);
  }
  int add(int fd) {
    if (fd < 0) raise_os_error(errno);
    fds.push_back(fd);
    return fd;
  }
};

// The child as external work of the loop, holding the transport for the loop's thread (LoopLink):
// the waitpid thread posts its exit through it.
class ChildLink final : public LoopLink {
 public:
  explicit ChildLink(Ref<BaseSubprocessTransport> t) : transport_(std::move(t)) {}
  BaseSubprocessTransport* transport() const noexcept { return transport_.get(); }

 private:
  void detach() noexcept override { transport_ = nullptr; }
  Ref<BaseSubprocessTransport> transport_;
};

}  // namespace

// --- The pipes' protocol ----------------------------------------------------------------------

void detail::SubprocessPipeProto::connection_lost(std::exception_ptr exc) {
  disconnected = true;
  auto proc = std::move(proc_);
  proc->pipe_connection_lost(fd_, std::move(exc));
}

void detail::SubprocessPipeProto::pause_writing() { proc_->protocol().pause_writing(); }
void detail::SubprocessPipeProto::resume_writing() { proc_->protocol().resume_writing(); }
void detail::SubprocessPipeProto::data_received(std::string_view data) { proc_->pipe_data_received(fd_, data); }

std::string detail::SubprocessPipeProto::repr() const {
  return "<" + qualname() + " fd=" + std::to_string(fd_) + " pipe=" + (pipe ? pipe->repr() : "None") + ">";
}

// --- The transport ----------------------------------------------------------------------------

BaseSubprocessTransport::BaseSubprocessTransport(EventLoop& loop, Ref<BaseProtocol> protocol,
                                                 const std::vector<std::string>& args, const SubprocessOptions& opts,
                                                 Future<> waiter)
    : loop_(&loop), protocol_(std::move(protocol)), pending_calls_(std::in_place) {
  if (!dynamic_cast<SubprocessProtocol*>(protocol_.get()))
    throw TypeError("the protocol of a subprocess transport must be a SubprocessProtocol");
  loop.check_closed();
  spawn(args, opts);
  proc_ = true;
  link_ = std::make_shared<ChildLink>(Ref<BaseSubprocessTransport>(this));
  loop.add_link(link_, true);
  loop.create_task(connect_pipes(std::move(waiter)));
  watch_child();  // _make_subprocess_transport: watcher.add_child_handler
}

BaseSubprocessTransport::~BaseSubprocessTransport() {
  close_unconnected();
  if (!reaped_ && !waiter_thread_.joinable() && pid_ > 0) {
    // Never a zombie: a transport dropped with its child running (its loop closed) kills it.
    ::kill(pid_, SIGKILL);
    int status;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (pidfd_ >= 0 && loop_) loop_->network().close(pidfd_);
  if (waiter_thread_.joinable()) {
    if (!reaped_) ::kill(pid_, SIGKILL);
    waiter_thread_.join();
  }
}

void BaseSubprocessTransport::spawn(const std::vector<std::string>& args, const SubprocessOptions& opts) {
  if (args.empty()) throw ValueError("args must not be empty");
  FdList child_ends;  // closed here once the child has them
  FdList parent_ends;  // closed here unless the spawn succeeds
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  struct Destroy {
    posix_spawn_file_actions_t* a;
    posix_spawnattr_t* b;
    ~Destroy() {
      posix_spawn_file_actions_destroy(a);
      posix_spawnattr_destroy(b);
    }
  } destroy{&actions, &attr};

  const Stdio streams[3] = {opts.std_in, opts.std_out, opts.std_err};
  int parent[3] = {-1, -1, -1};
  for (int i = 0; i < 3; ++i) {
    if (!streams[i]) continue;
    int child = *streams[i];
    if (child == PIPE) {
      int p[2];
      if (pipe2(p, O_CLOEXEC) < 0) raise_os_error(errno);
      child_ends.add(i == 0 ? p[0] : p[1]);
      parent[i] = parent_ends.add(i == 0 ? p[1] : p[0]);
      // The transports need non-blocking descriptors (os.set_blocking(fd, False) in their __init__).
      fcntl(parent[i], F_SETFL, fcntl(parent[i], F_GETFL) | O_NONBLOCK);
      child = i == 0 ? p[0] : p[1];
      piped_[i] = true;
    } else if (child == DEVNULL) {
      child = child_ends.add(::open("/dev/null", O_RDWR | O_CLOEXEC));
    } else if (child == STDOUT) {
      if (i != 2) throw ValueError("STDOUT can only be used for stderr");
      child = 1;
    } else if (child < 0) {
      throw ValueError("bad file descriptor " + std::to_string(child));
    }
    // dup2 onto the child's 0/1/2 clears close-on-exec; glibc does so for child == i too.
    posix_spawn_file_actions_adddup2(&actions, child, i);
  }
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // Popen's close_fds=True
  if (opts.cwd) posix_spawn_file_actions_addchdir_np(&actions, opts.cwd->c_str());
  // Popen's restore_signals=True; and no signal blocked in the child.
  sigset_t defaults, empty;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGXFSZ);
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  if (opts.env) {
    for (auto& e : *opts.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
  }
  pid_t pid;
  const int err = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), opts.env ? envp.data() : environ);
  if (err) raise_spawn_error(err, args[0]);
  pid_ = pid;
  parent_ends.fds.clear();
  for (int i = 0; i < 3; ++i)
    if (parent[i] >= 0) parent_fds_[i] = loop_->add_kernel_descriptor(parent[i]);
}

void BaseSubprocessTransport::close_unconnected() noexcept {
  for (int& fd : parent_fds_)
    if (fd >= 0) loop_->network().close(std::exchange(fd, -1));
}

namespace {
// Not built inside connect_pipes: g++ 12 destroys the captures of a lambda built in a coroutine twice.
EventLoop::ProtocolFactoryFn pipe_protocol_factory(Ref<BaseSubprocessTransport> proc, int fd) {
  return [proc, fd] { return Ref<BaseProtocol>(make_ref<detail::SubprocessPipeProto>(proc, fd)); };
}
}  // namespace

// base_subprocess.py: _connect_pipes, run as a task.
Coro<void> BaseSubprocessTransport::connect_pipes(Future<> waiter) {
  Ref<BaseSubprocessTransport> self(this);
  std::exception_ptr error;
  try {
    EventLoop& loop = *loop_;
    for (int fd = 0; fd < 3; ++fd) {
      if (parent_fds_[fd] < 0) continue;
      EventLoop::ProtocolFactoryFn factory = pipe_protocol_factory(self, fd);
      const int pipe = std::exchange(parent_fds_[fd], -1);
      // Named before the co_await: g++ 12 destroys temporaries of a co_await expression twice.
      auto connect = fd == 0 ? loop.connect_write_pipe(std::move(factory), pipe)
                             : loop.connect_read_pipe(std::move(factory), pipe);
      auto [transport, protocol] = co_await std::move(connect);
      pipes_[fd] = Ref<detail::SubprocessPipeProto>(static_cast<detail::SubprocessPipeProto*>(protocol.get()));
    }
    schedule_connection_made();
    for (auto& cb : *pending_calls_) loop.call_soon(std::move(cb));
    pending_calls_.reset();
  } catch (...) {
    error = std::current_exception();
    if (is_exit_exception(error)) throw;
  }
  if (waiter.cancelled()) co_return;
  if (error)
    waiter.set_exception(error);
  else
    waiter.set_result();
}

void BaseSubprocessTransport::schedule_connection_made() {
  loop_->call_soon([self = Ref<BaseSubprocessTransport>(this)] { self->protocol_->connection_made(*self); });
}

void BaseSubprocessTransport::watch_child() {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd < 0) {
    // ThreadedChildWatcher: a thread waits for the child and hands its exit to the loop.
    waiter_thread_ = std::thread([link = link_, pid = pid_] {
      int status = 0;
      int rc;
      while ((rc = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
      }
      const int code = rc < 0 ? 255 : exit_code(status);
      link->post([link, code] {
        auto* t = static_cast<ChildLink&>(*link).transport();
        t->reaped_ = true;
        t->loop_->call_soon([self = Ref<BaseSubprocessTransport>(t), code] { self->process_exited(code); });
      });
    });
    return;
  }
  // PidfdChildWatcher: the pidfd is readable once the child has exited (_do_wait).
  pidfd_ = loop_->add_kernel_descriptor(pidfd);
  loop_->add_reader_internal(pidfd_, [self = Ref<BaseSubprocessTransport>(this)] {
    self->loop_->remove_reader_internal(self->pidfd_);
    int status = 0;
    int code = 255;  // "Unknown child process pid %d, will report returncode 255"
    int rc;
    while ((rc = waitpid(self->pid_, &status, 0)) < 0 && errno == EINTR) {
    }
    if (rc > 0) code = exit_code(status);
    self->reaped_ = true;
    self->loop_->network().close(std::exchange(self->pidfd_, -1));
    // _child_watcher_callback: call_soon_threadsafe(call_soon, transp._process_exited, returncode).
    self->loop_->call_soon([self, code] { self->loop_->call_soon([self, code] { self->process_exited(code); }); });
  });
}

void BaseSubprocessTransport::process_exited(int returncode) {
  returncode_ = returncode;
  call([p = protocol_] { static_cast<SubprocessProtocol&>(*p).process_exited(); });
  try_finish();
}

template <class F>
void BaseSubprocessTransport::call(F fn) {
  if (pending_calls_)
    pending_calls_->push_back(std::move(fn));
  else
    loop_->call_soon(std::move(fn));
}

void BaseSubprocessTransport::pipe_connection_lost(int fd, std::exception_ptr exc) {
  call([p = protocol_, fd, exc] { static_cast<SubprocessProtocol&>(*p).pipe_connection_lost(fd, exc); });
  try_finish();
}

void BaseSubprocessTransport::pipe_data_received(int fd, std::string_view data) {
  call([p = protocol_, fd, d = std::string(data)] { static_cast<SubprocessProtocol&>(*p).pipe_data_received(fd, d); });
}

SubprocessProtocol& BaseSubprocessTransport::protocol() const { return static_cast<SubprocessProtocol&>(*protocol_); }

void BaseSubprocessTransport::try_finish() {
  if (!returncode_ || finished_) return;  // CPython asserts `not self._finished`
  for (int fd = 0; fd < 3; ++fd)
    if (piped_[fd] && !(pipes_[fd] && pipes_[fd]->disconnected)) return;
  finished_ = true;
  call([self = Ref<BaseSubprocessTransport>(this)] { self->call_connection_lost(); });
}

void BaseSubprocessTransport::call_connection_lost() {
  Ref<BaseSubprocessTransport> keep(this);
  Ref<EventLoop> loop = std::move(loop_);
  struct Finally {
    BaseSubprocessTransport& t;
    EventLoop& loop;
    ~Finally() {
      // Wake up the futures waiting in wait(); then _loop, _proc and _protocol become None.
      for (auto& w : t.exit_waiters_)
        if (!w.cancelled()) w.set_result(*t.returncode_);
      t.exit_waiters_.clear();
      t.proc_ = false;
      t.protocol_ = nullptr;
      loop.remove_link(*t.link_);  // the child is no longer external work
    }
  } finally{*this, *loop};
  protocol().connection_lost(nullptr);
}

BaseTransport* BaseSubprocessTransport::get_pipe_transport(int fd) const {
  if (fd < 0 || fd > 2 || !pipes_[fd]) return nullptr;
  return pipes_[fd]->pipe.get();
}

bool BaseSubprocessTransport::child_exited_unreported() const noexcept {
  // Popen.poll() without reaping: the watcher reaps.
  siginfo_t info{};
  return reaped_ || (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0);
}

void BaseSubprocessTransport::close() {
  if (closed_) return;
  closed_ = true;
  for (auto& proto : pipes_)
    if (proto && proto->pipe) proto->pipe->close();
  // A child still running is killed (and reaped by the watcher as usual).
  if (proc_ && !returncode_ && !child_exited_unreported()) ::kill(pid_, SIGKILL);
}

void BaseSubprocessTransport::send_signal(int sig) {
  if (!proc_) throw ProcessLookupError();  // _check_proc
  if (reaped_) return;  // Popen.send_signal skips a child known to be dead
  if (::kill(pid_, sig) < 0) raise_os_error(errno);
}

void BaseSubprocessTransport::terminate() { send_signal(SIGTERM); }
void BaseSubprocessTransport::kill() { send_signal(SIGKILL); }

ExtraInfo BaseSubprocessTransport::get_extra_info(std::string_view name) const {
  if (name == "subprocess") return pid_;
  return {};
}

std::string BaseSubprocessTransport::repr() const {
  std::string s = "<_UnixSubprocessTransport";
  if (closed_) s += " closed";
  s += " pid=" + std::to_string(pid_);
  s += returncode_ ? " returncode=" + std::to_string(*returncode_) : std::string(" running");
  auto pipe = [&](int fd) { return pipes_[fd] && pipes_[fd]->pipe ? pipes_[fd]->pipe->repr() : std::string("None"); };
  if (pipes_[0]) s += " stdin=" + pipe(0);
  if (pipes_[1]) s += " stdout=" + pipe(1);
  if (pipes_[2]) s += " stderr=" + pipe(2);
  return s + ">";
}

Coro<int> BaseSubprocessTransport::wait() {
  if (returncode_) co_return *returncode_;
  Ref<BaseSubprocessTransport> self(this);
  Future<int> waiter = loop_->create_future<int>();
  exit_waiters_.push_back(waiter);
  co_return co_await waiter;
}

// --- loop.subprocess_exec / subprocess_shell ------------------------------------------------------

namespace {
// unix_events.py: _make_subprocess_transport.
Coro<std::pair<Ref<SubprocessTransport>, Ref<BaseProtocol>>> make_subprocess_transport(
    EventLoop& loop, EventLoop::ProtocolFactoryFn factory, std::vector<std::string> args, SubprocessOptions opts) {
  Ref<BaseProtocol> protocol = factory();
  Future<> waiter = loop.create_future();
  Ref<BaseSubprocessTransport> transport(new BaseSubprocessTransport(loop, protocol, args, opts, waiter));
  std::exception_ptr error;
  try {
    co_await waiter;
  } catch (...) {
    error = std::current_exception();
    if (is_exit_exception(error)) throw;
  }
  if (error) {
    transport->close();
    co_await transport->wait();
    std::rethrow_exception(error);
  }
  co_return std::pair<Ref<SubprocessTransport>, Ref<BaseProtocol>>(std::move(transport), std::move(protocol));
}
}  // namespace

Coro<std::pair<Ref<SubprocessTransport>, Ref<BaseProtocol>>> EventLoop::subprocess_exec(ProtocolFactoryFn factory,
                                                                                       std::vector<std::string> args,
                                                                                       SubprocessOptions opts) {
  return make_subprocess_transport(*this, std::move(factory), std::move(args), std::move(opts));
}

Coro<std::pair<Ref<SubprocessTransport>, Ref<BaseProtocol>>> EventLoop::subprocess_exec(ProtocolFactoryFn factory,
                                                                                       std::vector<std::string> args) {
  return subprocess_exec(std::move(factory), std::move(args), SubprocessOptions{});
}

Coro<std::pair<Ref<SubprocessTransport>, Ref<BaseProtocol>>> EventLoop::subprocess_shell(ProtocolFactoryFn factory,
                                                                                        std::string cmd,
                                                                                        SubprocessOptions opts) {
  return subprocess_exec(std::move(factory), {"/bin/sh", "-c", std::move(cmd)}, std::move(opts));
}

Coro<std::pair<Ref<SubprocessTransport>, Ref<BaseProtocol>>> EventLoop::subprocess_shell(ProtocolFactoryFn factory,
                                                                                        std::string cmd) {
  return subprocess_shell(std::move(factory), std::move(cmd), SubprocessOptions{});
}

}  // namespace asyncio
