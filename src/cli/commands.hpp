// commands.hpp: the subcommands of the zonewarden executable.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace zw::cli {

/// A subcommand registers its options on `app` and returns the action to run when it was chosen.
using Action = std::function<int()>;

Action add_zone_command(CLI::App& app);
Action add_check_command(CLI::App& app);
Action add_explain_command(CLI::App& app);
Action add_catalog_command(CLI::App& app);
Action add_address_command(CLI::App& app);

}  // namespace zw::cli
