// The `itertools` module (Modules/itertoolsmodule.c): lazy iterators over the program's iterables.
#include <fmt/format.h>

#include <functional>
#include <memory>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

Object make_it(const char* name, IterStep step) { return lazy_iter(name, std::move(step)); }

bool nx(Interp& ip, const Object& it, Object& out) { return ip.next(*it.as<IterObj>(), out); }

Object call2(Interp& ip, const Object& fn, Object a, Object b) {
  CallArgs c;
  c.pos = {std::move(a), std::move(b)};
  return ip.call(fn, c);
}

void no_kwargs(Interp& ip, CallArgs& a, const char* name) {
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("{}() takes no keyword arguments", name));
}

Object b_count(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object start = arg_or(a, 0, "start", Object::integer(0)), step = arg_or(a, 1, "step", Object::integer(1));
  for (const Object* v : {&start, &step})
    if (!v->is(Tag::Int) && !v->is(Tag::Bool) && !v->is(Tag::Float)) ip.raise(ip.T.TypeError, "a number is required");
  auto cur = std::make_shared<Object>(start);
  return lazy_iter("count", [cur, step](Interp& ip, Object& out) {
    out = *cur;
    *cur = ip.binop(scenario::BinOpKind::Add, *cur, step);
    return true;
  }, [cur, step](Interp& ip) {
    bool unit = step.is(Tag::Int) && step.i() == 1;
    return "count(" + ip.repr(*cur) + (unit ? "" : ", " + ip.repr(step)) + ")";
  });
}

Object b_cycle(Interp& ip, BuiltinObj&, CallArgs& a) {
  no_kwargs(ip, a, "cycle");
  check_args(ip, "cycle", a, 1, 1);
  auto saved = std::make_shared<std::vector<Object>>();
  return make_it("cycle", [it = ip.iter(a.pos[0]), saved, pos = std::size_t(0), first = true](Interp& ip, Object& out) mutable {
    if (first) {
      if (nx(ip, it, out)) {
        saved->push_back(out);
        return true;
      }
      first = false;
    }
    if (saved->empty()) return false;
    out = (*saved)[pos++ % saved->size()];
    return true;
  });
}

Object b_repeat(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object obj = arg_or(a, 0, "object", {}), times = arg_or(a, 1, "times", {});
  if (obj.null()) ip.raise(ip.T.TypeError, "repeat() missing required argument 'object' (pos 1)");
  auto left = std::make_shared<std::int64_t>(times.null() ? -1 : std::max<std::int64_t>(ip.index_arg(times, "repeat"), 0));
  return lazy_iter("repeat", [obj, left](Interp&, Object& out) {
    if (*left == 0) return false;
    if (*left > 0) --*left;
    out = obj;
    return true;
  }, [obj, left](Interp& ip) { return "repeat(" + ip.repr(obj) + (*left < 0 ? "" : ", " + std::to_string(*left)) + ")"; });
}

Object chain_of(Object sources) {
  return make_it("chain", [sources, cur = Object()](Interp& ip, Object& out) mutable {
    for (;;) {
      if (!cur.null() && nx(ip, cur, out)) return true;
      Object next;
      if (!nx(ip, sources, next)) return false;
      cur = ip.iter(next);
    }
  });
}

Object b_accumulate(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object initial = a.take_kw("initial");
  Object func = arg_or(a, 1, "func", Object::none());
  Object src = arg_or(a, 0, "iterable", {});
  if (src.null()) ip.raise(ip.T.TypeError, "accumulate() missing required argument 'iterable' (pos 1)");
  return make_it("accumulate", [it = ip.iter(src), func, total = initial.is_none() ? Object() : initial, pending = !initial.null() && !initial.is_none()](
                                   Interp& ip, Object& out) mutable {
    if (pending) {
      pending = false;
      out = total;
      return true;
    }
    Object v;
    if (!nx(ip, it, v)) return false;
    total = total.null() ? v : func.is_none() ? ip.binop(scenario::BinOpKind::Add, total, v) : call2(ip, func, total, v);
    out = total;
    return true;
  });
}

Object b_compress(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object data = arg_or(a, 0, "data", {}), sel = arg_or(a, 1, "selectors", {});
  if (data.null() || sel.null()) ip.raise(ip.T.TypeError, "compress() missing required argument");
  return make_it("compress", [d = ip.iter(data), s = ip.iter(sel)](Interp& ip, Object& out) {
    Object flag;
    while (nx(ip, d, out) && nx(ip, s, flag))
      if (ip.truthy(flag)) return true;
    return false;
  });
}

// dropwhile, takewhile, filterfalse: a predicate over one iterable.
enum class PredKind { Drop, Take, FilterFalse };
Object predicate_it(Interp& ip, CallArgs& a, const char* name, PredKind kind) {
  no_kwargs(ip, a, name);
  check_args(ip, name, a, 2, 2);
  return make_it(name, [pred = a.pos[0], it = ip.iter(a.pos[1]), kind, dropping = true](Interp& ip, Object& out) mutable {
    while (nx(ip, it, out)) {
      bool t = kind == PredKind::FilterFalse && pred.is_none() ? ip.truthy(out) : ip.truthy(ip.call1(pred, out));
      switch (kind) {
        case PredKind::Drop:
          if (dropping && t) continue;
          dropping = false;
          return true;
        case PredKind::Take: return t;
        case PredKind::FilterFalse:
          if (!t) return true;
          break;
      }
    }
    return false;
  });
}

// groupby: the groups share the underlying iterator; advancing the groupby ends the current group.
struct GroupState {
  Object it, keyfunc, tgtkey, currkey, currvalue;
  int group = 0;  // which group is current
  bool step(Interp& ip) {
    if (!nx(ip, it, currvalue)) return false;
    currkey = keyfunc.is_none() ? currvalue : ip.call1(keyfunc, currvalue);
    return true;
  }
};

Object b_groupby(Interp& ip, BuiltinObj&, CallArgs& a) {
  auto g = std::make_shared<GroupState>();
  Object src = arg_or(a, 0, "iterable", {});
  if (src.null()) ip.raise(ip.T.TypeError, "groupby() missing required argument 'iterable' (pos 1)");
  g->it = ip.iter(src);
  g->keyfunc = arg_or(a, 1, "key", Object::none());
  return make_it("groupby", [g](Interp& ip, Object& out) {
    ++g->group;
    for (;;) {
      if (g->currkey.null()) {
        if (!g->step(ip)) return false;
      } else if (g->tgtkey.null() || !ip.eq(g->tgtkey, g->currkey)) {
        break;
      } else if (!g->step(ip)) {
        return false;
      }
    }
    g->tgtkey = g->currkey;
    Object grouper = make_it("_grouper", [g, mine = g->group](Interp& ip, Object& item) {
      if (g->group != mine) return false;
      if (g->currvalue.null() && !g->step(ip)) return false;
      if (!ip.eq(g->tgtkey, g->currkey)) return false;
      item = g->currvalue;
      g->currvalue = Object();
      g->currkey = Object();
      return true;
    });
    out = ip.tuple_obj({g->currkey, grouper});
    return true;
  });
}

Object b_islice(Interp& ip, BuiltinObj&, CallArgs& a) {
  no_kwargs(ip, a, "islice");
  if (a.pos.size() < 2 || a.pos.size() > 4) check_args(ip, "islice", a, 2, 4);
  auto index = [&](const Object& v, const char* msg, std::int64_t dflt) -> std::int64_t {
    if (v.is_none()) return dflt;
    if ((!v.is(Tag::Int) && !v.is(Tag::Bool)) || v.i() < 0) ip.raise(ip.T.ValueError, msg);
    return v.i();
  };
  constexpr const char* kStop = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
  constexpr const char* kIndex = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
  std::int64_t start = 0, stop, step = 1;
  if (a.pos.size() == 2) {
    stop = index(a.pos[1], kStop, -1);
  } else {
    start = index(a.pos[1], kIndex, 0);
    stop = index(a.pos[2], kIndex, -1);
    if (a.pos.size() == 4) {
      if (!a.pos[3].is_none() && ((!a.pos[3].is(Tag::Int) && !a.pos[3].is(Tag::Bool)) || a.pos[3].i() <= 0))
        ip.raise(ip.T.ValueError, "Step for islice() must be a positive integer or None.");
      step = a.pos[3].is_none() ? 1 : a.pos[3].i();
    }
  }
  // islice_next: the items before `next` are consumed even when `stop` is reached meanwhile.
  return make_it("islice", [it = ip.iter(a.pos[0]), next = start, stop, step, cnt = std::int64_t(0)](Interp& ip, Object& out) mutable {
    if (stop >= 0 && cnt >= stop) return false;
    for (; cnt < next; ++cnt)
      if (!nx(ip, it, out)) return false;
    if (stop >= 0 && cnt >= stop) return false;
    if (!nx(ip, it, out)) return false;
    ++cnt;
    next += step;
    if (stop >= 0 && next > stop) next = stop;
    return true;
  });
}

Object b_starmap(Interp& ip, BuiltinObj&, CallArgs& a) {
  no_kwargs(ip, a, "starmap");
  check_args(ip, "starmap", a, 2, 2);
  return make_it("starmap", [fn = a.pos[0], it = ip.iter(a.pos[1])](Interp& ip, Object& out) {
    Object args;
    if (!nx(ip, it, args)) return false;
    CallArgs c;
    c.pos = ip.to_vector(args);
    out = ip.call(fn, c);
    return true;
  });
}

// tee: the iterators share one buffer of the items some have seen and others not yet.
struct TeeShared {
  Object it;
  std::vector<Object> buf;
  std::size_t base = 0;  // index of buf[0] in the stream
};

Object b_tee(Interp& ip, BuiltinObj&, CallArgs& a) {
  no_kwargs(ip, a, "tee");
  check_args(ip, "tee", a, 1, 2);
  std::int64_t n = a.pos.size() == 2 ? ip.index_arg(a.pos[1], "tee") : 2;
  if (n < 0) ip.raise(ip.T.ValueError, "n must be >= 0");
  auto shared = std::make_shared<TeeShared>();
  shared->it = ip.iter(a.pos[0]);
  std::vector<Object> out;
  for (std::int64_t i = 0; i < n; ++i)
    out.push_back(make_it("_tee", [shared, pos = std::size_t(0)](Interp& ip, Object& item) mutable {
      if (pos - shared->base >= shared->buf.size()) {
        Object v;
        if (!nx(ip, shared->it, v)) return false;
        shared->buf.push_back(v);
      }
      item = shared->buf[pos++ - shared->base];
      return true;
    }));
  return ip.tuple_obj(std::move(out));
}

Object b_zip_longest(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object fill = a.take_kw("fillvalue");
  no_kwargs(ip, a, "zip_longest");
  std::vector<Object> its;
  for (const Object& x : a.pos) its.push_back(ip.iter(x));
  return make_it("zip_longest", [its, fill = fill.null() ? Object::none() : fill, active = a.pos.size()](Interp& ip, Object& out) mutable {
    if (its.empty() || active == 0) return false;
    std::vector<Object> row;
    for (Object& it : its) {
      Object v;
      if (!it.null() && nx(ip, it, v)) {
        row.push_back(v);
        continue;
      }
      if (!it.null()) {
        it = Object();
        if (--active == 0) return false;
      }
      row.push_back(fill);
    }
    out = ip.tuple_obj(std::move(row));
    return true;
  });
}

Object b_pairwise(Interp& ip, BuiltinObj&, CallArgs& a) {
  no_kwargs(ip, a, "pairwise");
  check_args(ip, "pairwise", a, 1, 1);
  return make_it("pairwise", [it = ip.iter(a.pos[0]), prev = Object()](Interp& ip, Object& out) mutable {
    if (prev.null() && !nx(ip, it, prev)) return false;
    Object v;
    if (!nx(ip, it, v)) return false;
    out = ip.tuple_obj({prev, v});
    prev = v;
    return true;
  });
}

// product, permutations, combinations, combinations_with_replacement: index vectors advanced as in
// the C implementation, over the pools collected up front.
Object indices_it(const char* name, std::vector<Object> pool, std::function<bool(std::vector<std::size_t>&)> advance,
                  std::vector<std::size_t> first, bool empty) {
  return make_it(name, [pool = std::move(pool), idx = std::move(first), advance = std::move(advance), started = false, empty](
                           Interp& ip, Object& out) mutable {
    if (empty) return false;
    if (started && !advance(idx)) {
      empty = true;
      return false;
    }
    started = true;
    std::vector<Object> row;
    for (std::size_t i : idx) row.push_back(pool[i]);
    out = ip.tuple_obj(std::move(row));
    return true;
  });
}

std::int64_t r_arg(Interp& ip, const Object& v, std::int64_t dflt) {
  if (v.null() || v.is_none()) return dflt;
  std::int64_t r = ip.index_arg(v, "r");
  if (r < 0) ip.raise(ip.T.ValueError, "r must be non-negative");
  return r;
}

Object b_product(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object rep = a.take_kw("repeat");
  no_kwargs(ip, a, "product");
  std::int64_t repeat = rep.null() ? 1 : ip.index_arg(rep, "repeat");
  if (repeat < 0) ip.raise(ip.T.ValueError, "repeat argument cannot be negative");
  std::vector<std::vector<Object>> pools;
  for (const Object& x : a.pos) pools.push_back(ip.to_vector(x));
  std::vector<Object> flat;
  std::vector<std::size_t> offset, size;
  for (std::int64_t k = 0; k < repeat; ++k)
    for (auto& p : pools) {
      offset.push_back(flat.size());
      size.push_back(p.size());
      flat.insert(flat.end(), p.begin(), p.end());
    }
  bool empty = std::find(size.begin(), size.end(), 0u) != size.end();
  std::vector<std::size_t> idx(offset);
  auto advance = [offset, size](std::vector<std::size_t>& idx) {
    for (std::size_t i = idx.size(); i-- > 0;) {
      if (++idx[i] < offset[i] + size[i]) return true;
      idx[i] = offset[i];
    }
    return false;
  };
  return indices_it("product", std::move(flat), advance, std::move(idx), empty);
}

Object combinations_of(Interp& ip, CallArgs& a, const char* name, bool replace) {
  Object src = arg_or(a, 0, "iterable", {}), rv = arg_or(a, 1, "r", {});
  if (src.null() || rv.null()) ip.raise(ip.T.TypeError, fmt::format("{}() missing required argument", name));
  std::vector<Object> pool = ip.to_vector(src);
  std::size_t n = pool.size(), r = static_cast<std::size_t>(r_arg(ip, rv, 0));
  std::vector<std::size_t> idx(r);
  for (std::size_t i = 0; i < r; ++i) idx[i] = replace ? 0 : i;
  auto advance = [n, r, replace](std::vector<std::size_t>& idx) {
    std::size_t i = r;
    do {
      if (i == 0) return false;
      --i;
    } while (idx[i] == (replace ? n - 1 : i + n - r));
    std::size_t v = idx[i] + 1;
    for (std::size_t j = i; j < r; ++j) idx[j] = replace ? v : v + (j - i);
    return true;
  };
  return indices_it(name, std::move(pool), advance, std::move(idx), replace ? (n == 0 && r > 0) : r > n);
}

Object b_permutations(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object src = arg_or(a, 0, "iterable", {}), rv = arg_or(a, 1, "r", Object::none());
  if (src.null()) ip.raise(ip.T.TypeError, "permutations() missing required argument 'iterable' (pos 1)");
  std::vector<Object> pool = ip.to_vector(src);
  std::size_t n = pool.size(), r = static_cast<std::size_t>(r_arg(ip, rv, static_cast<std::int64_t>(n)));
  // itertools.permutations' rough equivalent in the docs: `indices` and `cycles`.
  auto indices = std::make_shared<std::vector<std::size_t>>(n);
  for (std::size_t i = 0; i < n; ++i) (*indices)[i] = i;
  auto cycles = std::make_shared<std::vector<std::size_t>>();
  for (std::size_t i = 0; i < r; ++i) cycles->push_back(n - i);
  std::vector<std::size_t> first(indices->begin(), indices->begin() + std::min(r, n));
  auto advance = [indices, cycles, n, r](std::vector<std::size_t>& idx) {
    auto& ind = *indices;
    auto& cyc = *cycles;
    for (std::size_t i = r; i-- > 0;) {
      if (--cyc[i] == 0) {
        std::rotate(ind.begin() + i, ind.begin() + i + 1, ind.end());
        cyc[i] = n - i;
      } else {
        std::swap(ind[i], ind[n - cyc[i]]);
        idx.assign(ind.begin(), ind.begin() + r);
        return true;
      }
    }
    return false;
  };
  return indices_it("permutations", std::move(pool), advance, std::move(first), r > n);
}

}  // namespace

Object module_itertools(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("itertools");
  auto& A = m->attrs;
  m->add_class(ip, "count", b_count);
  m->add_class(ip, "cycle", b_cycle);
  m->add_class(ip, "repeat", b_repeat);
  m->add_class(ip, "chain", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    no_kwargs(ip, a, "chain");
    return chain_of(ip.iter(ip.tuple_obj(a.pos)));
  });
  ip.native_type("chain")->ns = asyncio::make_ref<DictObj>();
  ip.native_type("chain")->ns->set(str_key(ip, "from_iterable"), ip.hash(str_key(ip, "from_iterable")),
                                  ip.builtin("from_iterable", [](Interp& ip, BuiltinObj&, CallArgs& a) {
                                    check_args(ip, "from_iterable", a, 1, 1);
                                    return chain_of(ip.iter(a.pos[0]));
                                  }));
  m->add_class(ip, "accumulate", b_accumulate);
  m->add_class(ip, "compress", b_compress);
  m->add_class(ip, "dropwhile", [](Interp& ip, BuiltinObj&, CallArgs& a) { return predicate_it(ip, a, "dropwhile", PredKind::Drop); });
  m->add_class(ip, "takewhile", [](Interp& ip, BuiltinObj&, CallArgs& a) { return predicate_it(ip, a, "takewhile", PredKind::Take); });
  m->add_class(ip, "filterfalse", [](Interp& ip, BuiltinObj&, CallArgs& a) { return predicate_it(ip, a, "filterfalse", PredKind::FilterFalse); });
  m->add_class(ip, "groupby", b_groupby);
  m->add_class(ip, "islice", b_islice);
  m->add_class(ip, "starmap", b_starmap);
  m->add_class(ip, "zip_longest", b_zip_longest);
  m->add_class(ip, "pairwise", b_pairwise);
  m->add_class(ip, "product", b_product);
  m->add_class(ip, "permutations", b_permutations);
  m->add_class(ip, "combinations", [](Interp& ip, BuiltinObj&, CallArgs& a) { return combinations_of(ip, a, "combinations", false); });
  m->add_class(ip, "combinations_with_replacement",
      [](Interp& ip, BuiltinObj&, CallArgs& a) { return combinations_of(ip, a, "combinations_with_replacement", true); });
  A["tee"] = ip.builtin("tee", b_tee);
  for (const char* hidden : {"_grouper", "_tee"}) ip.native_type(hidden, nullptr, "itertools");
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp
