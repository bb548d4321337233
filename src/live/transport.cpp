// transport.cpp: names of transports and outcomes.
#include "live/transport.hpp"

namespace zw::live {

const char* proto_name(Proto p) {
  return p == Proto::Udp ? "udp" : "tcp";
}

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::Answer: return "answer";
    case Outcome::Timeout: return "timeout";
    case Outcome::Unreachable: return "unreachable";
    case Outcome::Malformed: return "malformed";
    case Outcome::Mismatch: return "mismatch";
    case Outcome::TooLarge: return "too-large";
    case Outcome::DeadlinePassed: return "deadline";
  }
  return "timeout";
}

}  // namespace zw::live
