// Child processes (base_subprocess.py, subprocess.py, unix_events.py: _UnixSubprocessTransport and
// the child watchers) on a real-time loop and on a virtual-time one, where the child is external
// work: the same trace on both, no zombie and no descriptor left behind.
#include <sys/wait.h>

#include <csignal>
#include <string>
#include <string_view>

#include <asyncio/subprocess.hpp>

#include "net_support.hpp"
#include "trace.hpp"

namespace asyncio::test {
namespace {

std::string bytes_repr(std::string_view data) {
  std::string s = "b'";
  for (char c : data) s += c == '\n' ? std::string("\\n") : std::string(1, c);
  return s + "'";
}

/// No child left, running or zombie.
bool no_children() {
  int status;
  return waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD;
}

class Subprocess : public NetTest {
 protected:
  void TearDown() override {
    NetTest::TearDown();
    EXPECT_TRUE(no_children()) << "a child was not reaped";
  }
  Trace t;
};

// Python:
//   import asyncio
//   class P(asyncio.SubprocessProtocol):
//       def __init__(self, done):
//           self.done = done
//       def connection_made(self, t):
//           print('connection_made', t.get_returncode())
//       def pipe_data_received(self, fd, data):
//           print('pipe_data_received', fd, data)
//       def pipe_connection_lost(self, fd, exc):
//           print('pipe_connection_lost', fd, exc)
//       def process_exited(self):
//           print('process_exited')
//       def connection_lost(self, exc):
//           print('connection_lost', exc)
//           self.done.set_result(None)
//   async def main():
//       loop = asyncio.get_running_loop()
//       done = loop.create_future()
//       t, p = await loop.subprocess_exec(lambda: P(done), 'sh', '-c', 'printf hi; exec 1>&-; sleep 0.1; exit 3',
//                                         stdin=None, stderr=None)
//       print('started', t.get_pipe_transport(0), t.get_pipe_transport(2) is None)
//       await done
//       print('returncode', t.get_returncode())
//       t.close()
//   asyncio.run(main())
// Output:
//   connection_made None
//   started None True
//   pipe_data_received 1 b'hi'
//   pipe_connection_lost 1 None
//   process_exited
//   connection_lost None
//   returncode 3
TEST_P(Subprocess, ProtocolCallbacksInOrder) {
  struct P : SubprocessProtocol {
    P(Trace& t, Future<> done) : t(t), done(std::move(done)) {}
    void connection_made(BaseTransport& tr) override {
      auto rc = transport_cast<SubprocessTransport>(tr)->get_returncode();
      t("connection_made " + (rc ? std::to_string(*rc) : std::string("None")));
    }
    void pipe_data_received(int fd, std::string_view data) override {
      t("pipe_data_received " + std::to_string(fd) + " " + bytes_repr(data));
    }
    void pipe_connection_lost(int fd, std::exception_ptr e) override {
      t("pipe_connection_lost " + std::to_string(fd) + " " + (e ? describe(e) : "None"));
    }
    void process_exited() override { t("process_exited"); }
    void connection_lost(std::exception_ptr e) override {
      t(std::string("connection_lost ") + (e ? describe(e) : "None"));
      done.set_result();
    }
    Trace& t;
    Future<> done;
  };
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    Future<> done = loop.create_future();
    SubprocessOptions opts;
    opts.std_in = std::nullopt;
    opts.std_err = std::nullopt;
    EventLoop::ProtocolFactoryFn factory = [&] { return Ref<BaseProtocol>(make_ref<P>(t, done)); };
    std::vector<std::string> args{"sh", "-c", "printf hi; exec 1>&-; sleep 0.1; exit 3"};
    auto [tr, p] = co_await loop.subprocess_exec(factory, args, opts);
    t(std::string("started ") + (tr->get_pipe_transport(0) ? "pipe" : "None") + " " +
      (tr->get_pipe_transport(2) ? "False" : "True"));
    co_await done;
    t("returncode " + std::to_string(tr->get_returncode().value_or(-1000)));
    tr->close();
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"connection_made None", "started None True", "pipe_data_received 1 b'hi'",
                              "pipe_connection_lost 1 None", "process_exited", "connection_lost None",
                              "returncode 3"}));
}

// Python:
//   import asyncio
//   async def main():
//       proc = await asyncio.create_subprocess_exec('cat', stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
//       out, err = await proc.communicate(b'hello')
//       print(out, err, proc.returncode)
//   asyncio.run(main())
// Output:
//   b'hello' None 0
TEST_P(Subprocess, CommunicateWithInput) {
  auto main = [&]() -> Coro<> {
    SubprocessOptions opts = kInheritStdio;
    opts.std_in = PIPE;
    opts.std_out = PIPE;
    std::vector<std::string> args{"cat"};
    Ref<Process> proc = co_await create_subprocess_exec(args, opts);
    auto [out, err] = co_await proc->communicate("hello");
    t(bytes_repr(out) + " " + (proc->std_err ? bytes_repr(err) : "None") + " " +
      std::to_string(proc->returncode().value_or(-1000)));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"b'hello' None 0"}));
}

// Python:
//   import asyncio
//   async def main():
//       try:
//           await asyncio.create_subprocess_exec('no-such-program-xyz')
//       except FileNotFoundError as e:
//           print(repr(e))
//           print(e)
//   asyncio.run(main())
// Output:
//   FileNotFoundError(2, 'No such file or directory')
//   [Errno 2] No such file or directory: 'no-such-program-xyz'
TEST_P(Subprocess, MissingProgram) {
  auto main = [&]() -> Coro<> {
    try {
      std::vector<std::string> args{"no-such-program-xyz"};
      co_await create_subprocess_exec(args);
    } catch (const FileNotFoundError& e) {
      t(e.repr());
      t(e.str());
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"FileNotFoundError(2, 'No such file or directory')",
                              "[Errno 2] No such file or directory: 'no-such-program-xyz'"}));
}

// A signal's return code is negative.
// Python:
//   import asyncio, signal
//   async def main():
//       proc = await asyncio.create_subprocess_exec('sleep', '10')
//       print(proc.returncode)
//       proc.kill()
//       print(await proc.wait())
//       proc2 = await asyncio.create_subprocess_shell('exit 7')
//       print(await proc2.wait())
//       proc3 = await asyncio.create_subprocess_exec('sleep', '10')
//       proc3.send_signal(signal.SIGTERM)
//       print(await proc3.wait())
//   asyncio.run(main())
// Output:
//   None
//   -9
//   7
//   -15
TEST_P(Subprocess, ReturnCodes) {
  auto main = [&]() -> Coro<> {
    std::vector<std::string> sleep10{"sleep", "10"};
    Ref<Process> proc = co_await create_subprocess_exec(sleep10);
    t(proc->returncode() ? "exited" : "None");
    proc->kill();
    t(std::to_string(co_await proc->wait()));
    Ref<Process> proc2 = co_await create_subprocess_shell("exit 7");
    t(std::to_string(co_await proc2->wait()));
    Ref<Process> proc3 = co_await create_subprocess_exec(sleep10);
    proc3->send_signal(SIGTERM);
    t(std::to_string(co_await proc3->wait()));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"None", "-9", "7", "-15"}));
}

// Python:
//   import asyncio
//   async def main():
//       proc = await asyncio.create_subprocess_shell('echo out; echo err >&2', stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
//       print(await proc.stdout.read())
//       print(await proc.wait())
//       proc = await asyncio.create_subprocess_shell('echo out; echo err >&2', stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
//       print(await proc.communicate())
//   asyncio.run(main())
// Output:
//   b'out\nerr\n'
//   0
//   (None, b'err\n')
TEST_P(Subprocess, StdoutDevnullAndStderrToStdout) {
  auto main = [&]() -> Coro<> {
    SubprocessOptions opts = kInheritStdio;
    opts.std_out = PIPE;
    opts.std_err = STDOUT;
    Ref<Process> proc = co_await create_subprocess_shell("echo out; echo err >&2", opts);
    t(bytes_repr(co_await proc->std_out->read()));
    t(std::to_string(co_await proc->wait()));
    opts.std_out = DEVNULL;
    opts.std_err = PIPE;
    proc = co_await create_subprocess_shell("echo out; echo err >&2", opts);
    auto [out, err] = co_await proc->communicate();
    t("(" + (proc->std_out ? bytes_repr(out) : "None") + ", " + bytes_repr(err) + ")");
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"b'out\\nerr\\n'", "0", "(None, b'err\\n')"}));
}

// A child that closes its stdout early: EOF first, the exit later.
// Python:
//   import asyncio
//   async def main():
//       proc = await asyncio.create_subprocess_exec('sh', '-c', 'exec 1>&-; sleep 0.1; exit 4', stdout=asyncio.subprocess.PIPE)
//       print(await proc.stdout.read())
//       print(proc.returncode)
//       print(await proc.wait())
//   asyncio.run(main())
// Output:
//   b''
//   None
//   4
TEST_P(Subprocess, ChildClosesItsPipeEarly) {
  auto main = [&]() -> Coro<> {
    SubprocessOptions opts = kInheritStdio;
    opts.std_out = PIPE;
    std::vector<std::string> args{"sh", "-c", "exec 1>&-; sleep 0.1; exit 4"};
    Ref<Process> proc = co_await create_subprocess_exec(args, opts);
    t(bytes_repr(co_await proc->std_out->read()));
    t(proc->returncode() ? "exited" : "None");
    t(std::to_string(co_await proc->wait()));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"b''", "None", "4"}));
}

// Twenty children at once, each echoing its number: every one reaped, every pipe closed.
TEST_P(Subprocess, ManyChildren) {
  auto one = [](int i) -> Coro<std::string> {
    SubprocessOptions opts = kInheritStdio;
    opts.std_out = PIPE;
    std::vector<std::string> args{"echo", std::to_string(i)};
    Ref<Process> proc = co_await create_subprocess_exec(args, opts);
    auto [out, err] = co_await proc->communicate();
    co_return out;
  };
  auto main = [&]() -> Coro<> {
    std::vector<Task<std::string>> tasks;
    for (int i = 0; i < 20; ++i) tasks.push_back(create_task(one(i)));
    auto outs = co_await gather(tasks);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(outs[i], std::to_string(i) + "\n");
  };
  run(main());
}

// On the virtual clock a child is external work: time does not move while it runs.
TEST(SubprocessVirtual, ClockWaitsForTheChild) {
  double elapsed = -1;
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    std::vector<std::string> args{"sleep", "0.05"};
    Ref<Process> proc = co_await create_subprocess_exec(args);
    co_await proc->wait();
    elapsed = loop.time();
  }());
  EXPECT_LT(elapsed, 1e-6);  // not the child's 50 ms
  EXPECT_TRUE(no_children());
}

INSTANTIATE_TEST_SUITE_P(Loops, Subprocess, testing::Values(Net::real, Net::simulated), net_name);

}  // namespace
}  // namespace asyncio::test
