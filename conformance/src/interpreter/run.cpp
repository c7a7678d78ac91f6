// Running a program: output capture and normalisation, warnings, the asyncio log, budgets, exit.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "aiospec/interpreter.hpp"
#include "aiospec/scenario/error.hpp"
#include "aiospec/scenario/parser.hpp"
#include "interp.hpp"

namespace aiospec {

std::string RunResult::normalized() const {
  std::string out;
  for (auto& l : lines) out += l.text + "\n";
  return out;
}

namespace interp {

namespace {
// Memory addresses print as 0x... in normalised output.
std::string normalise(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '0' && i + 2 < s.size() + 1 && i + 1 < s.size() && s[i + 1] == 'x' && i + 2 < s.size() &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2])) && !std::isupper(static_cast<unsigned char>(s[i + 2]))) {
      std::size_t j = i + 2;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || (s[j] >= 'a' && s[j] <= 'f'))) ++j;
      out += "0x...";
      i = j - 1;
      continue;
    }
    out += s[i];
  }
  return out;
}

std::string source_line(std::string_view src, std::uint32_t line) {
  std::size_t pos = 0;
  for (std::uint32_t l = 1; l < line && pos != std::string_view::npos; ++l) {
    pos = src.find('\n', pos);
    if (pos != std::string_view::npos) ++pos;
  }
  if (pos == std::string_view::npos || pos >= src.size()) return "";
  std::string_view rest = src.substr(pos, src.find('\n', pos) - pos);
  auto b = rest.find_first_not_of(" \t");
  return b == std::string_view::npos ? "" : std::string(rest.substr(b));
}

void warning_sink(const char* category, const std::string& message) {
  if (Interp* ip = current_interp()) ip->warn(category, message, false);  // from the core: destructors
}
}  // namespace

void Interp::add_line(std::string text) {
  std::optional<double> stamp;
  if (asyncio::running_loop() && time_base >= 0) stamp = static_cast<double>(now_ns() - time_base) / 1e9;
  result.lines.push_back(OutputLine{std::move(text), stamp});
}

Object Interp::exit_code(const ExcObj& e) {
  // SystemExit.code (BaseException_init in Objects/exceptions.c): None, the one argument, or the tuple.
  return e.args.empty() ? Object::none() : e.args.size() == 1 ? e.args[0] : tuple_obj(e.args);
}

void Interp::count_output(std::size_t n) {
  out_bytes += n;
  if (out_bytes > opts.max_output_bytes) abort(fmt::format("output limit of {} bytes exceeded", opts.max_output_bytes));
}

namespace {
// Each complete line of `partial` (to which `text` is appended) as an output line with `mark`.
void add_lines(Interp& ip, std::string& partial, std::string_view text, std::string_view mark) {
  partial += text;
  std::size_t start = 0, nl;
  while ((nl = partial.find('\n', start)) != std::string::npos) {
    ip.add_line(std::string(mark) + normalise(std::string_view(partial).substr(start, nl - start)));
    start = nl + 1;
  }
  partial.erase(0, start);
}
}  // namespace

void Interp::write_err(std::string_view text) {
  count_output(text.size());
  result.stderr_text += text;
  add_lines(*this, partial_err_line, text, "[stderr] ");
}

void Interp::write_out(std::string_view text) {
  count_output(text.size());
  result.stdout_text += text;
  add_lines(*this, partial_line, text, "");
}

void Interp::warn(std::string_view category, std::string_view message, bool can_raise) {
  if (aborting || finished) return;
  // A warning at exit has no Python frame: CPython names it "sys", line 1.
  const Ref<TypeObj> cat = find_exc_type(category);
  Object msg(Tag::Exc, new_exc(cat, {str_obj(std::string(message))}));
  warn_explicit(*this, msg, cat, at_exit ? "sys" : mod.filename, at_exit ? 1 : line, at_exit ? "sys" : "__main__", can_raise);
}

std::string Interp::format_warning(std::string_view category, std::string_view message, std::string_view filename, std::uint32_t lineno) {
  // The source line comes from the program's own file only (linecache).
  std::string s = fmt::format("{}:{}: {}: {}\n", filename, lineno, category, message);
  if (filename == mod.filename) s += "  " + source_line(source, lineno) + "\n";
  return s;
}

void Interp::print_warning(std::string_view category, std::string_view message, std::string_view filename, std::uint32_t lineno) {
  add_line(fmt::format("[warning] {}: {}", category, message));
  result.stderr_text += format_warning(category, message, filename, lineno);
  if (message.find("was never awaited") != std::string_view::npos)
    result.stderr_text += "RuntimeWarning: Enable tracemalloc to get the object allocation traceback\n";
}

void Interp::log_asyncio(const std::string& text, const asyncio::ExceptionContext& ctx) {
  if (aborting || finished) return;
  std::string msg = ctx.message.empty() ? "Unhandled exception in event loop" : ctx.message;
  msg = msg.substr(0, msg.find('\n'));
  if (ctx.exception) {
    std::string r;
    try {
      r = asyncio::inspect(ctx.exception).repr();
    } catch (...) {
      r = "<exception>";
    }
    msg += " (" + r + ")";
  }
  std::string entry = "[asyncio] " + normalise(msg);
  std::string out = text;
  if (ctx.exception) {
    // logging prints the record's exc_info as traceback.print_exception does, after the message (in
    // place of the last line, the core's one-line description of the exception).
    const std::string described = "\n" + asyncio::inspect(ctx.exception).describe();
    if (out.ends_with(described)) out.resize(out.size() - described.size());
    Ref<ExcObj> e = to_python(ctx.exception);
    // A callback's error passed Handle._run (asyncio/events.py), which called it.
    if (ctx.handle && ctx.message.starts_with("Exception in callback"))
      e->tb.push_back(kHandleRun.entry());
    out += "\n" + join(format_exception(*e));
    out.pop_back();  // the newline the entry ends with
  }
  // Handle._run reports a callback's error with a local `context` dict that the exception's
  // traceback keeps, and the dict holds the handle: a cycle.
  if (!collecting && ctx.handle && ctx.exception) cyclic_garbage.push_back({{}, {}, 0, Ref<RefCounted>(ctx.handle.state())});
  auto* task = ctx.future && ctx.future->is_task() ? static_cast<const asyncio::TaskBase*>(ctx.future) : nullptr;
  if (collecting || (task && task->waits_on_future() && ctx.message == "Task was destroyed but it is pending!")) {
    // Default names number tasks in creation order (tasks.py: _task_name_counter); others come last.
    std::uint64_t order = ~std::uint64_t{0};
    if (const std::string& name = task ? task->get_name() : std::string(); name.rfind("Task-", 0) == 0)
      order = std::strtoull(name.c_str() + 5, nullptr, 10);
    cyclic_garbage.push_back({std::move(out), std::move(entry), order, {}});
    return;
  }
  add_line(entry);
  result.stderr_text += out + "\n";
}

void Interp::clear_classes() {
  for (auto& c : std::exchange(classes, {})) {
    Ref<DictObj> ns = std::move(c->ns);  // released after the class's other links are gone
    c->mro.clear();
    c->meta = nullptr;
  }
}

void Interp::collect_cyclic_garbage() {
  collecting = true;
  // Releasing a held handle lets go of what its callback held: a task that logs now joins the list.
  std::vector<Ref<RefCounted>> held;
  for (CyclicGarbage& g : cyclic_garbage)
    if (g.held) held.push_back(std::move(g.held));
  held.clear();
  std::vector<CyclicGarbage> logs = std::move(cyclic_garbage);
  std::stable_sort(logs.begin(), logs.end(), [](const CyclicGarbage& a, const CyclicGarbage& b) { return a.order < b.order; });
  for (const CyclicGarbage& g : logs) {
    if (g.line.empty()) continue;
    add_line(g.line);
    result.stderr_text += g.text + "\n";
  }
  collecting = false;
}

void Interp::step_checked() {
  if (aborting) throw Abort("stopped");
  if (++steps > opts.max_steps) abort(fmt::format("step budget of {} exhausted (a runaway program?)", opts.max_steps));
  program_clock->advance(static_cast<asyncio::Nanos>(opts.step_nanos));
  if ((steps & 1023) == 0 && now() > opts.max_virtual_seconds)
    abort(fmt::format("virtual-time budget of {} s exhausted (a runaway program?)", opts.max_virtual_seconds));
  if (opts.max_memory_bytes && thread_memory_in_use() > static_cast<std::int64_t>(opts.max_memory_bytes)) [[unlikely]]
    abort(fmt::format("memory budget of {} bytes exhausted (a runaway program?)", opts.max_memory_bytes));
}

void Interp::report_uncaught(const std::exception_ptr& ep) {
  Ref<ExcObj> e = to_python(ep);
  if (e->cls->subclass_of(T.SystemExit.get())) {
    // sys.exit(): None → 0, an int → that status (& 0xFF), anything else printed to stderr → 1.
    // The capture harness appends `[exit N]` after shutdown.
    Object code = exit_code(*e);
    if (code.is_none()) {
      result.exit_status = 0;
    } else if (code.is(Tag::Int) || code.is(Tag::Bool)) {
      result.exit_status = static_cast<int>(code.i() & 0xFF);
    } else {
      result.stderr_text += str(code) + "\n";
      result.exit_status = 1;
    }
    exit_without_exception_ = result.exit_status != 0;
    return;
  }
  result.stderr_text += join(format_exception(*e));
  // The harness reports the last line of format_exception_only (a note's, when there are notes), stripped.
  std::string last = exc_lines(*e).back();
  const std::size_t first = last.find_first_not_of(" \t\n\r\f\v"), end = last.find_last_not_of(" \t\n\r\f\v");
  add_line("[uncaught] " + normalise(first == std::string::npos ? "" : last.substr(first, end - first + 1)));
  result.exit_status = e->cls->subclass_of(T.KeyboardInterrupt.get()) ? 130 : 1;
}

void Interp::run_module() {
  source_frame_ = std::make_unique<Frame>();
  asyncio::set_warning_sink(warning_sink);
  asyncio::set_log_sink([this](const std::string& text, const asyncio::ExceptionContext& ctx) { log_asyncio(text, ctx); });
  try {
    std::exception_ptr uncaught;
    try {
      exec_body(mod.body, *source_frame_);
    } catch (const Abort&) {
      throw;
    } catch (...) {
      uncaught = std::current_exception();
    }
    if (uncaught) {
      report_uncaught(uncaught);
      uncaught = nullptr;  // drop the traceback: coroutines only it referenced are finalised now
    }
    // Interpreter shutdown (see the capture harness): clear the module's globals, names with one
    // leading underscore first, each in definition order; finalizers warn "at sys:1".
    at_exit = true;
    source_frame_.reset();
    for (int pass = 0; pass < 2; ++pass)
      for (std::uint32_t idx : global_order_) {
        std::string_view n = mod.globals[idx];
        bool underscore = n.size() > 1 && n[0] == '_' && n[1] != '_';
        if (pass == 1 || underscore) globals[idx] = Object();
      }
    collect_cyclic_garbage();
  } catch (const Abort& a) {
    result.error = a.str();
    result.stderr_text += "aiospec: " + result.error + "\n";
    add_line("[aiospec] " + result.error);
    result.exit_status = 3;
  }
  if (!partial_line.empty()) add_line(normalise(std::exchange(partial_line, {})));
  if (!partial_err_line.empty()) add_line("[stderr] " + normalise(std::exchange(partial_err_line, {})));
  if (exit_without_exception_) result.lines.push_back(OutputLine{fmt::format("[exit {}]", result.exit_status), std::nullopt});
  finished = true;
}

}  // namespace interp

namespace {

RunResult run_on_this_thread(std::string_view source, std::string_view filename, const ExecOptions& opts) {
  RunResult r;
  scenario::Module m;
  try {
    m = scenario::parse(source, std::string(filename));
  } catch (const scenario::SyntaxError& e) {
    r.parse_error = true;
    // CPython exits 1 on the errors it raises compiling the program; a construct outside the
    // language is aiospec's own refusal.
    const bool refused = e.kind() == scenario::ErrorKind::Unsupported;
    r.exit_status = refused ? 2 : 1;
    r.stderr_text = std::string(e.what()) + "\n";
    r.error = e.what();
    const bool located = e.kind() != scenario::ErrorKind::Memory && e.kind() != scenario::ErrorKind::Recursion;
    r.lines.push_back({located ? fmt::format("[uncaught] {}: {}", e.python_type(), e.message()) : "[uncaught] " + r.error, std::nullopt});
    return r;
  }
  {
    interp::Interp ip(m, opts);
    ip.source = source;
    asyncio::set_new_event_loop_factory([&ip] { return ip.policy_new_loop(); });
    ip.run_module();
    // A loop left as the current loop belongs to this program only.
    asyncio::detail::reset_event_loop_policy();
    ip.globals.clear();
    ip.clear_classes();
    asyncio::set_new_event_loop_factory(nullptr);
    r = std::move(ip.result);
  }
  asyncio::set_warning_sink(nullptr);
  asyncio::set_log_sink({});
  return r;
}

}  // namespace

RunResult run_program(std::string_view source, std::string_view filename, const ExecOptions& opts) {
  // A stack deep enough for the recursion limit (stack_nearly_full() stops recursion before its
  // end), and a memory count of the program's own.
  RunResult r;
  run_with_stack(kProgramStackBytes, [&] {
    set_thread_memory_budget(opts.max_memory_bytes);
    try {
      r = run_on_this_thread(source, filename, opts);
    } catch (...) {
      set_thread_memory_budget(0);
      throw;
    }
    set_thread_memory_budget(0);
  });
  return r;
}

}  // namespace aiospec
