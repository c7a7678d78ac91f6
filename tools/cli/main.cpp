// aiospec: the command line (exec, run, fuzz).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "aiospec/interpreter.hpp"
#include "commands.hpp"

namespace {

int exec_command(const std::string& file, bool trace, bool normalized) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "aiospec: cannot open %s\n", file.c_str());
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  // CPython 3.9+ runs the main script under its absolute path (_Py_abspath: the working directory
  // joined to the path as typed): __file__, tracebacks and reprs show it; sys.argv[0] is as typed.
  aiospec::ExecOptions opts;
  opts.argv0 = file;
  const std::string path = file.starts_with('/') ? file : std::filesystem::current_path().string() + "/" + file;
  aiospec::RunResult r = aiospec::run_program(ss.str(), path, opts);
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
  auto* exec = app.add_subcommand("exec", "Run an asyncio program on the reference loop in virtual time");
  std::string file;
  bool trace = false, normalized = false;
  exec->add_option("file", file, "the program (FILE.py)")->required();
  exec->add_flag("--trace", trace, "prefix each output line with its virtual time");
  exec->add_flag("--normalized", normalized, "print the normalised output of spec/README.md");
  exec->callback([&] { exit_code = exec_command(file, trace, normalized); });
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
