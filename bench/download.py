"""A streamed download read in 64 KB pieces while the serving worker's RSS is sampled (psutil), and the rows of a CSV."""

from __future__ import annotations

import contextlib
import http.client
import io
import time

from .processes import PRODUCTION_TIMEOUT_S

__all__ = ["RssSampler", "STREAM_EVERYTHING", "download", "parsed_rows"]

# The streamed writer is measured on every size: in production, exports above EXPORT_STREAM_MAX_ROWS_CSV
# rows are written by a background job with the same writer.
STREAM_EVERYTHING = {"csv": 10**9, "xlsx": 10**9}


class RssSampler:
    """Samples one process's RSS every ``interval`` seconds in a thread (psutil), keeping the peak."""

    def __init__(self, pid: int, interval: float = 0.02):
        import threading

        import psutil

        self.process = psutil.Process(pid)
        self.interval = interval
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            with contextlib.suppress(Exception):
                self.samples.append(self.process.memory_info().rss)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def peak(self) -> int:
        return max(self.samples, default=0)


def parsed_rows(chunks: list[bytes]) -> tuple[int, str]:
    """(data rows, sha256 of the parsed values): the app writes a BOM, CRLF and '' for NULL, COPY does not."""
    import csv
    import hashlib

    text = b"".join(chunks).decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)  # the headers differ (the export uses the import's column names)
    digest, count = hashlib.sha256(), 0
    for row in reader:
        digest.update("\x1f".join(row).encode())
        digest.update(b"\x1e")
        count += 1
    return count, digest.hexdigest()


def download(port: int, path: str, worker_pid: int) -> dict:
    """GET ``path`` reading the stream in 64 KB pieces while the worker's RSS is sampled every 20 ms."""
    import psutil

    before = psutil.Process(worker_pid).memory_info().rss
    chunks: list[bytes] = []
    status, content_type, error, headers_s, first_byte_s = None, None, None, 0.0, None
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=PRODUCTION_TIMEOUT_S)
    try:
        with RssSampler(worker_pid) as sampler:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                status, content_type = response.status, response.getheader("Content-Type")
                headers_s = time.perf_counter() - started
                while True:
                    chunk = response.read1(65536)
                    if not chunk:
                        break
                    if first_byte_s is None:
                        first_byte_s = time.perf_counter() - started
                    chunks.append(chunk)
            except (OSError, http.client.HTTPException) as exc:  # a timeout or a stream cut short: a failure
                error = f"{type(exc).__name__}: {exc}"
            wall_s = time.perf_counter() - started
    finally:
        conn.close()
    if status != 200 and error is None:
        error = f"answered {status}"
    return {
        "status": status,
        "error": error,
        "content_type": content_type,
        "wall_s": round(wall_s, 3),
        "headers_ms": round(headers_s * 1000, 1),
        "ttfb_ms": round((first_byte_s or wall_s) * 1000, 1),
        "bytes": sum(len(c) for c in chunks),
        "rss_before_mb": round(before / 2**20, 1),
        "peak_rss_mb": round(sampler.peak / 2**20, 1),
        "growth_mb": round((sampler.peak - before) / 2**20, 1),
        "rss_samples": len(sampler.samples),
        "chunks": chunks,
    }
