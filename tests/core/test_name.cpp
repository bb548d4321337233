// test_name.cpp: wire-name helpers. name_is_subdomain compares the ancestor's octets with the end of the name and
// then checks that they begin at a label; here it is held against the plain definition (strip labels from the left
// until as many remain as the ancestor has, compare ignoring case) on names built to trip a suffix test: an
// ancestor's octets inside a label, case differences, escaped length-like octets, the root.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/name.hpp"

namespace {

zw::core::WireName wire(const std::string& text) {
  zw::core::WireName out;
  std::string error;
  REQUIRE(zw::core::parse_name(text, "", out, error));
  return out;
}

// RFC 1034 §3.1 / RFC 4034 §6.1: `name` is at or below `ancestor` when, with labels removed from its left until it
// has as many as `ancestor`, it equals `ancestor` (case folded).
bool reference(std::string_view name, std::string_view ancestor) {
  const int na = zw::core::name_label_count(name);
  const int nb = zw::core::name_label_count(ancestor);
  return na >= nb && zw::core::name_equal(zw::core::name_strip_labels(name, na - nb), ancestor);
}

}  // namespace

TEST_CASE("name_is_subdomain: at or below, by whole labels, case folded", "[name]") {
  using zw::core::name_is_subdomain;
  CHECK(name_is_subdomain(wire("a.example."), wire("example.")));
  CHECK(name_is_subdomain(wire("example."), wire("example.")));
  CHECK(name_is_subdomain(wire("A.ExAmPlE."), wire("example.")));
  CHECK(name_is_subdomain(wire("example."), wire(".")));
  CHECK(name_is_subdomain(wire("."), wire(".")));
  CHECK_FALSE(name_is_subdomain(wire("."), wire("example.")));
  CHECK_FALSE(name_is_subdomain(wire("xexample."), wire("example.")));
  CHECK_FALSE(name_is_subdomain(wire("example.com."), wire("example.")));
  // The ancestor's octets (\007example\000) inside one label: a suffix, but not at a label.
  CHECK_FALSE(name_is_subdomain(wire("a\\007example."), wire("example.")));
  CHECK(name_is_subdomain(wire("a\\007example.example."), wire("example.")));

  std::mt19937 rng(11);
  const std::vector<std::string> labels = {"a", "A", "example", "EXAMPLE", "b\\007example", "\\000", "\\001", "x.y"};
  auto random_name = [&] {
    std::string text;
    const std::size_t n = rng() % 4;
    for (std::size_t i = 0; i < n; ++i) text += labels[rng() % labels.size()] + ".";
    return text.empty() ? std::string(".") : text;
  };
  for (int i = 0; i < 20000; ++i) {
    const std::string b_text = random_name();
    std::string a_text = random_name();
    if (i % 2 == 0) {  // half of the names are built below the ancestor (or its look-alikes)
      if (a_text == ".") a_text.clear();
      a_text += b_text == "." ? "" : b_text;
      if (a_text.empty()) a_text = ".";
    }
    const zw::core::WireName a = wire(a_text);
    const zw::core::WireName b = wire(b_text);
    INFO(zw::core::name_to_text(a) << " below " << zw::core::name_to_text(b));
    REQUIRE(name_is_subdomain(a, b) == reference(a, b));
  }
}
