#pragma once
// Running schedules on the reference loop, comparing with another loop, and shrinking.
#include <functional>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "aiospec/adapter_client.hpp"
#include "aiospec/fuzz/model.hpp"
#include "aiospec/fuzz/program.hpp"

namespace aiospec::fuzz {

struct Trace {
  std::string output;  // normalised (spec/README.md)
  std::vector<TimedLine> lines;
  int exit_status = 0;
};

/// Runs the program's source on the reference loop (the interpreter, virtual time).
Trace run_on_reference(const std::string& source);
/// An adapter's observation as a Trace.
Trace from_observation(const Observation& obs);

/// The output with the one order CPython leaves to object addresses that these programs can show made
/// canonical: after "tK.i done [n names]", the n lines as_completed yields first (the futures already
/// done, in set iteration order) are sorted. Everything else stays as it is.
std::string set_order_form(const std::string& output);

/// For real-time loops: lines the model puts at the same instant may come in any order, so each maximal
/// run of consecutive lines with one model time is sorted; lines the model does not know stay as they are.
std::string real_time_form(const std::vector<TimedLine>& lines, const Expected& e);

/// Greedy shrinking: while some shrink of `s` still `fails`, move to the first such shrink.
/// `tried` counts the candidates run.
rc::Shrinkable<Program> shrink(rc::Shrinkable<Program> s, const std::function<bool(const Program&)>& fails,
                               int& tried);

/// RapidCheck shows a counterexample as the runnable program.
void showValue(const Program& p, std::ostream& os);

}  // namespace aiospec::fuzz
