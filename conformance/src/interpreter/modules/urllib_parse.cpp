// The `urllib` package and `urllib.parse` (Lib/urllib/parse.py) on str URLs: urlsplit/urlparse with
// their SplitResult/ParseResult named tuples (hostname, port, username, password, geturl), urlunsplit,
// urlunparse, urljoin, quote/quote_plus/unquote/unquote_plus, urlencode, parse_qs, parse_qsl. Not
// provided (refused where used): bytes URLs, netlocs with non-ASCII characters (_checknetloc's NFKC
// check); bracketed IPv6 hosts are taken without ipaddress's validation.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

using Parts = std::vector<std::string>;

bool in(std::string_view s, std::initializer_list<std::string_view> list) { return std::find(list.begin(), list.end(), s) != list.end(); }

bool uses_netloc(std::string_view s) {
  return in(s, {"", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp", "snews", "prospero",
                "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git", "git+ssh", "ws", "wss"});
}
bool uses_relative(std::string_view s) {
  return in(s, {"", "ftp", "http", "gopher", "nntp", "imap", "wais", "file", "https", "shttp", "mms", "prospero", "rtsp", "rtsps",
                "rtspu", "sftp", "svn", "svn+ssh", "ws", "wss"});
}
bool uses_params(std::string_view s) {
  return in(s, {"", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu", "sip", "sips", "mms", "sftp", "tel"});
}

std::string text(Interp& ip, const Object& v) {
  if (v.is(Tag::Str)) return v.as<StrObj>()->s;
  if (is_buffer(v)) ip.refuse("urllib.parse on bytes");
  ip.raise(ip.T.TypeError, fmt::format("Cannot mix str and non-str arguments"));
}

// urlsplit: scheme, netloc, path, query, fragment.
Parts urlsplit(Interp& ip, std::string url, std::string scheme, bool allow_fragments) {
  auto c0_or_space = [](char c) { return static_cast<unsigned char>(c) <= ' '; };
  url.erase(url.begin(), std::find_if_not(url.begin(), url.end(), c0_or_space));
  scheme.erase(scheme.begin(), std::find_if_not(scheme.begin(), scheme.end(), c0_or_space));
  scheme.erase(std::find_if_not(scheme.rbegin(), scheme.rend(), c0_or_space).base(), scheme.end());
  for (std::string* s : {&url, &scheme}) std::erase_if(*s, [](char c) { return c == '\t' || c == '\r' || c == '\n'; });
  std::string netloc, query, fragment;
  const std::size_t i = url.find(':');
  if (i != std::string::npos && i > 0 && std::isalpha(static_cast<unsigned char>(url[0])) &&
      std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(i), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
      })) {
    scheme = url.substr(0, i);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    url = url.substr(i + 1);
  }
  if (url.starts_with("//")) {  // _splitnetloc
    const std::size_t delim = std::min(url.find_first_of("/?#", 2), url.size());
    netloc = url.substr(2, delim - 2);
    url = url.substr(delim);
    if ((netloc.find('[') == std::string::npos) != (netloc.find(']') == std::string::npos)) ip.raise(ip.T.ValueError, "Invalid IPv6 URL");
  }
  if (std::any_of(netloc.begin(), netloc.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    ip.refuse("urllib.parse of a netloc with non-ASCII characters");
  if (auto h = url.find('#'); allow_fragments && h != std::string::npos) {
    fragment = url.substr(h + 1);
    url.resize(h);
  }
  if (auto q = url.find('?'); q != std::string::npos) {
    query = url.substr(q + 1);
    url.resize(q);
  }
  return {scheme, netloc, url, query, fragment};
}

// urlparse: scheme, netloc, path, params, query, fragment.
Parts urlparse(Interp& ip, std::string url, std::string scheme, bool allow_fragments) {
  Parts s = urlsplit(ip, std::move(url), std::move(scheme), allow_fragments);
  std::string path = s[2], params;
  if (uses_params(s[0]) && path.find(';') != std::string::npos) {  // _splitparams
    const auto slash = path.rfind('/');
    const auto semi = slash == std::string::npos ? path.find(';') : path.find(';', slash);
    if (semi != std::string::npos) {
      params = path.substr(semi + 1);
      path.resize(semi);
    }
  }
  return {s[0], s[1], path, params, s[3], s[4]};
}

std::string urlunsplit(const Parts& p) {
  std::string url = p[2];
  if (!p[1].empty() || (!p[0].empty() && uses_netloc(p[0]) && !url.starts_with("//"))) {
    if (!url.empty() && url[0] != '/') url = "/" + url;
    url = "//" + p[1] + url;
  }
  if (!p[0].empty()) url = p[0] + ":" + url;
  if (!p[3].empty()) url += "?" + p[3];
  if (!p[4].empty()) url += "#" + p[4];
  return url;
}

std::string urlunparse(const Parts& p) {
  return urlunsplit({p[0], p[1], p[3].empty() ? p[2] : p[2] + ";" + p[3], p[4], p[5]});
}

std::string urljoin(Interp& ip, const std::string& base, const std::string& url, bool allow_fragments) {
  if (base.empty()) return url;
  if (url.empty()) return base;
  const Parts b = urlparse(ip, base, "", allow_fragments);
  Parts u = urlparse(ip, url, b[0], allow_fragments);
  if (u[0] != b[0] || !uses_relative(u[0])) return url;
  if (uses_netloc(u[0])) {
    if (!u[1].empty()) return urlunparse(u);
    u[1] = b[1];
  }
  if (u[2].empty() && u[3].empty()) {
    u[2] = b[2];
    u[3] = b[3];
    if (u[4].empty()) u[4] = b[4];
    return urlunparse(u);
  }
  auto split = [](const std::string& s) {
    Parts out;
    std::size_t start = 0;
    for (std::size_t k; (k = s.find('/', start)) != std::string::npos; start = k + 1) out.push_back(s.substr(start, k - start));
    out.push_back(s.substr(start));
    return out;
  };
  Parts segments;
  if (u[2].starts_with('/')) {
    segments = split(u[2]);
  } else {
    segments = split(b[2]);
    if (!segments.back().empty()) segments.pop_back();
    for (auto& s : split(u[2])) segments.push_back(s);
    // segments[1:-1] = filter(None, segments[1:-1])
    if (segments.size() > 2) {
      Parts kept{segments.front()};
      for (std::size_t k = 1; k + 1 < segments.size(); ++k)
        if (!segments[k].empty()) kept.push_back(segments[k]);
      kept.push_back(segments.back());
      segments = kept;
    }
  }
  Parts resolved;
  for (const auto& seg : segments) {
    if (seg == "..") {
      if (!resolved.empty()) resolved.pop_back();
    } else if (seg != ".") {
      resolved.push_back(seg);
    }
  }
  if (segments.back() == "." || segments.back() == "..") resolved.emplace_back();
  std::string path;
  for (std::size_t k = 0; k < resolved.size(); ++k) path += (k ? "/" : "") + resolved[k];
  u[2] = path.empty() ? "/" : path;
  return urlunparse(u);
}

// quote_from_bytes: _ALWAYS_SAFE and `safe` (its ASCII characters) kept, other bytes as %XX.
std::string quote(const std::string& s, const std::string& safe, bool plus) {
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~' || (c < 0x80 && safe.find(ch) != std::string::npos)) out += ch;
    else if (plus && c == ' ') out += '+';
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// unquote: %XX sequences become bytes, decoded with `encoding` and `errors` (utf-8, 'replace').
std::string unquote(Interp& ip, const std::string& s, const Object& encoding, const Object& errors) {
  if (s.find('%') == std::string::npos) return s;
  std::string bytes;
  for (std::size_t i = 0; i < s.size(); ++i) {
    int hi, lo;
    if (s[i] == '%' && i + 2 < s.size() && (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
      bytes += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      bytes += s[i];
    }
  }
  Object enc = encoding.null() || encoding.is_none() ? ip.str_obj("utf-8") : encoding;
  Object err = errors.null() || errors.is_none() ? ip.str_obj("replace") : errors;
  return codec_decode(ip, bytes, ip.bytes_obj(bytes), enc, err, "unquote");
}

// parse_qsl's pairs.
std::vector<std::pair<std::string, std::string>> parse_qsl(Interp& ip, CallArgs& a, const char* fname) {
  Object qs = arg_or(a, 0, "qs", {});
  if (qs.null()) ip.raise(ip.T.TypeError, fmt::format("{}() missing 1 required positional argument: 'qs'", fname));
  const bool keep_blank = ip.truthy(arg_or(a, 1, "keep_blank_values", Object::boolean(false)));
  const bool strict = ip.truthy(arg_or(a, 2, "strict_parsing", Object::boolean(false)));
  Object encoding = arg_or(a, 3, "encoding", Object::none()), errors = arg_or(a, 4, "errors", Object::none());
  Object max_fields = arg_or(a, 5, "max_num_fields", Object::none()), sep = arg_or(a, 6, "separator", ip.str_obj("&"));
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("{}() got an unexpected keyword argument '{}'", fname, a.kw[0].first));
  if (!sep.is(Tag::Str) || ip.str(sep).empty()) ip.raise(ip.T.ValueError, "Separator must be of type string or bytes.");
  const std::string s = text(ip, qs), separator = ip.str(sep);
  std::vector<std::string> fields;
  if (!s.empty())
    for (std::size_t start = 0;;) {
      const std::size_t k = s.find(separator, start);
      fields.push_back(s.substr(start, k == std::string::npos ? std::string::npos : k - start));
      if (k == std::string::npos) break;
      start = k + separator.size();
    }
  if (!max_fields.is_none() && ip.index_arg(max_fields, nullptr) < static_cast<std::int64_t>(std::max<std::size_t>(fields.size(), 1)))
    ip.raise(ip.T.ValueError, "Max number of fields exceeded");
  std::vector<std::pair<std::string, std::string>> out;
  auto plus_unquote = [&](std::string v) {
    std::replace(v.begin(), v.end(), '+', ' ');
    return unquote(ip, v, encoding, errors);
  };
  for (const std::string& nv : fields) {
    if (nv.empty() && !strict) continue;
    const std::size_t eq = nv.find('=');
    if (eq == std::string::npos) {
      if (strict) ip.raise(ip.T.ValueError, fmt::format("bad query field: {}", str_repr(nv)));
      if (!keep_blank) continue;
    }
    std::string value = eq == std::string::npos ? "" : nv.substr(eq + 1);
    if (!value.empty() || keep_blank) out.emplace_back(plus_unquote(nv.substr(0, eq)), plus_unquote(value));
  }
  return out;
}

Object parts_arg(Interp& ip, CallArgs& a, const char* fname, Parts& out, std::size_t n) {
  check_args(ip, fname, a, 1, 1);
  std::vector<Object> v = ip.to_vector(a.pos[0]);
  if (v.size() != n) ip.raise(ip.T.ValueError, fmt::format("{} values to unpack (expected {}, got {})", v.size() > n ? "too many" : "not enough", n, v.size()));
  for (const Object& p : v) out.push_back(text(ip, p));
  return a.pos[0];
}

// SplitResult's and ParseResult's properties (_NetlocResultMixinStr): an attribute computed from the tuple.
struct ResultProperty final : NativeObj {
  explicit ResultProperty(std::string n) : name(std::move(n)) {}
  std::string name;
  const char* type_name() const override { return "property"; }
  Object getattr(Interp&, const Object&, std::string_view) override { return {}; }
  Object get(Interp& ip, const Object& self, const Ref<TypeObj>&) override;
};

Object ResultProperty::get(Interp& ip, const Object& self, const Ref<TypeObj>&) {
  if (self.null()) return {};
  auto* l = self.as<ListObj>();
  const std::string netloc = text(ip, l->v[1]);
  const auto at = netloc.rfind('@');
  const std::string hostinfo = at == std::string::npos ? netloc : netloc.substr(at + 1);
  if (name == "geturl")
    return ip.builtin("geturl", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "geturl", a, 0, 0);
      Parts p;
      for (const Object& v : b.self.as<ListObj>()->v) p.push_back(text(ip, v));
      return ip.str_obj(p.size() == 5 ? urlunsplit(p) : urlunparse(p));
    }, self);
  if (name == "username" || name == "password") {
    if (at == std::string::npos) return Object::none();
    const std::string userinfo = netloc.substr(0, at);
    const auto colon = userinfo.find(':');
    if (name == "username") return ip.str_obj(userinfo.substr(0, colon));
    return colon == std::string::npos ? Object::none() : ip.str_obj(userinfo.substr(colon + 1));
  }
  // _hostinfo
  std::string hostname, port;
  if (auto br = hostinfo.find('['); br != std::string::npos) {
    const std::string bracketed = hostinfo.substr(br + 1);
    const auto close = bracketed.find(']');
    hostname = bracketed.substr(0, close);
    const std::string after = close == std::string::npos ? "" : bracketed.substr(close + 1);
    port = after.find(':') == std::string::npos ? "" : after.substr(after.find(':') + 1);
  } else {
    const auto colon = hostinfo.find(':');
    hostname = hostinfo.substr(0, colon);
    port = colon == std::string::npos ? "" : hostinfo.substr(colon + 1);
  }
  if (name == "hostname") {
    if (hostname.empty()) return Object::none();
    const auto pct = hostname.find('%');  // a scoped IPv6 address's zone keeps its case
    std::transform(hostname.begin(), pct == std::string::npos ? hostname.end() : hostname.begin() + static_cast<std::ptrdiff_t>(pct),
                   hostname.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return ip.str_obj(hostname);
  }
  if (port.empty()) return Object::none();
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    ip.raise(ip.T.ValueError, fmt::format("Port could not be cast to integer value as {}", str_repr(port)));
  const std::size_t first = std::min(port.find_first_not_of('0'), port.size());
  if (port.size() - first > 5 || std::stoi("0" + port.substr(first)) > 65535) ip.raise(ip.T.ValueError, "Port out of range 0-65535");
  return Object::integer(std::stoi("0" + port.substr(first)));
}

Object result(Interp& ip, const Object& cls, const Parts& p) {
  CallArgs c;
  for (const auto& s : p) c.pos.push_back(ip.str_obj(s));
  return ip.call(cls, c);
}

Object result_type(Interp& ip, const char* name, const std::vector<std::string>& fields) {
  Object cls = make_namedtuple(ip, name, fields, "urllib.parse");
  auto* t = cls.as<TypeObj>();
  for (const char* p : {"hostname", "port", "username", "password", "geturl"})
    t->ns->set(str_key(ip, p), ip.hash(str_key(ip, p)), Object(Tag::Native, asyncio::make_ref<ResultProperty>(p)));
  return cls;
}

}  // namespace

Object module_urllib(Interp&) { return Object(Tag::Native, asyncio::make_ref<ModuleObj>("urllib")); }

Object module_urllib_parse(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("urllib.parse");
  auto& A = m->attrs;
  A["SplitResult"] = result_type(ip, "SplitResult", {"scheme", "netloc", "path", "query", "fragment"});
  A["ParseResult"] = result_type(ip, "ParseResult", {"scheme", "netloc", "path", "params", "query", "fragment"});
  // urlsplit(url, scheme='', allow_fragments=True) and urlparse: `data` is the result class.
  auto splitter = [&](const char* name, Object cls) {
    A[name] = ip.builtin(name, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      Object url = arg_or(a, 0, "url", {}), scheme = arg_or(a, 1, "scheme", ip.str_obj("")),
             frag = arg_or(a, 2, "allow_fragments", Object::boolean(true));
      if (url.null()) ip.raise(ip.T.TypeError, fmt::format("{}() missing 1 required positional argument: 'url'", b.name));
      const bool split = b.name[3] == 's';
      auto f = split ? urlsplit : urlparse;
      return result(ip, b.data, f(ip, text(ip, url), text(ip, scheme), ip.truthy(frag)));
    }, {}, cls);
  };
  splitter("urlsplit", A["SplitResult"]);
  splitter("urlparse", A["ParseResult"]);
  A["urlunsplit"] = ip.builtin("urlunsplit", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    Parts p;
    parts_arg(ip, a, "urlunsplit", p, 5);
    return ip.str_obj(urlunsplit(p));
  });
  A["urlunparse"] = ip.builtin("urlunparse", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    Parts p;
    parts_arg(ip, a, "urlunparse", p, 6);
    return ip.str_obj(urlunparse(p));
  });
  A["urljoin"] = ip.builtin("urljoin", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    Object base = arg_or(a, 0, "base", {}), url = arg_or(a, 1, "url", {}), frag = arg_or(a, 2, "allow_fragments", Object::boolean(true));
    if (base.null() || url.null()) ip.raise(ip.T.TypeError, "urljoin() missing required argument 'base' or 'url'");
    return ip.str_obj(urljoin(ip, text(ip, base), text(ip, url), ip.truthy(frag)));
  });
  // quote(string, safe='/', encoding=None, errors=None) and quote_plus(string, safe='', ...).
  for (const char* name : {"quote", "quote_plus"})
    A[name] = ip.builtin(name, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      const bool plus = std::string_view(b.name) == "quote_plus";
      Object s = arg_or(a, 0, "string", {}), safe = arg_or(a, 1, "safe", ip.str_obj(plus ? "" : "/"));
      Object encoding = arg_or(a, 2, "encoding", Object::none()), errors = arg_or(a, 3, "errors", Object::none());
      if (s.null()) ip.raise(ip.T.TypeError, fmt::format("{}() missing 1 required positional argument: 'string'", b.name));
      std::string bytes = s.is(Tag::Str) ? codec_encode(ip, s, encoding.is_none() ? ip.str_obj("utf-8") : encoding,
                                                        errors.is_none() ? ip.str_obj("strict") : errors, b.name)
                                         : buffer_bytes(ip, s);
      return ip.str_obj(quote(bytes, text(ip, safe), plus));
    });
  for (const char* name : {"unquote", "unquote_plus"})
    A[name] = ip.builtin(name, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      Object s = arg_or(a, 0, "string", {}), encoding = arg_or(a, 1, "encoding", Object::none()), errors = arg_or(a, 2, "errors", Object::none());
      if (s.null()) ip.raise(ip.T.TypeError, fmt::format("{}() missing 1 required positional argument: 'string'", b.name));
      std::string t = text(ip, s);
      if (std::string_view(b.name) == "unquote_plus") std::replace(t.begin(), t.end(), '+', ' ');
      return ip.str_obj(unquote(ip, t, encoding, errors));
    });
  A["parse_qsl"] = ip.builtin("parse_qsl", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    std::vector<Object> out;
    for (auto& [k, v] : parse_qsl(ip, a, "parse_qsl")) out.push_back(ip.tuple_obj({ip.str_obj(k), ip.str_obj(v)}));
    return ip.list_obj(std::move(out));
  });
  A["parse_qs"] = ip.builtin("parse_qs", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    Object d = ip.dict_obj();
    for (auto& [k, v] : parse_qsl(ip, a, "parse_qs")) {
      Object key = ip.str_obj(k);
      if (ip.contains(d, key)) ip.getitem(d, key).as<ListObj>()->v.push_back(ip.str_obj(v));
      else ip.setitem(d, key, ip.list_obj({ip.str_obj(v)}));
    }
    return d;
  });
  // urlencode(query, doseq=False, safe='', encoding=None, errors=None, quote_via=quote_plus)
  A["urlencode"] = ip.builtin("urlencode", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    Object query = arg_or(a, 0, "query", {}), doseq = arg_or(a, 1, "doseq", Object::boolean(false));
    Object safe = arg_or(a, 2, "safe", ip.str_obj("")), encoding = arg_or(a, 3, "encoding", Object::none());
    Object errors = arg_or(a, 4, "errors", Object::none()), via = arg_or(a, 5, "quote_via", b.data);
    if (query.null()) ip.raise(ip.T.TypeError, "urlencode() missing 1 required positional argument: 'query'");
    Object items_fn = ip.getattr_opt(query, "items");
    std::vector<Object> items = ip.to_vector(items_fn.null() ? query : ip.call0(items_fn));
    auto q = [&](const Object& v) {
      CallArgs c;
      c.pos = {v.is(Tag::Str) || is_buffer(v) ? v : ip.str_obj(ip.str(v)), safe, encoding, errors};
      return ip.str(ip.call(via, c));
    };
    std::string out;
    for (const Object& kv : items) {
      std::vector<Object> pair = ip.to_vector(kv);
      if (pair.size() != 2) ip.raise(ip.T.TypeError, "not a valid non-string sequence or mapping object");
      const std::string k = q(pair[0]);
      std::vector<Object> values{pair[1]};
      const Object& v = pair[1];
      if (ip.truthy(doseq) && (v.is(Tag::List) || v.is(Tag::Tuple) || v.is(Tag::Set) || v.is(Tag::Dict)))
        values = ip.to_vector(pair[1]);
      for (const Object& v : values) out += (out.empty() ? "" : "&") + k + "=" + q(v);
    }
    return ip.str_obj(std::move(out));
  }, {}, A["quote_plus"]);
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp
