// Tracebacks: recording them as an exception propagates (Python/traceback.c's PyTraceBack_Here),
// and printing them as CPython 3.11 does (Lib/traceback.py: StackSummary.format,
// TracebackException.format; the interpreter's own printer in Python/traceback.c and pythonrun.c
// prints the same text).
#include <fmt/format.h>

#include <set>

#include "aiospec/scenario/lexer.hpp"
#include "interp.hpp"
#include "modules/textwrap.hpp"

namespace aiospec::interp {

namespace {

// A source line as linecache.getline gives it: with its newline (one is added at the end of a file).
std::string source_line_of(std::string_view src, std::uint32_t line) {
  std::size_t pos = 0;
  for (std::uint32_t l = 1; l < line; ++l) {
    pos = src.find('\n', pos);
    if (pos == std::string_view::npos) return "";
    ++pos;
  }
  if (pos >= src.size()) return "";
  const std::size_t nl = src.find('\n', pos);
  return std::string(src.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos)) + "\n";
}

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::u32string strip(std::u32string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::u32string(s.substr(b, e - b));
}

// unicodedata.east_asian_width(c) in "WF" (_WIDE_CHAR_SPECIFIERS): the wide and fullwidth blocks.
bool wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

// _display_width(line, offset)
std::size_t display_width(std::u32string_view line, std::size_t offset) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < offset && i < line.size(); ++i) w += wide(line[i]) ? 2 : 1;
  return w;
}

// A span's BinOp or Subscript, relative to the segment (character offsets): what
// _extract_caret_anchors_from_line_segment finds when it parses the segment.
struct Anchors {
  std::size_t left = 0, right = 0;
};

// _byte_offset_to_character_offset over the segment's UTF-8: `bytes` counted in characters, a cut
// character counting as the one replacement character.
std::size_t normalize(const std::string& utf8, std::size_t bytes) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < bytes && i < utf8.size(); ++i) n += (static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80;
  return n;
}

std::size_t to_bytes(std::u32string_view seg, std::size_t chars) { return textwrap::utf8(seg.substr(0, std::min(chars, seg.size()))).size(); }

bool anchors_of(const scenario::Expr* e, std::u32string_view seg, std::uint32_t seg_col, Anchors& out) {
  using scenario::ExprKind;
  if (!e || !e->end_line) return false;
  const std::string utf8 = textwrap::utf8(seg);
  auto rel = [&](std::uint32_t col) { return to_bytes(seg, col - seg_col); };  // a column as a byte offset in the segment
  if (e->kind == ExprKind::BinOp) {
    const auto& b = e->as<scenario::BinOp>();
    if (b.left->end_line != e->line || b.right->line != e->line) return false;
    const std::size_t left_end = rel(b.left->end_col), right_start = rel(b.right->col - 1);
    const std::size_t op_start = normalize(utf8, left_end), op_end = normalize(utf8, right_start);
    const std::u32string_view op = seg.substr(op_start, op_end - op_start);
    std::size_t lead = 0;
    while (lead < op.size() && is_space(op[lead])) ++lead;
    std::size_t left = left_end + lead, right = left + 1;
    if (lead + 1 < op.size() && !is_space(op[lead + 1])) ++right;
    while (left < seg.size() && (is_space(seg[left]) || seg[left] == ')' || seg[left] == '#')) {
      ++left;
      ++right;
    }
    out = {normalize(utf8, left), normalize(utf8, right)};
    return true;
  }
  if (e->kind == ExprKind::Subscript) {
    const auto& s = e->as<scenario::Subscript>();
    if (!s.slice->end_line || s.value->end_line != e->line || s.slice->end_line != e->line) return false;
    std::size_t left = normalize(utf8, rel(s.value->end_col)), right = normalize(utf8, rel(s.slice->end_col) + 1);
    while (left < seg.size() && seg[left] != '[') ++left;
    while (right < seg.size() && seg[right] != ']') ++right;
    if (right < seg.size()) ++right;
    out = {left, right};
    return true;
  }
  return false;
}

}  // namespace

// --- recording -------------------------------------------------------------------------------------

void Interp::traceback_here(Frame& f, TbEntry entry) {
  std::exception_ptr ep = std::current_exception();
  ExcObj* held = nullptr;
  try {
    throw;
  } catch (const PyExcHolder& h) {
    held = h.obj.get();
  } catch (...) {
  }
  if (held && held->tb_frame == &f) std::rethrow_exception(ep);
  Ref<ExcObj> e = held ? Ref<ExcObj>(held) : to_python(ep);  // to_python rethrows Abort
  if (std::exception_ptr h = e->tb.empty() && e->context.null() ? handled() : nullptr) {
    // Raised while another is handled: that one is its __context__ (_PyErr_SetObject), a cycle
    // through the new one cut.
    Object ctx = exc_object(h);
    if (ctx.as<ExcObj>() != e.get()) {
      for (ExcObj* o = ctx.as<ExcObj>(); o->context.is(Tag::Exc); o = o->context.as<ExcObj>())
        if (o->context.as<ExcObj>() == e.get()) {
          o->context = Object();
          break;
        }
      e->context = ctx;
    }
  }
  if (e->tb_frame != &f) {
    e->tb.push_back(entry);
    e->tb_frame = &f;
  }
  // A core exception travels on as the object that carries its traceback.
  std::rethrow_exception(held ? ep : holder_of(e));
}

void Interp::traceback_lib(std::initializer_list<const LibFrame*> frames) {
  std::exception_ptr ep = std::current_exception();
  Ref<ExcObj> e = to_python(ep);
  for (const LibFrame* l : frames) e->tb.push_back(l->entry());
  e->tb_frame = nullptr;
  try {
    throw;
  } catch (const PyExcHolder&) {
    throw;
  } catch (...) {
  }
  std::rethrow_exception(holder_of(e));
}

// --- printing --------------------------------------------------------------------------------------

namespace {

}  // namespace

std::vector<std::string> Interp::format_tb(const std::vector<TbEntry>& tb) {
  // StackSummary.format and format_frame_summary, outermost frame first: a string per frame.
  std::vector<std::string> pieces;
  std::string last_file;
  std::uint32_t last_line = 0;
  std::string_view last_name;
  int count = 0;
  bool first = true;
  auto repeated = [&] {
    if (count > 3) pieces.push_back(fmt::format("  [Previous line repeated {} more time{}]\n", count - 3, count - 3 > 1 ? "s" : ""));
  };
  for (auto it = tb.rbegin(); it != tb.rend(); ++it) {
    const TbEntry& t = *it;
    std::string file = t.lib ? opts.stdlib_dir + "/" + t.lib->file : mod.filename;
    if (first || file != last_file || t.line != last_line || t.name != last_name) {
      repeated();
      last_file = file;
      last_line = t.line;
      last_name = t.name;
      count = 0;
      first = false;
    }
    if (++count > 3) continue;
    std::string& out = pieces.emplace_back();
    out += fmt::format("  File \"{}\", line {}, in {}\n", file, t.line, t.name);
    const std::string raw = t.lib ? std::string(t.lib->source) + "\n" : source_line_of(source, t.line);
    const std::u32string line = textwrap::utf32(raw), stripped = strip(line);
    if (stripped.empty()) continue;
    out += "    " + textwrap::utf8(stripped) + "\n";
    if (!t.end_line) continue;
    const std::size_t stripped_chars = line.size() - stripped.size();
    std::size_t start = std::min<std::size_t>(t.col, line.size()), end = std::min<std::size_t>(t.end_col, line.size());
    Anchors a;
    if (t.line == t.end_line) {
      end = std::max(end, start);
    } else {
      // Several lines: the carets go to the end of the first (format_frame_summary).
      std::size_t e = line.size();
      while (e > 0 && is_space(line[e - 1])) --e;
      end = std::max(e, start);
    }
    const std::u32string_view seg = std::u32string_view(line).substr(start, end - start);
    const bool anchored = t.line == t.end_line && anchors_of(t.expr, seg, t.col, a);
    if (end - start < stripped.size() || (anchored && a.right > a.left)) {
      const std::size_t dp_start = display_width(line, start) + 1, dp_end = display_width(line, end) + 1;
      out += "    " + std::string(dp_start - stripped_chars, ' ');
      if (anchored) {
        const std::size_t l = display_width(seg, a.left), r = display_width(seg, a.right);
        out += std::string(l, '~') + std::string(r - l, '^') + std::string(dp_end - dp_start - r, '~');
      } else {
        out += std::string(dp_end - dp_start, '^');
      }
      out += "\n";
    }
  }
  repeated();
  return pieces;
}

namespace {

// traceback.py's _ExceptionPrintContext.
struct PrintContext {
  std::set<const ExcObj*> seen;
  std::size_t depth = 0;
  bool need_close = false;
  std::string indent() const { return std::string(2 * depth, ' '); }
  // emit(): each line of `text` after the indent and, inside a group, the margin.
  void emit(std::vector<std::string>& pieces, std::string_view text, char margin = '|') const {
    std::string prefix = indent();
    if (depth) prefix += std::string(1, margin) + " ";
    std::string& out = pieces.emplace_back();
    for (std::size_t start = 0; start < text.size();) {
      std::size_t nl = text.find('\n', start);
      nl = nl == std::string_view::npos ? text.size() : nl + 1;
      out += prefix;
      out += text.substr(start, nl - start);
      start = nl;
    }
  }
  void emit(std::vector<std::string>& pieces, const std::vector<std::string>& texts) const {
    for (const std::string& t : texts) emit(pieces, t);
  }
};

ExcObj* chained(const Object& o, const PrintContext& ctx) {
  return o.is(Tag::Exc) && !ctx.seen.count(o.as<ExcObj>()) ? o.as<ExcObj>() : nullptr;
}

void format_into(Interp& ip, ExcObj& top, bool chain, PrintContext& ctx, std::vector<std::string>& out) {
  // TracebackException.format
  constexpr std::size_t kMaxGroupWidth = 15, kMaxGroupDepth = 10;
  std::vector<std::pair<const char*, ExcObj*>> output;
  ExcObj* exc = &top;
  ctx.seen.insert(exc);
  while (exc) {
    const char* msg = nullptr;
    ExcObj* next = nullptr;
    if (chain) {
      if ((next = chained(exc->cause, ctx))) {
        msg = "\nThe above exception was the direct cause of the following exception:\n\n";
      } else if (!exc->suppress_context && (next = chained(exc->context, ctx))) {
        msg = "\nDuring handling of the above exception, another exception occurred:\n\n";
      }
    }
    output.emplace_back(msg, exc);
    if (next) ctx.seen.insert(next);
    exc = next;
  }
  auto only = [&](ExcObj& e) {
    std::vector<std::string> lines = ip.exc_lines(e);
    for (std::string& l : lines) l += "\n";
    return lines;
  };
  for (auto it = output.rbegin(); it != output.rend(); ++it) {
    ExcObj& e = *it->second;
    if (it->first) ctx.emit(out, it->first);
    if (!e.cls->subclass_of(ip.T.BaseExceptionGroup.get())) {
      if (!e.tb.empty()) {
        ctx.emit(out, "Traceback (most recent call last):\n");
        ctx.emit(out, ip.format_tb(e.tb));
      }
      ctx.emit(out, only(e));
      continue;
    }
    if (ctx.depth > kMaxGroupDepth) {
      ctx.emit(out, fmt::format("... (max_group_depth is {})\n", kMaxGroupDepth));
      continue;
    }
    const bool toplevel = ctx.depth == 0;
    if (toplevel) ++ctx.depth;
    if (!e.tb.empty()) {
      ctx.emit(out, "Exception Group Traceback (most recent call last):\n", toplevel ? '+' : '|');
      ctx.emit(out, ip.format_tb(e.tb));
    }
    ctx.emit(out, only(e));
    const std::size_t num = e.group.size(), n = num <= kMaxGroupWidth ? num : kMaxGroupWidth + 1;
    ctx.need_close = false;
    for (std::size_t i = 0; i < n; ++i) {
      const bool last = i == n - 1;
      if (last) ctx.need_close = true;
      const bool truncated = i >= kMaxGroupWidth;
      out.push_back(ctx.indent() + (i == 0 ? "+-" : "  ") + fmt::format("+---------------- {} ----------------\n", truncated ? "..." : std::to_string(i + 1)));
      ++ctx.depth;
      if (!truncated) {
        format_into(ip, *e.group[i].as<ExcObj>(), chain, ctx, out);
      } else {
        const std::size_t remaining = num - kMaxGroupWidth;
        ctx.emit(out, fmt::format("and {} more exception{}\n", remaining, remaining > 1 ? "s" : ""));
      }
      if (last && ctx.need_close) {
        out.push_back(ctx.indent() + "+------------------------------------\n");
        ctx.need_close = false;
      }
      --ctx.depth;
    }
    if (toplevel) ctx.depth = 0;
  }
}

}  // namespace

std::vector<std::string> Interp::format_exception(ExcObj& e, bool chain) {
  PrintContext ctx;
  std::vector<std::string> out;
  format_into(*this, e, chain, ctx, out);
  return out;
}

std::string join(const std::vector<std::string>& pieces) {
  std::string out;
  for (const std::string& p : pieces) out += p;
  return out;
}

namespace {

// A traceback object: entry `index` of an exception's traceback (tb_next is the entry inside it).
struct TracebackObj final : NativeObj {
  TracebackObj(Ref<ExcObj> e, std::size_t i) : exc(std::move(e)), index(i) {}
  Ref<ExcObj> exc;
  std::size_t index;
  const char* type_name() const override { return "traceback"; }
  Object getattr(Interp& ip, const Object&, std::string_view name) override {
    if (name == "tb_lineno") return Object::integer(exc->tb[index].line);
    if (name == "tb_next") return index == 0 ? Object::none() : Object(Tag::Native, asyncio::make_ref<TracebackObj>(exc, index - 1));
    if (name == "tb_frame" || name == "tb_lasti") ip.refuse(fmt::format("traceback.{}", name));
    return {};
  }
};

}  // namespace

Object traceback_object(Interp&, ExcObj& e) {
  if (e.tb.empty()) return Object::none();
  return Object(Tag::Native, asyncio::make_ref<TracebackObj>(Ref<ExcObj>(&e), e.tb.size() - 1));
}

void set_traceback(Interp& ip, ExcObj& e, const Object& tb) {
  if (tb.is_none()) {
    e.tb.clear();
    return;
  }
  auto* t = tb.is(Tag::Native) ? dynamic_cast<TracebackObj*>(tb.as<NativeObj>()) : nullptr;
  if (!t) ip.raise(ip.T.TypeError, "__traceback__ must be a traceback or None");
  std::vector<TbEntry> entries(t->exc->tb.begin(), t->exc->tb.begin() + static_cast<std::ptrdiff_t>(t->index) + 1);
  e.tb = std::move(entries);
}

// asyncio.run(), Runner.run() and BaseEventLoop.run_until_complete(): the frames an exception of
// the main coroutine passes in CPython 3.11.7's Lib/asyncio.
const LibFrame kRunnersRun{"asyncio/runners.py", 190, "run", "        return runner.run(main)", 15, 31};
const LibFrame kRunnerRun{"asyncio/runners.py", 118, "run", "            return self._loop.run_until_complete(task)", 19, 54};
const LibFrame kRunUntilComplete{"asyncio/base_events.py", 653, "run_until_complete", "        return future.result()", 15, 30};
const LibFrame kHandleRun{"asyncio/events.py", 80, "_run", "            self._context.run(self._callback, *self._args)", 12, 58};
const LibFrame kTaskGroupAexit{"asyncio/taskgroups.py", 145, "__aexit__", "                raise me from None", 16, 34};

}  // namespace aiospec::interp
