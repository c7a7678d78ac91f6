// The interpreter's Python values.
//
// An Object is a tagged word: None, bool, int (int64) and float live inline; everything else is an
// intrusively refcounted heap object (asyncio::RefCounted). Loop-owned objects are used directly as
// Python objects: a Task or Future object IS the core's FutureBase, a loop IS the EventLoop, a handle
// IS the HandleState, so identity and lifetime are the core's. Freeing follows CPython's refcounting
// closely enough that "never awaited" warnings fire when the last reference goes, as in CPython.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "asyncio/asyncio.hpp"
#include "aiospec/scenario/ast.hpp"

namespace aiospec::interp {

using asyncio::Ref;
using asyncio::RefCounted;

enum class Tag : std::uint8_t {
  Null,  // no value: an unbound variable or a missing argument; never visible to Python code
  None, Bool, Int, Float, Ellipsis,
  Str, List, Tuple, Dict, Set, Range, Slice, Bytes, ByteArray, MemoryView,
  Func, Builtin, Type, Exc, Coro, Cell, Iter, Native,
  Future,  // asyncio::FutureBase (Future, Task, _GatheringFuture, shield's outer future)
  Loop,    // asyncio::EventLoop
  Handle,  // asyncio::HandleState (Handle, TimerHandle)
  Instance,  // an instance of a class defined by the program
};

class Object {
 public:
  Object() noexcept : tag_(Tag::Null), i_(0) {}
  static Object none() noexcept { return Object(Tag::None); }
  static Object boolean(bool b) noexcept {
    Object o(Tag::Bool);
    o.i_ = b;
    return o;
  }
  static Object integer(std::int64_t v) noexcept {
    Object o(Tag::Int);
    o.i_ = v;
    return o;
  }
  static Object real(double v) noexcept {
    Object o(Tag::Float);
    o.f_ = v;
    return o;
  }
  static Object ellipsis() noexcept { return Object(Tag::Ellipsis); }
  // Takes a new reference to `p`.
  Object(Tag t, RefCounted* p) noexcept : tag_(t), p_(p) { p_->add_ref(); }
  template <class T>
  Object(Tag t, const Ref<T>& r) noexcept : Object(t, static_cast<RefCounted*>(r.get())) {}

  Object(const Object& o) noexcept : tag_(o.tag_), i_(o.i_) {
    if (heap()) p_->add_ref();
  }
  Object(Object&& o) noexcept : tag_(o.tag_), i_(o.i_) { o.tag_ = Tag::Null; }
  Object& operator=(const Object& o) noexcept {
    Object t(o);
    swap(t);
    return *this;
  }
  Object& operator=(Object&& o) noexcept {
    Object t(std::move(o));
    swap(t);
    return *this;
  }
  ~Object() {
    // p_ is never null for heap tags; the test keeps g++ 12's -Wnonnull quiet after inlining.
    if (heap() && p_) {
      if (p_->ref_count() > 1)
        p_->release();
      else
        trashcan_release(p_);
    }
  }
  // The last reference's release: nested destruction past a depth is deferred (interp.cpp).
  static void trashcan_release(RefCounted* p) noexcept;
  void swap(Object& o) noexcept {
    std::swap(tag_, o.tag_);
    std::swap(i_, o.i_);
  }

  Tag tag() const noexcept { return tag_; }
  bool heap() const noexcept { return tag_ >= Tag::Str; }
  bool null() const noexcept { return tag_ == Tag::Null; }
  bool is_none() const noexcept { return tag_ == Tag::None; }
  bool is(Tag t) const noexcept { return tag_ == t; }
  std::int64_t i() const noexcept { return i_; }  // Int and Bool
  double f() const noexcept { return f_; }
  RefCounted* ptr() const noexcept { return p_; }
  template <class T>
  T* as() const noexcept { return static_cast<T*>(p_); }
  // Identity (`is`).
  bool same(const Object& o) const noexcept { return tag_ == o.tag_ && i_ == o.i_; }
  std::uint64_t bits() const noexcept { return static_cast<std::uint64_t>(i_); }

 private:
  explicit Object(Tag t) noexcept : tag_(t), i_(0) {}
  Tag tag_;
  union {
    std::int64_t i_;
    double f_;
    RefCounted* p_;
  };
};

template <class T, class... A>
Object make(Tag t, A&&... a) {
  return Object(t, new T(std::forward<A>(a)...));
}

struct StrObj final : RefCounted {
  explicit StrObj(std::string v) : s(std::move(v)) {}
  std::string s;
  std::int64_t length();  // in code points (cached)
  bool ascii();

 private:
  std::int64_t len_ = -1;
};

// hash() of a str: FNV-1a (CPython's is randomised per process, PYTHONHASHSEED).
std::uint64_t str_hash(std::string_view s) noexcept;

// bytes and bytearray: the bytes in a std::string; the tag tells them apart (Bytes is immutable).
struct BytesObj final : RefCounted {
  explicit BytesObj(std::string v) : s(std::move(v)) {}
  std::string s;
  std::int64_t exports = 0;  // bytearray: the memoryviews' buffers over it (it cannot be resized)
};

// What the memoryviews of one object share (CPython's managed buffer); a bytearray's export lasts
// as long as this does.
struct BufferObj final : RefCounted {
  explicit BufferObj(Object o);
  ~BufferObj() override;
  Object obj;  // bytes or bytearray
};

// memoryview: a window (start, step, len) on a buffer, without a copy.
struct MemoryViewObj final : RefCounted {
  Ref<BufferObj> buf;  // null once released
  std::int64_t start = 0, step = 1, len = 0;
  bool readonly = true;
};

struct TypeObj;

struct ListObj final : RefCounted {
  ListObj() = default;
  explicit ListObj(std::vector<Object> items) : v(std::move(items)) {}
  std::vector<Object> v;
  Ref<TypeObj> cls;  // a tuple's class when it is a namedtuple's (modules/collections.cpp)
};
using TupleObj = ListObj;  // same layout; the tag tells them apart

// dict: insertion ordered; lookups through a hash index.
struct DictObj final : RefCounted {
  struct Entry {
    Object key, value;
    std::uint64_t hash;
  };
  std::vector<Entry> entries;  // Null keys are deleted entries
  std::unordered_multimap<std::uint64_t, std::uint32_t> index;
  std::size_t used = 0;
  Ref<TypeObj> cls;  // a dict subclass of collections (defaultdict, Counter, OrderedDict); null for dict
  Object factory;    // defaultdict's default_factory

  Object* find(const Object& key, std::uint64_t h);
  Object* find_str(std::string_view key);  // a str key, without making a str object
  void set(const Object& key, std::uint64_t h, Object value);
  bool erase(const Object& key, std::uint64_t h);
  void clear();
  template <class F>
  void each(F&& f) const {
    for (const auto& e : entries)
      if (!e.key.null()) f(e.key, e.value);
  }
  void compact();
};

// set: CPython's open-addressing table (Objects/setobject.c), so iteration order matches CPython
// for objects whose hash CPython shares (ints, bools, floats, tuples of those). str hashes are
// randomised per process in CPython, so sets of strings have no reproducible order there.
struct SetObj final : RefCounted {
  struct Slot {
    Object key;  // Null: empty (dummy when `dummy`)
    std::uint64_t hash = 0;
    bool dummy = false;
  };
  std::vector<Slot> table = std::vector<Slot>(8);
  std::size_t fill = 0, used = 0;
  std::uint64_t finger = 0;
  bool frozen = false;

  bool contains(const Object& key, std::uint64_t h) const;
  void add(const Object& key, std::uint64_t h);
  bool discard(const Object& key, std::uint64_t h);
  void clear();
  template <class F>
  void each(F&& f) const {
    for (const auto& s : table)
      if (!s.key.null()) f(s.key);
  }

 private:
  void insert_clean(Object key, std::uint64_t h);
  void resize(std::size_t minused);
  long lookup(const Object& key, std::uint64_t h) const;  // slot index or -1
};

struct RangeObj final : RefCounted {
  RangeObj(std::int64_t a, std::int64_t b, std::int64_t c) : start(a), stop(b), step(c) {}
  std::int64_t start, stop, step;
  std::int64_t length() const;
};

struct SliceObj final : RefCounted {
  Object lower, upper, step;
};

struct CellObj final : RefCounted {
  Object v;
};

class Interp;
struct Frame;

// A function or lambda defined by the program.
struct FuncObj final : RefCounted {
  const scenario::Arguments* args = nullptr;
  const scenario::Scope* scope = nullptr;
  const scenario::FunctionDef* def = nullptr;  // null for a lambda
  const scenario::Lambda* lambda = nullptr;
  std::vector<Object> defaults;    // one per posarg (Null: required)
  std::vector<Object> kwdefaults;  // one per kwonly
  std::vector<Ref<CellObj>> closure;
  std::string name;
  const char* qualname = "";  // interned: coroutine objects refer to it
  Object cls;                 // the class a method was defined in (zero-argument super())
  Ref<DictObj> dict;          // attributes set on the function (decorators set them)
  bool is_async = false;
};

struct CallArgs {
  std::vector<Object> pos;
  std::vector<std::pair<std::string_view, Object>> kw;
  Object take_kw(std::string_view name);  // removes and returns it (Null if absent)
};

// A function implemented in C++; `self` is bound for methods, `data` is extra state.
struct BuiltinObj final : RefCounted {
  using Fn = Object (*)(Interp&, BuiltinObj&, CallArgs&);
  BuiltinObj(const char* n, Fn f, Object s = {}, Object d = {}) : name(n), fn(f), self(std::move(s)), data(std::move(d)) {}
  const char* name;
  Fn fn;
  Object self, data;
  std::function<Object(Interp&, CallArgs&)> closure;  // when fn is null
};

// A class: a builtin type, or a class defined by the program (`user`).
struct TypeObj final : RefCounted {
  std::string name;
  std::string qualname;  // user classes ("f.<locals>.C"); builtins use `name`
  std::string module;  // "" for builtins, "asyncio.exceptions", "__main__"…
  Ref<TypeObj> base;   // the first base (builtins: the only one)
  Ref<TypeObj> base2;  // ExceptionGroup is also an Exception
  std::vector<Ref<TypeObj>> bases;  // user classes: every base, in order
  std::vector<TypeObj*> mro;        // user classes: C3 linearisation, this class first, object last
  bool is_exception = false;
  bool user = false;
  bool has_dict = true;  // false when __slots__ leaves instances without a __dict__
  std::vector<std::string> slots;  // this class's __slots__
  Ref<DictObj> ns;  // class body namespace (user classes)
  // The class's metaclass when it is not `type` (enum.EnumType, modules/enum.cpp): a user class whose
  // methods are the class's own operations (calling it, indexing, iterating, len, in, repr, setattr).
  Ref<TypeObj> meta;
  BuiltinObj::Fn construct = nullptr;  // calling the type
  // An abstract base class of collections.abc: whether `cls` is a virtual subclass (isinstance,
  // issubclass), as its __subclasshook__ and registrations decide.
  bool (*subclass_check)(Interp& ip, const TypeObj& abc, const TypeObj& cls) = nullptr;
  int core = 0;  // exceptions: which asyncio:: class carries instances through C++ (see exceptions.cpp)
  // A C type of an extension module (`_asyncio.Task`): CPython's messages name it by its tp_name,
  // module included ("'_asyncio.Task' object has no attribute 'x'"), where `__name__` is "Task".
  bool dotted_tp_name = false;
  std::string tp_name() const { return dotted_tp_name ? module + "." + name : name; }
  bool subclass_of(const TypeObj* other) const {
    if (!mro.empty()) {
      for (const TypeObj* t : mro)
        if (t == other) return true;
      return false;
    }
    for (const TypeObj* t = this; t; t = t->base.get())
      if (t == other || (t->base2 && t->base2->subclass_of(other))) return true;
    return false;
  }
};

// An instance of a user class (exception subclasses' instances are ExcObj).
struct InstanceObj final : RefCounted {
  explicit InstanceObj(Ref<TypeObj> c) : cls(std::move(c)) {}
  Ref<TypeObj> cls;
  Ref<DictObj> dict;  // created on first attribute
};

struct Frame;
struct LibFrame;

// One entry of an exception's traceback (a traceback object of CPython: its frame's code name and
// the position of the instruction the frame was at when the exception passed through it).
struct TbEntry {
  std::string_view name;  // co_name: "f", "<module>", "<lambda>", "<listcomp>"
  std::uint32_t line = 0;  // tb_lineno
  std::uint32_t col = 0, end_line = 0, end_col = 0;  // the span (0-based character columns); end_line 0: none
  const LibFrame* lib = nullptr;  // a frame of CPython's Lib/ (asyncio.run's...); null: the program's
  const scenario::Expr* expr = nullptr;  // the expression failing there, if the span is one (the carets' anchors)
};

// An exception instance.
struct ExcObj final : RefCounted {
  Ref<TypeObj> cls;
  std::vector<Object> args;
  Object cause, context;
  bool suppress_context = false;
  Ref<DictObj> attrs;
  std::vector<Object> group;  // ExceptionGroup members
  std::exception_ptr origin;  // the C++ exception this object was made from, rethrown by `raise`
  // What the traceback keeps alive in CPython: the arguments and locals of the frames the exception
  // left. Coroutines referenced only from there are finalised (and warn) when the exception goes.
  std::vector<Object> traceback_refs;
  std::vector<TbEntry> tb;  // __traceback__, innermost frame first
  const Frame* tb_frame = nullptr;  // the frame whose entry `tb` last gained (PyTraceBack_Here once per frame)
  const void* cache_key = nullptr;  // entry in Interp's conversion cache
  ~ExcObj() override;
};

// A coroutine object: the C++ coroutine running the body, lazily started.
struct CoroObj final : RefCounted {
  CoroObj(asyncio::Coro<Object> c, const char* q) : coro(std::move(c)), qualname(q) {}
  asyncio::Coro<Object> coro;
  const char* qualname;
  bool is_async_def = true;  // a program's `async def` (asyncio.iscoroutinefunction)
  Frame* frame = nullptr;    // an `async def`'s frame (owned by the coroutine): Task reprs show its line
  std::uint32_t def_line = 0;
  // Driven by hand (send(), throw()): where it is suspended, and the value sent in or yielded out.
  std::coroutine_handle<> leaf;
  Object transfer;
  std::exception_ptr thrown;
  bool running = false;
};

// What a Python Future or Task carries beyond the core's FutureBase, as its attachment(): the
// instance dict that _asyncio.Future and _asyncio.Task have (attributes a program sets), and a
// task's coroutine object (Task.get_coro() is the very object given to create_task()) with where
// its body runs, for the task's repr.
struct FutureExtras final : RefCounted {
  Ref<DictObj> dict;
  Object coro;
  Frame* frame = nullptr;  // the `async def`'s frame, owned by the task's coroutine (`running at`)
  std::uint32_t def_line = 0;  // `done, defined at`
  bool blocking = false;  // _asyncio_future_blocking: its __await__ yielded it to a task
  int coro_depth = 0;  // a task's: the coroutine frames its chain of awaits is running (Interp::depth)
};

// An iterator (iter(), and every for loop).
struct IterObj final : RefCounted {
  Object src;
  std::int64_t pos = 0;
  std::vector<Object> items;  // snapshot for dicts, sets, strings and zip/enumerate results
  bool snapshot = false;
};

// Objects implemented in C++ with their own attributes (modules, Runner, Lock, Queue...).
struct NativeObj : RefCounted {
  virtual const char* type_name() const = 0;
  virtual Object getattr(Interp& ip, const Object& self, std::string_view name) = 0;
  virtual std::string repr(Interp&) { return std::string("<") + type_name() + " object>"; }
  virtual std::string str(Interp& ip) { return repr(ip); }
  // The iterator protocol of IterObj over this object: false once exhausted. By default its
  // __next__, which returns Null at the end.
  virtual bool iternext(Interp& ip, const Object& self, Object& out);
  // __get__: what this object, found on class `cls`, is as an attribute of `self` (null: the class
  // itself); Null when it is not a descriptor.
  virtual Object get(Interp&, const Object& /*self*/, const Ref<TypeObj>& /*cls*/) { return {}; }
};

// Python exceptions in C++: one class per asyncio:: base, so the core classifies them (a Python
// CancelledError is an asyncio::CancelledError, an Exception subclass an asyncio::Exception...).
struct PyExcHolder {
  Ref<ExcObj> obj;
};
template <class Base>
class PyException final : public Base, public PyExcHolder {
 public:
  template <class... A>
  explicit PyException(Ref<ExcObj> o, A&&... base_args) : Base(std::forward<A>(base_args)...) {
    obj = std::move(o);
  }
  const char* type_name() const noexcept override { return obj->cls->name.c_str(); }
  const char* module_name() const noexcept override;
  std::string str() const override;
  std::string repr() const override;
};

// Internal stop (budgets, deadlock): never caught by Python code. A SystemExit for the core, so it
// propagates out of callbacks, tasks and the loop (base_events.py: Handle._run lets it through).
class Abort final : public asyncio::SystemExit {
 public:
  explicit Abort(std::string message) : SystemExit(std::move(message)) {}
  const char* type_name() const noexcept override { return "Abort"; }
  const char* module_name() const noexcept override { return "aiospec"; }
};

}  // namespace aiospec::interp
