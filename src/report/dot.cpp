// dot.cpp: the chain of trust as a Graphviz digraph, drawn the way DNSViz draws it: zones as clusters, DNSKEYs and
// DS as ellipses (secure entry points filled grey, trust anchors with a double border), secure, insecure and bogus
// in DNSViz's colours, the graph read bottom to top.
#include <fmt/format.h>

#include <map>
#include <set>

#include "report/report.hpp"

namespace zw::report {
namespace {

// DNSViz's colours (dnsviz/viz/dnssec.py): secure teal, bogus red, insecure black, indeterminate amber.
const char* colour(Verdict v) {
  switch (v) {
    case Verdict::Secure: return "#0a879a";
    case Verdict::Bogus: return "#be1515";
    case Verdict::Insecure: return "#000000";
    case Verdict::Error: return "#f4b800";
  }
  return "#f4b800";
}

// A DOT quoted string (the DOT language: '"' escaped; a backslash escapes in labels, so it is doubled; a line
// feed becomes the label's line break "\n").
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

constexpr std::uint16_t kSep = 0x0001;     // RFC 4034 §2.1.1: the Secure Entry Point flag
constexpr std::uint16_t kRevoke = 0x0080;  // RFC 5011 §3: the REVOKE flag

std::string key_id(std::size_t zone, std::size_t key) {
  return fmt::format("z{}_k{}", zone, key);
}

void write_cluster(std::ostream& out, const Subject& z, std::size_t i, const std::string& source) {
  const char* c = colour(z.verdict);
  out << fmt::format("  subgraph cluster_z{} {{\n", i);
  out << fmt::format("    label={}; style=rounded; penwidth=3; color={}; fontname=Helvetica;\n",
                     quoted(fmt::format("{} ({})", subject_label(z), verdict_name(z.verdict))), quoted(c));
  out << fmt::format("    z{} [shape=rectangle, style=filled, fillcolor=\"#ffffff\", color={}, label={}];\n", i,
                     quoted(c), quoted(subject_label(z)));
  for (std::size_t k = 0; k < z.dnskeys.size(); ++k) {
    const KeySummary& key = z.dnskeys[k];
    const bool sep = (key.flags & kSep) != 0;
    std::string attrs = fmt::format("shape=ellipse, style=filled, fillcolor={}, color={}",
                                    sep ? "lightgray" : "\"#ffffff\"", quoted(c));
    if ((key.flags & kRevoke) != 0) attrs += ", penwidth=4";
    if (sep && source == "trust-anchor") attrs += ", peripheries=2";
    out << fmt::format("    {} [{}, label={}];\n", key_id(i, k), attrs,
                       quoted(fmt::format("DNSKEY\nalg={}, id={}", key.algorithm, key.tag)));
  }
  if (source == "ds" || source == "parent-zone") {
    out << fmt::format("    z{}_ds [shape=ellipse, style=filled, fillcolor=\"#ffffff\", color={}, label=\"DS\"];\n", i,
                       quoted(c));
  }
  out << "  }\n";
}

// The keys a DS vouches for (the secure entry points, else every key), and the keys the zone signs with.
void write_edges(std::ostream& out, const Subject& z, std::size_t i, const std::string& source,
                 std::optional<std::size_t> parent, const std::vector<Subject>& subjects) {
  const char* c = colour(z.verdict);
  bool any_sep = false;
  for (const KeySummary& k : z.dnskeys) any_sep = any_sep || (k.flags & kSep) != 0;
  for (std::size_t k = 0; k < z.dnskeys.size(); ++k) {
    const bool sep = (z.dnskeys[k].flags & kSep) != 0;
    out << fmt::format("  z{} -> {} [dir=back, color={}];\n", i, key_id(i, k), quoted(c));
    if ((sep || !any_sep) && (source == "ds" || source == "parent-zone")) {
      out << fmt::format("  {} -> z{}_ds [dir=back, color={}];\n", key_id(i, k), i, quoted(c));
    }
  }
  if (!parent) return;
  const Subject& p = subjects[*parent];
  // The parent's DS RRset is signed by its zone-signing key: the first key without the SEP flag, else its first.
  std::string target = p.dnskeys.empty() ? fmt::format("z{}", *parent) : key_id(*parent, 0);
  for (std::size_t k = 0; k < p.dnskeys.size(); ++k) {
    if ((p.dnskeys[k].flags & kSep) == 0) {
      target = key_id(*parent, k);
      break;
    }
  }
  if (source == "parent-zone") {
    out << fmt::format("  z{}_ds -> {} [dir=back, color={}];\n", i, target, quoted(c));
  } else if (source == "insecure-delegation") {
    // No DS: the parent proves the delegation insecure (DNSViz draws the delegation dashed).
    out << fmt::format("  z{} -> {} [dir=back, style=dashed, color={}];\n", i, target, quoted(c));
  }
}

}  // namespace

void write_dot(std::ostream& out, const Run& run, const WriteOptions& /*opt*/) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < run.subjects.size(); ++i) {
    if (!run.subjects[i].name.empty()) index.emplace(run.subjects[i].name, i);
  }
  // One chain edge per zone (a zone checked through several views is one zone of the graph).
  std::map<std::string, const ChainEdge*> edge_of;
  for (const ChainEdge& e : run.graph) edge_of.emplace(e.child, &e);
  out << "digraph \"chain of trust\" {\n";
  out << "  graph [compound=true, rankdir=BT, ranksep=0.3, fontname=Helvetica];\n";
  out << "  node [penwidth=1.5, fontname=Helvetica];\n  edge [penwidth=1.5];\n";
  for (std::size_t i = 0; i < run.subjects.size(); ++i) {
    const Subject& z = run.subjects[i];
    auto e = edge_of.find(z.name);
    write_cluster(out, z, i, e == edge_of.end() ? std::string() : e->second->source);
  }
  for (std::size_t i = 0; i < run.subjects.size(); ++i) {
    const Subject& z = run.subjects[i];
    auto e = edge_of.find(z.name);
    if (e == edge_of.end()) continue;
    std::optional<std::size_t> parent;
    auto p = index.find(e->second->parent);
    if (!e->second->parent.empty() && p != index.end()) parent = p->second;
    write_edges(out, z, i, e->second->source, parent, run.subjects);
  }
  out << "}\n";
}

}  // namespace zw::report
