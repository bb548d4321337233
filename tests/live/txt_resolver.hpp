// txt_resolver.hpp: a recursive resolver stand-in for the [live] tests: answers TXT questions from a table on a
// loopback address, port 53 (Team Cymru's DNS interface, tests/live/test_cymru.cpp and test_check_lab.cpp).
#pragma once

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

namespace zw::test {

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

  core::UniqueFd fd_;
  std::map<std::string, std::string> table_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace zw::test
