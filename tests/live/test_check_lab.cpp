// test_check_lab.cpp: `zonewarden check` against the test lab (real NSD and Knot servers in a private network
// namespace): the clean hierarchy is secure with no warning and libunbound agrees; every fault scenario gives the
// codes its manifest expects, naming exactly the servers at fault; every capture replays to the same report.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "catalog/catalog.hpp"
#include "cli/cli_run.hpp"
#include "core/time.hpp"
#include "infra/address_data.hpp"
#include "input_support.hpp"
#include "live/capture.hpp"
#include "live/lab_support.hpp"
#include "live/txt_resolver.hpp"
#include "pipeline/check_job.hpp"
#include "pipeline/zone_job.hpp"
#include "report/report.hpp"
#include "rollover/history.hpp"

using namespace zw;
using zw::test::Lab;
using zw::test::lab;
using zw::test::lab_job;

namespace {

std::string json_of(const report::Run& run) {
  std::ostringstream out;
  report::find_format("json")->write(out, run, {});
  return out.str();
}

/// A lab zone file without its DNSSEC records (RRSIG, DNSKEY, NSEC, NSEC3, NSEC3PARAM): the zone unsigned.
std::string unsigned_copy(const std::filesystem::path& zone_file) {
  std::ifstream in(zone_file);
  REQUIRE(in);
  std::string out, line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string w;
    bool dnssec = false;
    while (words >> w) dnssec |= w == "RRSIG" || w == "DNSKEY" || w == "NSEC" || w == "NSEC3" || w == "NSEC3PARAM";
    if (!dnssec) out += line + "\n";
  }
  return out;
}

std::vector<std::string> names_of(const std::vector<nlohmann::json>& zones) {
  std::vector<std::string> out;
  for (const auto& z : zones) out.push_back(z["name"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("the clean lab is secure end to end with no warning, and libunbound agrees", "[live][check]") {
  if (!test::in_netns()) return;  // run through tests/lab/netns-run (ctest: live:transport)
  const Lab& l = lab();
  const auto clean = l.zones(true);
  const report::Run run = pipeline::run_check_job(lab_job(l, names_of(clean)));
  CHECK(run.exit == 0);
  for (const Finding& f : run.findings) {
    INFO(catalog::name(f.code) << " " << f.zone << " " << f.owner);
    CHECK(f.severity < Severity::Warning);
    CHECK(f.code != catalog::Code::VALIDATOR_DISAGREEMENT);
  }
  for (const auto& z : clean) {
    const std::string name = z["name"].get<std::string>();
    auto s = std::find_if(run.subjects.begin(), run.subjects.end(),
                          [&](const report::Subject& x) { return x.name == name; });
    REQUIRE(s != run.subjects.end());
    INFO(name);
    CHECK(report::verdict_name(s->verdict) == std::string(z["signed"].get<bool>() ? "secure" : "insecure"));
  }
}

TEST_CASE("every fault of the lab gives its codes, naming exactly the servers at fault", "[live][check]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  for (const auto& z : l.zones(false)) {
    const std::string name = z["name"].get<std::string>();
    INFO("zone " << name << " (" << z["scenario"].get<std::string>() << ")");
    const report::Run run = pipeline::run_check_job(lab_job(l, {name}));
    std::vector<std::string> faulty = z["faulty_servers"].get<std::vector<std::string>>();
    std::sort(faulty.begin(), faulty.end());
    Severity worst = Severity::Info;
    for (const std::string& code : z["expect"].get<std::vector<std::string>>()) {
      INFO("expected " << code);
      bool seen = false;
      for (const Finding& f : run.findings) {
        if (f.zone != name || catalog::name(f.code) != code) continue;
        seen = true;
        worst = std::max(worst, f.severity);
        if (!faulty.empty()) CHECK(f.servers == faulty);
      }
      CHECK(seen);
    }
    // The zones above it are not at fault.
    for (const Finding& f : run.findings) {
      INFO(catalog::name(f.code) << " " << f.zone);
      if (f.zone != name) CHECK(f.severity < Severity::Warning);
    }
    CHECK(run.exit == (worst >= Severity::Error ? 2 : 0));  // --fail-on error: warnings alone exit 0
  }
}

TEST_CASE("a saved capture of every lab scenario replays offline to the same report, byte for byte",
          "[live][check][capture]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  for (const auto& z : l.manifest["zones"]) {
    const std::string name = z["name"].get<std::string>();
    INFO("zone " << name);
    pipeline::CheckJob live = lab_job(l, {name});
    live.save_capture = l.dir.path.string() + "/capture-" + z["scenario"].get<std::string>() + "-" + name + "json";
    const std::string first = json_of(pipeline::run_check_job(live));
    pipeline::CheckJob replay;
    replay.capture = live.save_capture;
    const report::Run again = pipeline::run_check_job(replay);
    CHECK(json_of(again) == first);
  }
}

TEST_CASE("--deadline ends the walk in time with a report of what was learned", "[live][check]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  pipeline::CheckJob job = lab_job(l, {"shop.svc.", "slow.svc."});
  job.timeout_seconds = 10;  // the server that never answers would cost 10 s
  job.deadline_seconds = 0.5;
  job.resolver = false;
  const auto t0 = std::chrono::steady_clock::now();
  const report::Run run = pipeline::run_check_job(job);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(took < 5);  // a wide margin: sanitizer builds are slow, but nowhere near the 10 s timeout
  CHECK(run.exit <= 2);
  REQUIRE(!run.warnings.empty());
  CHECK(run.warnings.back().find("--deadline passed") != std::string::npos);
  // What was learned before the deadline is reported: the clean zone was checked.
  CHECK(std::any_of(run.subjects.begin(), run.subjects.end(),
                    [](const report::Subject& s) { return s.name == "shop.svc." && s.checked(); }));
}

TEST_CASE("--probe questions go to every server of the name's zone, and --list names the zones", "[live][check]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  const std::string list = l.dir.path.string() + "/probe.list";
  std::ofstream(list) << "# a watch-list\nshop.svc.   # the clean shop\n\n";
  pipeline::CheckJob job = lab_job(l, {});
  job.lists = {list};
  job.probes = {"www.shop.svc./A", "nothere.shop.svc./TXT"};
  job.save_capture = l.dir.path.string() + "/probe.capture";
  const report::Run run = pipeline::run_check_job(job);
  CHECK(run.exit == 0);
  CHECK(run.inputs.names == std::vector<std::string>{"shop.svc."});
  std::ifstream in(job.save_capture);
  std::stringstream text;
  text << in.rdbuf();
  const live::Capture c = live::read_capture(text, "probe.capture");
  std::set<std::string> asked;
  for (const live::Observation& o : c.exchanges) {
    if (o.request.qname == "www.shop.svc." && o.request.qtype == 1) asked.insert(o.request.address);
    if (o.request.qname == "nothere.shop.svc." && o.request.qtype == 16) asked.insert("nx@" + o.request.address);
  }
  CHECK(asked.size() == 4);  // both questions, both servers of shop.svc.
}

extern "C" {  // libloc's headers declare C functions without extern "C"
#include <libloc/as.h>
#include <libloc/libloc.h>
#include <libloc/network.h>
#include <libloc/writer.h>
}

namespace {

// A libloc database (location.db) for the lab, written with libloc's own writer: 127.53.31.0/24 in AS64500,
// 127.53.32.0/24 in `second`.
std::string lab_libloc(const std::string& path, std::uint32_t second) {
  loc_ctx* ctx = nullptr;
  REQUIRE(loc_new(&ctx) == 0);
  loc_set_log_priority(ctx, 0);
  loc_writer* w = nullptr;
  REQUIRE(loc_writer_new(ctx, &w, nullptr, nullptr) == 0);
  for (const auto& [asn, org] : {std::pair<std::uint32_t, const char*>{64500, "Example Social, Inc."},
                                 std::pair<std::uint32_t, const char*>{64501, "Example Networks"}}) {
    loc_as* as = nullptr;
    REQUIRE(loc_writer_add_as(w, &as, asn) == 0);
    loc_as_set_name(as, org);
    loc_as_unref(as);
  }
  for (const auto& [net, asn] : {std::pair<const char*, std::uint32_t>{"127.53.31.0/24", 64500},
                                 std::pair<const char*, std::uint32_t>{"127.53.32.0/24", second}}) {
    loc_network* n = nullptr;
    REQUIRE(loc_writer_add_network(w, &n, net) == 0);
    loc_network_set_asn(n, asn);
    loc_network_set_country_code(n, "US");
    loc_network_unref(n);
  }
  std::FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f != nullptr);
  REQUIRE(loc_writer_write(w, f, LOC_DATABASE_VERSION_LATEST) == 0);
  std::fclose(f);
  loc_writer_unref(w);
  loc_unref(ctx);
  return "libloc:" + path;
}

// Address data for the lab's loopback addresses in one of the formats --asn-source reads: 127.53.31.0/24 (ns1 of
// hosting.svc., which serves z01.svc.) in AS64500, 127.53.32.0/24 (its ns2) in `second_asn`.
std::string lab_address_data(const std::string& dir, const std::string& kind, std::uint32_t second_asn) {
  const std::string second = std::to_string(second_asn);
  std::string path = dir + "/asn-" + kind + "-" + second;
  std::ofstream out;
  if (kind == "csv") {
    path += ".csv";
    out.open(path);
    out << "127.53.31.0,127.53.31.255,64500,\"Example Social, Inc.\"\n127.53.32.0,127.53.32.255," << second
        << ",Example Networks\n";
  } else if (kind == "iptoasn") {
    path += ".tsv";
    out.open(path);
    out << "127.53.31.0\t127.53.31.255\t64500\tUS\tEXAMPLE-SOCIAL\n127.53.32.0\t127.53.32.255\t" << second
        << "\tUS\tEXAMPLE-NET\n";
  } else if (kind == "libloc") {
    return lab_libloc(path + ".db", second_asn);
  } else if (kind == "cymru") {
    // Team Cymru's DNS interface, asked through the resolver stand-in of cymru_resolver().
    return "cymru:origin.asn.example-lab,127.0.0.16";
  } else if (kind == "mmdb") {
    // MaxMind format: written by scripts/make-test-mmdb (the lab's addresses are fixed).
    return "mmdb:" + std::string(ZW_SOURCE_DIR) + "/test-vectors/asn/lab-asn-" + second + ".mmdb";
  } else {
    path += ".pfx2as";
    out.open(path);
    out << "127.53.31.0\t24\t64500\n127.53.32.0\t24\t" << second << "\n";
  }
  return kind + ":" + path;
}

// A resolver stand-in on 127.0.0.16 answering Team Cymru's TXT questions for the lab's two hosting servers:
// 127.53.31.1 in AS64500, 127.53.32.1 in `second_asn`.
std::unique_ptr<test::TxtResolver> cymru_resolver(std::uint32_t second_asn) {
  const std::string second = std::to_string(second_asn);
  return std::make_unique<test::TxtResolver>(
      "127.0.0.16", std::map<std::string, std::string>{
                        {"1.31.53.127.origin.asn.example-lab.", "64500 | 127.53.31.0/24 | US | lab | 2026-01-01"},
                        {"1.32.53.127.origin.asn.example-lab.", second + " | 127.53.32.0/24 | US | lab | 2026-01-01"},
                        {"as64500.asn.example-lab.", "64500 | US | lab | 2026-01-01 | Example Social, Inc., US"},
                        {"as64501.asn.example-lab.", "64501 | US | lab | 2026-01-01 | Example Networks, US"}});
}

}  // namespace

TEST_CASE("nameservers all in one AS give NS_SINGLE_ASN live, in every address data format", "[live][check]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  const std::string dir = l.dir.path.string();
  for (const std::string kind : {"libloc", "csv", "iptoasn", "pfx2as", "mmdb", "cymru"}) {
    for (const std::uint32_t second : {64500U, 64501U}) {
      DYNAMIC_SECTION(kind << " " << second) {
        const auto resolver = kind == "cymru" ? cymru_resolver(second) : nullptr;
        auto data = std::make_shared<infra::AddressData>();
        data->add(infra::open_source(lab_address_data(dir, kind, second)));
        pipeline::CheckJob job = lab_job(l, {"z01.svc."});
        job.resolver = false;
        job.addresses = data;
        const report::Run run = pipeline::run_check_job(job);
        const auto single = std::count_if(run.findings.begin(), run.findings.end(), [](const Finding& f) {
          return f.code == catalog::Code::NS_SINGLE_ASN && f.zone == "z01.svc.";
        });
        CHECK(single == (second == 64500 ? 1 : 0));
        auto s = std::find_if(run.subjects.begin(), run.subjects.end(),
                              [](const report::Subject& x) { return x.name == "z01.svc."; });
        REQUIRE(s != run.subjects.end());
        REQUIRE(s->nameserver_asns);
        CHECK(*s->nameserver_asns == (second == 64500 ? 1U : 2U));
        if (single == 1) {
          auto f = std::find_if(run.findings.begin(), run.findings.end(),
                                [](const Finding& x) { return x.code == catalog::Code::NS_SINGLE_ASN; });
          CHECK(f->param("asn") == "64500");
        }
      }
    }
  }
}

TEST_CASE("a service whose addresses all sit in one AS gives SERVICE_ENDPOINT_CONCENTRATION, spread it does not",
          "[live][check]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  const std::string data_file = l.dir.path.string() + "/asn-services.tsv";
  // api.z01.svc. is 192.0.2.80 and .81 (one site); web.z01.svc. is 192.0.2.80 and 198.51.100.80 (two networks).
  std::ofstream(data_file) << "192.0.2.0\t192.0.2.255\t64510\tNL\tEXAMPLE-MESSENGER\n"
                              "198.51.100.0\t198.51.100.255\t64511\tDE\tEXAMPLE-CDN\n";
  auto data = std::make_shared<infra::AddressData>();
  data->add(infra::open_source("iptoasn:" + data_file));
  pipeline::CheckJob job = lab_job(l, {"z01.svc."});
  job.resolver = false;
  job.addresses = data;
  job.services = {"api.z01.svc.", "web.z01.svc."};
  const report::Run run = pipeline::run_check_job(job);
  std::vector<std::string> services;
  for (const Finding& f : run.findings) {
    if (f.code != catalog::Code::SERVICE_ENDPOINT_CONCENTRATION) continue;
    services.push_back(f.param("service"));
    CHECK(f.zone == "z01.svc.");
    CHECK(f.param("where") == "AS64510 (EXAMPLE-MESSENGER), one prefix 192.0.2.0/24, NL, unicast");
  }
  CHECK(services == std::vector<std::string>{"api.z01.svc."});
}

TEST_CASE("a capture keeps the address facts and services: its replay judges them anywhere, --asn-source overrides",
          "[live][check][capture]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  const std::string dir = l.dir.path.string();
  auto one_as = std::make_shared<infra::AddressData>();
  one_as->add(infra::open_source(lab_address_data(dir, "csv", 64500)));
  pipeline::CheckJob live = lab_job(l, {"z01.svc."});
  live.resolver = false;
  live.addresses = one_as;
  live.services = {"api.z01.svc."};
  live.save_capture = dir + "/capture-facts.json";
  const report::Run first = pipeline::run_check_job(live);
  const auto count = [](const report::Run& run, catalog::Code code) {
    return std::count_if(run.findings.begin(), run.findings.end(), [&](const Finding& f) { return f.code == code; });
  };
  CHECK(count(first, catalog::Code::NS_SINGLE_ASN) == 1);

  std::ifstream in(live.save_capture);
  const live::Capture saved = live::read_capture(in, live.save_capture);
  CHECK(saved.services == std::vector<std::string>{"api.z01.svc."});
  REQUIRE(saved.addresses);
  REQUIRE(saved.addresses->sources.size() == 1);
  CHECK(saved.addresses->sources[0].name == one_as->sources()[0]->name);
  const auto ns1 = saved.addresses->facts.find(*infra::Address::parse("127.53.31.1"));
  REQUIRE(ns1 != saved.addresses->facts.end());
  CHECK(ns1->second.asn == 64500);
  CHECK(ns1->second.org == "Example Social, Inc.");
  CHECK(saved.addresses->facts.count(*infra::Address::parse("192.0.2.80")) == 1);  // the service's, asked too

  // No address data on the replaying side (nor any --service): the recorded facts and services, the same report.
  pipeline::CheckJob replay;
  replay.capture = live.save_capture;
  const report::Run again = pipeline::run_check_job(replay);
  CHECK(json_of(again) == json_of(first));
  // Other address data given explicitly: used instead of the facts (both servers in two ASes now).
  auto two_ases = std::make_shared<infra::AddressData>();
  two_ases->add(infra::open_source(lab_address_data(dir, "csv", 64501)));
  replay.addresses = two_ases;
  replay.asn_source_given = true;
  CHECK(count(pipeline::run_check_job(replay), catalog::Code::NS_SINGLE_ASN) == 0);
  // The same data without --asn-source: the facts win.
  replay.asn_source_given = false;
  CHECK(count(pipeline::run_check_job(replay), catalog::Code::NS_SINGLE_ASN) == 1);
}

TEST_CASE("a capture of a check with Team Cymru's data replays the same with the resolver gone",
          "[live][check][capture]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  pipeline::CheckJob live = lab_job(l, {"z01.svc."});
  live.resolver = false;
  live.save_capture = l.dir.path.string() + "/capture-cymru.json";
  std::string first;
  {
    const auto resolver = cymru_resolver(64500);
    auto data = std::make_shared<infra::AddressData>();
    data->add(infra::open_source(lab_address_data(l.dir.path.string(), "cymru", 64500)));
    live.addresses = data;
    first = json_of(pipeline::run_check_job(live));
  }
  CHECK(first.find("\"NS_SINGLE_ASN\"") != std::string::npos);
  pipeline::CheckJob replay;
  replay.capture = live.save_capture;
  CHECK(json_of(pipeline::run_check_job(replay)) == first);
}

TEST_CASE("a live run's timeline judges the gate's next version: unsigning while the served DS is cached",
          "[live][check][rollover]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  test::ScratchDir state;
  // The live run records the versions the servers show (samples), with the DS set the parent's servers gave.
  pipeline::CheckJob live = lab_job(l, {"z01.svc."});
  live.rollover.state_dir = state.path.string();
  live.rollover.timing.sampled = true;
  live.rollover.record_always = true;
  const report::Run seen = pipeline::run_check_job(live);
  REQUIRE(seen.exit == 0);
  const rollover::History h = rollover::load_history(state.path.string(), "z01.svc.");
  REQUIRE(!h.epochs.empty());
  const rollover::Snapshot& served = h.epochs.back().state;
  CHECK(served.signed_zone);
  REQUIRE(served.ds.has_value());
  REQUIRE(!served.ds->records.empty());
  CHECK(!served.ds->records.front().key.empty());  // the DS matches a served key
  // The gate's candidate: the same zone file unsigned, the parent's DS removed at once (Slack 2021).
  const std::string candidate = state.write("candidate.zone", unsigned_copy(l.dir.path / "zones" / "z01.svc.zone"));
  pipeline::ZoneJob gate;
  gate.files = {candidate};
  gate.origin = "z01.svc.";
  gate.options.now = h.epochs.back().last_seen + 60;
  gate.rollover.state_dir = state.path.string();
  gate.rollover.no_ds = true;
  const report::Run judged = pipeline::run_zone_job(gate);
  std::string safe_from;
  for (const Finding& f : judged.findings) {
    if (f.code == catalog::Code::UNSIGN_BEFORE_DS_REMOVED && f.param("detail") == "ds-cached")
      safe_from = f.param("safe_from");
  }
  // Served until the candidate replaces it (the gate's now), then cached for the DS TTL and the propagation delay.
  CHECK(safe_from == core::format_time(gate.options.now + served.ds->ttl + 3600));
  CHECK(judged.exit == 2);
  // The version served, checked again by the gate, is no step at all.
  pipeline::ZoneJob same = gate;
  same.files = {(l.dir.path / "zones" / "z01.svc.zone").string()};
  same.rollover.no_ds = false;
  for (const Finding& f : pipeline::run_zone_job(same).findings) {
    INFO(catalog::name(f.code));
    CHECK(catalog::entry(f.code).area != std::string_view("rollover"));
  }
}

TEST_CASE("zone --against-live judges a file as the next version after what the servers serve now",
          "[live][check][rollover]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  test::ScratchDir dir;
  const std::string served = (l.dir.path / "zones" / "z01.svc.zone").string();
  const std::string common = "zone -q --asn-source none --against-live -o z01.svc. -4 --timeout 1 -k '" +
                             l.file("trust_anchor") + "' --root-hints '" + l.file("root_hints") + "' ";
  // The file the servers serve: no step, exit 0 (with --state the live versions land in it).
  const test::Run same = test::run_zw(common + "--state '" + dir.path.string() + "' -f json '" + served + "'");
  INFO(same.out << same.err);
  CHECK(same.status == 0);
  CHECK(same.out.find("_TOO_") == std::string::npos);
  CHECK(std::filesystem::exists(rollover::state_path(dir.path.string(), "z01.svc.")));
  // The same zone unsigned while the parent's DS is removed only now: the served DS is still cached.
  const std::string candidate = dir.write("unsigned.zone", unsigned_copy(served));
  const test::Run early = test::run_zw(common + "--no-ds -f json '" + candidate + "'");
  INFO(early.out << early.err);
  CHECK(early.status == 2);
  CHECK(early.out.find("UNSIGN_BEFORE_DS_REMOVED") != std::string::npos);
  CHECK(early.out.find("ds-cached") != std::string::npos);
  // Without -o there is no zone to ask.
  const test::Run no_origin = test::run_zw("zone --against-live '" + served + "'");
  CHECK(no_origin.status == 3);
  CHECK(no_origin.err.find("-o/--origin") != std::string::npos);
}

TEST_CASE("a long streamed check tells each batch's zones before the next batch is walked", "[live][check][jsonl]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  const auto clean = names_of(l.zones(true));
  REQUIRE(clean.size() >= 12);
  pipeline::CheckJob whole_job = lab_job(l, clean);
  whole_job.now_given = true;
  whole_job.options.now = static_cast<core::EpochSeconds>(std::time(nullptr));
  const report::Run whole = pipeline::run_check_job(whole_job);
  pipeline::CheckJob job = whole_job;
  job.stream_batch = 5;
  std::vector<std::pair<std::size_t, std::size_t>> told;  // (index, subjects known then)
  job.subject_done = [&](const report::Run& run, std::size_t i) { told.emplace_back(i, run.subjects.size()); };
  const report::Run batched = pipeline::run_check_job(job);
  REQUIRE(told.size() == batched.subjects.size());
  CHECK(told.front().first == 0);
  CHECK(told.front().second < batched.subjects.size());  // the first zones were told before the last batch ran
  for (std::size_t i = 0; i < told.size(); ++i) CHECK(told[i].first == i);
  // The same zones with the same verdicts and finding codes as one run.
  std::map<std::string, std::string> a, b;
  for (const auto& s : whole.subjects) a[s.name] = report::verdict_name(s.verdict);
  for (const auto& s : batched.subjects) b[s.name] = report::verdict_name(s.verdict);
  CHECK(a == b);
  std::multiset<std::string> fa, fb;
  for (const Finding& f : whole.findings) fa.insert(std::string(catalog::name(f.code)) + " " + f.zone + " " + f.owner);
  for (const Finding& f : batched.findings)
    fb.insert(std::string(catalog::name(f.code)) + " " + f.zone + " " + f.owner);
  CHECK(fa == fb);
  CHECK(batched.exit == whole.exit);
}

TEST_CASE(
    "check . tells the root's KSK rollover: which KSK signs, which is published next, whether the anchor holds it",
    "[live][check][rollover]") {
  if (!test::in_netns()) return;
  const Lab& l = lab();
  nlohmann::json root;
  for (const auto& z : l.manifest["zones"]) {
    if (z["name"] == ".") root = z;
  }
  REQUIRE(root.contains("next_ksk_tag"));
  const std::string ksk = root["ksk_tag"].dump(), next = root["next_ksk_tag"].dump();
  auto run = [&](const std::string& anchor) {
    pipeline::CheckJob job = lab_job(l, {"."});
    job.anchor_files = {anchor};
    return pipeline::run_check_job(job);
  };
  for (const bool with_next : {false, true}) {
    const report::Run r = run(with_next ? (l.dir.path / "root-next.key").string() : l.file("trust_anchor"));
    INFO(with_next);
    CHECK(r.exit == 0);
    std::string stage;
    bool lacks = false;
    for (const Finding& f : r.findings) {
      if (f.zone != ".") continue;
      if (f.code == catalog::Code::ROLLOVER_IN_PROGRESS && f.param("kind") == "KSK")
        stage = f.param("stage") + " " + f.param("old") + " " + f.param("new") + " " + f.param("method");
      if (f.code == catalog::Code::TRUST_ANCHOR_LACKS_STANDBY) lacks = f.param("keytag") == next;
      CHECK(f.code != catalog::Code::TRUST_ANCHOR_STALE);
    }
    CHECK(stage == "new-key-published " + ksk + " " + next + " RFC 5011");
    CHECK(lacks == !with_next);
  }
}
