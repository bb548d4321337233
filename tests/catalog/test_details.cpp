// test_details.cpp: the closed detail sets and the severity conditions of the catalogue, and the reporter's
// refusal of anything the catalogue does not declare.
#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "catalog/catalog.hpp"
#include "checks/check.hpp"
#include "report/report.hpp"

using namespace zw;
using catalog::Code;
using P = checks::Reporter::Params;

namespace {

struct Harness {
  checks::ZoneContext ctx;
  FindingSink sink;
  checks::Reporter rep{ctx, sink};
  Harness() { ctx.name = "example."; }
};

}  // namespace

TEST_CASE("the reporter rejects a detail token the catalogue does not declare", "[catalog][reporter]") {
  Harness h;
  h.rep.zone(Code::ZONE_BOGUS, P{{"detail", "soa-not-signed"}});
  h.rep.zone(Code::KEY_EC_POINT_INVALID, P{{"keytag", "1"}, {"detail", "off-curve"}});
  CHECK(h.sink.take().size() == 2);
  // An English reason, a misspelt token, an empty one, a token of another code.
  CHECK_THROWS_AS(h.rep.zone(Code::ZONE_BOGUS, P{{"detail", "the apex SOA has no current, valid signature"}}),
                  std::logic_error);
  CHECK_THROWS_AS(h.rep.zone(Code::ZONE_BOGUS, P{{"detail", "soa-not-signd"}}), std::logic_error);
  CHECK_THROWS_AS(h.rep.zone(Code::ZONE_BOGUS, P{{"detail", ""}}), std::logic_error);
  CHECK_THROWS_AS(h.rep.zone(Code::KEY_EC_POINT_INVALID, P{{"keytag", "1"}, {"detail", "soa-not-signed"}}),
                  std::logic_error);
  // The old free-English param is gone.
  CHECK_THROWS_AS(h.rep.zone(Code::ZONE_BOGUS, P{{"reason", "x"}}), std::logic_error);
  CHECK(h.sink.take().empty());
}

TEST_CASE("a finding carries exactly the params its detail token's text uses", "[catalog][reporter]") {
  Harness h;
  // KEY_RSA_FACTORABLE: "keytag detail factor others"; small-factor uses {factor}, shared-prime {others}.
  h.rep.zone(Code::KEY_RSA_FACTORABLE, P{{"keytag", "1"}, {"detail", "small-factor"}, {"factor", "7"}});
  h.rep.zone(Code::KEY_RSA_FACTORABLE, P{{"keytag", "1"}, {"detail", "even-modulus"}});
  CHECK(h.sink.take().size() == 2);
  CHECK_THROWS_AS(h.rep.zone(Code::KEY_RSA_FACTORABLE, P{{"keytag", "1"}, {"detail", "small-factor"}}),
                  std::logic_error);
  CHECK_THROWS_AS(h.rep.zone(Code::KEY_RSA_FACTORABLE, P{{"keytag", "1"}, {"detail", "even-modulus"}, {"factor", "7"}}),
                  std::logic_error);
  CHECK_THROWS_AS(h.rep.zone(Code::KEY_RSA_FACTORABLE,
                             P{{"keytag", "1"}, {"detail", "small-factor"}, {"factor", "7"}, {"others", "x"}}),
                  std::logic_error);
  // A param of the row's template is always carried, whatever the token.
  CHECK_THROWS_AS(h.rep.zone(Code::KEY_RSA_FACTORABLE, P{{"detail", "even-modulus"}}), std::logic_error);
  CHECK(h.sink.take().empty());
}

TEST_CASE("the message renders a detail token as its text, with its params", "[catalog]") {
  Finding f;
  f.code = Code::KEY_RSA_FACTORABLE;
  f.params = {{"keytag", "4242"}, {"detail", "small-factor"}, {"factor", "7"}};
  CHECK(render_message(f) == "RSA key 4242 can be factored: the modulus is divisible by 7");
  f.code = Code::NSEC_CHAIN_BROKEN;
  f.params = {{"next", "b.example."}, {"detail", "skips"}, {"expected", "a.example."}, {"count", "2"}};
  CHECK(render_message(f) == "NSEC chain broken at this name (next b.example.): next skips 2 names from a.example. on");
}

TEST_CASE("every detail belongs to a code that declares a detail param, and every such code has details", "[catalog]") {
  std::size_t tokens = 0;
  for (const catalog::Entry& e : catalog::all()) {
    INFO(e.name);
    auto params = catalog::param_names(e);
    const bool declares = std::find(params.begin(), params.end(), "detail") != params.end();
    CHECK(declares == !catalog::details(e.code).empty());
    std::set<std::string_view> declared(params.begin(), params.end());
    std::set<std::string_view> seen;
    for (const catalog::Detail& d : catalog::details(e.code)) {
      INFO(d.token);
      ++tokens;
      CHECK(d.code == e.code);
      CHECK(seen.insert(d.token).second);
      CHECK(std::regex_match(std::string(d.token), std::regex("[a-z0-9]+(-[a-z0-9]+)*")));
      CHECK(catalog::find_detail(e.code, d.token) == &d);
      for (auto p : catalog::detail_params(d)) CHECK((declared.count(p) == 1 && p != "detail"));
    }
  }
  CHECK(tokens >= 80);
  // The codes that carried free English before: every one now has a closed set.
  for (Code c : {Code::ZONE_BOGUS, Code::RRSIG_INVALID, Code::DS_DIGEST_INVALID, Code::CDS_CDNSKEY_MISMATCH,
                 Code::KEY_ENCODING_INVALID, Code::KEY_RSA_FACTORABLE, Code::NSEC_CHAIN_BROKEN,
                 Code::NSEC3_CHAIN_BROKEN, Code::NSEC3_PARAM_MISMATCH, Code::RFC5011_HOLDDOWN_VIOLATION,
                 Code::ZONEMD_INVALID, Code::KEY_EC_POINT_INVALID, Code::VALIDATION_BUDGET_EXCEEDED}) {
    INFO(catalog::name(c));
    CHECK(!catalog::details(c).empty());
    auto params = catalog::param_names(catalog::entry(c));
    CHECK(std::find(params.begin(), params.end(), "reason") == params.end());
  }
}

TEST_CASE("a severity condition the catalogue does not declare fails", "[catalog][reporter]") {
  Harness h;
  const P collision{{"keytag", "1"},
                    {"algorithm", "8"},
                    {"count", "2"},
                    {"keys", "key 1 (flags 256, AA..., published); key 1 (flags 256, AB..., published)"}};
  h.rep.zone(Code::KEYTAG_COLLISION, collision);
  h.rep.zone(Code::KEYTAG_COLLISION, collision, catalog::When(Code::KEYTAG_COLLISION, "both-sign"));
  auto f = h.sink.take();
  REQUIRE(f.size() == 2);
  CHECK(f[0].severity == Severity::Warning);
  CHECK(f[0].condition.empty());
  CHECK(f[1].severity == Severity::Error);
  CHECK(f[1].condition == "both-sign");
  // An undeclared condition, and a condition of another code.
  CHECK_THROWS_AS(catalog::When(Code::KEYTAG_COLLISION, "both-signs"), std::logic_error);
  CHECK_THROWS_AS(catalog::When(Code::RRSIG_MISSING, "both-sign"), std::logic_error);
  CHECK_THROWS_AS(h.rep.zone(Code::KEYTAG_COLLISION, collision, catalog::When(Code::RRSIG_EXPIRED, "another-valid")),
                  std::logic_error);
  CHECK(h.sink.take().empty());
}

TEST_CASE("every severity condition names another severity than its row's", "[catalog]") {
  std::size_t n = 0;
  for (const catalog::Entry& e : catalog::all()) {
    std::set<std::string_view> tokens;
    for (const catalog::Condition& c : catalog::conditions(e.code)) {
      INFO(e.name << " when " << c.token);
      ++n;
      CHECK(c.code == e.code);
      CHECK(c.severity != e.severity);
      CHECK(tokens.insert(c.token).second);
      CHECK(!c.text.empty());
      CHECK(catalog::When(e.code, c.token).severity_for(e.code) == c.severity);
      // The rationale no longer states the condition: the condition row does.
      CHECK(e.rationale.find(std::string(severity_name(c.severity)) == "error" ? "Error when" : "Warning when") ==
            std::string_view::npos);
    }
  }
  CHECK(n >= 12);
}

TEST_CASE("explain, the catalogue listings and the manual page show detail tokens and conditions", "[catalog]") {
  std::ostringstream explain;
  report::write_explain(explain, catalog::entry(Code::KEYTAG_COLLISION));
  CHECK(explain.str().find("error when: two or more keys of the group make valid signatures") != std::string::npos);
  std::ostringstream explain2;
  report::write_explain(explain2, catalog::entry(Code::KEY_RSA_FACTORABLE));
  CHECK(explain2.str().find("detail=small-factor") != std::string::npos);
  std::ostringstream json;
  report::write_catalog_json(json);
  CHECK(json.str().find("\"token\": \"small-factor\"") != std::string::npos);
  CHECK(json.str().find("\"token\": \"both-sign\"") != std::string::npos);
  std::ostringstream text;
  report::write_catalog_text(text);
  CHECK(text.str().find("detail=param-off-apex") != std::string::npos);
  const std::string man = report::catalog_man_page();
  CHECK(man.find("\\fBparam\\-off\\-apex\\fR") != std::string::npos);
  CHECK(man.find("\\fBerror\\fR when: two or more keys of the group make valid signatures.") != std::string::npos);
}
