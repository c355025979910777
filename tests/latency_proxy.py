"""A TCP proxy that delays every chunk by a fixed time in each direction: a LAN in front of a local server.

A bureau's clerks reach their PostgreSQL server across the office network, about a millisecond each way; the test
server runs on the loopback, where a round trip costs some microseconds. Put between the two, this proxy makes each
statement pay what it pays in the office, so that a job that sends one statement per row shows up as slow here too
(``make bench``'s server jobs). Each chunk read from one side is written to the other at its arrival time plus the
delay, in order, whatever else is in flight: the link is pipelined, as a network is, rather than serialised (a
stream of chunks costs one delay, not one per chunk). The TCP handshake itself is not delayed (the proxy connects
to the target at once); the server's start-up exchange, being data, is. The proxy's own work (a thread woken for
each chunk) adds some tens of microseconds each way, as a real network's interrupts do.

    with latency_proxy("127.0.0.1", 5432, delay=0.001) as port:
        ...  # connect to 127.0.0.1:port
"""

from __future__ import annotations

import queue
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

CHUNK = 65536
_END = b""  # queued after the last chunk of a direction: its end, passed on after the same delay


class _Direction:
    """One direction of one connection: a reader stamping each chunk on arrival, a writer sending it when due."""

    def __init__(self, source: socket.socket, target: socket.socket, delay: float, done) -> None:
        self.source, self.target, self.delay, self.done = source, target, delay, done
        self.chunks: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()
        self.early = 0.0  # how much sooner than due the writer wakes, to be on time
        self.threads = [
            threading.Thread(target=self._read, daemon=True, name="latency-proxy-read"),
            threading.Thread(target=self._write, daemon=True, name="latency-proxy-write"),
        ]
        for thread in self.threads:
            thread.start()

    def _read(self) -> None:
        try:
            while True:
                data = self.source.recv(CHUNK)
                self.chunks.put((time.perf_counter() + self.delay, data))
                if not data:
                    return
        except OSError:  # the connection was reset, or the proxy is closing
            self.chunks.put((time.perf_counter() + self.delay, _END))

    def _write(self) -> None:
        try:
            while True:
                due, data = self.chunks.get()
                wait = due - time.perf_counter()
                if wait > 0:
                    # A sleep ends some tens of microseconds late: sleep that much less, as learnt so far.
                    time.sleep(max(0.0, wait - self.early))
                    self.early += (time.perf_counter() - due) / 8
                if not data:
                    self.target.shutdown(socket.SHUT_WR)
                    return
                self.target.sendall(data)
        except OSError:
            pass
        finally:
            self.done()


class _Connection:
    def __init__(self, client: socket.socket, target: tuple[str, int], delay: float) -> None:
        self.client = client
        self.server = socket.create_connection(target)
        for sock in (self.client, self.server):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # the delay is ours, not Nagle's
        self._lock = threading.Lock()
        self._open = 2
        self.directions = [
            _Direction(self.client, self.server, delay, self._one_done),
            _Direction(self.server, self.client, delay, self._one_done),
        ]

    def _one_done(self) -> None:
        with self._lock:
            self._open -= 1
            last = self._open == 0
        if last:
            self.close()

    @property
    def finished(self) -> bool:
        return self._open == 0

    def close(self) -> None:
        for sock in (self.client, self.server):
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a reader blocked in recv
            except OSError:
                pass
            sock.close()

    def join(self, timeout: float) -> None:
        for direction in self.directions:
            for thread in direction.threads:
                thread.join(timeout)


@contextmanager
def latency_proxy(host: str, port: int, *, delay: float = 0.001, listen: str = "127.0.0.1") -> Iterator[int]:
    """Listen on a free port of ``listen`` and forward each connection to ``host:port``, every chunk ``delay``
    seconds late in each direction; yield the listening port. On exit every connection is closed and every thread
    of the proxy has ended."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((listen, 0))
    listener.listen(64)
    listener.settimeout(0.05)  # accept() wakes this often to see whether the proxy is closing
    stopping = threading.Event()
    connections: list[_Connection] = []
    lock = threading.Lock()

    def accept() -> None:
        while not stopping.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                connection = _Connection(client, (host, port), delay)
            except OSError:  # the target refused: the client sees its connection closed, as it would
                client.close()
                continue
            with lock:
                connections[:] = [c for c in connections if not c.finished]
                connections.append(connection)

    acceptor = threading.Thread(target=accept, daemon=True, name="latency-proxy-accept")
    acceptor.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopping.set()
        acceptor.join()
        listener.close()
        with lock:
            left = list(connections)
        for connection in left:
            connection.close()
        for connection in left:
            connection.join(timeout=1.0 + delay)
