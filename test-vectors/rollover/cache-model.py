#!/usr/bin/python3
"""cache-model.py: an independent check of the rollover sequences' expectations (run by make-rollover-vectors --check).

For every step it asks what a validator can hold in its cache at that moment and whether every combination of a
cached version with the current one still validates (RFC 7583 §2: a version stays cached for its TTL after it was
last served, plus the propagation delay):
  cached DNSKEY set  x current signatures  -> ZSK_PREPUBLISH_TOO_SHORT (a new key signs before its DNSKEY is cached)
  cached signatures  x current DNSKEY set  -> ZSK_RETIRED_TOO_EARLY    (a key removed while its signatures are cached)
  cached DS set      x current DNSKEY RRset signers
                     -> KSK_ACTIVE_BEFORE_DS (every DS of the cached set is still published: the new KSK signs alone
                        before its DS propagated) or KSK_OLD_REMOVED_TOO_EARLY (the cached set names a removed DS)
  cached DS set      x unsigned zone       -> UNSIGN_BEFORE_DS_REMOVED
  and, as a validator that requires every algorithm of the DNSKEY RRset to sign each RRset (RFC 4035 §2.2, RFC 6781
  §4.1.4) sees it:
  cached signatures  x current DNSKEY set, cached DNSKEY set x current signatures
                     -> ALGORITHM_ROLLOVER_ORDER (an algorithm in the keys that the signatures lack)
Usage: cache-model.py [SEQUENCE-DIR...] (default: every directory here but the synthetic-* ones).
A version is "replaced" at the zw-now of the first step that no longer shows it. safe_from is the time the last
offending cached version expires. Prints one line per step (the model's safe_from for each code) and exits 1 when a
step's timing codes differ from its zw-expect or a zw-expect-param from the model's.
Keys are identified by (key tag, algorithm); DS records by the (key tag, algorithm) they name.
"""
import glob
import os
import sys
from datetime import datetime, timezone

import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.zone
from dns.dnssec import key_id

TIMING = {"ALGORITHM_ROLLOVER_ORDER", "ZSK_PREPUBLISH_TOO_SHORT", "ZSK_RETIRED_TOO_EARLY", "KSK_ACTIVE_BEFORE_DS",
          "KSK_OLD_REMOVED_TOO_EARLY", "UNSIGN_BEFORE_DS_REMOVED"}
DS_TTL = 3600
PROPAGATION = 300


def epoch(text):
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def header(path):
    h = {"expect": set(), "params": set()}
    for line in open(path):
        if not line.startswith("; zw-"):
            break
        key, _, value = line[2:].partition(":")
        value = value.strip()
        if key == "zw-now":
            h["now"] = epoch(value)
        elif key == "zw-expect":
            h["expect"] = set(value.split())
        elif key == "zw-expect-param":
            h["params"].add(value)
        elif key == "zw-args":
            words = value.split()
            h["ds"] = words[words.index("--ds") + 1] if "--ds" in words else None
    return h


def step_state(path, h):
    """What a validator could see of this version: keys, DNSKEY signers, per-RRset signers and TTLs, DS set."""
    z = dns.zone.from_file(path, origin="example.", relativize=False, check_origin=False)
    apex = dns.name.from_text("example.")
    s = {"now": h["now"], "keys": frozenset(), "dnskey_signers": frozenset(), "dnskey_ttl": 0, "rrsets": {},
         "signed": False, "ds": frozenset()}
    keys = z.get_rdataset(apex, "DNSKEY")
    if keys:
        s["keys"] = frozenset((key_id(k), int(k.algorithm)) for k in keys)
        s["dnskey_ttl"] = keys.ttl
    for name, node in z.nodes.items():
        for rds in node:
            if rds.rdtype != dns.rdatatype.RRSIG:
                continue
            s["signed"] = True
            by_type = {}
            for sig in rds:
                by_type.setdefault(sig.type_covered, set()).add((sig.key_tag, int(sig.algorithm)))
            for covered, signers in by_type.items():
                if covered == dns.rdatatype.DNSKEY:
                    s["dnskey_signers"] = frozenset(signers)
                else:
                    data = node.get_rdataset(dns.rdataclass.IN, covered)
                    s["rrsets"][(name, covered)] = (frozenset(signers), data.ttl if data else 0)
    if h["ds"]:
        ds = set()
        for line in open(os.path.join(os.path.dirname(path), h["ds"])):
            f = line.split()
            if len(f) >= 7 and f[2] == "DS":
                ds.add((int(f[3]), int(f[4])))
        s["ds"] = frozenset(ds)
    return s


def replaced_at(states, j, get):
    """The zw-now of the first step after j that no longer shows the value step j showed, or None."""
    for k in range(j + 1, len(states)):
        if get(states[k]) != get(states[j]):
            return states[k]["now"]
    return None


def cached(states, i, j, get, ttl):
    """Whether step j's value may still be cached at step i; with the time it stops being cached."""
    r = replaced_at(states, j, get)
    if r is None or r > states[i]["now"]:
        return True, None
    end = r + ttl + PROPAGATION
    return end > states[i]["now"], end


def algorithms(keys):
    return {alg for _, alg in keys}


def faults(states, i):
    cur = states[i]
    found = {}

    def add(code, end):
        found[code] = max(found.get(code, 0), end or 0)

    for j in range(i):
        old = states[j]
        # Cached DS set against the current zone.
        live, end = cached(states, i, j, lambda s: s["ds"], DS_TTL)
        if live and end and old["ds"]:
            if not cur["signed"]:
                add("UNSIGN_BEFORE_DS_REMOVED", end)
            elif not (old["ds"] & cur["dnskey_signers"] & cur["keys"]):
                add("KSK_ACTIVE_BEFORE_DS" if old["ds"] <= cur["ds"] else "KSK_OLD_REMOVED_TOO_EARLY", end)
        if not cur["signed"]:
            continue
        # Cached DNSKEY set against the current signatures.
        live, end = cached(states, i, j, lambda s: s["keys"], old["dnskey_ttl"])
        if live and end:
            for signers, _ in cur["rrsets"].values():
                if not (signers & old["keys"]):
                    add("ZSK_PREPUBLISH_TOO_SHORT", end)
                if not algorithms(old["keys"]) <= algorithms(signers):
                    add("ALGORITHM_ROLLOVER_ORDER", end)
        # Cached signatures against the current DNSKEY set.
        for rrset, (signers, ttl) in old["rrsets"].items():
            live, end = cached(states, i, j, lambda s: s["rrsets"].get(rrset), ttl)
            if live and end and not (signers & cur["keys"]):
                add("ZSK_RETIRED_TOO_EARLY", end)
            if live and end and not algorithms(cur["keys"]) <= algorithms(signers):
                add("ALGORITHM_ROLLOVER_ORDER", end)
    return found


def main(dirs):
    bad = 0
    for seq in sorted(dirs):
        files = sorted(glob.glob(os.path.join(seq, "*.zone")))
        heads = [header(f) for f in files]
        states = [step_state(f, h) for f, h in zip(files, heads)]
        for i, (f, h) in enumerate(zip(files, heads)):
            got = faults(states, i)
            codes = set(got)
            params = {f"{c} safe_from={iso(t)}" for c, t in got.items()}
            ok = codes == (h["expect"] & TIMING) and h["params"] <= params
            bad += not ok
            shown = " ".join(sorted(params)) or "-"
            name = os.path.join(os.path.basename(os.path.normpath(seq)), os.path.basename(f))
            print(f"{name:52s} {'ok  ' if ok else 'DIFF'} {shown}")
    return 1 if bad else 0


if __name__ == "__main__":
    # Default: the sequences make-rollover-vectors writes (every directory here but the synthetic-* ones).
    here = os.path.dirname(os.path.abspath(__file__))
    default = [d for d in glob.glob(os.path.join(here, "*/"))
               if not os.path.basename(d.rstrip("/")).startswith("synthetic-")]
    sys.exit(main(sys.argv[1:] or default))
