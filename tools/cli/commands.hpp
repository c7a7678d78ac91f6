#pragma once
// The aiospec command's subcommands; each registers itself on the CLI11 app and returns the exit code.
#include <functional>
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "aiospec/report.hpp"
#include "aiospec/runner.hpp"

namespace aiospec::cli {

/// Exit codes of `aiospec run` (and the others where they apply).
enum Exit : int { ok = 0, unexpected = 1, infrastructure = 2, usage = 3 };

void add_run_command(CLI::App& app, int& exit_code);
/// aiospec fuzz: differential fuzzing of random schedules against a third-party loop.
void add_fuzz_command(CLI::App& app, int& exit_code);
void add_matrix_command(CLI::App& app, int& exit_code);
/// aiospec bench: parse/run timings of the seed examples and the whole spec on the reference loop, and
/// tools/bench against CPython.
void add_bench_command(CLI::App& app, int& exit_code);

/// Shared by the subcommands (common.cpp).
std::string command_output(const std::string& cmd);
RunContext context();
bool write_file(const std::string& path, const std::function<void(std::ostream&)>& body);
/// A size in bytes: digits, optionally followed by K, M or G (powers of 1024); nullopt when malformed.
std::optional<std::size_t> parse_size(const std::string& s);
/// Colour progress on a terminal; otherwise one line per unexpected result.
std::function<void(const CaseResult&, std::size_t done, std::size_t total)> progress_reporter();

}  // namespace aiospec::cli
