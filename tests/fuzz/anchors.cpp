// anchors.cpp: fuzz target: DS and trust-anchor text (master-file records, `dig +short DS` lines, the root-anchors
// XML of RFC 7958, BIND trust-anchors statements) read as --ds and as -k read them.
#include "zone/anchors.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(zw::fuzz::as_text(data, size));
  zw::zone::AnchorReadOptions ds;  // --ds without -o: DS only, `dig +short` lines refused
  ds.now = zw::fuzz::kNow;
  zw::zone::AnchorReadOptions trust = ds;  // -k with -o example.: DNSKEY too, `dig +short` lines owned by example.
  trust.allow_dnskey = true;
  trust.origin = std::string("\7example\0", 9);
  for (const zw::zone::AnchorReadOptions* options : {&ds, &trust}) {
    try {
      std::size_t sum = 0;
      for (const zw::zone::AnchorRecord& r : zw::zone::read_anchor_text(text, "fuzz.anchors", *options))
        sum += r.owner.size() + r.rdata.size() + r.type;
      volatile std::size_t sink = sum;
      static_cast<void>(sink);
    } catch (const zw::Error&) {
    }
  }
  return 0;
}
