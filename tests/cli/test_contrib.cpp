// test_contrib.cpp: the monitoring examples in contrib/ are read by their consumers.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

TEST_CASE("contrib's Prometheus alerting rules pass promtool check rules", "[contrib]") {
  const std::string rules = std::string(ZW_SOURCE_DIR) + "/contrib/prometheus/zonewarden-alerts.yml";
  CHECK(std::system(("promtool check rules " + rules + " >/dev/null 2>&1").c_str()) == 0);
  // promtool does fail on a broken rule file (this file is not one).
  CHECK(std::system(("promtool check rules " + std::string(ZW_SOURCE_DIR) + "/README.md >/dev/null 2>&1").c_str()) !=
        0);
}
