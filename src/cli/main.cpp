// main.cpp: the zonewarden command line: subcommand dispatch, and the one place errors become exit status 3.
#include <cstdio>
#include <iostream>
#include <vector>

#include "cli/commands.hpp"
#include "core/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"zonewarden: DNSSEC and DNS-infrastructure health checker"};
  app.set_version_flag("-V,--version", std::string("zonewarden ") + ZW_VERSION);
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, zw::cli::Action>> actions;
  auto add = [&](zw::cli::Action (*fn)(CLI::App&)) {
    std::size_t before = app.get_subcommands({}).size();
    zw::cli::Action act = fn(app);
    auto subs = app.get_subcommands({});
    if (subs.size() > before) actions.emplace_back(subs.back(), std::move(act));
  };
  add(&zw::cli::add_zone_command);
  add(&zw::cli::add_explain_command);
  add(&zw::cli::add_catalog_command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return zw::kExitCannotCheck;  // usage errors are "could not check" (DESIGN.md §5)
  }
  try {
    for (auto& [sub, action] : actions) {
      if (sub->parsed()) return action();
    }
  } catch (const zw::Error& e) {
    std::fprintf(stderr, "zonewarden: error: %s\n", e.what());
    return zw::kExitCannotCheck;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "zonewarden: error: out of memory\n");
    return zw::kExitCannotCheck;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "zonewarden: internal error: %s\n", e.what());
    return zw::kExitCannotCheck;
  }
  return zw::kExitCannotCheck;
}
