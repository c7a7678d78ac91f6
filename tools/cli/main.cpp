// aiospec: run the asyncio conformance suite.
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"aiospec: asyncio semantics, specified and checked"};
  app.require_subcommand(1);
  int exit_code = aiospec::cli::ok;
  aiospec::cli::add_run_command(app, exit_code);
  aiospec::cli::add_matrix_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : aiospec::cli::usage;
  }
  return exit_code;
}
