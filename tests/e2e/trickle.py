#!/usr/bin/env python3
"""A slow client on loopback: COUNT connections from SOURCE to PORT that each send a request a
byte at a time, every INTERVAL seconds, for SECONDS, then close. MODE "headers" trickles the
header lines (no key needed, slowloris); "body" sends whole headers with KEY and a large
declared length, then trickles the body. Prints how many connections were opened and how many
the server closed before the end.

usage: trickle.py PORT SOURCE COUNT SECONDS INTERVAL MODE [KEY]
"""
import select
import socket
import sys
import time

port, source, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
seconds, interval, mode = float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
key = sys.argv[7] if len(sys.argv) > 7 else ""

if mode == "headers":
    head = b"GET /v1/banks HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 100000
    rest = b""
else:
    head = (f"POST /v1/scan?content_id=slow HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {key}\r\nContent-Type: image/jpeg\r\n"
            f"Content-Length: 10000000\r\n\r\n").encode()
    rest = b"\xff" * 10000000

conns, sent, closed = [], [], 0
for _ in range(count):
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(2)
    try:
        s.connect(("127.0.0.1", port))
        if mode == "body":
            s.sendall(head)
    except OSError:
        closed += 1
        continue
    s.setblocking(False)
    conns.append(s)
    sent.append(0)
stream = head if mode == "headers" else rest
end = time.monotonic() + seconds
while time.monotonic() < end and any(conns):
    for i, s in enumerate(conns):
        if s is None:
            continue
        try:
            s.send(stream[sent[i]:sent[i] + 1])
            sent[i] += 1
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            conns[i] = None
            closed += 1
            continue
        # A connection the server closed (or answered) reads as such.
        r, _, _ = select.select([s], [], [], 0)
        if r:
            try:
                s.recv(65536)  # an answer (408, 401) or the close
                raise OSError
            except BlockingIOError:
                pass
            except OSError:
                conns[i] = None
                closed += 1
    time.sleep(interval)
print(f"opened {count} closed_by_server {closed}", flush=True)
for s in conns:
    if s is not None:
        s.close()
