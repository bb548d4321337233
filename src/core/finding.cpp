// finding.cpp: finding ordering, the thread-safe sink and message rendering.
#include "core/finding.hpp"

#include <algorithm>
#include <tuple>

#include "core/name.hpp"

namespace zw {
namespace {

/// A name as findings order it: its wire form when it parses, else the text alone (ordered as text).
struct NameKey {
  const std::string* text = nullptr;
  bool parsed = false;
  core::WireName wire;
};

NameKey name_key(const std::string& text) {
  NameKey k;
  k.text = &text;
  std::string err;
  k.parsed = core::parse_name(text, ".", k.wire, err);
  return k;
}

int owner_compare(const NameKey& a, const NameKey& b) {
  if (*a.text == *b.text) return 0;
  if (a.parsed && b.parsed) return core::name_compare(a.wire, b.wire);
  return *a.text < *b.text ? -1 : 1;
}

/// The order of finding_less over keys parsed once per finding (sorting parses no name again).
bool key_less(const Finding& a, const NameKey& za, const NameKey& oa, const Finding& b, const NameKey& zb,
              const NameKey& ob) {
  if (int c = owner_compare(za, zb); c != 0) return c < 0;
  if (a.severity != b.severity) return a.severity > b.severity;
  if (a.code != b.code) return catalog::name(a.code) < catalog::name(b.code);
  if (int c = owner_compare(oa, ob); c != 0) return c < 0;
  return std::tie(a.type, a.params, a.file, a.line, a.servers) < std::tie(b.type, b.params, b.file, b.line, b.servers);
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
  return key_less(a, name_key(a.zone), name_key(a.owner), b, name_key(b.zone), name_key(b.owner));
}

void sort_findings(std::vector<Finding>& findings) {
  std::vector<NameKey> zones;
  std::vector<NameKey> owners;
  zones.reserve(findings.size());
  owners.reserve(findings.size());
  for (const Finding& f : findings) {
    zones.push_back(name_key(f.zone));
    owners.push_back(name_key(f.owner));
  }
  std::vector<std::size_t> order(findings.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    return key_less(findings[i], zones[i], owners[i], findings[j], zones[j], owners[j]);
  });
  std::vector<Finding> sorted;
  sorted.reserve(findings.size());
  for (std::size_t i : order) sorted.push_back(std::move(findings[i]));
  findings = std::move(sorted);
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
