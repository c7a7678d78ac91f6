#include "asyncio/subprocess.hpp"

#include "asyncio/gather.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

// The FlowControlMixin side of SubprocessStreamProtocol: what the stdin StreamWriter drains on, and
// _get_close_waiter(stdin), the future wait_closed() awaits.
class SubprocessStreamProtocol::StdinFlow final : public FlowControlMixin {
 public:
  explicit StdinFlow(EventLoop& loop) : FlowControlMixin(&loop), closed(loop.create_future()) {}
  Future<> get_close_waiter(StreamWriter&) override { return closed; }
  std::string qualname() const override { return "SubprocessStreamProtocol"; }
  Future<> closed;  // _stdin_closed
};

SubprocessStreamProtocol::SubprocessStreamProtocol(long limit, EventLoop& loop)
    : limit_(limit), loop_(&loop), flow_(make_ref<StdinFlow>(loop)) {}

void SubprocessStreamProtocol::connection_made(BaseTransport& transport) {
  transport_ = transport_cast<SubprocessTransport>(transport);
  if (BaseTransport* out = transport_->get_pipe_transport(1)) {
    std_out = make_ref<StreamReader>(limit_, loop_.get());
    std_out->set_transport(Ref<BaseTransport>(out));
    pipe_fds_.push_back(1);
  }
  if (BaseTransport* err = transport_->get_pipe_transport(2)) {
    std_err = make_ref<StreamReader>(limit_, loop_.get());
    std_err->set_transport(Ref<BaseTransport>(err));
    pipe_fds_.push_back(2);
  }
  if (BaseTransport* in = transport_->get_pipe_transport(0))
    std_in = make_ref<StreamWriter>(transport_cast<WriteTransport>(*in), flow_, nullptr, *loop_);
}

void SubprocessStreamProtocol::pipe_data_received(int fd, std::string_view data) {
  StreamReader* reader = fd == 1 ? std_out.get() : fd == 2 ? std_err.get() : nullptr;
  if (reader) reader->feed_data(data);
}

void SubprocessStreamProtocol::pipe_connection_lost(int fd, std::exception_ptr exc) {
  if (fd == 0) {
    if (std_in) std_in->close();
    flow_->connection_lost(exc);
    if (exc) {
      flow_->closed.set_exception(exc);
      flow_->closed->mark_retrieved();
    } else {
      flow_->closed.set_result();
    }
    return;
  }
  if (StreamReader* reader = fd == 1 ? std_out.get() : fd == 2 ? std_err.get() : nullptr) {
    if (exc)
      reader->set_exception(exc);
    else
      reader->feed_eof();
  }
  std::erase(pipe_fds_, fd);
  maybe_close_transport();
}

void SubprocessStreamProtocol::process_exited() {
  process_exited_ = true;
  maybe_close_transport();
}

void SubprocessStreamProtocol::maybe_close_transport() {
  if (pipe_fds_.empty() && process_exited_ && transport_) std::exchange(transport_, nullptr)->close();
}

void SubprocessStreamProtocol::pause_writing() { flow_->pause_writing(); }
void SubprocessStreamProtocol::resume_writing() { flow_->resume_writing(); }

std::string SubprocessStreamProtocol::repr() const {
  std::string s = "<SubprocessStreamProtocol";
  if (std_in) s += " stdin=" + std_in->repr();
  if (std_out) s += " stdout=<StreamReader>";
  if (std_err) s += " stderr=<StreamReader>";
  return s + ">";
}

Process::Process(Ref<SubprocessTransport> transport, Ref<SubprocessStreamProtocol> protocol, EventLoop& loop)
    : std_in(protocol->std_in),
      std_out(protocol->std_out),
      std_err(protocol->std_err),
      pid(transport->get_pid()),
      transport_(std::move(transport)),
      protocol_(std::move(protocol)),
      loop_(&loop) {}

Coro<int> Process::wait() {
  Ref<Process> self(this);
  co_return co_await static_cast<BaseSubprocessTransport&>(*transport_).wait();
}

Coro<std::string> Process::feed_stdin(std::string input) {
  Ref<Process> self(this);
  std_in->write(input);
  try {
    co_await std_in->drain();
  } catch (const BrokenPipeError&) {
  } catch (const ConnectionResetError&) {
  }
  std_in->close();
  co_return std::string();
}

Coro<std::string> Process::read_stream(int fd) {
  Ref<Process> self(this);
  BaseTransport* transport = transport_->get_pipe_transport(fd);
  StreamReader& stream = fd == 2 ? *std_err : *std_out;
  std::string output = co_await stream.read();
  transport->close();
  co_return output;
}

namespace {
Coro<std::string> nothing() { co_return std::string(); }
}  // namespace

Coro<std::pair<std::string, std::string>> Process::communicate(std::optional<std::string> input) {
  Ref<Process> self(this);
  // Named before the co_await: g++ 12 destroys temporaries of a co_await expression twice.
  Coro<std::string> in = input ? feed_stdin(std::move(*input)) : nothing();
  Coro<std::string> out = std_out ? read_stream(1) : nothing();
  Coro<std::string> err = std_err ? read_stream(2) : nothing();
  auto [in_done, out_data, err_data] = co_await gather(std::move(in), std::move(out), std::move(err));
  (void)in_done;
  co_await wait();
  co_return std::pair(std::move(out_data), std::move(err_data));
}

namespace {
Coro<Ref<Process>> create_process(std::vector<std::string> args, SubprocessOptions opts, long limit) {
  EventLoop& loop = get_running_loop();
  EventLoop::ProtocolFactoryFn factory = [&loop, limit] {
    return Ref<BaseProtocol>(make_ref<SubprocessStreamProtocol>(limit, loop));
  };
  // Named before the co_await: g++ 12 destroys temporaries of a co_await expression twice.
  auto exec = loop.subprocess_exec(std::move(factory), std::move(args), std::move(opts));
  auto [transport, protocol] = co_await std::move(exec);
  co_return make_ref<Process>(transport, Ref<SubprocessStreamProtocol>(static_cast<SubprocessStreamProtocol*>(protocol.get())),
                              loop);
}
}  // namespace

Coro<Ref<Process>> create_subprocess_exec(std::vector<std::string> args, SubprocessOptions opts, long limit) {
  return create_process(std::move(args), std::move(opts), limit);
}

Coro<Ref<Process>> create_subprocess_shell(std::string cmd, SubprocessOptions opts, long limit) {
  return create_process({"/bin/sh", "-c", std::move(cmd)}, std::move(opts), limit);
}

}  // namespace asyncio
