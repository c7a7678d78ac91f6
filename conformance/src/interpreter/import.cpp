// The import system: the scenario language's modules (aiospec/scenario/modules.def), each created on
// its first import and kept, as sys.modules keeps them (Python/import.c).
#include <fmt/format.h>

#include "interp.hpp"

namespace aiospec::interp {

#define MODULE(name, id, builtin) Object module_##id(Interp& ip);
#include "aiospec/scenario/modules.def"
#undef MODULE

namespace {

struct ModuleEntry {
  std::string_view name;
  Object (*make)(Interp&);
  bool builtin;
};

constexpr ModuleEntry kModules[] = {
#define MODULE(name, id, builtin) {name, module_##id, builtin},
#include "aiospec/scenario/modules.def"
#undef MODULE
};

ModuleObj& module_of(const Object& m) { return *static_cast<ModuleObj*>(m.as<NativeObj>()); }

}  // namespace

Object Interp::import_module(std::string_view name) {
  if (auto it = modules.find(name); it != modules.end()) return it->second;
  const ModuleEntry* entry = nullptr;
  for (const auto& e : kModules)
    if (e.name == name) entry = &e;
  if (!entry) raise(T.ModuleNotFoundError, fmt::format("No module named '{}'", name));
  // A package is imported before its submodules, and a submodule becomes an attribute of its package.
  auto dot = name.rfind('.');
  Object parent = dot == std::string_view::npos ? Object() : import_module(name.substr(0, dot));
  Object m = entry->make(*this);
  module_of(m).builtin = entry->builtin;
  modules.emplace(std::string(name), m);
  if (!parent.null()) module_of(parent).attrs[std::string(name.substr(dot + 1))] = m;
  return m;
}

Object Interp::import_from(const Object& m, std::string_view name) {
  Object v = getattr_opt(m, name);
  if (!v.null()) return v;
  // `from package import submodule` imports the submodule.
  std::string sub = module_of(m).name + "." + std::string(name);
  for (const auto& e : kModules)
    if (e.name == sub) return import_module(sub);
  // CPython names the module's file; these modules have none, which CPython prints so.
  raise(T.ImportError, fmt::format("cannot import name '{}' from '{}' (unknown location)", name, module_of(m).name));
}

void Interp::import_star(const Object& m) {
  // The names in __all__, or else every public one (Python/ceval.c import_all_from); only names the
  // program uses have a global slot to bind.
  std::vector<std::string> names;
  auto& attrs = module_of(m).attrs;
  if (auto all = attrs.find("__all__"); all != attrs.end()) {
    for (const Object& n : to_vector(all->second)) names.push_back(str(n));
  } else {
    for (const auto& [name, v] : attrs)
      if (name[0] != '_') names.push_back(name);
  }
  for (const std::string& name : names) {
    Object v = getattr(m, name);
    for (std::size_t i = 0; i < mod.globals.size(); ++i)
      if (mod.globals[i] == name) globals[i] = v;
  }
}

}  // namespace aiospec::interp
