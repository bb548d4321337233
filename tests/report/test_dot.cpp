// test_dot.cpp: the dot format drawn by Graphviz (`dot -Tsvg` accepts it), the svg format, and svg without Graphviz.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <sstream>

#include "core/error.hpp"
#include "report/report.hpp"
#include "report/report_support.hpp"

using namespace zw::test;

namespace {

Run draw(const Scratch& dir, const std::string& graph) {
  REQUIRE(std::system("command -v dot >/dev/null 2>&1") == 0);  // scripts/setup installs graphviz
  const std::string file = dir.put("graph.dot", graph);
  return shell("dot -Tsvg -o /dev/null '" + file + "'");
}

}  // namespace

TEST_CASE("dot -Tsvg draws the chain of trust of zone files from parent to child", "[report][dot]") {
  Scratch dir("dot");
  const std::string root = kSrc + "/zones/root/";
  Run r = run_zw("zone -f dot --now 20241011163831 -k " + root + "root-anchors.xml " + root +
                 "root-2024101100.axfr.zone.gz " + kEr + " " + kBadTtl);
  Run d = draw(dir, r.out);
  INFO(r.out.substr(0, 2000));
  INFO(d.out);
  CHECK(d.status == 0);
  CHECK(d.out.empty());
  CHECK(r.out.rfind("digraph \"chain of trust\" {\n", 0) == 0);
  CHECK(r.out.find("subgraph cluster_z0 {") != std::string::npos);
  CHECK(r.out.find("label=\"DNSKEY\\nalg=8, id=20326\"") != std::string::npos);  // the root KSK
  CHECK(r.out.find("peripheries=2") != std::string::npos);                       // trust anchor
  CHECK(r.out.find("color=\"#0a879a\"") != std::string::npos);                   // secure
  CHECK(r.out.find("z1_ds -> z0_k") != std::string::npos);                       // .er's DS in the root
  CHECK(r.out.find("color=\"#f4b800\"") != std::string::npos);                   // not checked
  CHECK(run_zw("zone -f dot --now 20241011163831 -k " + root + "root-anchors.xml " + root +
               "root-2024101100.axfr.zone.gz " + kEr + " " + kBadTtl)
            .out == r.out);
  CHECK(draw(dir, "digraph { a -> }").status != 0);  // the check can fail
}

TEST_CASE("svg is the graph drawn by Graphviz and an error without it", "[report][dot][svg]") {
  Run r = run_zw("zone -f svg --now 20241011163831 " + kEr);
  CHECK(r.out.find("<svg") != std::string::npos);
  CHECK(r.out.find("</svg>") != std::string::npos);
  CHECK(r.out.find("DNSKEY") != std::string::npos);

  // Without dot on PATH, the writer says what is missing.
  const char* path = std::getenv("PATH");
  const std::string saved = path != nullptr ? path : "";
  setenv("PATH", "/nonexistent", 1);
  zw::report::Run run;
  std::ostringstream out;
  std::string message;
  try {
    zw::report::write_svg(out, run, {});
  } catch (const zw::Error& e) {
    message = e.what();
  }
  setenv("PATH", saved.c_str(), 1);
  CHECK(message.find("graphviz") != std::string::npos);
  CHECK(out.str().empty());
}
