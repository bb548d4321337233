// keyfiles.cpp: fuzz target: a signer's key directory as --keys reads it (BIND and ldns-keygen .key/.private pairs,
// PKCS#8 PEM private keys) and a --key-history file.
//
// The input is a directory listed as `head` prints several files: each file starts with a line "==> NAME <==" and
// runs to the next such line; text before the first is the file "Kexample.+013+00001.key". Names are plain file
// names (letters, digits, '.', '+', '-', '_'); a file called "history" is also read as a key history file.
#include "zone/keyfiles.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "fuzz_support.hpp"

namespace {

constexpr std::string_view kOpen = "==> ";
constexpr std::string_view kClose = " <==";
constexpr std::size_t kMaxFiles = 16;

/// Whether `name` may be created in the scratch directory as it is.
bool plain_name(std::string_view name) {
  if (name.empty() || name.size() > 100 || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '+' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

/// The file name a line "==> NAME <==" announces, or nullopt when the line is not such a header.
std::optional<std::string_view> header_name(std::string_view line) {
  if (line.size() < kOpen.size() + kClose.size() || !line.starts_with(kOpen) || !line.ends_with(kClose))
    return std::nullopt;
  return line.substr(kOpen.size(), line.size() - kOpen.size() - kClose.size());
}

/// Writes the files the input lists into the (emptied) scratch directory; returns whether one is "history".
bool write_directory(std::string_view text) {
  const auto& dir = zw::fuzz::scratch();
  dir.clear();
  bool history = false;
  std::size_t files = 0;
  std::string_view name = "Kexample.+013+00001.key";
  std::size_t body = 0;
  bool announced = false;  // the current file had a header (the implicit first file is written only when not empty)
  const auto close = [&](std::size_t end) {
    if (files >= kMaxFiles || !plain_name(name) || (!announced && end == body)) return;
    zw::fuzz::write_file(dir.path() / std::string(name), text.substr(body, end - body));
    history = history || name == "history";
    ++files;
  };
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t eol = text.find('\n', pos);
    const std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    if (const auto announced_name =
            header_name(text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos))) {
      close(pos);
      name = *announced_name;
      announced = true;
      body = next;
    }
    pos = next;
  }
  close(text.size());
  return history;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bool history = write_directory(zw::fuzz::as_text(data, size));
  const std::string dir = zw::fuzz::scratch().path().string();
  try {
    std::size_t sum = 0;
    for (const zw::zone::InventoryKey& k : zw::zone::read_key_directory(dir))
      sum += k.file.size() + k.zone.size() + k.dnskey_rdata.size() + k.private_rdata.size() + k.problem.size();
    volatile std::size_t sink = sum;
    static_cast<void>(sink);
  } catch (const zw::Error&) {
  }
  if (history) {
    try {
      std::size_t sum = 0;
      for (const zw::zone::HistoryKey& k : zw::zone::read_key_history(dir + "/history"))
        sum += k.zone.size() + k.dnskey_rdata.size() + k.source.size();
      volatile std::size_t sink = sum;
      static_cast<void>(sink);
    } catch (const zw::Error&) {
    }
  }
  return 0;
}
