// test_anchors.cpp: --ds and -k inputs: the formats read (master file, dig +short DS, IANA XML, BIND trust-anchors),
// hostile files (bounded time and memory), and inputs that serve none of the zones checked (exit 3).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "input_support.hpp"
#include "pipeline/zone_job.hpp"
#include "zone/anchors.hpp"

using namespace zw;
namespace fs = std::filesystem;

namespace {

const std::string kVectors = ZW_SOURCE_DIR "/test-vectors/";
const std::string kZone = kVectors + "zone/clean/clean-rsasha256-nsec.zone";  // example., KSK 20045
const std::string kKskDigest = "5B91D405200795C060CB6598859E530989E28DF116F0DB8F7782406FB2A1B445";
const std::string kKskKey =
    "AwEAAb+u7R/wLP2C4spztYLA5flvCgy4Jrs9fPrtqqYNWYMVXnBgxtwVs0rY0Fic2w8Q8DW2Mp1ZepTyc+4utMtErrTQ/Qu4gpWHHmI1TXQ6KSGT"
    "QGY4OSutCq0XiWumiZXBUXkKGvYDW1gbWOxnBsHO/gvCgVUZdz2Hmo2wv1Izc2gdL6Ay/CFdQNpAp3RcRb4eNCGrwuXpksWemqA3csbAO2PFKyR1"
    "QUh6diZNEuB0kWM1+L9El7bSFUoHg60UU6t7QyAqs8Pgj9U13NzXxQDM9iT1bLO6Gz3c3w2p9hB4ewsQtAqoAGOGdivEWqen7cj91n6oc1fM66h9"
    "4N/XFyQkYzc=";

using TempDir = zw::test::ScratchDir;

pipeline::ZoneJob job_for(std::vector<std::string> zones, std::vector<std::string> ds, std::vector<std::string> anchors,
                          const std::string& origin = {}) {
  pipeline::ZoneJob job;
  job.files = std::move(zones);
  job.ds_files = std::move(ds);
  job.anchor_files = std::move(anchors);
  job.origin = origin;
  job.options.now = core::parse_time("2026-01-01T00:00:00Z", 0);
  return job;
}

bool has(const report::Run& r, catalog::Code c) {
  for (const Finding& f : r.findings) {
    if (f.code == c) return true;
  }
  return false;
}

/// The error message of a job that must fail, or "" when it did not.
std::string error_of(const pipeline::ZoneJob& job) {
  try {
    pipeline::run_zone_job(job);
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

std::string key_digest(const std::string& attrs, const std::string& tag, const std::string& digest) {
  return "<KeyDigest id=\"k" + tag + "\" " + attrs + ">\n<KeyTag>" + tag +
         "</KeyTag>\n<Algorithm>8</Algorithm>\n<DigestType>2</DigestType>\n<Digest>" + digest +
         "</Digest>\n</KeyDigest>\n";
}

std::string xml(const std::string& zone, const std::string& digests) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrustAnchor id=\"x\" source=\"test\">\n<Zone>" + zone +
         "</Zone>\n" + digests + "</TrustAnchor>\n";
}

}  // namespace

TEST_CASE("a DS or anchor file that cannot be opened names the OS reason", "[anchors]") {
  TempDir dir;
  std::string missing = (dir.path / "missing.ds").string();
  std::string msg = error_of(job_for({kZone}, {missing}, {}));
  CHECK(msg == missing + ": cannot open: No such file or directory");
  msg = error_of(job_for({kZone}, {}, {dir.path.string()}));
  CHECK(msg == dir.path.string() + ": cannot open: Is a directory");
}

TEST_CASE("DS and anchor files are read bounded: NUL bytes and oversized files stop at once", "[anchors][hostile]") {
  TempDir dir;
  // A device that never ends: stops at the first NUL byte instead of growing until killed.
  auto t0 = std::chrono::steady_clock::now();
  std::string msg = error_of(job_for({kZone}, {"/dev/zero"}, {}));
  CHECK(msg.find("/dev/zero") == 0);
  CHECK(msg.find("NUL") != std::string::npos);
  // A 1 GB sparse file is refused by its size, without reading it.
  std::string sparse = (dir.path / "sparse.ds").string();
  { std::ofstream out(sparse, std::ios::binary); }
  fs::resize_file(sparse, std::uintmax_t{1} << 30);
  msg = error_of(job_for({kZone}, {}, {sparse}));
  CHECK(msg.find(sparse + ": ") == 0);
  // Text followed by a NUL byte: binary.
  std::string nul = dir.write("nul.ds", "example. IN DS 20045 8 2 " + kKskDigest + "\n" + std::string(1, '\0') + "x\n");
  msg = error_of(job_for({kZone}, {nul}, {}));
  CHECK(msg.find(nul + ":2: ") == 0);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20));
}

TEST_CASE("IANA anchor XML is parsed in linear time and hostile bodies are refused", "[anchors][xml][hostile]") {
  TempDir dir;
  const std::string valid = key_digest("validFrom=\"2010-07-15T00:00:00+00:00\"", "20045", kKskDigest);
  SECTION("a well-formed anchor is used") {
    auto r = pipeline::run_zone_job(job_for({kZone}, {}, {dir.write("a.xml", xml("example.", valid))}));
    CHECK(r.subjects.at(0).chain == "trust-anchor");
    CHECK_FALSE(has(r, catalog::Code::ZONE_BOGUS));
  }
  SECTION("a 60 KB <Digest> is an unusable anchor, not a crash") {
    std::string big = key_digest("", "20045", std::string(60000, 'A'));
    CHECK_FALSE(error_of(job_for({kZone}, {}, {dir.write("d.xml", xml("example.", big))})).empty());
  }
  SECTION("a 60 KB <Zone> is refused, not a crash") {
    CHECK_FALSE(error_of(job_for({kZone}, {}, {dir.write("z.xml", xml(std::string(60000, 'a'), valid))})).empty());
  }
  SECTION("a truncated file is refused") {
    std::string text = xml("example.", valid);
    std::string cut = dir.write("cut.xml", text.substr(0, text.find("<Digest>") + 20));
    CHECK_FALSE(error_of(job_for({kZone}, {}, {cut})).empty());
    std::string no_end = dir.write("noend.xml", text.substr(0, text.find("</TrustAnchor>")));
    CHECK_FALSE(error_of(job_for({kZone}, {}, {no_end})).empty());
  }
  SECTION("a file whose KeyDigests are all outside their validity is refused") {
    std::string old = key_digest("validFrom=\"2010-07-15T00:00:00+00:00\" validUntil=\"2019-01-11T00:00:00+00:00\"",
                                 "20045", kKskDigest);
    std::string future = key_digest("validFrom=\"2030-01-01T00:00:00+00:00\"", "20045", kKskDigest);
    std::string msg = error_of(job_for({kZone}, {}, {dir.write("old.xml", xml("example.", old + future))}));
    CHECK(msg.find("old.xml") != std::string::npos);
  }
  SECTION("40,000 KeyDigests (9 MB) are over the size cap; 4,000 (under it) are read in linear time") {
    std::string many;
    for (int i = 0; i < 40000; ++i) many += key_digest("validFrom=\"2010-07-15T00:00:00+00:00\"", "1", kKskDigest);
    auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(error_of(job_for({kZone}, {}, {dir.write("big.xml", xml("example.", many))})).empty());
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
    many.resize(many.size() / 10);
    t0 = std::chrono::steady_clock::now();
    auto r = pipeline::run_zone_job(job_for({kZone}, {}, {dir.write("some.xml", xml("example.", many + valid))}));
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
    CHECK(r.subjects.at(0).chain == "trust-anchor");
    CHECK_FALSE(has(r, catalog::Code::ZONE_BOGUS));
  }
}

TEST_CASE("DS and anchor records must serve a zone that is checked", "[anchors]") {
  TempDir dir;
  // A root anchor on a zone that is not the root.
  std::string msg = error_of(job_for({kZone}, {}, {ZW_SOURCE_DIR "/zones/root/root-anchors.ds"}));
  CHECK(msg.find(ZW_SOURCE_DIR "/zones/root/root-anchors.ds:") == 0);
  // A DS set for another zone.
  std::string other = dir.write("other.ds", "other. IN DS 20045 8 2 " + kKskDigest + "\n");
  msg = error_of(job_for({kZone}, {other}, {}));
  CHECK(msg.find(other + ":1: ") == 0);
  // One record of a file for the zone and one for another: still an error.
  std::string mixed =
      dir.write("mixed.ds", "example. IN DS 20045 8 2 " + kKskDigest + "\nother. IN DS 20045 8 2 " + kKskDigest + "\n");
  msg = error_of(job_for({kZone}, {mixed}, {}));
  CHECK(msg.find(mixed + ":2: ") == 0);
  // An anchor file with no usable record (unassigned digest type).
  std::string unusable = dir.write("unusable.key", "example. IN DS 20045 8 99 " + kKskDigest + "\n");
  CHECK(error_of(job_for({kZone}, {}, {unusable})).find(unusable) == 0);
}

TEST_CASE("dig +short DS lines take their owner from -o", "[anchors]") {
  TempDir dir;
  std::string split = kKskDigest.substr(0, 56) + " " + kKskDigest.substr(56);
  std::string file = dir.write("short.ds", "20045 8 2 " + split + "\n");
  auto r = pipeline::run_zone_job(job_for({kZone}, {file}, {}, "example."));
  CHECK(r.subjects.at(0).chain == "ds");
  CHECK_FALSE(has(r, catalog::Code::ZONE_BOGUS));
  std::string msg = error_of(job_for({kZone}, {file}, {}));
  CHECK(msg.find(file + ":1: ") == 0);
  CHECK(msg.find("-o") != std::string::npos);
  // As a trust anchor too.
  r = pipeline::run_zone_job(job_for({kZone}, {}, {file}, "example."));
  CHECK(r.subjects.at(0).chain == "trust-anchor");
  CHECK_FALSE(has(r, catalog::Code::ZONE_BOGUS));
}

TEST_CASE("BIND trust-anchors, managed-keys and trusted-keys files are trust anchors", "[anchors][bind]") {
  TempDir dir;
  const std::string q = "\"";
  const std::vector<std::string> forms = {
      "trust-anchors {\n  example. static-ds 20045 8 2 " + q + kKskDigest.substr(0, 40) + "\n   " +
          kKskDigest.substr(40) + q + ";\n};\n",
      "# comment\ntrust-anchors { \"example\" initial-key 257 3 8 \"" + kKskKey + "\"; };\n",
      "/* a\n block */ managed-keys {\n // line comment\n example. initial-ds 20045 8 2 \"" + kKskDigest + "\";\n};\n",
      "trusted-keys {\n  example. 257 3 8 \"" + kKskKey.substr(0, 100) + "\n  " + kKskKey.substr(100) + "\";\n};\n",
  };
  for (std::size_t i = 0; i < forms.size(); ++i) {
    DYNAMIC_SECTION("form " << i) {
      auto r = pipeline::run_zone_job(job_for({kZone}, {}, {dir.write("b.keys", forms[i])}));
      CHECK(r.subjects.at(0).chain == "trust-anchor");
      CHECK_FALSE(has(r, catalog::Code::ZONE_BOGUS));
      CHECK_FALSE(has(r, catalog::Code::TRUST_ANCHOR_STALE));
    }
  }
  SECTION("a static-ds that matches no key makes the zone bogus") {
    std::string wrong = kKskDigest;
    wrong[0] = '6';
    auto r = pipeline::run_zone_job(job_for(
        {kZone}, {}, {dir.write("w.keys", "trust-anchors { example. static-ds 20045 8 2 \"" + wrong + "\"; };")}));
    CHECK(has(r, catalog::Code::ZONE_BOGUS));
  }
  SECTION("malformed statements are errors with a line") {
    for (const std::string& bad : {
             std::string("trust-anchors {\n example. initial-key 257 3 8 \"" + kKskKey + "\"\n};\n"),
             std::string("trust-anchors {\n example. secret-key 257 3 8 \"" + kKskKey + "\";\n};\n"),
             std::string("trust-anchors {\n example. static-ds 20045 8 2 \"" + kKskDigest + "\";\n"),
             std::string("options {\n directory \"/var\";\n};\n"),
         }) {
      std::string f = dir.write("bad.keys", bad);
      std::string msg = error_of(job_for({kZone}, {}, {f}));
      INFO(bad);
      CHECK(msg.find(f + ":") == 0);
    }
  }
}

TEST_CASE("BIND's own bind.keys anchors the 2026 root snapshot", "[anchors][bind][realdata]") {
  pipeline::ZoneJob job =
      job_for({ZW_SOURCE_DIR "/zones/root/root-2026073102.zone.gz"}, {}, {kVectors + "anchors/bind.keys"});
  job.options.now = core::parse_time("20260805000000", 0);
  auto r = pipeline::run_zone_job(job);
  CHECK(r.subjects.at(0).chain == "trust-anchor");
  for (const Finding& f : r.findings) CHECK(f.severity < Severity::Warning);
}

TEST_CASE("committed malformed anchor files fail with file and line", "[anchors][malformed]") {
  const std::string dir = kVectors + "malformed/";
  const std::pair<const char*, int> cases[] = {{"truncated-anchors.xml", 6}, {"bind-keys-missing-semicolon.keys", 4}};
  for (const auto& [file, line] : cases) {
    INFO(file);
    std::string msg = error_of(job_for({kZone}, {}, {dir + file}));
    CHECK(msg.find(dir + file + ":" + std::to_string(line) + ": ") == 0);
  }
}

TEST_CASE("a DS set can come through a pipe", "[anchors]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const std::string text = "example. IN DS 20045 8 2 " + kKskDigest + "\n";
  REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  auto r = pipeline::run_zone_job(job_for({kZone}, {"/dev/fd/" + std::to_string(fds[0])}, {}));
  ::close(fds[0]);
  CHECK(r.subjects.at(0).chain == "ds");
  CHECK_FALSE(has(r, catalog::Code::ZONE_BOGUS));
}

TEST_CASE("mutated anchor files end in records or a clear input error", "[anchors][malformed]") {
  const std::vector<std::string> seeds = {
      ZW_SOURCE_DIR "/zones/root/root-anchors.xml",
      ZW_SOURCE_DIR "/zones/root/root-anchors.ds",
      kVectors + "anchors/bind.keys",
  };
  std::mt19937 rng(20261207);
  zone::AnchorReadOptions opt;
  opt.allow_dnskey = true;
  opt.now = core::parse_time("2026-01-01T00:00:00Z", 0);
  opt.origin = std::string(1, '\0');
  std::size_t errors = 0;
  std::size_t read = 0;
  for (const std::string& seed : seeds) {
    std::ifstream in(seed, std::ios::binary);
    const std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(original.size() > 100);
    for (int i = 0; i < 300; ++i) {
      std::string text = original;
      int rounds = std::uniform_int_distribution<int>(1, 4)(rng);
      for (int k = 0; k < rounds && !text.empty(); ++k) {
        std::size_t p = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
        switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
          case 0: text.erase(p, std::uniform_int_distribution<std::size_t>(1, 40)(rng)); break;
          case 1: text.resize(p); break;
          case 2:
            text.insert(p, std::string(1, "<>/\"{};#*\n 0A"[std::uniform_int_distribution<int>(0, 12)(rng)]));
            break;
          default: text.insert(p, text.substr(p, std::uniform_int_distribution<std::size_t>(1, 200)(rng))); break;
        }
      }
      try {
        auto recs = zone::read_anchor_text(text, "mutant", opt);
        CHECK_FALSE(recs.empty());
        ++read;
      } catch (const Error& e) {
        CHECK(std::string(e.what()).rfind("mutant", 0) == 0);
        ++errors;
      }
    }
  }
  CHECK(errors > 0);
  CHECK(read > 0);
}
