#!/usr/bin/env bash
# End-to-end: the connection cap, the idle timeout and the request deadline, with raw
# sockets on loopback; a request refused on its headers is answered before its body; the
# server keeps serving others throughout.
# usage: test_limits.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
# One I/O thread: with more, MHD shares the cap out between them.
echo '{"max_connections": 3, "timeout_s": 2, "request_timeout_s": 2, "threads": 1}' >"$work/limits.json"
start_server --config "$work/limits.json"
port=${url##*:}

# probe SCENARIO: prints what a raw client saw.
probe() {
    python3 - "$port" "$1" "$platform" <<'PY'
import socket, sys, time
port, scenario, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def connect():
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s
def closed_within(s, seconds):
    """Whether the server closes s (EOF or reset) within seconds, reading what comes."""
    s.settimeout(seconds)
    end = time.time() + seconds
    try:
        while time.time() < end:
            if not s.recv(4096):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return False
if scenario == "idle":
    s = connect()
    t0 = time.time()
    print("closed" if closed_within(s, 6) else "open", "after %.0f s" % (time.time() - t0))
elif scenario == "trickle":
    # Headers with a good key, then one byte of the body every 0.5 s: never idle, but past
    # the deadline.
    s = connect()
    s.sendall(b"POST /v1/hash HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key.encode() +
              b"\r\nContent-Length: 1000\r\n\r\n")
    t0 = time.time()
    try:
        for _ in range(20):
            s.sendall(b"x")
            time.sleep(0.5)
        print("not closed")
    except (ConnectionResetError, BrokenPipeError):
        print("closed after %.0f s" % (time.time() - t0))
elif scenario in ("unkeyed", "expect"):
    # No key, a 500 MB body declared (and Expect: 100-continue): the 401 comes at once, before
    # any body byte is sent, and no "100 Continue" asks for one.
    s = connect()
    s.sendall(b"POST /v1/scan?content_id=x HTTP/1.1\r\nHost: x\r\nContent-Length: 500000000\r\n" +
              (b"Expect: 100-continue\r\n" if scenario == "expect" else b"") + b"\r\n")
    s.settimeout(2)
    try:
        answer = s.recv(4096)
    except socket.timeout:
        answer = b""
    print(answer.split(b"\r\n")[0].decode() or "no answer")
elif scenario == "cap":
    # Three idle connections take the cap; a fourth is not served while they are held.
    held = [connect() for _ in range(3)]
    time.sleep(0.3)
    extra = connect()
    extra.settimeout(1)
    try:
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = extra.recv(4096)
    except (ConnectionResetError, BrokenPipeError, socket.timeout):
        answer = b""
    print("refused" if not answer.startswith(b"HTTP/1.1 200") else "served")
    for h in held:
        h.close()
PY
}
idle=$(probe idle)
check "idle connection closed after timeout_s ($idle)" grep -q '^closed' <<<"$idle"
trickle=$(probe trickle)
check "trickling body cut at the deadline ($trickle)" grep -q '^closed' <<<"$trickle"
check "deadline logged" grep -q 'closed: the body took over 2 s' "$work/err.txt"
check "no key, a huge body declared: 401 at once" test "$(probe unkeyed)" = "HTTP/1.1 401 Unauthorized"
check "no key, Expect: 100-continue: 401, no 100" test "$(probe expect)" = "HTTP/1.1 401 Unauthorized"
cap=$(probe cap)
check "fourth connection refused at the cap" test "$cap" = refused
sleep 0.5
check "serving again once below the cap" test "$(code GET /healthz)" = 200
kill -TERM "$pid"
wait "$pid"
pid=

finish "limits e2e"
