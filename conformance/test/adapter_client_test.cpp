// The runner survives adapters that crash, hang, garble or flood: each costs one case, reported.
#include <gtest/gtest.h>

#include "aiospec/adapter_client.hpp"

namespace aiospec {
namespace {

// A fake adapter in Python: says hello, then answers each request by running `behaviour`.
std::vector<std::string> fake(const std::string& behaviour) {
  const std::string script =
      "import json, sys, os, time\n"
      "print(json.dumps({'type': 'hello', 'protocol': 1, 'implementation': {'name': 'fake', 'version': '1'},"
      " 'python': '3.11', 'time': ['real']}), flush=True)\n"
      "for line in sys.stdin:\n"
      "    req = json.loads(line)\n"
      "    prog = req['program']\n" +
      behaviour;
  return {"python3", "-c", script};
}

const std::string kEcho =
    "    print(json.dumps({'type': 'result', 'id': req['id'], 'output': prog, 'lines': [[prog.strip(), 1.5]],"
    " 'exit_status': 0}), flush=True)\n";

TEST(AdapterClient, ReadsHelloAndResults) {
  AdapterProcess a(fake(kEcho));
  EXPECT_EQ(a.hello().name, "fake");
  EXPECT_EQ(a.hello().python, "3.11");
  auto obs = a.run("x.1", "hello\n", "real", 5);
  ASSERT_EQ(obs.kind, Observation::Kind::result) << obs.message;
  EXPECT_EQ(obs.output, "hello\n");
  ASSERT_EQ(obs.line_times.size(), 1u);
  EXPECT_EQ(obs.line_times[0], 1.5);
}

TEST(AdapterClient, CrashCostsOneCaseAndTheAdapterRestarts) {
  AdapterProcess a(fake("    if prog == 'die': os._exit(9)\n" + kEcho));
  EXPECT_EQ(a.run("c.1", "die", "real", 5).kind, Observation::Kind::crash);
  auto next = a.run("c.2", "alive\n", "real", 5);
  ASSERT_EQ(next.kind, Observation::Kind::result) << next.message;
  EXPECT_EQ(next.output, "alive\n");
}

TEST(AdapterClient, HangIsATimeout) {
  AdapterProcess a(fake("    if prog == 'hang': time.sleep(60)\n" + kEcho));
  auto obs = a.run("h.1", "hang", "real", 0.2);  // waits timeout + grace
  EXPECT_EQ(obs.kind, Observation::Kind::timeout);
  EXPECT_EQ(a.run("h.2", "ok\n", "real", 5).kind, Observation::Kind::result);
}

TEST(AdapterClient, GarbageIsAnError) {
  AdapterProcess a(fake("    if prog == 'junk': print('this is not json', flush=True); continue\n" + kEcho));
  auto obs = a.run("g.1", "junk", "real", 5);
  EXPECT_EQ(obs.kind, Observation::Kind::error);
  EXPECT_NE(obs.message.find("not a response"), std::string::npos) << obs.message;
  EXPECT_EQ(a.run("g.2", "ok\n", "real", 5).kind, Observation::Kind::result);
}

TEST(AdapterClient, MissingProgramOrBadHelloIsReported) {
  EXPECT_THROW(AdapterProcess({"aiospec-no-such-adapter"}), std::runtime_error);
  EXPECT_THROW(AdapterProcess({"python3", "-c", "print('{\"type\": \"hello\", \"protocol\": 7}')"}), std::runtime_error);
  try {
    AdapterProcess({"python3", "-c", "print('{\"type\": \"hello\", \"protocol\": 1, \"error\": \"uvloop missing\"}')"});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "uvloop missing");
  }
}

}  // namespace
}  // namespace aiospec
