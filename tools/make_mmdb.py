#!/usr/bin/env python3
"""make_mmdb.py OUT [NETWORK=CC ...]: writes a MaxMind DB (format 2.0, IPv6 tree, 32-bit
records) mapping each network to {"country_code": CC}, the layout of the ip-location-db
country databases. IPv4 networks go where readers look for them, at ::a.b.c.d/96+n. With no
networks it writes the set the tests use. Test data only: no lookup optimisation."""
import ipaddress
import struct
import sys
import time

DEFAULT = ["1.2.3.0/24=MY", "10.0.0.0/8=ID", "203.0.113.0/24=VN", "198.51.100.7/32=AU",
           "2001:db8::/32=IN", "2001:db8:1::/48=MY", "192.0.2.0/25=EU"]


def ctrl(kind, size):
    """A control byte (and extension) for a type and size under 29."""
    if kind <= 7:
        return bytes([(kind << 5) | size])
    return bytes([size, kind - 7])


def enc(value):
    if isinstance(value, str):
        b = value.encode()
        return ctrl(2, len(b)) + b
    if isinstance(value, dict):
        out = ctrl(7, len(value))
        for k, v in value.items():
            out += enc(k) + enc(v)
        return out
    if isinstance(value, list):
        return ctrl(11, len(value)) + b"".join(enc(v) for v in value)
    if isinstance(value, tuple):  # (kind, int): uint16=5, uint32=6, uint64=9
        kind, n = value
        raw = n.to_bytes(8, "big").lstrip(b"\0")
        return ctrl(kind, len(raw)) + raw
    raise TypeError(value)


class Node:
    def __init__(self):
        self.kids = [None, None]


def main():
    out = sys.argv[1]
    pairs = sys.argv[2:] or DEFAULT
    data, offsets, root = b"", {}, Node()
    # Wider networks first, so that narrower ones refine them.
    for pair in sorted(pairs, key=lambda p: ipaddress.ip_network(p.split("=")[0]).prefixlen +
                       (96 if ipaddress.ip_network(p.split("=")[0]).version == 4 else 0)):
        net, cc = pair.split("=")
        n = ipaddress.ip_network(net)
        bits, plen = int(n.network_address), n.prefixlen
        if n.version == 4:
            plen += 96
        if cc not in offsets:
            offsets[cc] = len(data)
            data += enc({"country_code": cc})
        node = root
        for i in range(plen):
            b = (bits >> (127 - i)) & 1
            if i == plen - 1:
                node.kids[b] = ("data", offsets[cc])
            else:
                if not isinstance(node.kids[b], Node):
                    inner = Node()  # a wider network's data carries on below
                    inner.kids = [node.kids[b], node.kids[b]]
                    node.kids[b] = inner
                node = node.kids[b]
    nodes, queue = [], [root]
    while queue:
        n = queue.pop(0)
        nodes.append(n)
        queue += [k for k in n.kids if isinstance(k, Node)]
    index = {id(n): i for i, n in enumerate(nodes)}
    count = len(nodes)

    def record(k):
        if k is None:
            return count
        if isinstance(k, Node):
            return index[id(k)]
        return count + 16 + k[1]

    tree = b"".join(struct.pack(">II", record(n.kids[0]), record(n.kids[1])) for n in nodes)
    meta = enc({"node_count": (6, count), "record_size": (5, 32), "ip_version": (5, 6),
                "database_type": "jaga-test-country", "languages": ["en"],
                "binary_format_major_version": (5, 2), "binary_format_minor_version": (5, 0),
                "build_epoch": (9, int(time.time())),
                "description": {"en": "jaga test networks"}})
    with open(out, "wb") as f:
        f.write(tree + b"\0" * 16 + data + b"\xab\xcd\xefMaxMind.com" + meta)


if __name__ == "__main__":
    main()
