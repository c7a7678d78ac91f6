// The examples of reference/README.md. Every ```cpp block of the README appears in this file verbatim
// (the docs.readme_examples test checks it), and each example runs in a test asserting what it
// prints, so the documentation cannot drift from the library. The expected outputs are what the
// same programs print in CPython 3.11 (the real-time example aside, times are virtual seconds).
#include <gtest/gtest.h>

#include <string>

#include <asyncio/asyncio.hpp>

#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include <asyncio/streams.hpp>

#include <asyncio/subprocess.hpp>

#include <csignal>
#include <unistd.h>

namespace {

std::string run_capturing(int (*example_main)()) {
  testing::internal::CaptureStdout();
  const int rc = example_main();
  std::fflush(stdout);
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  return out;
}

}  // namespace

namespace readme_gather {

asyncio::Coro<int> fetch(const char* name, double seconds, int value) {
  std::printf("%s: start at t=%.0f\n", name, asyncio::get_running_loop().time());
  co_await asyncio::sleep(seconds);
  std::printf("%s: done at t=%.0f\n", name, asyncio::get_running_loop().time());
  co_return value;
}

asyncio::Coro<> amain() {
  // Both children start now; the results come back in argument order, whatever the finishing order.
  auto [a, b] = co_await asyncio::gather(fetch("a", 2, 1), fetch("b", 1, 2));
  std::printf("results: %d %d at t=%.0f\n", a, b, asyncio::get_running_loop().time());
}

int main() {
  asyncio::run(amain());  // a fresh loop on a virtual clock: this takes microseconds, not 2 s
  return 0;
}

}  // namespace readme_gather

TEST(ReadmeExamples, RunSleepGather) {
  EXPECT_EQ(run_capturing(readme_gather::main),
            "a: start at t=0\n"
            "b: start at t=0\n"
            "b: done at t=1\n"
            "a: done at t=2\n"
            "results: 1 2 at t=2\n");
}

namespace readme_cancel {

asyncio::Coro<> worker() {
  try {
    for (int i = 0;; ++i) {
      std::printf("working %d\n", i);
      co_await asyncio::sleep(1);
    }
  } catch (const asyncio::CancelledError&) {
    std::printf("worker cancelled\n");
    throw;  // let the task end as cancelled
  }
}

asyncio::Coro<> amain() {
  asyncio::Task<> task = asyncio::create_task(worker());  // starts at the next loop iteration
  co_await asyncio::sleep(2.5);
  task.cancel();  // CancelledError is raised inside worker() where it waits
  try {
    co_await task;
  } catch (const asyncio::CancelledError&) {
    std::printf("cancelled() = %s\n", task.cancelled() ? "true" : "false");
  }
}

int main() {
  asyncio::run(amain());
  return 0;
}

}  // namespace readme_cancel

TEST(ReadmeExamples, CreateTaskAndCancel) {
  EXPECT_EQ(run_capturing(readme_cancel::main),
            "working 0\n"
            "working 1\n"
            "working 2\n"
            "worker cancelled\n"
            "cancelled() = true\n");
}

namespace readme_wait {

asyncio::Coro<int> after(double seconds, int value) {
  co_await asyncio::sleep(seconds);
  co_return value;
}

asyncio::Coro<> amain() {
  std::vector<asyncio::Task<int>> tasks{asyncio::create_task(after(3, 30)), asyncio::create_task(after(1, 10)),
                                        asyncio::create_task(after(2, 20))};
  auto [done, pending] = co_await asyncio::wait(tasks, asyncio::FIRST_COMPLETED);
  std::printf("t=%.0f: %zu done (result %d), %zu pending\n", asyncio::get_running_loop().time(), done.size(),
              done[0].result(), pending.size());
  for (auto& task : pending) task.cancel();  // wait() itself never cancels anything
}

int main() {
  asyncio::run(amain());
  return 0;
}

}  // namespace readme_wait

TEST(ReadmeExamples, WaitFirstCompleted) {
  EXPECT_EQ(run_capturing(readme_wait::main), "t=1: 1 done (result 10), 2 pending\n");
}

namespace readme_wait_for {

asyncio::Coro<int> slow() {
  co_await asyncio::sleep(10);
  co_return 42;
}

asyncio::Coro<> amain() {
  try {
    int value = co_await asyncio::wait_for(slow(), 1.5);
    std::printf("got %d\n", value);
  } catch (const asyncio::TimeoutError& e) {  // slow() was cancelled and has finished
    std::printf("%s at t=%.1f\n", e.repr().c_str(), asyncio::get_running_loop().time());
  }
}

int main() {
  asyncio::run(amain());
  return 0;
}

}  // namespace readme_wait_for

TEST(ReadmeExamples, WaitForTimeout) { EXPECT_EQ(run_capturing(readme_wait_for::main), "TimeoutError() at t=1.5\n"); }

namespace readme_errors {

asyncio::Coro<> fails() {
  co_await asyncio::sleep(1);
  throw asyncio::ValueError("bad value");
}

asyncio::Coro<> amain() {
  try {
    co_await fails();
  } catch (const asyncio::Exception& e) {  // Python's `except Exception`: every ordinary error
    std::printf("caught %s\n", e.repr().c_str());
  }

  auto task = asyncio::create_task(fails());
  co_await asyncio::sleep(0);  // let it start
  task.cancel("stop");
  try {
    co_await task;
  } catch (const asyncio::Exception&) {
    std::printf("not reached: CancelledError derives from BaseException only\n");
  } catch (const asyncio::CancelledError& e) {
    std::printf("caught %s\n", e.repr().c_str());
  }
}

int main() {
  asyncio::run(amain());
  return 0;
}

}  // namespace readme_errors

TEST(ReadmeExamples, ExceptionHierarchy) {
  EXPECT_EQ(run_capturing(readme_errors::main),
            "caught ValueError('bad value')\n"
            "caught CancelledError('stop')\n");
}

namespace readme_threadsafe {

int main() {
  auto loop = asyncio::new_real_time_event_loop();  // waits for real, unlike the default virtual clock
  auto fut = loop->create_future<int>();
  const double start = loop->time();
  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // The one loop method another thread may call: it queues the callback and wakes the loop.
    loop->call_soon_threadsafe([&] { fut.set_result(42); });
  });
  const int value = loop->run_until_complete(fut);
  producer.join();
  std::printf("%d, after %s 50 ms\n", value, loop->time() - start >= 0.05 ? "at least" : "less than");
  loop->close();
  return 0;
}

}  // namespace readme_threadsafe

TEST(ReadmeExamples, RealTimeLoopWithCallSoonThreadsafe) {
  EXPECT_EQ(run_capturing(readme_threadsafe::main), "42, after at least 50 ms\n");
}

namespace readme_streams {

asyncio::Coro<> handle_echo(asyncio::Ref<asyncio::StreamReader> reader, asyncio::Ref<asyncio::StreamWriter> writer) {
  std::string line = co_await reader->readline();
  std::printf("server received %s", line.c_str());
  writer->write(line);
  co_await writer->drain();  // waits while the transport's buffer is over its high-water mark
  writer->close();
  co_await writer->wait_closed();
}

asyncio::Coro<> amain() {
  asyncio::Ref<asyncio::Server> server = co_await asyncio::start_server(handle_echo, "127.0.0.1", "8888");
  auto [reader, writer] = co_await asyncio::open_connection("127.0.0.1", "8888");
  writer->write("hello\n");
  co_await writer->drain();
  std::string reply = co_await reader->readline();
  std::printf("client received %s", reply.c_str());
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
}

int main() {
  asyncio::run(amain());  // virtual clock: the sockets are the simulated network's
  return 0;
}

}  // namespace readme_streams

TEST(ReadmeExamples, StreamsEchoServerAndClient) {
  EXPECT_EQ(run_capturing(readme_streams::main), "server received hello\nclient received hello\n");
}

namespace readme_protocols {

struct EchoServer : asyncio::Protocol {
  asyncio::Ref<asyncio::Transport> transport;
  void connection_made(asyncio::BaseTransport& t) override {
    transport = asyncio::transport_cast<asyncio::Transport>(t);
    auto peer = std::get<asyncio::SockAddr>(transport->get_extra_info("peername"));
    std::printf("server: connection from %s\n", peer.host.c_str());
  }
  void data_received(std::string_view data) override {
    std::printf("server: received %.*s\n", int(data.size()), data.data());
    transport->write(data);
  }
  bool eof_received() override {
    std::printf("server: eof\n");
    return false;  // false closes the transport
  }
  void connection_lost(std::exception_ptr) override { transport = nullptr; }  // break the cycle
};

struct EchoClient : asyncio::Protocol {
  asyncio::Future<> done;
  explicit EchoClient(asyncio::Future<> done) : done(done) {}
  void connection_made(asyncio::BaseTransport& t) override {
    auto transport = asyncio::transport_cast<asyncio::Transport>(t);
    transport->write("hello");
    transport->write_eof();
  }
  void data_received(std::string_view data) override {
    std::printf("client: received %.*s\n", int(data.size()), data.data());
  }
  void connection_lost(std::exception_ptr exc) override {
    std::printf("client: connection lost %s\n", exc ? "with an error" : "None");
    done.set_result();
  }
};

asyncio::Coro<> amain() {
  asyncio::EventLoop& loop = asyncio::get_running_loop();
  auto server = co_await loop.create_server([] { return asyncio::make_ref<EchoServer>(); }, "127.0.0.1", "0");
  const int port = server->sockets().at(0).getsockname().port;  // port "0": the system picks one
  auto done = loop.create_future();
  co_await loop.create_connection([&] { return asyncio::make_ref<EchoClient>(done); }, "127.0.0.1",
                                  std::to_string(port));
  co_await done;
  server->close();
  co_await server->wait_closed();
}

}  // namespace readme_protocols

namespace readme_datagrams {

struct Echo : asyncio::DatagramProtocol {
  asyncio::Ref<asyncio::DatagramTransport> transport;
  void connection_made(asyncio::BaseTransport& t) override {
    transport = asyncio::transport_cast<asyncio::DatagramTransport>(t);
  }
  void datagram_received(std::string_view data, const asyncio::SockAddr& addr) override {
    std::printf("server: received %.*s\n", int(data.size()), data.data());
    transport->sendto(std::string(data.rbegin(), data.rend()), addr);
  }
  void connection_lost(std::exception_ptr) override { transport = nullptr; }
};

struct Ask : asyncio::DatagramProtocol {
  asyncio::Future<std::string> answer;
  explicit Ask(asyncio::Future<std::string> answer) : answer(answer) {}
  void connection_made(asyncio::BaseTransport& t) override {
    asyncio::transport_cast<asyncio::DatagramTransport>(t)->sendto("ping");
  }
  void datagram_received(std::string_view data, const asyncio::SockAddr&) override {
    answer.set_result(std::string(data));
  }
};

asyncio::Coro<> amain() {
  asyncio::EventLoop& loop = asyncio::get_running_loop();
  asyncio::DatagramOptions server_options;
  server_options.local_addr = {"127.0.0.1", "0"};
  auto [server, echo] = co_await loop.create_datagram_endpoint([] { return asyncio::make_ref<Echo>(); },
                                                               std::move(server_options));
  auto addr = std::get<asyncio::SockAddr>(server->get_extra_info("sockname"));
  asyncio::DatagramOptions client_options;
  client_options.remote_addr = {addr.host, std::to_string(addr.port)};
  auto answer = loop.create_future<std::string>();
  auto [client, ask] = co_await loop.create_datagram_endpoint([&] { return asyncio::make_ref<Ask>(answer); },
                                                               std::move(client_options));
  std::printf("client: received %s\n", (co_await answer).c_str());
  client->close();
  server->close();
}

}  // namespace readme_datagrams

namespace {
// An example's amain on the simulated network (asyncio::run) and on the kernel's (a real-time Runner).
std::string run_on_both_networks(asyncio::Coro<> (*amain)()) {
  testing::internal::CaptureStdout();
  asyncio::run(amain());
  std::fflush(stdout);
  const std::string simulated = testing::internal::GetCapturedStdout();
  testing::internal::CaptureStdout();
  {
    asyncio::Runner runner(&asyncio::new_real_time_event_loop);
    runner.run(amain());
  }
  std::fflush(stdout);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), simulated) << "the networks disagree";
  return simulated;
}
}  // namespace

TEST(ReadmeExamples, ProtocolsEchoServerAndClient) {
  EXPECT_EQ(run_on_both_networks(readme_protocols::amain),
            "server: connection from 127.0.0.1\n"
            "server: received hello\n"
            "server: eof\n"
            "client: received hello\n"
            "client: connection lost None\n");
}

TEST(ReadmeExamples, DatagramExchange) {
  EXPECT_EQ(run_on_both_networks(readme_datagrams::amain), "server: received ping\nclient: received gnip\n");
}

namespace readme_processes {

asyncio::Coro<> amain() {
  // A child process: data through its pipes, its exit status from wait().
  asyncio::SubprocessOptions opts = asyncio::kInheritStdio;
  opts.std_in = asyncio::PIPE;
  opts.std_out = asyncio::PIPE;
  std::vector<std::string> args{"tr", "a-z", "A-Z"};
  asyncio::Ref<asyncio::Process> proc = co_await asyncio::create_subprocess_exec(args, opts);
  auto [out, err] = co_await proc->communicate("hello\n");
  std::printf("child printed %s", out.c_str());
  std::printf("exit status %d\n", co_await proc->wait());

  // A blocking function, run in the default executor's thread pool.
  int sum = co_await asyncio::to_thread([] { return 2 + 3; });
  std::printf("to_thread returned %d\n", sum);

  // A signal handler runs as a loop callback.
  asyncio::EventLoop& loop = asyncio::get_running_loop();
  asyncio::Future<> got = loop.create_future();
  loop.add_signal_handler(SIGUSR1, [&] {
    std::printf("SIGUSR1 handled\n");
    got.set_result();
  });
  ::kill(::getpid(), SIGUSR1);
  co_await got;
  loop.remove_signal_handler(SIGUSR1);
}

int main() {
  asyncio::run(amain());  // virtual clock: the child and the thread are external work it waits for
  return 0;
}

}  // namespace readme_processes

TEST(ReadmeExamples, SubprocessThreadAndSignal) {
  EXPECT_EQ(run_capturing(readme_processes::main),
            "child printed HELLO\n"
            "exit status 0\n"
            "to_thread returned 5\n"
            "SIGUSR1 handled\n");
}
