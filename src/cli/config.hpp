// config.hpp: options from a configuration file (-c FILE, /etc/zonewarden/zonewarden.conf) and from the environment
// (ZONEWARDEN_OPTS), with the command line last.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace zw::cli {

/// The configuration file read when no -c is given and it exists.
inline constexpr const char* kDefaultConfig = "/etc/zonewarden/zonewarden.conf";

/// Sets `app` up, before its subcommands are added, so that: -c/--config FILE reads options from FILE (TOML or INI,
/// the options' long names as keys, each command's in its own section: [zone], [check]); keys that name no option
/// are errors; an option given more than once takes its last value (the command line comes after the file and the
/// environment).
void add_config_options(CLI::App& app);

/// The arguments to parse: argv with the words of ZONEWARDEN_OPTS (split as a shell would, without expansions)
/// inserted after the command name, so that the command line's own options come later and win. Throws zw::Error
/// when ZONEWARDEN_OPTS cannot be split.
std::vector<std::string> arguments_with_environment(int argc, char** argv, const std::vector<std::string>& commands);

}  // namespace zw::cli
