"""A small HTTP load client: N client processes on loopback, each one request at a time with http.client.

Each client is its own process (so the client is not held back by one Python interpreter's lock) and
keeps its connection open between requests when the server allows it (gunicorn's sync workers close
it after every response; then the client connects again, as a browser would). All clients start
together, run `warmup` seconds unmeasured, then `duration` seconds measured: a request counts when it
starts and ends inside the measured window. Any status other than 2xx, and any connection error or
timeout, is an error.
"""

from __future__ import annotations

import http.client
import multiprocessing as mp
import statistics
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

TIMEOUT = 30.0


@dataclass(frozen=True)
class Request:
    """A GET to send, with the language a family's browser would ask for."""

    path: str
    language: str = "fi"


@dataclass
class LoadResult:
    """What the clients measured in the window: per request its index, latency (s) and status."""

    clients: int
    duration: float
    samples: list[tuple[int, float, int]]
    server_closes: bool
    sent: int = 0  # every request answered, warm-up included
    server_cpu: float = float("nan")  # seconds of server CPU over the whole load, when measured

    @property
    def requests(self) -> int:
        return len(self.samples)

    @property
    def errors(self) -> int:
        return sum(1 for _index, _latency, status in self.samples if not 200 <= status < 300)

    @property
    def rps(self) -> float:
        return self.requests / self.duration

    @property
    def cpu_ms(self) -> float:
        """Server CPU milliseconds a request (over the warm-up too), NaN when not measured."""
        return self.server_cpu * 1000 / self.sent if self.sent else float("nan")

    def latencies_ms(self, index: int | None = None) -> list[float]:
        """Latencies in milliseconds, of every request or only of request `index`."""
        return [latency * 1000 for i, latency, _status in self.samples if index is None or i == index]


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` percentile (0.95 for p95) by the nearest-rank method; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _client(
    host: str,
    port: int,
    requests: list[Request],
    first: int,
    start: float,
    measure_from: float,
    stop: float,
    out: Connection,
) -> None:
    """One client: wait for the common start, then send requests in turn from `first` until `stop`."""
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    samples: list[tuple[int, float, int]] = []
    closes = False
    sent = 0
    index = first
    while time.monotonic() < start:
        time.sleep(0.001)
    while True:
        began = time.monotonic()
        if began >= stop:
            break
        request = requests[index]
        try:
            connection.request("GET", request.path, headers={"Accept-Language": request.language})
            response = connection.getresponse()
            response.read()
            status = response.status
            closes = closes or response.will_close
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
        ended = time.monotonic()
        sent += 1
        if began >= measure_from and ended <= stop:
            samples.append((index, ended - began, status))
        index = (index + 1) % len(requests)
    connection.close()
    out.send((samples, closes, sent))
    out.close()


def run_load(
    host: str, port: int, requests: list[Request], clients: int, duration: float, warmup: float
) -> LoadResult:
    """Run `clients` client processes against the server and gather what they measured."""
    context = mp.get_context("fork")
    start = time.monotonic() + 0.5 + 0.02 * clients
    measure_from = start + warmup
    stop = measure_from + duration
    pipes = []
    processes = []
    for number in range(clients):
        receiver, sender = context.Pipe(duplex=False)
        first = number * len(requests) // clients
        process = context.Process(
            target=_client, args=(host, port, requests, first, start, measure_from, stop, sender)
        )
        process.start()
        sender.close()
        pipes.append(receiver)
        processes.append(process)
    samples: list[tuple[int, float, int]] = []
    server_closes = False
    sent = 0
    for receiver in pipes:
        got, closes, answered = receiver.recv()
        samples += got
        server_closes = server_closes or closes
        sent += answered
    for process in processes:
        process.join()
    return LoadResult(clients, duration, samples, server_closes, sent)
