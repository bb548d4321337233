// rr_file.cpp: ldns-based parser for the known-answer vector files in test-vectors/kat.
#include "rr_file.hpp"

#include <fstream>
#include <stdexcept>

#include "core/handles.hpp"

namespace zw::dnssec::test {

TestRr parse_rr_line(const std::string& line) {
  ldns_rr* raw = nullptr;
  const ldns_status st = ldns_rr_new_frm_str(&raw, line.c_str(), 3600, nullptr, nullptr);
  core::LdnsRrPtr rr(raw);
  if (st != LDNS_STATUS_OK || !rr) {
    throw std::runtime_error("ldns cannot parse \"" + line + "\": " + ldns_get_errorstr_by_id(st));
  }
  ldns_rr2canonical(rr.get());
  TestRr out;
  const ldns_rdf* owner = ldns_rr_owner(rr.get());
  out.owner.assign(reinterpret_cast<const char*>(ldns_rdf_data(owner)), ldns_rdf_size(owner));
  out.type = static_cast<std::uint16_t>(ldns_rr_get_type(rr.get()));
  out.rclass = static_cast<std::uint16_t>(ldns_rr_get_class(rr.get()));
  out.ttl = ldns_rr_ttl(rr.get());
  core::LdnsBufferPtr buf(ldns_buffer_new(4096));
  if (!buf || ldns_rr_rdata2buffer_wire(buf.get(), rr.get()) != LDNS_STATUS_OK) {
    throw std::runtime_error("ldns cannot write the RDATA of \"" + line + "\"");
  }
  out.rdata.assign(reinterpret_cast<const char*>(ldns_buffer_begin(buf.get())), ldns_buffer_position(buf.get()));
  return out;
}

std::vector<TestRr> read_rr_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<TestRr> rrs;
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == ';') continue;
    rrs.push_back(parse_rr_line(line));
  }
  return rrs;
}

}  // namespace zw::dnssec::test
