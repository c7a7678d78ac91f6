// The tree-walking interpreter of the scenario language (internal header).
//
// Two evaluators share every operation: a synchronous one (eval/exec) for code that cannot suspend,
// and one made of C++ coroutines (eval_a/exec_a) for statements and expressions the parser marked
// `has_await`. A Python coroutine object wraps an asyncio::Coro<Object> running the body; awaiting
// it runs it inline, awaiting a future suspends the task through the core's awaiters.
#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aiospec/interpreter.hpp"
#include "aiospec/scenario/limits.hpp"
#include "value.hpp"

namespace aiospec::interp {

using scenario::Body;
using scenario::Expr;
using scenario::Stmt;

enum class Flow : std::uint8_t { Normal, Return, Break, Continue };

struct GenObj;

struct Frame {
  std::vector<Object> slots;
  const std::vector<Ref<CellObj>>* closure = nullptr;
  DictObj* class_ns = nullptr;  // executing a class body
  const char* qualname = "";    // of the function running here (nested qualnames)
  Object cls;                   // the defining class of a method (super())
  std::vector<std::exception_ptr> handling;  // exceptions being handled, innermost last (bare raise)
  Object retval;
  GenObj* gen = nullptr;  // the generator whose body runs in this frame
  std::uint32_t line = 0;
  std::string_view code_name = "<module>";  // co_name, as tracebacks print it
  const scenario::Expr* comp = nullptr;  // the comprehension running here: an error of its iteration is at its span
};

// Exception classes and builtin types the interpreter refers to directly.
struct Types {
  Ref<TypeObj> object, none, bool_, int_, float_, str, bytes, bytearray, memoryview, list, tuple, dict, set, frozenset, range, slice,
      function, builtin, type, coroutine, iterator, cell, ellipsis, future, task, gathering, loop, handle,
      timer_handle, module;
  Ref<TypeObj> BaseException, Exception, ValueError, TypeError, RuntimeError, KeyError, IndexError, ImportError, ModuleNotFoundError,
      ZeroDivisionError, AttributeError, NameError, UnboundLocalError, StopIteration,
      StopAsyncIteration, OverflowError, AssertionError, NotImplementedError, RecursionError,
      LookupError, ArithmeticError, OSError, TimeoutError, CancelledError, InvalidStateError,
      QueueEmpty, QueueFull, BrokenBarrierError, KeyboardInterrupt, SystemExit, GeneratorExit,
      BaseExceptionGroup, ExceptionGroup, DeprecationWarning, RuntimeWarning, Warning,
      UserWarning, SendfileNotAvailableError, gaierror, IncompleteReadError, LimitOverrunError, UnicodeError,
      UnicodeDecodeError, UnicodeEncodeError, BufferError, MemoryError;
};

class Interp {
 public:
  Interp(const scenario::Module& m, const ExecOptions& opts);
  ~Interp();
  void run_module();

  // --- evaluation ---
  Object eval(const Expr* e, Frame& f);
  Flow exec(const Stmt* s, Frame& f);
  Flow exec_body(Body b, Frame& f);
  asyncio::Coro<Object> eval_a(const Expr* e, Frame& f);
  asyncio::Coro<Flow> exec_a(const Stmt* s, Frame& f);
  asyncio::Coro<Flow> exec_body_a(Body b, Frame& f);
  // `await x`: a coroutine inline, a future through the loop.
  asyncio::Coro<Object> await_object(Object x);

  // --- the object protocol ---
  Object call(const Object& fn, CallArgs& args);
  Object call0(const Object& fn) {
    CallArgs a;
    return call(fn, a);
  }
  Object call1(const Object& fn, Object x) {
    CallArgs a;
    a.pos.push_back(std::move(x));
    return call(fn, a);
  }
  Object getattr(const Object& o, std::string_view name);
  Object getattr_opt(const Object& o, std::string_view name);  // Null when missing
  void setattr(const Object& o, std::string_view name, Object v);
  Object getitem(const Object& o, const Object& key);
  void setitem(const Object& o, const Object& key, Object v);
  void delitem(const Object& o, const Object& key);
  std::string repr(const Object& o);
  std::string str(const Object& o);
  bool truthy(const Object& o);
  bool eq(const Object& a, const Object& b);
  bool lt(const Object& a, const Object& b);
  std::uint64_t hash(const Object& o);
  bool contains(const Object& container, const Object& x);
  Object binop(scenario::BinOpKind op, const Object& a, const Object& b);
  Object unary(scenario::UnaryOpKind op, const Object& v);
  bool compare(scenario::CmpOpKind op, const Object& a, const Object& b);
  Object iter(const Object& o);
  bool next(IterObj& it, Object& out);
  std::vector<Object> to_vector(const Object& iterable);
  // str.join's and bytes.join's items (PySequence_Fast): TypeError "can only join an iterable".
  std::vector<Object> join_items(const Object& iterable);
  std::int64_t len(const Object& o);
  Ref<TypeObj> type_of(const Object& o);
  // The type of native objects whose type_name() is `name`, created on first use (base: object).
  Ref<TypeObj> native_type(std::string_view name, const Ref<TypeObj>& base = nullptr, std::string module = "");
  bool isinstance(const Object& o, const TypeObj* t);
  // --- classes (objects/object.cpp) ---
  Object* type_lookup(const TypeObj* t, std::string_view name);  // along the MRO; null when absent
  // `attr` found on a class, as seen through `self` (an instance, or the class itself: `self` null).
  Object bind(const Object& attr, const Object& self, const Ref<TypeObj>& cls);
  // object.__getattribute__: data descriptors, the instance's dict, class attributes, __getattr__.
  Object generic_getattr(const Object& self, const Ref<TypeObj>& cls, DictObj* dict, std::string_view name);
  // object.__setattr__; `dict` is created when null.
  void generic_setattr(const Object& self, const Ref<TypeObj>& cls, Ref<DictObj>& dict, std::string_view name, Object v);
  // The special method `name` of o's class bound to o (Null when the class has none): user classes only.
  Object special(const Object& o, std::string_view name);
  // The operator's special methods (in-place first when `inplace`); Null when none applies, except
  // that an in-place operator raises the TypeError.
  Object instance_binop(scenario::BinOpKind op, const Object& a, const Object& b, bool inplace);
  Object rich_compare(scenario::CmpOpKind op, const Object& a, const Object& b);
  std::string default_repr(const Object& o);  // <__main__.C object at 0x...>
  Object new_instance(const Ref<TypeObj>& cls, CallArgs& args);  // calling a user class
  Object not_implemented;
  std::string format(const Object& o, std::string_view spec);
  // An int argument: `what` names the indexed type in the TypeError; null for a plain integer argument.
  std::int64_t index_arg(const Object& o, const char* what);

  // --- values ---
  Object str_obj(std::string s) { return make<StrObj>(Tag::Str, std::move(s)); }
  Object bytes_obj(std::string s, Tag t = Tag::Bytes) { return make<BytesObj>(t, std::move(s)); }
  Object list_obj(std::vector<Object> v = {}) { return make<ListObj>(Tag::List, std::move(v)); }
  Object tuple_obj(std::vector<Object> v = {}) { return make<TupleObj>(Tag::Tuple, std::move(v)); }
  Object dict_obj() { return make<DictObj>(Tag::Dict); }
  Object set_obj() { return make<SetObj>(Tag::Set); }
  Object builtin(const char* name, BuiltinObj::Fn fn, Object self = {}, Object data = {}) {
    return make<BuiltinObj>(Tag::Builtin, name, fn, std::move(self), std::move(data));
  }
  Object closure_builtin(const char* name, std::function<Object(Interp&, CallArgs&)> fn);
  const char* intern(std::string s);

  // --- exceptions ---
  [[noreturn]] void raise(const Ref<TypeObj>& t, std::string msg);
  [[noreturn]] void raise_obj(const Ref<ExcObj>& e);
  Ref<ExcObj> new_exc(const Ref<TypeObj>& t, std::vector<Object> args);
  std::exception_ptr to_cpp(const Ref<ExcObj>& e);
  // The C++ exception carrying `e` itself (to_cpp rethrows a converted core exception's original).
  std::exception_ptr holder_of(const Ref<ExcObj>& e);
  // Rethrows `ep` with `refs` attached to its traceback (see ExcObj::traceback_refs); `left`: the
  // frame the exception leaves (its traceback entry is then complete).
  [[noreturn]] void rethrow_keeping(const std::exception_ptr& ep, std::vector<Object> refs, const Frame* left = nullptr);

  // --- tracebacks (traceback.cpp) ---
  // Called in a catch block: the exception in flight passes through frame `f` at node `n` (an Expr or
  // a Stmt); its traceback gains f's entry unless it has it (PyTraceBack_Here at each frame's error
  // label), then it is rethrown. Positions are recorded only here, as an exception passes.
  [[noreturn]] void traceback_at(Frame& f, const Expr* e) {
    traceback_here(f, TbEntry{f.code_name, e->line, e->col - 1, e->end_line, e->end_col, nullptr, e});
  }
  [[noreturn]] void traceback_at(Frame& f, const Stmt* s) {
    traceback_here(f, TbEntry{f.code_name, s->line, s->col - 1, s->end_line, s->end_col, nullptr, nullptr});
  }
  [[noreturn]] void traceback_here(Frame& f, TbEntry entry);
  // Entries for frames of CPython's Lib/ that a native function stands for (asyncio.run's), added
  // as the exception in flight leaves it, innermost first; then it is rethrown.
  [[noreturn]] void traceback_lib(std::initializer_list<const LibFrame*> frames);
  // TracebackException(...).format(): the traceback, chained exceptions and groups, as CPython prints them.
  // The strings it yields, as traceback.format_exception returns them.
  std::vector<std::string> format_exception(ExcObj& e, bool chain = true);
  std::vector<std::string> format_tb(const std::vector<TbEntry>& tb);  // StackSummary.format, outermost first
  // The Python object for a C++ exception (core exceptions are converted; Abort is rethrown).
  Ref<ExcObj> to_python(const std::exception_ptr& e);
  Object exc_object(const std::exception_ptr& e) { return Object(Tag::Exc, to_python(e)); }
  std::string exc_str(ExcObj& e);
  std::string exc_repr(ExcObj& e);
  // format_exception_only: "Type: message", then each line of each of its __notes__.
  std::vector<std::string> exc_lines(ExcObj& e);
  Ref<TypeObj> find_exc_type(std::string_view name);

  // --- asyncio glue ---
  Object future_result(asyncio::FutureBase& f);  // result() of any future the interpreter knows
  Object future_obj(asyncio::FutureBase* f) { return Object(Tag::Future, f); }
  Ref<asyncio::FutureBase> to_future(const Object& awaitable, asyncio::EventLoop* loop, bool coroutines_ok = true);
  Object make_coro(asyncio::Coro<Object> c, const char* qualname, bool is_async_def = false);
  Object make_coro_husk(const char* qualname);
  // Keeps a new task's coroutine object with it (Task.get_coro()), and where the coroutine was
  // defined and its frame, for `running at` / `defined at`.
  void note_task(asyncio::TaskBase& task, const Object& coro);
  // The process virtual clock: loops' virtual time plus time.sleep outside loops. `use_loop` is
  // called whenever a loop is about to run.
  void use_loop(asyncio::EventLoop& loop);
  asyncio::Nanos now_ns();
  // Every loop the program makes runs on one virtual clock and one simulated network, as CPython's
  // share time.monotonic and the kernel: a socket made outside a loop works on any loop.
  std::shared_ptr<asyncio::VirtualClock> program_clock = std::make_shared<asyncio::VirtualClock>();
  const std::shared_ptr<asyncio::Network>& network();
  // A loop on them; and the one the event loop policy makes (the program's policy's new_event_loop,
  // if it set one): what asyncio.new_event_loop, Runner and get_event_loop make.
  asyncio::EventLoopPtr make_loop();
  asyncio::EventLoopPtr policy_new_loop();
  Object policy;  // set_event_loop_policy's; Null: the default
  std::shared_ptr<asyncio::Network> network_;
  void sleep_blocking(asyncio::Nanos d);

  // --- imports (import.cpp) ---
  Object import_module(std::string_view name);  // the module, created on its first import
  Object import_from(const Object& module, std::string_view name);  // `from module import name`
  void import_star(const Object& module);  // `from module import *`: binds the program's globals

  // --- output ---
  void write_out(std::string_view text);  // the program's stdout
  void write_err(std::string_view text);  // its stderr
  Object exit_code(const ExcObj& e);      // SystemExit.code
  // A warning of the interpreter's own through the warnings filters (modules/warnings.cpp); the
  // "error" action raises it only when `can_raise` (not from a destructor).
  void warn(std::string_view category, std::string_view message, bool can_raise = true);
  // warnings.formatwarning's text, and showing a warning: the `[warning]` line and that text on stderr.
  std::string format_warning(std::string_view category, std::string_view message, std::string_view filename, std::uint32_t lineno);
  void print_warning(std::string_view category, std::string_view message, std::string_view filename, std::uint32_t lineno);
  void log_asyncio(const std::string& text, const asyncio::ExceptionContext& ctx);
  void add_line(std::string text);
  void report_uncaught(const std::exception_ptr& ep);
  // Counts a step against the budgets (steps, virtual time, memory); throws Abort when one runs out.
  // Inline (below) for the common step, which no budget stops; step_checked() does the rest.
  void step();
  void step_checked();
  [[noreturn]] void abort(std::string message);
  // Stops the program at what the scenario language does not cover: "file:line:col: what is outside …".
  [[noreturn]] void refuse(std::string_view what);
  [[noreturn]] void deadlock(const asyncio::Deadlock& d);
  // Runs `loop` until `fut` is done (run_forever when null); a deadlock stops the program.
  // `frames`: the Python frames CPython's asyncio has between the builtin that was called and a
  // callback it runs (run_forever: _run_once, Handle._run and context.run; run_until_complete one
  // more for run_forever; Runner.run one more; asyncio.run one more), for Interp::depth.
  void run_loop(asyncio::EventLoop& loop, asyncio::FutureBase* fut, int frames);
  double now();  // process virtual seconds

  Types T;
  const scenario::Module& mod;
  const ExecOptions& opts;
  RunResult result;
  std::vector<Object> globals;
  std::vector<Object> builtin_for_global;  // the builtin a global name falls back to
  std::map<std::string, Object, std::less<>> builtins;
  std::map<std::string, Object, std::less<>> modules;  // sys.modules: the modules imported so far
  std::uint32_t line = 0, col = 0;  // the statement being executed (warnings, errors, refusals)
  asyncio::Nanos process_clock = 0;
  asyncio::Nanos time_base = -1;  // loop time when the first loop ran (trace stamps)
  std::uint64_t steps = 0;
  std::size_t out_bytes = 0;
  bool aborting = false;
  bool at_exit = false;   // clearing the module at shutdown
  // What CPython keeps in reference cycles until its garbage collector runs (here: at exit, after
  // the module is cleared, as the capture harness's gc.collect()), in the order it became garbage:
  // the log of a pending task dropped while it waited on a future, and the handle of a callback
  // whose error was reported (with whatever its callback holds: a failed task's report waits too).
  // The collector finalizes them in the order they were made: tasks by their number.
  struct CyclicGarbage {
    std::string text, line;  // a log entry
    std::uint64_t order = 0;
    Ref<RefCounted> held;    // or an object
  };
  std::vector<CyclicGarbage> cyclic_garbage;
  // Every class the program made: a class and its methods refer to each other (the method's class
  // for super()), a cycle CPython's collector frees; clear_classes() breaks them once the program ended.
  std::vector<Ref<TypeObj>> classes;
  void clear_classes();
  bool collecting = false;
  void collect_cyclic_garbage();
  bool finished = false;
  bool exit_without_exception_ = false;  // SystemExit with a non-zero status  // after shutdown: diagnostics are no longer recorded
  std::unique_ptr<Frame> source_frame_;
  // The exceptions being handled by except clauses, innermost last, each with the task handling it
  // (null outside tasks): what sys.exc_info() sees is the innermost of the running task's, as each
  // of CPython's coroutines has its own exc_info.
  std::vector<std::pair<const void*, std::exception_ptr>> handled_;
  static const void* running_task() {
    asyncio::EventLoop* loop = asyncio::running_loop();
    return loop ? loop->current_task() : nullptr;
  }
  void handle(const std::exception_ptr& ep) { handled_.emplace_back(running_task(), ep); }
  void unhandle(const std::exception_ptr& ep) {
    for (auto it = handled_.rbegin(); it != handled_.rend(); ++it)
      if (it->second == ep) {
        handled_.erase(std::next(it).base());
        return;
      }
  }
  std::exception_ptr handled() const {  // null when none is
    const void* task = running_task();
    for (auto it = handled_.rbegin(); it != handled_.rend(); ++it)
      if (it->first == task) return it->second;
    return nullptr;
  }
  std::string partial_line, partial_err_line;  // stdout's and stderr's line not yet ended
  std::set<std::string> interned;
  // --- recursion (spec/language.md, "Limits") ---
  // The depth CPython's recursion counter would have here (Py_EnterRecursiveCall, Python/ceval.c):
  // call_depth (the module, each running function, generator, builtin and nested repr/comparison)
  // plus, in a task, the task's step and the coroutines its chain of awaits is running.
  int depth();
  // One level more, or RecursionError "maximum recursion depth exceeded<where>" past the limit or
  // when the C++ stack is nearly full.
  void enter_recursive_call(const char* where);
  [[noreturn]] void stack_full();  // RecursionError: the C++ stack is nearly full before the limit
  // The counter a coroutine's frame adds to: the current task's (kept alive by `owner`: the frame
  // may end in another task, or after its own task is gone), or call_depth outside tasks.
  int& coro_depth(Ref<FutureExtras>& owner);
  int call_depth = 1;  // the module's frame
  int recursion_limit;

  CoroObj* hand_driver = nullptr;  // the coroutine a send() or throw() is running, if any
  asyncio::TaskBase* hand_task = nullptr;  // the task that called it (null: none)
 private:
  void count_output(std::size_t n);  // the output budget covers stdout and stderr
  friend struct Builtins;
  friend struct Exec;  // eval.cpp: assigns what a `x = yield value` statement receives
  Object call_function(FuncObj* fn, CallArgs& args);
  void bind_args(FuncObj* fn, CallArgs& args, Frame& f);
  asyncio::Coro<Object> run_coroutine(Ref<FuncObj> fn, std::unique_ptr<Frame> frame);
  // Generators (objects/generator.cpp).
  Object call_generator(FuncObj* fn, CallArgs& args);
  asyncio::Coro<Object> run_generator(Ref<FuncObj> fn, std::unique_ptr<Frame> frame);
  asyncio::Coro<Object> run_genexp(const scenario::Comp& c, std::unique_ptr<Frame> frame,
                                   std::vector<Ref<CellObj>> closure, Object first);
  // `yield from src` in generator g, or (g null) awaiting the iterator an __await__ returned: what it
  // yields goes out of the coroutine to its driver (CoroYield).
  asyncio::Coro<Object> yield_from(GenObj* g, Object src);
  // Asynchronous iteration (eval.cpp): __aiter__(), and awaiting __anext__() (false at the end).
  Object aiter(const Object& src);
  asyncio::Coro<bool> anext_a(const Object& ait, Object& out);
  Object comp_iter(const scenario::Comprehension& g, const Object& src);  // a clause's iterator
  asyncio::Coro<Object> run_comp_a(const scenario::Comp& c, Frame& cf, Object first, Object out);
  Object make_function(const scenario::FunctionDef* def, Frame& f, std::vector<Object> defaults,
                       std::vector<Object> kwdefaults);
  Object make_lambda(const scenario::Lambda* l, Frame& f);
  std::vector<Ref<CellObj>> capture(const scenario::Scope* s, Frame& f);
  Object load_name(const scenario::Name& n, Frame& f);
  void store_name(const scenario::Name& n, Frame& f, Object v);
  void delete_name(const scenario::Name& n, Frame& f);
  void assign(const Expr* target, Frame& f, Object v);
  void assign_to(const Expr* target, Frame& f, Object v);  // a target other than a name
  [[noreturn]] void traceback_stmt(Frame& f, const Stmt* s);  // traceback_at the statement's failing part
  void unpack(const scenario::Sequence& t, Frame& f, const Object& v);
  Object eval_call(const scenario::Call& c, Frame& f);
  void push_arg(CallArgs& a, const Expr* e, Object v);
  Object eval_comp(const scenario::Comp& c, Frame& f);
  Object make_genexp(const scenario::Comp& c, Frame& f, Object first);
  void comp_loop(const scenario::Comp& c, std::size_t gi, Frame& cf, Object& out);
  Object eval_fstring(const scenario::JoinedStr& j, Frame& f);
  Object make_slice(const scenario::Slice& s, Frame& f);
  Object build_class(const scenario::ClassDef& c, Frame& f);
  Object decorate(const std::vector<Object>& decorators, Object v);  // applied innermost first
  Flow exec_try(const scenario::Try& t, Frame& f);
  Flow exec_with(const scenario::With& w, Frame& f);
  // match statements (match.cpp): whether case `c` matches `subject`, its captures then stored.
  using Binding = std::pair<const scenario::Name*, Object>;
  bool match_case(const scenario::MatchCase& c, const Object& subject, Frame& f);
  bool match_pattern(const scenario::Pattern* p, const Object& subject, Frame& f, std::vector<Binding>& binds);
  Object match_class_attr(const Object& subject, const TypeObj& cls, std::string_view name, std::vector<std::string_view>& seen);
  bool exception_matches(const Object& exc, const Object& spec);
  [[noreturn]] void do_raise(const scenario::Raise& r, Frame& f, Object exc, Object cause);
  Object call_method(const Object& o, std::string_view name, std::vector<Object> args);
  void setup_builtins();
  void setup_types();
  void setup_exception_types();

  friend struct ExcObj;
  // Core exceptions already converted, so one C++ exception is one Python object (identity).
  std::unordered_map<const void*, ExcObj*> converted_;  // weak: ExcObj's destructor removes itself
  std::map<std::string, Ref<TypeObj>, std::less<>> native_types_;

 public:
  std::vector<std::uint32_t> global_order_;
  std::map<const asyncio::EventLoop*, Object> loop_handlers;  // set_exception_handler's Python handlers
  Object loop_factory;  // Runner(loop_factory=...) being initialised
  std::string_view source;
  asyncio::EventLoopPtr clock_loop_;  // the loop whose clock the process clock follows
  asyncio::Nanos clock_mark_ = 0;     // its clock when it started being followed  // globals in first-assignment order (shutdown clears them so)
};

// warnings.warn_explicit (modules/warnings.cpp): `message` is the Warning instance, `module` the
// name the filters match; shown, recorded, ignored or raised as the filters say.
void warn_explicit(Interp& ip, const Object& message, const Ref<TypeObj>& category, const std::string& filename,
                   std::uint32_t lineno, std::string_view module, bool can_raise);
// One level of recursion for the scope of the object (see Interp::enter_recursive_call).
struct RecursiveCall {
  Interp& ip;
  explicit RecursiveCall(Interp& i, const char* where = "") : ip(i) { ip.enter_recursive_call(where); }
  ~RecursiveCall() { --ip.call_depth; }
  RecursiveCall(const RecursiveCall&) = delete;
  RecursiveCall& operator=(const RecursiveCall&) = delete;
};
inline constexpr const char* kInRepr = " while getting the repr of an object";
inline constexpr const char* kInComparison = " in comparison";
inline constexpr const char* kInCall = " while calling a Python object";
// A frame of CPython 3.11.7's Lib/ that a native function of the interpreter stands for: the line
// CPython's traceback shows there, as it is in the file, and the span its carets mark.
struct LibFrame {
  const char* file;  // under Lib/
  std::uint32_t line;
  const char* name;
  const char* source;
  std::uint32_t col, end_col;
  TbEntry entry() const { return TbEntry{name, line, col, line, end_col, this, nullptr}; }
};

// The frames of CPython's Lib/ that tracebacks show for asyncio.run and friends (traceback.cpp).
extern const LibFrame kRunnersRun, kRunnerRun, kRunUntilComplete, kTaskGroupAexit, kHandleRun;

std::string join(const std::vector<std::string>& pieces);
// An exception's __traceback__ (None, or the traceback object of its outermost entry), and
// with_traceback()'s and `__traceback__ =`'s assignment (TypeError unless a traceback or None).
Object traceback_object(Interp& ip, ExcObj& e);
void set_traceback(Interp& ip, ExcObj& e, const Object& tb);

// The interpreter whose program is running on this thread (warning and log sinks are global).
Interp* current_interp();

// Python's float repr (shortest round trip).
std::string float_repr(double d);
std::string int_to_str(std::int64_t v);
std::string str_repr(std::string_view s);  // repr() of a str
std::string ascii_escape(std::string_view s);  // ascii(): non-ASCII code points as \x, \u, \U escapes

// Attribute tables of builtin types (objects/).
Object str_method(Interp& ip, const Object& self, std::string_view name);
Object list_method(Interp& ip, const Object& self, std::string_view name);
Object dict_method(Interp& ip, const Object& self, std::string_view name);
Object set_method(Interp& ip, const Object& self, std::string_view name);
Object tuple_method(Interp& ip, const Object& self, std::string_view name);
void install_builtins(Interp& ip);  // modules/builtins.cpp
// namedtuple classes (modules/collections.cpp): a tuple whose ListObj::cls is one of them.
Object make_namedtuple(Interp& ip, std::string name, const std::vector<std::string>& fields, std::string module);
std::string namedtuple_repr(Interp& ip, const Object& tuple);
Object namedtuple_attr(Interp& ip, const Object& tuple, std::string_view name);
// defaultdict, Counter and OrderedDict are dicts whose DictObj::cls is theirs (modules/collections.cpp).
std::string dict_subclass_repr(Interp& ip, const Object& dict);
Object dict_subclass_attr(Interp& ip, const Object& dict, std::string_view name);  // Null: dict's own
Object dict_missing(Interp& ip, const Object& dict, const Object& key);           // __missing__
int dict_subclass_eq(Interp& ip, const Object& a, const Object& b);               // -1: as dicts
Object counter_binop(Interp& ip, scenario::BinOpKind op, const Object& a, const Object& b);  // Null: none
// asyncio's locks, queues, TaskGroup and timeouts (modules/asyncio_sync.cpp).
void install_sync_bindings(Interp& ip, std::map<std::string, Object, std::less<>>& attrs);
Object future_method(Interp& ip, const Object& self, std::string_view name);
// BaseExceptionGroup's split, subgroup and derive (Null for other names), and any exception's add_note (objects/exceptions.cpp).
Object exc_group_method(Interp& ip, const Object& self, std::string_view name);
Object exc_add_note(Interp& ip, const Object& self);
// A future's attributes: those a program set (the instance dict), then future_method's.
Object future_getattr(Interp& ip, const Object& self, std::string_view name);
void future_setattr(Interp& ip, const Object& self, std::string_view name, Object v);  // v Null: del
FutureExtras* extras_of(const asyncio::FutureBase& f);  // null until something is attached
FutureExtras& extras_for(asyncio::FutureBase& f);       // attached on first use
Object future_iter(Interp& ip, Object fut);
// A coroutine's send, throw, close and cr_running (objects/coroutine.cpp); Null for other names.
inline constexpr const char* kHandDrivenWait =
    "a coroutine driven by send() awaiting what only a task can wait on (asyncio.sleep, a task, a lock, ...)";
Object coro_method(Interp& ip, const Object& self, std::string_view name);  // Future.__await__() / __iter__(): a _asyncio.FutureIter
Object loop_method(Interp& ip, const Object& self, std::string_view name);
Object handle_method(Interp& ip, const Object& self, std::string_view name);
std::string future_repr(Interp& ip, asyncio::FutureBase& f);
std::string handle_repr(Interp& ip, asyncio::HandleState& h);
// `%` formatting of a str, or of a bytes (`bytes`: %s and %b take bytes-like objects, %r and %a give ascii()).
std::string percent_format(Interp& ip, std::string_view fmt, const Object& args, bool bytes = false);
std::string str_format(Interp& ip, std::string_view fmt, CallArgs& args);

// A module object (modules/: one file per module, listed in aiospec/scenario/modules.def): its
// attributes by name.
struct ModuleObj final : NativeObj {
  explicit ModuleObj(std::string n) : name(std::move(n)) {}
  std::string name;
  std::map<std::string, Object, std::less<>> attrs;
  bool builtin = false;  // compiled into CPython (modules.def)
  // A class of this module whose instances are native objects of type_name() `cls`, made by `make`.
  void add_class(Interp& ip, const char* cls, BuiltinObj::Fn make, const Ref<TypeObj>& base = nullptr) {
    Ref<TypeObj> t = ip.native_type(cls, base, name);
    t->construct = make;
    attrs[cls] = Object(Tag::Type, t);
  }
  const char* type_name() const override { return "module"; }
  std::string repr(Interp&) override { return "<module '" + name + (builtin ? "' (built-in)>" : "'>"); }
  Object getattr(Interp& ip, const Object&, std::string_view n) override {
    auto it = attrs.find(n);
    if (it != attrs.end()) return it->second;
    if (n == "__name__") return ip.str_obj(name);
    return {};
  }
};

// Helpers shared by the object files.
Ref<TypeObj> new_type(std::string name, Ref<TypeObj> base, std::string module = "");
inline Object str_key(Interp& ip, std::string_view s) { return ip.str_obj(std::string(s)); }
// The qualname of a function, class or genexpr defined in frame `f`.
const char* child_qualname(Interp& ip, Frame& f, std::string_view name);
// Sizes a fresh frame for scope `s`, with the cells of its non-parameter cell variables.
void init_slots(Frame& f, const scenario::Scope* s);
Object make_super(Object cls, Object self);
// C3 linearisation of a class with these bases (TypeError when none exists).
std::vector<TypeObj*> c3_mro(Interp& ip, TypeObj* cls, const std::vector<Ref<TypeObj>>& bases);
void install_descriptors(Interp& ip);
void install_object(Interp& ip);  // NotImplemented (objects/object.cpp)
// object.__init__, object.__setattr__...: unbound, the instance first (Null for other names).
Object object_method(Interp& ip, std::string_view name);  // property, classmethod, staticmethod (objects/descriptors.cpp)
// The descriptors' payloads: the function a classmethod/staticmethod wraps; null for other objects.
const Object* classmethod_func(const Object& o);
const Object* staticmethod_func(const Object& o);
struct PropertyObj;
PropertyObj* as_property(const Object& o);
Object property_get(Interp& ip, PropertyObj& p, const Object& self);
void property_set(Interp& ip, PropertyObj& p, const Object& self, std::string_view name, const Ref<TypeObj>& cls, Object v);
Object snapshot_iter(std::vector<Object> items);  // an iterator over a fixed list
// A lazy iterator of type `type_name` (objects/iterator.cpp): `step` sets the next item, or returns
// false at the end; `repr` replaces the default <name object at 0x...>.
using IterStep = std::function<bool(Interp&, Object&)>;
using IterRepr = std::function<std::string(Interp&)>;
Object lazy_iter(const char* type_name, IterStep step, IterRepr repr = {});
void py_sort(Interp& ip, std::vector<Object>& v, const Object& key, bool reverse);  // list.sort
void dict_update(Interp& ip, DictObj& d, CallArgs& a);
Object build_set(Interp& ip, CallArgs& a, const char* name, bool frozen);

// bytes, bytearray and memoryview (objects/bytes.cpp, bytearray.cpp, memoryview.cpp).
bool is_buffer(const Object& o);  // bytes-like: bytes, bytearray, memoryview
std::string buffer_bytes(Interp& ip, const Object& o);  // a bytes-like object's bytes (a copy)
std::int64_t byte_value(Interp& ip, const Object& o);  // an int in range(0, 256)
Object bytes_construct(Interp& ip, Tag t, CallArgs& a);  // bytes(...) and bytearray(...)
Object bytes_getitem(Interp& ip, const Object& o, const Object& key);  // bytes and bytearray
bool bytes_contains(Interp& ip, const std::string& s, const Object& x);
Object bytes_binop(Interp& ip, scenario::BinOpKind op, const Object& a, const Object& b);  // Null: not a bytes operation
Object bytes_method(Interp& ip, const Object& self, std::string_view name);
Object bytes_type_attr(Interp& ip, const Object& type, std::string_view name);  // bytes.fromhex...
std::string bytes_hex(Interp& ip, std::string_view s, const Object& sep, std::int64_t per);
Object bytearray_method(Interp& ip, const Object& self, std::string_view name);
void bytearray_setitem(Interp& ip, const Object& o, const Object& key, const Object& v);
void bytearray_delitem(Interp& ip, const Object& o, const Object& key);
Object bytearray_inplace(Interp& ip, scenario::BinOpKind op, const Object& cur, const Object& v);  // += and *=
Object memoryview_construct(Interp& ip, CallArgs& a);
std::string memoryview_bytes(Interp& ip, MemoryViewObj& m);
std::int64_t memoryview_len(Interp& ip, const Object& o);
std::string memoryview_repr(const Object& o);
Object memoryview_getitem(Interp& ip, const Object& o, const Object& key);
void memoryview_setitem(Interp& ip, const Object& o, const Object& key, const Object& v);
std::uint64_t memoryview_hash(Interp& ip, const Object& o);
Object memoryview_method(Interp& ip, const Object& self, std::string_view name);
// PySlice_GetIndicesEx: a slice's start, stop and step over a sequence of `len` items; returns how many it selects.
std::int64_t slice_indices(Interp& ip, SliceObj& s, std::int64_t len, std::int64_t& start, std::int64_t& stop, std::int64_t& step);
// The codecs (modules/codecs.cpp): `encoding` and `errors` are Null when not given; `fname` names
// the function in argument errors. Decoding gives UTF-8; `obj` is the bytes in UnicodeDecodeError.
std::string codec_decode(Interp& ip, std::string_view s, const Object& obj, const Object& encoding, const Object& errors, const char* fname);
std::string codec_encode(Interp& ip, const Object& str, const Object& encoding, const Object& errors, const char* fname);
std::string unicode_error_str(Interp& ip, ExcObj& e);  // str() of UnicodeDecodeError/UnicodeEncodeError; "" when malformed
Object int_method(Interp& ip, const Object& self, std::string_view name);  // int.to_bytes... (objects/int.cpp)
Object int_type_attr(Interp& ip, std::string_view name);                   // int.from_bytes

// The int, str or float an instance of a class deriving from that builtin type stands for (an IntEnum
// or StrEnum member, modules/enum.cpp); `o` itself for any other object.
Object builtin_value(Interp& ip, const Object& o);

// Argument helpers for builtins.
void check_args(Interp& ip, const char* name, CallArgs& a, std::size_t min, std::size_t max);
Object arg_or(CallArgs& a, std::size_t i, std::string_view kw, Object dflt);

inline void Interp::step() {
  const std::uint64_t n = steps + 1;
  if (aborting || n > opts.max_steps || (n & 1023) == 0 ||
      (opts.max_memory_bytes && thread_memory_in_use() > static_cast<std::int64_t>(opts.max_memory_bytes))) [[unlikely]]
    return step_checked();
  steps = n;
  program_clock->advance(static_cast<asyncio::Nanos>(opts.step_nanos));
}

}  // namespace aiospec::interp
