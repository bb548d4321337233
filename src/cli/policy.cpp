// policy.cpp: the options every checking subcommand shares.
#include "cli/policy.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "core/error.hpp"
#include "report/report.hpp"

namespace zw::cli {
namespace {

catalog::Code code_or_throw(const std::string& text, const char* option) {
  auto c = catalog::find(text);
  if (!c) throw Error(std::string(option) + ": unknown finding code '" + text + "' (see `zonewarden catalog`)");
  return *c;
}

// --disable/--enable CODE[,CODE...]: an empty element is a mistake, never "no code".
std::vector<std::string> split_codes(const std::string& list, const char* option) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw Error(std::string(option) + ": empty finding code in '" + list + "'");
    out.push_back(std::move(item));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

void add_policy_options(CLI::App* sub, PolicyArgs& a) {
  // A repeatable option takes exactly one value per occurrence, so that the arguments after it stay positional.
  auto repeatable = [](CLI::Option* o) { o->allow_extra_args(false); };
  a.fail_on_option = sub->add_option("--fail-on", a.fail_on,
                                     "Lowest severity that makes the exit status non-zero (default error; warning "
                                     "with -f nagios)");
  a.fail_on_option->type_name("LEVEL");
  repeatable(sub->add_option("--severity", a.severity, "Override a code's severity: CODE=LEVEL; repeatable")
                 ->type_name("CODE=LEVEL"));
  a.disable_option = sub->add_option("--disable", a.disable, "Do not report CODE (or CODE,CODE...); repeatable");
  a.enable_option =
      sub->add_option("--enable", a.enable, "Report CODE (or CODE,CODE...) again after --disable; repeatable");
  a.disable_option->type_name("CODE[,CODE]");
  a.enable_option->type_name("CODE[,CODE]");
  repeatable(a.disable_option);
  repeatable(a.enable_option);
}

void collect_toggles(const CLI::App& sub, PolicyArgs& a) {
  std::size_t next_disable = 0;
  std::size_t next_enable = 0;
  a.toggles.clear();
  for (const CLI::Option* o : sub.parse_order()) {
    if (o == a.disable_option && next_disable < a.disable.size())
      a.toggles.emplace_back(false, a.disable[next_disable++]);
    if (o == a.enable_option && next_enable < a.enable.size()) a.toggles.emplace_back(true, a.enable[next_enable++]);
  }
}

checks::Policy build_policy(const PolicyArgs& a) {
  checks::Policy policy;
  for (const std::string& s : a.severity) {
    auto eq = s.find('=');
    if (eq == std::string::npos) throw Error("--severity: expected CODE=LEVEL, got '" + s + "'");
    auto level = parse_severity(s.substr(eq + 1));
    if (!level) throw Error("--severity: unknown level in '" + s + "'");
    policy.severity[code_or_throw(s.substr(0, eq), "--severity")] = *level;
  }
  for (const auto& [enable, list] : a.toggles) {
    const char* option = enable ? "--enable" : "--disable";
    for (const std::string& text : split_codes(list, option)) {
      catalog::Code c = code_or_throw(text, option);
      if (enable) {
        policy.disabled.erase(c);
      } else {
        policy.disabled.insert(c);
      }
    }
  }
  return policy;
}

Severity build_fail_on(const PolicyArgs& a, const OutputArgs& o) {
  if (o.format == "nagios" && (a.fail_on_option == nullptr || a.fail_on_option->count() == 0)) {
    return Severity::Warning;
  }
  auto fail_on = parse_severity(a.fail_on);
  if (!fail_on) throw Error("--fail-on: unknown level '" + a.fail_on + "' (info, notice, warning, error, critical)");
  return *fail_on;
}

core::EpochSeconds parse_now(const std::string& text) {
  const auto wall = static_cast<core::EpochSeconds>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  return core::parse_time(text, wall);
}

std::pair<std::vector<std::string>, std::string> format_choices() {
  std::vector<std::string> names;
  std::string help = "Output format:";
  for (const report::Format& f : report::formats()) {
    names.emplace_back(f.name);
    help += std::string(" ") + f.name + " (" + f.description + ");";
  }
  help.pop_back();
  return {names, help};
}

namespace {

std::string& default_format_value() {
  static std::string format = "text";
  return format;
}

/// A temporary file beside the report's destination: removed unless committed by rename.
class PendingFile {
 public:
  explicit PendingFile(const std::string& dest) : dest_(dest) {
    const std::filesystem::path p(dest);
    const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
    temp_ = (dir / ("." + p.filename().string() + ".XXXXXX")).string();
    fd_ = mkstemp(temp_.data());
    if (fd_ < 0) throw Error(dest + ": cannot create a temporary file beside it: " + std::strerror(errno));
  }
  ~PendingFile() {
    if (fd_ >= 0) close(fd_);
    if (!committed_) unlink(temp_.c_str());
  }
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  /// Writes `text`, syncs it, gives it the mode a new file would have, and renames it over the destination.
  void commit(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("cannot write");
      done += static_cast<std::size_t>(n);
    }
    const mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd_, 0666 & ~mask) != 0 || fsync(fd_) != 0) fail("cannot write");
    const int fd = fd_;
    fd_ = -1;
    if (close(fd) != 0) fail("cannot write");
    if (std::rename(temp_.c_str(), dest_.c_str()) != 0) fail("cannot replace");
    committed_ = true;
  }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw Error(dest_ + ": " + what + ": " + std::strerror(errno ? errno : EIO));
  }
  std::string dest_;
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// A report that did not reach its reader (a full disk, a closed pipe) is a run that could not check.
void require_written() {
  std::cout.flush();
  if (!std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    throw Error(std::string("standard output: write error: ") + std::strerror(errno ? errno : EIO));
  }
}

}  // namespace

const std::string& default_format() {
  return default_format_value();
}

void set_default_format(std::string format) {
  default_format_value() = std::move(format);
}

void add_output_options(CLI::App* sub, OutputArgs& a) {
  a.format = default_format();
  const auto [format_names, format_help] = format_choices();
  sub->add_option("-f,--format", a.format, format_help + " (default " + default_format() + ")")
      ->check(CLI::IsMember(format_names));
  sub->add_option("--output", a.output, "Write the report to FILE (atomically: replaced whole or not at all)")
      ->type_name("FILE");
  sub->add_option("-w,--warning", a.warning, "nagios: WARNING when a signature expires within DUR")->type_name("DUR");
  sub->add_option("-c,--critical", a.critical, "nagios: CRITICAL when a signature expires within DUR")
      ->type_name("DUR");
  sub->add_option("--perfdata", a.perfdata,
                  fmt::format("nagios: performance data per zone (zones) or over all zones (summary); default zones "
                              "up to {} zones, summary above",
                              report::kPerfdataZonesMax))
      ->type_name("MODE")
      ->check(CLI::IsMember({"zones", "summary"}));
  sub->add_option("--max-per-code", a.max_per_code,
                  "Text and nagios output: instances shown per code (0 = all; default 5)")
      ->type_name("N");
}

report::WriteOptions build_write_options(const OutputArgs& o, Severity fail_on) {
  report::WriteOptions wo;
  wo.max_per_code = o.max_per_code;
  wo.fail_on = fail_on;
  auto duration = [](const std::string& text, const char* option) {
    try {
      return core::parse_duration(text);
    } catch (const Error& e) {
      throw Error(std::string(option) + ": " + e.what());
    }
  };
  if (!o.warning.empty()) wo.warning = duration(o.warning, "-w/--warning");
  if (!o.critical.empty()) wo.critical = duration(o.critical, "-c/--critical");
  if (o.perfdata == "zones") wo.perfdata = report::Perfdata::Zones;
  if (o.perfdata == "summary") wo.perfdata = report::Perfdata::Summary;
  return wo;
}

int write_report(const report::Run& run, const OutputArgs& o, const report::WriteOptions& options) {
  const report::Format* format = report::find_format(o.format);
  if (format == nullptr) throw Error("-f: unknown format '" + o.format + "'");
  report::WriteOptions wo = options;
  const int status = format->exit_status != nullptr ? format->exit_status(run, wo) : run.exit;
  if (!o.output.empty()) {
    PendingFile file(o.output);
    std::ostringstream text;
    format->write(text, run, wo);
    file.commit(text.str());
    return status;
  }
  wo.color = o.format == "text" && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  format->write(std::cout, run, wo);
  require_written();
  return status;
}

ReportWriter::ReportWriter(const OutputArgs& o) : out_(o) {
  if (o.format == "jsonl" && o.output.empty()) stream_ = std::make_unique<report::JsonlStream>(std::cout);
}

report::SubjectDone ReportWriter::subject_done() {
  if (!stream_) return {};
  return [this](const report::Run& run, std::size_t index) { stream_->complete(run, index); };
}

int ReportWriter::finish(const report::Run& run, const report::WriteOptions& wo) {
  if (!stream_) return write_report(run, out_, wo);
  stream_->finish(run);
  require_written();
  return run.exit;
}

}  // namespace zw::cli
