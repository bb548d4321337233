"""keytrap_lib: shared by the KeyTrap generators: Ed25519 and RSA keys forced onto one key tag, and signatures
that never verify. Standard library only; deterministic (every byte comes from SHA-512 of a label)."""
import base64
import hashlib

P = 2**255 - 19
D = -121665 * pow(121666, P - 2, P) % P
TAG = 4242


def det(label, n):
    b, i = b"", 0
    while len(b) < n:
        b += hashlib.sha512(f"zonewarden-hostile:{label}:{i}".encode()).digest()
        i += 1
    return b[:n]


def word_sum(rdata):
    return sum(c << 8 if i % 2 == 0 else c for i, c in enumerate(rdata))


def tag_of(rdata):
    ac = word_sum(rdata)
    ac += (ac >> 16) & 0xFFFF
    return ac & 0xFFFF


def set_tag(pub, at, alg, tag=TAG):
    """Chooses pub[at], pub[at + 1] (at even: one 16-bit word of the RDATA) so that the key tag is `tag`."""
    head = bytes([1, 0, 3, alg])
    pub[at] = pub[at + 1] = 0
    base = word_sum(head + bytes(pub))
    for carry in range(1 << 10):  # the end-around carry adds the high part of the sum back in
        w = (tag - base - carry) % 0x10000
        pub[at], pub[at + 1] = w >> 8, w & 0xFF
        if tag_of(head + bytes(pub)) == tag:
            return True
    return False


def on_curve(pub):
    """RFC 8032 §5.1.3 decoding: y < p and x^2 = (y^2 - 1) / (d y^2 + 1) has a root."""
    y = int.from_bytes(pub, "little") & ((1 << 255) - 1)
    if y >= P:
        return False
    u, v = (y * y - 1) % P, (D * y * y + 1) % P
    x2 = u * pow(v, P - 2, P) % P
    return x2 == 0 or pow(x2, (P - 1) // 2, P) == 1


def ed25519_key(seed, tag=TAG):
    """Random key bytes whose last two octets bring the tag to `tag`, on the curve."""
    while True:
        pub = bytearray(det(f"key{seed}", 32))
        if set_tag(pub, 30, 15, tag) and on_curve(bytes(pub)):
            return bytes(pub)
        seed += 1_000_000


def rsa_key(seed, tag=TAG):
    """RFC 3110 key: exponent 2^64 - 1 and a 16384-bit odd modulus (random: the public operation needs no factors)."""
    modulus = bytearray(det(f"rsa{seed}", 2048))
    modulus[0] |= 0x80
    modulus[-1] |= 1
    pub = bytearray([8]) + b"\xff" * 8 + modulus
    assert set_tag(pub, 1000, 8, tag)
    return bytes(pub)


def signature(s, variant):
    if variant == "ed25519":
        sig = bytearray(det(f"sig{s}", 64))
        sig[63] = 0  # S < L: canonical, so each validation runs in full
    else:
        sig = bytearray(det(f"sig{s}", 2048))
        sig[0] = 0  # below every modulus
    return base64.b64encode(bytes(sig)).decode()


def control_tag(k):
    """The tag of the control zone's key k: blocks of 128 consecutive tags 128 apart, so that no two keys' tags differ
    by 128 (RFC 5011's REVOKE bit adds 128 to a tag: KEYTAG_COLLISION reports that too)."""
    return 10000 + k + 128 * (k // 128)


def write_zone(out, variant, keys, sigs, sig_tag=TAG, collide=True):
    """A zone with `keys` zone keys of tag TAG (VARIANT ed25519 or rsa16384) and `sigs` RRSIGs over one A RRset
    naming `sig_tag`. Without `collide`, the control: the same numbers of keys and signatures, key k with its own tag
    (control_tag: no two differ by 128 either, the REVOKE bit's difference) and signature s naming the tag of key
    s mod `keys` (each signature has exactly one key to try)."""
    alg = 15 if variant == "ed25519" else 8
    with open(out, "w") as f:
        f.write("$ORIGIN keytrap.example.\n$TTL 3600\n")
        f.write("@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\n")
        for k in range(keys):
            tag = TAG if collide else control_tag(k)
            pub = ed25519_key(k, tag) if variant == "ed25519" else rsa_key(k, tag)
            f.write(f"@ DNSKEY 256 3 {alg} {base64.b64encode(pub).decode()}\n")
        for s in range(sigs):
            tag = sig_tag if collide else control_tag(s % keys)
            f.write(f"www RRSIG A {alg} 3 3600 20270101000000 20251201000000 {tag} keytrap.example. "
                    f"{signature(s, variant)}\n")
