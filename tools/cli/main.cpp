// aiospec: the command line (exec, run, fuzz).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>
#include <vector>

#include "aiospec/interpreter.hpp"
#include "commands.hpp"

namespace {

int exec_command(const std::string& file, bool trace, bool normalized, const aiospec::ExecOptions& opts) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "aiospec: cannot open %s\n", file.c_str());
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  // CPython 3.9+ runs the main script under its absolute path (_Py_abspath: the working directory
  // joined to the path as typed): __file__, tracebacks and reprs show it; sys.argv[0] is as typed.
  aiospec::ExecOptions run_opts = opts;
  run_opts.argv0 = file;
  const std::string path = file.starts_with('/') ? file : std::filesystem::current_path().string() + "/" + file;
  aiospec::RunResult r = aiospec::run_program(ss.str(), path, run_opts);
  if (r.parse_error) {
    std::fputs(r.stderr_text.c_str(), stderr);
    return r.exit_status;
  }
  if (normalized || trace) {
    for (const auto& l : r.lines) {
      if (trace) {
        if (l.time)
          std::printf("[%7.3f] ", *l.time);
        else
          std::printf("[       ] ");
      }
      std::printf("%s\n", l.text.c_str());
    }
  } else {
    std::fwrite(r.stdout_text.data(), 1, r.stdout_text.size(), stdout);
    std::fflush(stdout);
    std::fwrite(r.stderr_text.data(), 1, r.stderr_text.size(), stderr);
  }
  return r.exit_status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"aiospec: asyncio semantics, specified and checked"};
  app.require_subcommand(1);
  int exit_code = aiospec::cli::ok;
  // `aiospec exec [OPTIONS] FILE ARGS...`: everything after FILE is the program's, options included,
  // as `python3 FILE ARGS...` passes them; aiospec parses what comes before.
  std::vector<std::string> program_args;
  if (argc > 1 && std::string_view(argv[1]) == "exec")
    for (int i = 2; i < argc; ++i)
      if (std::string_view(argv[i]) == "--max-memory") ++i;  // its value
      else if (argv[i][0] != '-') {
        program_args.assign(argv + i + 1, argv + argc);
        argc = i + 1;
        break;
      }
  auto* exec = app.add_subcommand("exec", "Run an asyncio program on the reference loop in virtual time");
  std::string file;
  bool trace = false, normalized = false;
  aiospec::ExecOptions exec_opts;
  exec_opts.argv = program_args;
  std::string max_memory = "2G";
  exec->add_option("file", file, "the program (FILE.py), then its arguments (sys.argv[1:]) as `python3 FILE.py ARGS...` takes them")->required();
  exec->add_option("--max-memory", max_memory,
                   "memory the program may hold, in bytes or with K, M or G (default 2G; 0: no budget): past it the "
                   "program stops with exit status 3, and one allocation larger than all of it raises MemoryError")
      ->check([](const std::string& s) { return aiospec::cli::parse_size(s) ? std::string() : "expected a size such as 512M or 2G"; });
  exec->add_flag("--trace", trace, "prefix each output line with its virtual time");
  exec->add_flag("--normalized", normalized, "print the normalised output of spec/README.md");
  exec->callback([&] {
    exec_opts.max_memory_bytes = *aiospec::cli::parse_size(max_memory);
    exit_code = exec_command(file, trace, normalized, exec_opts);
  });
  aiospec::cli::add_run_command(app, exit_code);
  aiospec::cli::add_fuzz_command(app, exit_code);
  aiospec::cli::add_matrix_command(app, exit_code);
  aiospec::cli::add_bench_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : aiospec::cli::usage;
  }
  return exit_code;
}
