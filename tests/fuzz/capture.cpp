// capture.cpp: fuzz target: a capture file read as --capture reads it (leading '#' lines, the vectors' headers,
// skipped; the rest from a stream), its root hints parsed and every exchange's answer parsed as a replay parses it.
#include "live/capture.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "live/hints.hpp"
#include "live/wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = zw::fuzz::as_text(data, size);
  while (text.starts_with('#')) {
    const std::size_t eol = text.find('\n');
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
  }
  std::istringstream in{std::string(text)};
  try {
    const zw::live::Capture c = zw::live::read_capture(in, "fuzz.capture", std::uint64_t{1} << 20);
    std::size_t sum = c.names.size() + c.anchors.size() + c.services.size() + c.resolver.size();
    for (const zw::live::Observation& o : c.exchanges) {
      if (const auto m = zw::live::parse_message(o.response.wire, nullptr, false)) sum += m->answer.size();
    }
    volatile std::size_t sink = sum;
    static_cast<void>(sink);
    static_cast<void>(zw::live::parse_hints(c.root_hints, "fuzz.capture: root_hints"));
  } catch (const zw::Error&) {
  }
  return 0;
}
