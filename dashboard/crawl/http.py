"""Polite HTTP for the crawler: robots.txt, a pause between requests, timeouts, retries with
backoff, conditional requests against a small on-disk cache, and a count of what was fetched.

Only the standard library: ``urllib.request`` with redirects followed here rather than by urllib,
so that every hop is checked against robots.txt, paced and counted.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

USER_AGENT = "blog-publishing-dashboard-crawler/0.1 (read-only; honours robots.txt)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
MAX_REDIRECTS = 5
MAX_WAIT = 60.0  # longest Retry-After or robots.txt Crawl-delay honoured, in seconds
MAX_BYTES = 50 * 1024 * 1024
CHUNK = 256 * 1024


class FetchError(Exception):
    """A page that could not be fetched: why, and the HTTP status when the server answered."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.url = url
        self.reason = reason
        self.status = status


class Disallowed(FetchError):
    """A page that robots.txt does not let this crawler fetch."""


class _Transient(Exception):
    """A failure worth retrying: a network error, a timeout or a 5xx answer."""

    def __init__(self, reason: str, status: int | None = None, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.wait = wait


@dataclass(frozen=True)
class Response:
    """A page as fetched: ``status`` 304 means the body came from the cache, unchanged."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    body: bytes
    headers: Mapping[str, str]

    @property
    def from_cache(self) -> bool:
        return self.status == 304


@dataclass
class Stats:
    """What a crawl asked of the server: every request sent (retries and redirects included)."""

    requests: int = 0
    bytes: int = 0
    cache_hits: int = 0
    retries: int = 0
    statuses: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    def summary(self) -> str:
        """One line: requests by status, bytes received, cache hits, retries and time."""
        by_status = ", ".join(f"{n} × {s}" for s, n in sorted(self.statuses.items(), key=str))
        return (
            f"fetched: {plural(self.requests, 'request')} ({by_status or 'none'}), "
            f"{_size(self.bytes)} received, {plural(self.cache_hits, 'cache hit')} (304), "
            f"{plural(self.retries, 'retry', 'retries')}, {self.seconds:.2f} s"
        )


def plural(count: int, one: str, many: str | None = None) -> str:
    """``3 pages``, ``1 page``."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def _size(count: int) -> str:
    return f"{count} B" if count < 1024 else f"{count / 1024:.1f} kB"


class Cache:
    """Validators (ETag, Last-Modified) and bodies of fetched pages, and permanent redirects.

    One JSON file and one body file per address, named by a hash of it; written atomically, so
    an interrupted run leaves whole entries or none. ``directory=None`` caches nothing.
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def _paths(self, url: str) -> tuple[Path, Path] | None:
        if self.directory is None:
            return None
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.directory / f"{key}.json", self.directory / f"{key}.body"

    def entry(self, url: str) -> dict:
        """The stored entry of ``url`` (empty when there is none or it cannot be read)."""
        paths = self._paths(url)
        if paths is None or not paths[0].is_file():
            return {}
        try:
            entry = json.loads(paths[0].read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return entry if isinstance(entry, dict) and entry.get("url") == url else {}

    def validators(self, url: str) -> dict[str, str]:
        """Conditional request headers for ``url``, when its body is stored too."""
        entry, paths = self.entry(url), self._paths(url)
        if not entry or paths is None or not paths[1].is_file():
            return {}
        headers = {}
        if entry.get("etag"):
            headers["If-None-Match"] = entry["etag"]
        if entry.get("last_modified"):
            headers["If-Modified-Since"] = entry["last_modified"]
        return headers

    def body(self, url: str) -> bytes | None:
        paths = self._paths(url)
        try:
            return paths[1].read_bytes() if paths else None
        except OSError:
            return None

    def redirect(self, url: str) -> str | None:
        """Where a permanent redirect stored for ``url`` leads."""
        return self.entry(url).get("moved_to")

    def store(self, url: str, headers: Mapping[str, str], body: bytes) -> None:
        """Keep the body of a page that carries a validator, so that a 304 can reuse it."""
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        paths = self._paths(url)
        if paths is None or not (etag or modified):
            return
        _write_atomically(paths[1], body)
        entry = {"url": url, "etag": etag, "last_modified": modified}
        _write_atomically(paths[0], json.dumps(entry).encode("utf-8"))

    def store_redirect(self, url: str, target: str) -> None:
        paths = self._paths(url)
        if paths is not None:
            _write_atomically(paths[0], json.dumps({"url": url, "moved_to": target}).encode())


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hands redirects back as HTTPError, so that the client follows them itself."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Client:
    """Fetches pages one at a time, politely; see the module docstring.

    ``delay`` is the pause between requests (robots.txt's Crawl-delay wins when longer);
    ``retries`` is how many times a network error, timeout or 5xx answer is tried again, after
    ``backoff`` seconds, then twice that, and so on.
    """

    user_agent: str = USER_AGENT
    delay: float = 1.0
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    cache: Cache = field(default_factory=lambda: Cache(None))
    stats: Stats = field(default_factory=Stats)
    sleep: Callable[[float], None] = time.sleep
    _robots: dict[str, RobotFileParser | str] = field(default_factory=dict, repr=False)
    _last_request: float | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirects())

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this crawler fetch ``url`` (fetching robots.txt once per site).

        Raises FetchError when robots.txt cannot be fetched at all (the site is unreachable).
        """
        try:
            self._check_robots(url)
        except Disallowed:
            return False
        return True

    def get(self, url: str) -> Response:
        """The page at ``url``, following redirects; raises FetchError (Disallowed for robots)."""
        return self._get(url, robots=True)

    def _get(self, url: str, robots: bool) -> Response:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            moved = self.cache.redirect(current)
            if moved:
                current = moved
                continue
            if robots:
                self._check_robots(current)
            status, headers, body = self._fetch(current, self.cache.validators(current))
            if status in REDIRECT_STATUSES:
                current = self._follow(current, status, headers)
                continue
            if status == 304:
                cached = self.cache.body(current)
                if cached is not None:
                    self.stats.cache_hits += 1
                    return Response(url, current, 304, cached, headers)
                status, headers, body = self._fetch(current, {})  # the body went missing
            self.cache.store(current, headers, body)
            return Response(url, current, status, body, headers)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _follow(self, current: str, status: int, headers: Mapping[str, str]) -> str:
        location = headers.get("Location")
        if not location:
            raise FetchError(current, f"HTTP {status} redirect without a Location", status)
        target = urljoin(current, location)
        if urlsplit(target).scheme not in ("http", "https"):
            raise FetchError(current, f"redirect to a non-web address: {target}", status)
        if status in PERMANENT_REDIRECTS:
            self.cache.store_redirect(current, target)
        return target

    def _check_robots(self, url: str) -> None:
        try:
            rules = self._rules(url)
        except FetchError as error:
            raise FetchError(url, error.reason, error.status) from None
        if isinstance(rules, str):
            raise Disallowed(url, rules)
        if not rules.can_fetch(self.user_agent, url):
            raise Disallowed(url, "disallowed by robots.txt")

    def _rules(self, url: str) -> RobotFileParser | str:
        """The parsed robots.txt of the site of ``url``, or the reason the site is off limits."""
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        return self._robots[origin]

    def _read_robots(self, origin: str) -> RobotFileParser | str:
        """RFC 9309: a 4xx robots.txt allows everything; a 5xx one forbids everything."""
        address = origin + "/robots.txt"
        rules = RobotFileParser(address)
        try:
            response = self._get(address, robots=False)
        except FetchError as error:
            if error.status is None:
                raise
            if 400 <= error.status < 500:
                rules.allow_all = True
                return rules
            return f"robots.txt unavailable ({error.reason}), so the site is off limits"
        rules.parse(response.body.decode("utf-8", "replace").splitlines())
        return rules

    def crawl_delay(self, url: str) -> float:
        """The pause before the next request to the site of ``url``."""
        rules = self._robots.get(_origin(url))
        stated = rules.crawl_delay(self.user_agent) if isinstance(rules, RobotFileParser) else None
        return max(self.delay, min(float(stated or 0), MAX_WAIT))

    def _fetch(self, url: str, headers: dict[str, str]) -> tuple[int, Mapping[str, str], bytes]:
        """One answer for ``url``, trying again on transient failures; raises FetchError."""
        failure: _Transient | None = None
        for attempt in range(self.retries + 1):
            if failure is not None:
                self.stats.retries += 1
                wait = self.backoff * 2 ** (attempt - 1)
                self.sleep(min(max(wait, failure.wait or 0.0), MAX_WAIT))
            try:
                return self._once(url, headers)
            except _Transient as error:
                failure = error
        tries = self.retries + 1
        suffix = f" ({tries} attempts)" if tries > 1 else ""
        raise FetchError(url, failure.reason + suffix, failure.status)

    def _pause(self, url: str) -> None:
        if self._last_request is not None:
            wait = self.crawl_delay(url) - (time.monotonic() - self._last_request)
            if wait > 0:
                self.sleep(wait)

    def _once(self, url: str, extra: dict[str, str]) -> tuple[int, Mapping[str, str], bytes]:
        """A single request: (status, headers, body); transient failures raise _Transient."""
        self._pause(url)
        headers = {"User-Agent": self.user_agent, "Accept": "*/*", **extra}
        request = urllib.request.Request(url, headers=headers)
        self.stats.requests += 1
        self._last_request = time.monotonic()
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, answer = response.status, response.headers
                body = self._read(url, response)
        except _Transient:
            self.stats.statuses["error"] += 1
            raise
        except urllib.error.HTTPError as error:
            error.close()
            self.stats.statuses[error.code] += 1
            return self._answer(url, error.code, error.reason, error.headers)
        except urllib.error.URLError as error:
            self.stats.statuses["error"] += 1
            if isinstance(error.reason, TimeoutError):
                raise _Transient(f"no answer within {self.timeout:g} s") from None
            raise _Transient(f"unreachable ({error.reason})") from None
        except TimeoutError:
            self.stats.statuses["error"] += 1
            raise _Transient(f"no answer within {self.timeout:g} s") from None
        except (HTTPException, ConnectionError) as error:
            self.stats.statuses["error"] += 1
            raise _Transient(f"connection failed ({type(error).__name__}: {error})") from None
        except (OSError, ValueError) as error:
            self.stats.statuses["error"] += 1
            raise FetchError(url, f"unreachable ({type(error).__name__}: {error})") from None
        self.stats.statuses[status] += 1
        self.stats.bytes += len(body)
        return status, answer, body

    def _answer(self, url, status, reason, headers) -> tuple[int, Mapping[str, str], bytes]:
        """A non-2xx answer: a redirect or 304 to act on, a 5xx to retry, else a FetchError."""
        if status in REDIRECT_STATUSES or status == 304:
            return status, headers, b""
        if status in RETRY_STATUSES:
            raise _Transient(
                f"the server answered HTTP {status} {reason}",
                status,
                _retry_after(headers.get("Retry-After")),
            )
        raise FetchError(url, f"the server answered HTTP {status} {reason}", status)

    def _read(self, url: str, response) -> bytes:
        """The body, within ``timeout`` for the whole of it and at most MAX_BYTES."""
        deadline = time.monotonic() + self.timeout
        chunks, size = [], 0
        while chunk := response.read1(CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError(url, f"larger than {MAX_BYTES // (1024 * 1024)} MB")
            if time.monotonic() > deadline:
                raise _Transient(f"no answer within {self.timeout:g} s")
        return b"".join(chunks)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
