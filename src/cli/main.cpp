// main.cpp: the zonewarden command line: subcommand dispatch, the check_zonewarden plugin name, and the one place
// errors become exit status 3.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "cli/policy.hpp"
#include "core/error.hpp"
#include "report/report.hpp"

namespace {

// The format asked for with -f FORMAT, -fFORMAT, --format FORMAT or --format=FORMAT before a "--", else empty: an
// error is then a document of that format as well (JSON, or a plugin's UNKNOWN line), so that its reader always has
// one.
std::string requested_format(int argc, char** argv) {
  std::string format;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") break;
    if ((a == "-f" || a == "--format") && i + 1 < argc) {
      format = argv[++i];
    } else if (a.rfind("--format=", 0) == 0 || (a.rfind("-f", 0) == 0 && a.size() > 2 && a[2] != '-')) {
      format = std::string(a.substr(a[1] == 'f' ? 2 : 9));
    }
  }
  return format;
}

// Invoked as check_zonewarden (a link or copy in a monitoring system's plugin directory): a monitoring plugin.
bool invoked_as_plugin(const char* argv0) {
  std::string_view name = argv0 == nullptr ? "" : argv0;
  const auto slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  return name == "check_zonewarden";
}

enum class ErrorDocument { None, Json, Nagios };

int fail(std::string_view message, const zw::report::ErrorLocation& where, ErrorDocument doc) {
  std::cerr << "zonewarden: error: " << message << "\n";
  if (doc == ErrorDocument::Json) {
    zw::report::write_json_error(std::cout, message, where);
    std::cout.flush();
  } else if (doc == ErrorDocument::Nagios) {
    zw::report::write_nagios_error(std::cout, message);
    std::cout.flush();
  }
  return zw::kExitCannotCheck;  // usage errors are "could not check" (DESIGN.md §5); UNKNOWN for a plugin
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
  if (argc > 0 && invoked_as_plugin(argv[0])) zw::cli::set_default_format("nagios");
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
  const std::string asked = requested_format(argc, argv);
  const std::string format = asked.empty() ? zw::cli::default_format() : asked;
  const ErrorDocument doc = format == "json"     ? ErrorDocument::Json
                            : format == "nagios" ? ErrorDocument::Nagios
                                                 : ErrorDocument::None;

  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands({})) known = known || sub->get_name() == argv[1];
    if (!known) {
      int status =
          fail(std::string("unknown command '") + argv[1] + "' (zone, check, explain, catalog or help)", {}, doc);
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
    return fail(e.what(), {}, doc);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    int status = fail(usage_message(e, app), {}, doc);
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
    return fail(e.what(), zw::report::locate_error(e.what(), e.file(), e.line()), doc);
  } catch (const std::bad_alloc&) {
    return fail("out of memory", {}, doc);
  } catch (const std::exception& e) {
    std::cerr << "zonewarden: internal error: " << e.what() << "\n";
    if (doc == ErrorDocument::Json) {
      zw::report::write_json_error(std::cout, std::string("internal error: ") + e.what(), {});
    } else if (doc == ErrorDocument::Nagios) {
      zw::report::write_nagios_error(std::cout, std::string("internal error: ") + e.what());
    }
    return zw::kExitCannotCheck;
  }
  return zw::kExitCannotCheck;
}
