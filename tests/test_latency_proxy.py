"""The benchmarks' latency proxy: bytes intact and in order, each direction late by its delay, chunks pipelined."""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager

import pytest

from tests.latency_proxy import latency_proxy


@contextmanager
def echo_server():
    """A loopback server that sends back whatever each connection sends it; yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    threads: list[threading.Thread] = []

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while data := conn.recv(65536):
                conn.sendall(data)

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=serve, args=(conn,), daemon=True)
            thread.start()
            threads.append(thread)

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        acceptor.join(1)


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(5)
    return sock


def _receive(sock: socket.socket, size: int) -> bytes:
    got = bytearray()
    while len(got) < size:
        data = sock.recv(65536)
        if not data:
            break
        got += data
    return bytes(got)


def test_a_large_transfer_arrives_whole_and_in_order():
    payload = os.urandom(4 * 2**20)
    with echo_server() as target, latency_proxy("127.0.0.1", target, delay=0.001) as port, _connect(port) as sock:
        sender = threading.Thread(target=sock.sendall, args=(payload,))
        sender.start()
        echoed = _receive(sock, len(payload))
        sender.join()
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(1) == b""  # the end passes through too, once everything before it has
    assert echoed == payload


def test_a_round_trip_pays_the_delay_each_way():
    delay = 0.05
    with echo_server() as target, latency_proxy("127.0.0.1", target, delay=delay) as port, _connect(port) as sock:
        for message in (b"ping", b"pong"):
            started = time.perf_counter()
            sock.sendall(message)
            assert _receive(sock, len(message)) == message
            elapsed = time.perf_counter() - started
            assert 2 * delay <= elapsed < 2 * delay + 0.08


def test_chunks_in_flight_are_pipelined_not_delayed_one_after_another():
    delay, count, gap = 0.05, 20, 0.005
    with echo_server() as target, latency_proxy("127.0.0.1", target, delay=delay) as port, _connect(port) as sock:
        started = time.perf_counter()
        for i in range(count):  # separate chunks, a few milliseconds apart
            sock.sendall(b"%03d" % i)
            time.sleep(gap)
        echoed = _receive(sock, 3 * count)
        elapsed = time.perf_counter() - started
    assert echoed == b"".join(b"%03d" % i for i in range(count))
    # the last chunk leaves after (count - 1) gaps and comes back 2 delays later; one after another would take 2 s
    last = (count - 1) * gap + 2 * delay
    assert last <= elapsed < last + 0.15


def test_on_exit_every_connection_is_closed_and_every_thread_has_ended():
    with echo_server() as target:
        with latency_proxy("127.0.0.1", target, delay=0.001) as port:
            socks = [_connect(port) for _ in range(3)]
            for sock in socks:
                sock.sendall(b"x")
                assert _receive(sock, 1) == b"x"
        for sock in socks:
            assert sock.recv(1) == b""  # closed by the proxy
            sock.close()
        assert not [t for t in threading.enumerate() if t.name.startswith("latency-proxy")]
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
