// test_cymru.cpp: Team Cymru's DNS interface as an address source, against a resolver stand-in on loopback that
// answers its TXT questions from a table (run in a private network namespace: ctest live:transport).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cctype>
#include <map>
#include <string>
#include <thread>

#include "core/handles.hpp"
#include "infra/address_data.hpp"
#include "live/lab_support.hpp"

using zw::core::UniqueFd;

namespace {

// Answers "NAME TXT" questions from `table` on ADDRESS:53 (NXDOMAIN for the rest), as a recursive resolver would.
class TxtResolver {
 public:
  TxtResolver(const std::string& address, std::map<std::string, std::string> table)
      : fd_(::socket(AF_INET, SOCK_DGRAM, 0)), table_(std::move(table)) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(53);
    REQUIRE(inet_pton(AF_INET, address.c_str(), &sa.sin_addr) == 1);
    REQUIRE(::bind(fd_.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    thread_ = std::thread([this] { loop(); });
  }
  ~TxtResolver() {
    stop_ = true;
    thread_.join();
  }
  TxtResolver(const TxtResolver&) = delete;
  TxtResolver& operator=(const TxtResolver&) = delete;

 private:
  void loop() {
    std::string buf(4096, '\0');
    while (!stop_) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, 5) <= 0) continue;
      sockaddr_storage from{};
      socklen_t len = sizeof from;
      const ssize_t n = ::recvfrom(fd_.get(), buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 17) continue;
      // The question: labels from octet 12 to the root label, then type and class.
      std::size_t at = 12;
      std::string name;
      while (at < static_cast<std::size_t>(n) && buf[at] != 0) {
        const auto l = static_cast<unsigned char>(buf[at]);
        for (std::size_t i = 1; i <= l; ++i) name.push_back(static_cast<char>(std::tolower(buf[at + i])));
        name.push_back('.');
        at += 1 + l;
      }
      const std::size_t question_end = at + 5;
      if (question_end > static_cast<std::size_t>(n)) continue;
      std::string reply = buf.substr(0, question_end);
      reply[2] = static_cast<char>(0x81 | (buf[2] & 0x01));  // QR, RD as asked
      reply[3] = static_cast<char>(0x80);                    // RA, NOERROR
      reply[6] = reply[7] = reply[8] = reply[9] = reply[10] = reply[11] = 0;
      const auto it = table_.find(name);
      const bool txt = static_cast<unsigned char>(buf[at + 2]) == 16;
      if (it == table_.end()) {
        reply[3] = static_cast<char>(0x83);  // NXDOMAIN
      } else if (txt) {
        reply[7] = 1;
        const std::string& text = it->second;
        reply += std::string("\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x3c", 10);
        reply.push_back(static_cast<char>((text.size() + 1) >> 8));
        reply.push_back(static_cast<char>((text.size() + 1) & 0xff));
        reply.push_back(static_cast<char>(text.size()));
        reply += text;
      }
      ::sendto(fd_.get(), reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
  }

  UniqueFd fd_;
  std::map<std::string, std::string> table_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

zw::infra::Address addr(const char* text) {
  auto a = zw::infra::Address::parse(text);
  REQUIRE(a);
  return *a;
}

}  // namespace

TEST_CASE("Team Cymru's DNS interface: origin and AS names, IPv4 and IPv6, a resolver given", "[live][infra]") {
  if (!zw::test::in_netns()) return;  // binds port 53: run through tests/lab/netns-run (ctest: live:transport)
  const std::string v6name =
      std::string("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.") + "origin6.asn.example-lab.";
  TxtResolver resolver("127.0.0.16",
                       {{"1.31.53.127.origin.asn.example-lab.", "64500 | 127.53.31.0/24 | US | lab | 2026-01-01"},
                        {v6name, "64501 64502 | 2001:db8::/32 | DE | lab | 2026-01-01"},
                        {"as64500.asn.example-lab.", "64500 | US | lab | 2026-01-01 | Example Social, Inc., US"}});
  const auto s = zw::infra::open_source("cymru:origin.asn.example-lab,127.0.0.16");
  CHECK(s->kind == "cymru");
  auto v4 = s->lookup(addr("127.53.31.1"));
  REQUIRE(v4);
  CHECK(v4->asn == 64500);
  CHECK(v4->network == "127.53.31.0/24");
  CHECK(v4->country == "US");
  CHECK(v4->org == "Example Social, Inc., US");
  auto v6 = s->lookup(addr("2001:db8::1"));
  REQUIRE(v6);
  CHECK(v6->asn == 64501);                              // several origins: the first stands for the prefix
  CHECK(v6->org.empty());                               // no AS name answered
  CHECK_FALSE(s->lookup(addr("127.53.40.1")));          // NXDOMAIN: not covered
  CHECK(s->lookup(addr("127.53.31.1"))->asn == 64500);  // from the cache
}
