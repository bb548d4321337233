// config.cpp: configuration file and ZONEWARDEN_OPTS.
#include "cli/config.hpp"

#include <wordexp.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"

namespace zw::cli {

void add_config_options(CLI::App& app) {
  std::error_code ec;
  const bool present = std::filesystem::exists(kDefaultConfig, ec);
  app.set_config("-c,--config", present ? kDefaultConfig : "",
                 std::string("Read options from FILE (TOML or INI; sections [zone] and [check]; default ") +
                     kDefaultConfig + " when it exists)")
      ->type_name("FILE");
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

std::vector<std::string> arguments_with_environment(int argc, char** argv, const std::vector<std::string>& commands) {
  std::vector<std::string> args(argv, argv + argc);
  const char* env = std::getenv("ZONEWARDEN_OPTS");
  if (env == nullptr || *env == '\0') return args;
  wordexp_t words{};
  // WRDE_NOCMD: no command substitution; WRDE_UNDEF: an unset variable is an error, not an empty word.
  const int rc = wordexp(env, &words, WRDE_NOCMD | WRDE_UNDEF);
  if (rc != 0) {
    if (rc == WRDE_NOSPACE) wordfree(&words);
    throw Error("ZONEWARDEN_OPTS cannot be split into options (quotes, $(...) or unset variables)");
  }
  std::vector<std::string> extra(words.we_wordv, words.we_wordv + words.we_wordc);
  wordfree(&words);
  // After the command name (the environment's options are the command's), else right after the program name.
  std::size_t at = 1;
  if (argc > 1 && std::find(commands.begin(), commands.end(), args[1]) != commands.end()) at = 2;
  args.insert(args.begin() + static_cast<std::ptrdiff_t>(at), extra.begin(), extra.end());
  return args;
}

}  // namespace zw::cli
