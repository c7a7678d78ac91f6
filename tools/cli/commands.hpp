#pragma once
// The aiospec command's subcommands; each registers itself on the CLI11 app and returns the exit code.
#include <CLI/CLI.hpp>

namespace aiospec::cli {

/// Exit codes of `aiospec run` (and the others where they apply).
enum Exit : int { ok = 0, unexpected = 1, infrastructure = 2, usage = 3 };

void add_run_command(CLI::App& app, int& exit_code);
/// aiospec fuzz: differential fuzzing of random schedules against a third-party loop.
void add_fuzz_command(CLI::App& app, int& exit_code);

}  // namespace aiospec::cli
