// test_parallel_load.cpp: loading a file in parts on all cores gives exactly the zone (records, lines, errors)
// that loading it in order gives, whatever the file does across the cuts: multi-line records, $ORIGIN and $TTL
// changes, owners carried over by indented lines, omitted TTLs, comments, $INCLUDE and input errors.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <tuple>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "load_outcome.hpp"
#include "zone/loader.hpp"

namespace fs = std::filesystem;

namespace {

using zw::test::Loaded;

Loaded load(const fs::path& p, bool parallel, zw::zone::LoadStats* stats = nullptr, std::size_t part_bytes = 4096) {
  zw::zone::LoadOptions o;
  o.stats = stats;
  o.parallel = parallel;
  o.parallel_part_bytes = part_bytes;  // many parts, so that cuts land everywhere
  return zw::test::load_outcome(p.string(), o);
}

// A zone of `n` delegations written in the styles the loader meets, chosen at random per record.
std::string make_zone(std::size_t n, std::mt19937& rng, bool relative_style) {
  std::string t = "; generated\n$ORIGIN example.\n$TTL 3600\n";
  t += "@ 86400 IN SOA ns1 hostmaster ( 1 7200 3600\n    1209600 300 )\n";
  t += "@ NS ns1\n  NS ns2.example.\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string d = "d" + std::to_string(i);
    switch (rng() % (relative_style ? 8 : 5)) {
      case 0:
        t += d + ".example. 172800 IN NS ns1." + d + ".example.\n" + d + ".example. 172800 IN NS ns.other.\n";
        break;
      case 1: t += d + " NS ns.hoster.net.\n\tNS ns2.hoster.net. ; indented: same owner\n"; break;
      case 2:
        t += d +
             " 3600 DS 12345 8 2 (\n  49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE\n  49FD46E6C4B45C55D4AC69CBD3CD34AC )\n";
        t += d + " NS a.ns.net.\n";
        break;
      case 3: t += "; a comment line\n\n" + d + " IN 600 NS ns.x.net.\n"; break;
      case 4: t += d + " NS ns." + d + "\nns." + d + " A 198.51.100." + std::to_string(i % 250) + "\n"; break;
      case 5:
        t += "$ORIGIN sub" + std::to_string(i % 7) + ".example.\n" + d + " NS ns.y.net.\n$ORIGIN example.\n";
        break;
      case 6: t += "$TTL " + std::to_string(60 + i % 100) + "\n" + d + " NS ns.z.net.\n"; break;
      default: t += d + " TXT \"a ; not a comment\" \"( neither a paren\"\n"; break;
    }
  }
  return t;
}

// A random zone in every style the master-file syntax allows: multi-line parentheses whose continuation lines
// start in column 0 or are indented, comments holding parentheses and quotes, owners carried by indented lines,
// $ORIGIN and $TTL changes, omitted TTLs and classes.
std::string make_random_zone(std::size_t n, std::mt19937& rng) {
  auto pick = [&](std::size_t k) { return static_cast<std::size_t>(rng() % k); };
  auto blank = [&]() { return pick(2) ? std::string(" ") : std::string("\t"); };
  auto comment = [&]() {
    const char* c[] = {" ; (", " ; )", " ; \"", " ; a \"(quoted)\" comment", " ; ()", ""};
    return std::string(c[pick(6)]);
  };
  // A line break inside parentheses: the next line starts in column 0 or after blanks, maybe after a comment.
  auto brk = [&]() { return comment() + "\n" + (pick(2) ? "" : blank()); };
  std::string t = "; random zone\n$ORIGIN example.\n$TTL 3600\n";
  t += "@ IN SOA ns1 hostmaster (\n1 7200 3600 ; ( serial refresh\n1209600 300 )\n@ NS ns1\n";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string d = "n" + std::to_string(i);
    std::string owner;
    switch (pick(5)) {
      case 0: owner = blank(); break;  // the previous owner
      case 1: owner = d + ".example." + blank(); break;
      case 2: owner = "@" + blank(); break;
      default: owner = d + blank(); break;
    }
    if (pick(3) == 0) owner += std::to_string(60 + pick(1000)) + blank();
    if (pick(4) == 0) owner += "IN" + blank();
    switch (pick(9)) {
      case 0: t += owner + "A 192.0.2." + std::to_string(pick(255)) + comment() + "\n"; break;
      case 1: t += owner + "NS ns." + d + comment() + "\n"; break;
      case 2:
        t += owner + "TXT ( \"a ; not a comment\"" + brk() + "\"( neither a paren\" \"\\\"\"" + brk() + ")\n";
        break;
      case 3:
        t += owner + "RRSIG A 13 2 3600 (" + brk() + "20250101000000 20240101000000 " + std::to_string(pick(65536)) +
             " example." + brk() + "pROPbNr1/3LTLJvct1yiOSD/FZ/LagolVmj6KGPkcay181mQVAO8oeoV" + brk() +
             "yZ3Q0IiDG8KZ9YjuyXxSGKvDuCYQnQ== )\n";
        break;
      case 4:
        t += owner + "DS 12345 8 2 (" + brk() + "49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE" + brk() +
             "49FD46E6C4B45C55D4AC69CBD3CD34AC" + brk() + ")" + comment() + "\n";
        break;
      case 5: t += owner + "( MX" + brk() + std::to_string(pick(100)) + " mail." + d + " )\n"; break;
      case 6: t += pick(2) ? "$ORIGIN sub" + std::to_string(pick(5)) + ".example.\n" : "$ORIGIN example.\n"; break;
      case 7: t += "$TTL " + std::to_string(pick(100000)) + comment() + "\n"; break;
      default: t += pick(2) ? "\n" : "; comment line ( \" \n"; break;
    }
  }
  return t;
}

}  // namespace

TEST_CASE("loading in parallel parts gives the zone loading in order gives", "[loader][parallel]") {
  const fs::path dir = fs::temp_directory_path() / ("zw-parallel-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const unsigned saved = zw::core::worker_count();
  zw::core::set_worker_count(std::max(2U, saved));
  std::mt19937 rng(7);
  for (bool relative : {false, true}) {
    const fs::path p = dir / (relative ? "relative.zone" : "plain.zone");
    std::ofstream(p) << make_zone(6000, rng, relative);
    REQUIRE(fs::file_size(p) > 40 * 4096);
    zw::zone::LoadStats stats;
    Loaded a = load(p, true, &stats);
    Loaded b = load(p, false);
    INFO(p.string() << ": " << a.error << " / " << b.error);
    CHECK(stats.parts > 40);
    // Cuts land inside parenthesised records now and then; the plain style keeps most parts, the one that
    // switches $ORIGIN and $TTL all the time reloads many (correct either way).
    if (!relative) CHECK(stats.reloaded * 4 < stats.parts);
    REQUIRE(b.error.empty());
    CHECK(a.error == b.error);
    CHECK(a.records.size() == b.records.size());
    CHECK(a.records == b.records);
  }
  SECTION("an error anywhere is reported with the same file and line") {
    const std::string good = make_zone(3000, rng, true);
    for (int round = 0; round < 12; ++round) {
      std::string text = good;
      std::size_t at = text.find('\n', 200 + rng() % (text.size() - 400));
      const char* bad[] = {"bad A 999.1.1.1\n", "x NS ( a.b.\n", "\tA 192.0.2.300\n", "nul A 192.0.2.1 ; \x01\n"};
      std::string insert = bad[round % 4];
      if (round % 4 == 3) insert[insert.size() - 2] = '\0';  // binary data
      text.insert(at + 1, insert);
      const fs::path p = dir / "broken.zone";
      std::ofstream(p) << text;
      Loaded a = load(p, true);
      Loaded b = load(p, false);
      REQUIRE_FALSE(b.error.empty());
      CHECK(a.error == b.error);
    }
  }
  SECTION("$INCLUDE in a part") {
    std::string text = make_zone(2000, rng, false);
    std::ofstream(dir / "inc.zone") << "included A 192.0.2.9\n$TTL 5\n";
    text += "$INCLUDE inc.zone\nafter A 192.0.2.10\n";
    for (int i = 0; i < 2000; ++i) text += "late" + std::to_string(i) + " NS ns.late.net.\n";
    std::ofstream(dir / "main.zone") << text;
    Loaded a = load(dir / "main.zone", true);
    Loaded b = load(dir / "main.zone", false);
    INFO(b.error);
    REQUIRE(b.error.empty());
    CHECK(a.records == b.records);
    CHECK(a.files == b.files);
    CHECK(b.files.size() == 2);
  }
  SECTION("a class mismatch names the absolute line where the class was set, also past the first 64 KiB") {
    // The prefix that seeds every part holds only comments, so the class is first set inside a part loaded in
    // parallel, whose lines count from the part's start until the part is kept.
    std::string text;
    for (int i = 0; i < 3000; ++i) text += "; a comment line that fills the first 64 KiB of the file .....\n";
    text += "$ORIGIN example.\n";
    for (int i = 0; i < 3000; ++i) text += "d" + std::to_string(i) + " 3600 NS ns.hoster.net.\n";
    text += "@ 3600 IN SOA ns hostmaster 1 7200 3600 1209600 300\n";  // explicit IN: the class is set before
    for (int i = 0; i < 3000; ++i) text += "e" + std::to_string(i) + " 3600 NS ns.hoster.net.\n";
    text += "chaos 3600 CH TXT \"x\"\n";
    std::ofstream(dir / "class.zone") << text;
    zw::zone::LoadStats stats;
    Loaded a = load(dir / "class.zone", true, &stats);
    Loaded b = load(dir / "class.zone", false);
    INFO(a.error << " / " << b.error);
    CHECK(stats.parts > 40);
    REQUIRE_FALSE(b.error.empty());
    // The first record (d0, class IN by default) is on line 3002.
    CHECK(b.error.find("differs from class IN at " + (dir / "class.zone").string() + ":3002;") != std::string::npos);
    CHECK(a.error == b.error);
  }
  zw::core::set_worker_count(saved == std::max(1U, std::thread::hardware_concurrency()) ? 0 : saved);
  fs::remove_all(dir);
}

TEST_CASE("parallel and in-order loads agree on random zones at any part size", "[loader][parallel]") {
  const fs::path dir = fs::temp_directory_path() / ("zw-parallel-diff-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const unsigned saved = zw::core::worker_count();
  zw::core::set_worker_count(std::max(2U, saved));
  const fs::path p = dir / "random.zone";
  for (unsigned seed = 1; seed <= 60; ++seed) {
    std::mt19937 rng(seed);
    std::ofstream(p, std::ios::trunc) << make_random_zone(600 + seed * 10, rng);
    const std::size_t part = std::size_t{256} << (seed % 5);
    Loaded b = load(p, false);
    Loaded a = load(p, true, nullptr, part);
    INFO("seed " << seed << ", parts of " << part << " bytes: " << a.error << " / " << b.error);
    REQUIRE(b.error.empty());
    CHECK(a.error == b.error);
    CHECK(a.records.size() == b.records.size());
    // The first record that differs, readably (owner, type, line).
    std::string diff;
    for (std::size_t i = 0; i < std::min(a.records.size(), b.records.size()) && diff.empty(); ++i) {
      if (a.records[i] != b.records[i]) {
        diff = std::get<0>(a.records[i]) + "/" + std::to_string(std::get<1>(a.records[i])) + " line " +
               std::to_string(std::get<6>(a.records[i])) + " vs " + std::get<0>(b.records[i]) + "/" +
               std::to_string(std::get<1>(b.records[i])) + " line " + std::to_string(std::get<6>(b.records[i]));
      }
    }
    CHECK(diff.empty());
    CHECK(a.files == b.files);
  }
  zw::core::set_worker_count(saved == std::max(1U, std::thread::hardware_concurrency()) ? 0 : saved);
  fs::remove_all(dir);
}

TEST_CASE("an indented record after a column-0 continuation keeps its owner when the cut lands inside",
          "[loader][parallel]") {
  const fs::path dir = fs::temp_directory_path() / ("zw-parallel-col0-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const unsigned saved = zw::core::worker_count();
  zw::core::set_worker_count(std::max(2U, saved));
  // Signer-style: a DS whose continuation lines start in column 0, then its RRSIG on an indented line (the owner
  // carried over). A part that starts inside the parentheses is loaded again from where the one before stopped.
  std::string text = "$ORIGIN example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n";
  for (int i = 0; i < 1500; ++i) {
    text += "d" + std::to_string(i) +
            " DS 12345 8 2 (\n49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE\n49FD46E6C4B45C55D4AC69CBD3CD34AC )\n";
    text +=
        "\t3600 RRSIG DS 13 2 3600 20250101000000 20240101000000 1 example. "
        "pROPbNr1/3LTLJvct1yiOSD/FZ/LagolVmj6KGPkcay181mQVAO8oeoVyZ3Q0IiDG8KZ9YjuyXxSGKvDuCYQnQ==\n";
  }
  const fs::path p = dir / "col0.zone";
  std::ofstream(p) << text;
  for (std::size_t part : {std::size_t{300}, std::size_t{1000}, std::size_t{4096}}) {
    zw::zone::LoadStats stats;
    Loaded a = load(p, true, &stats, part);
    Loaded b = load(p, false);
    INFO("parts of " << part << " bytes: " << a.error << " / " << b.error);
    REQUIRE(b.error.empty());
    CHECK(stats.reloaded > 0);  // cuts did land inside the parentheses
    CHECK(a.error.empty());
    CHECK(a.records == b.records);
    std::size_t rrsigs_at_ds_owners = 0;
    for (const auto& r : a.records) rrsigs_at_ds_owners += std::get<1>(r) == 46 && std::get<0>(r).size() > 9;
    CHECK(rrsigs_at_ds_owners == 1500);
  }
  zw::core::set_worker_count(saved == std::max(1U, std::thread::hardware_concurrency()) ? 0 : saved);
  fs::remove_all(dir);
}

TEST_CASE("the search for cuts reads each byte of the file about once", "[loader][parallel]") {
  // Every line after the SOA starts with a tab (records carrying the owner over), and the one line that may start a
  // part is the last: every part's search for its cut runs to that line unless what was read is remembered.
  const fs::path dir = fs::temp_directory_path() / ("zw-parallel-blank-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const unsigned saved = zw::core::worker_count();
  zw::core::set_worker_count(std::max(2U, saved));
  std::string text = "$ORIGIN example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n\tNS ns1\n";
  for (int i = 0; i < 20000; ++i) text += "\tTXT \"record " + std::to_string(i) + " carries the owner over\"\n";
  text += "ns1 A 192.0.2.1\n";
  const fs::path p = dir / "blank.zone";
  std::ofstream(p) << text;
  zw::zone::LoadStats stats;
  Loaded a = load(p, true, &stats, 4096);  // about 200 parts
  Loaded b = load(p, false);
  INFO(a.error << " / " << b.error);
  REQUIRE(b.error.empty());
  CHECK(a.records == b.records);
  CHECK(stats.cut_search_bytes <= 2 * text.size());
  // The records of the first 64 KiB that give every part its starting state run to that last line too: they are
  // the first part, not loaded again.
  CHECK(stats.loaded_bytes <= text.size() + 4096);
  zw::core::set_worker_count(saved == std::max(1U, std::thread::hardware_concurrency()) ? 0 : saved);
  fs::remove_all(dir);
}
