// main.cpp: the zonewarden command line: subcommand dispatch, and the one place errors become exit status 3.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "core/error.hpp"
#include "report/report.hpp"

namespace {

// Whether the report was asked for as JSON (-f json, -fjson, --format json, --format=json before a "--"): then an
// error is a JSON document on standard output as well, so that a pipeline always has a document to read.
bool wants_json(int argc, char** argv) {
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") break;
    if ((a == "-f" || a == "--format") && i + 1 < argc) {
      json = std::string_view(argv[++i]) == "json";
    } else if (a.rfind("--format=", 0) == 0 || (a.rfind("-f", 0) == 0 && a.size() > 2 && a[2] != '-')) {
      json = a.substr(a[1] == 'f' ? 2 : 9) == "json";
    }
  }
  return json;
}

int fail(std::string_view message, const zw::report::ErrorLocation& where, bool json) {
  std::cerr << "zonewarden: error: " << message << "\n";
  if (json) {
    zw::report::write_json_error(std::cout, message, where);
    std::cout.flush();
  }
  return zw::kExitCannotCheck;  // usage errors are "could not check" (DESIGN.md §5)
}

// CLI11's message, said the way the rest of zonewarden says it.
std::string usage_message(const CLI::ParseError& e, const CLI::App& app) {
  std::string what = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    auto colon = what.find(": ");
    std::string extras = colon == std::string::npos ? what : what.substr(colon + 2);
    return (extras.rfind('-', 0) == 0 ? "unknown option " : "unexpected argument ") + extras;
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr && what.find(" missing") != std::string::npos) {
    auto colon = what.find(':');
    return (colon == std::string::npos ? what : what.substr(0, colon)) + " needs a value";
  }
  if (dynamic_cast<const CLI::ConfigError*>(&e) != nullptr) {
    // "INI was not able to parse zone.nonsense": a key that names no option.
    const auto parse = what.find("parse ");
    if (parse != std::string::npos)
      return "configuration file: '" + what.substr(parse + 6) + "' names no option (keys are long option names)";
    return "configuration file: " + what;
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    if (what.find("subcommand") != std::string::npos) return "no command given (zone, check, explain, catalog or help)";
    for (const CLI::App* sub : app.get_subcommands({})) {
      if (sub->parsed() && sub->get_name() == "zone" && what.rfind("FILE", 0) == 0) return "no zone file given";
    }
  }
  return what;
}

// The command whose options a usage error is about, for the hint that follows the message.
std::string help_hint(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->parsed()) return "zonewarden: run 'zonewarden help " + sub->get_name() + "' for its options";
  }
  return "zonewarden: run 'zonewarden --help' for the commands";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zonewarden: DNSSEC and DNS-infrastructure health checker"};
  app.set_version_flag("-V,--version", std::string("zonewarden ") + ZW_VERSION);
  app.require_subcommand(1);
  zw::cli::add_config_options(app);
  std::vector<std::pair<CLI::App*, zw::cli::Action>> actions;
  auto add = [&](zw::cli::Action (*fn)(CLI::App&)) {
    std::size_t before = app.get_subcommands({}).size();
    zw::cli::Action act = fn(app);
    auto subs = app.get_subcommands({});
    if (subs.size() > before) actions.emplace_back(subs.back(), std::move(act));
  };
  add(&zw::cli::add_zone_command);
  add(&zw::cli::add_check_command);
  add(&zw::cli::add_explain_command);
  add(&zw::cli::add_catalog_command);
  add(&zw::cli::add_address_command);
  auto help_topic = std::make_shared<std::string>();
  CLI::App* help = app.add_subcommand("help", "Show the options of a command: zonewarden help zone");
  help->add_option("COMMAND", *help_topic, "zone, check, explain or catalog");
  const bool json = wants_json(argc, argv);

  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands({})) known = known || sub->get_name() == argv[1];
    if (!known) {
      int status =
          fail(std::string("unknown command '") + argv[1] + "' (zone, check, explain, catalog or help)", {}, json);
      std::cerr << "zonewarden: run 'zonewarden --help' for the commands\n";
      return status;
    }
  }
  try {
    std::vector<std::string> commands;
    for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
    std::vector<std::string> args = zw::cli::arguments_with_environment(argc, argv, commands);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first, without the program's name
    args.pop_back();
    app.parse(args);
  } catch (const zw::Error& e) {
    return fail(e.what(), {}, json);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    int status = fail(usage_message(e, app), {}, json);
    std::cerr << help_hint(app) << "\n";
    return status;
  }
  try {
    if (help->parsed()) {
      if (help_topic->empty()) {
        std::cout << app.help();
        return zw::kExitClean;
      }
      for (const CLI::App* sub : app.get_subcommands({})) {
        if (sub->get_name() == *help_topic && sub != help) {
          std::cout << sub->help();
          return zw::kExitClean;
        }
      }
      throw zw::Error("help: unknown command '" + *help_topic + "' (zone, check, explain or catalog)");
    }
    for (auto& [sub, action] : actions) {
      if (sub->parsed()) return action();
    }
  } catch (const zw::Error& e) {
    return fail(e.what(), zw::report::locate_error(e.what(), e.file(), e.line()), json);
  } catch (const std::bad_alloc&) {
    return fail("out of memory", {}, json);
  } catch (const std::exception& e) {
    std::cerr << "zonewarden: internal error: " << e.what() << "\n";
    if (json) zw::report::write_json_error(std::cout, std::string("internal error: ") + e.what(), {});
    return zw::kExitCannotCheck;
  }
  return zw::kExitCannotCheck;
}
