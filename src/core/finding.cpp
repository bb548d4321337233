// finding.cpp: finding ordering, the thread-safe sink and message rendering.
#include "core/finding.hpp"

#include <tuple>

#include "core/name.hpp"

namespace zw {
namespace {

int owner_compare(const std::string& a, const std::string& b) {
  if (a == b) return 0;
  core::WireName wa;
  core::WireName wb;
  std::string err;
  if (core::parse_name(a, ".", wa, err) && core::parse_name(b, ".", wb, err)) return core::name_compare(wa, wb);
  return a < b ? -1 : 1;
}

}  // namespace

const std::string& Finding::param(const std::string& key) const {
  static const std::string empty;
  for (const auto& [k, v] : params) {
    if (k == key) return v;
  }
  return empty;
}

bool finding_less(const Finding& a, const Finding& b) {
  if (a.zone != b.zone) {
    int c = owner_compare(a.zone, b.zone);
    if (c != 0) return c < 0;
  }
  if (a.severity != b.severity) return a.severity > b.severity;
  if (a.code != b.code) return catalog::name(a.code) < catalog::name(b.code);
  if (a.owner != b.owner) {
    int c = owner_compare(a.owner, b.owner);
    if (c != 0) return c < 0;
  }
  return std::tie(a.type, a.params, a.file, a.line, a.servers) < std::tie(b.type, b.params, b.file, b.line, b.servers);
}

void FindingSink::add(Finding f) {
  std::lock_guard<std::mutex> lock(mutex_);
  findings_.push_back(std::move(f));
}

std::vector<Finding> FindingSink::take() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::move(findings_);
}

std::string count_noun(std::string_view count, std::string_view noun) {
  std::string out(count);
  out += ' ';
  out += noun;
  if (count != "1") out += 's';
  return out;
}

std::string count_noun(std::size_t count, std::string_view noun) {
  return count_noun(std::to_string(count), noun);
}

namespace {

void expand(std::string_view tmpl, const Finding& f, std::string& out, bool top) {
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{') {
      auto end = tmpl.find('}', i);
      if (end != std::string_view::npos) {
        std::string_view key = tmpl.substr(i + 1, end - i - 1);
        const auto colon = key.find(':');  // "{count:noun}": the count with its noun, singular or plural
        const catalog::Detail* d = nullptr;
        if (top && key == "detail") d = catalog::find_detail(f.code, f.param("detail"));
        if (d) {
          expand(d->text, f, out, false);
        } else {
          out += colon == std::string_view::npos
                     ? f.param(std::string(key))
                     : count_noun(f.param(std::string(key.substr(0, colon))), key.substr(colon + 1));
        }
        i = end;
        continue;
      }
    }
    out.push_back(tmpl[i]);
  }
}

}  // namespace

std::string render_message(const Finding& f) {
  std::string_view tmpl = catalog::entry(f.code).message;
  std::string out;
  out.reserve(tmpl.size() + 32);
  expand(tmpl, f, out, true);
  return out;
}

}  // namespace zw
