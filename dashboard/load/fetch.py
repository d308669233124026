"""http(s) sources: one GET with a timeout, a size cap and a clear message when it fails."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from http.client import HTTPException
from urllib.parse import urljoin, urlsplit

from dashboard.load.report import LoadError

USER_AGENT = "blog-publishing-dashboard/0.1 (read-only; Python urllib)"
TIMEOUT = float(os.environ.get("DASHBOARD_HTTP_TIMEOUT", "20"))  # seconds, for the whole fetch
MAX_BYTES = 50 * 1024 * 1024
CHUNK = 256 * 1024


def is_url(source: str) -> bool:
    """True for an http(s) address."""
    return source[:8].lower().startswith(("http://", "https://"))


def is_absolute(url: str | None) -> bool:
    """True for an absolute http(s) address that ``urlsplit`` can take apart."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def resolve(base: str | None, link: str) -> str:
    """``link`` made absolute against ``base``; as given when either is not a valid address
    (normalisation then reports it)."""
    if not base:
        return link
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def fetch(url: str, timeout: float | None = None) -> tuple[bytes, str]:
    """The body of ``url`` and the address it was finally served from (after redirects).

    ``timeout`` (default ``TIMEOUT``, read at call time) bounds the whole fetch, so a server
    that never answers, or answers a trickle, fails with a clear message.
    """
    timeout = TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    late = LoadError(f"no answer within {timeout:g} s")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            chunks, size = [], 0
            while size <= MAX_BYTES:
                chunk = response.read1(CHUNK)  # what has arrived, so the deadline is checked
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if time.monotonic() > deadline:
                    raise late
            final = response.geturl()
    except urllib.error.HTTPError as error:
        raise LoadError(f"the server answered HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise late from None
        raise LoadError(f"unreachable ({error.reason})") from None
    except TimeoutError:
        raise late from None
    except (HTTPException, OSError, ValueError) as error:
        raise LoadError(f"unreachable ({type(error).__name__}: {error})") from None
    if size > MAX_BYTES:
        raise LoadError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    return b"".join(chunks), final
