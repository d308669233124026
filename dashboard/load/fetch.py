"""http(s) sources: one GET with a timeout, a size cap and a clear message when it fails."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from http.client import HTTPException

from dashboard.load.report import LoadError

USER_AGENT = "blog-publishing-dashboard/0.1 (read-only; Python urllib)"
TIMEOUT = float(os.environ.get("DASHBOARD_HTTP_TIMEOUT", "20"))
MAX_BYTES = 50 * 1024 * 1024


def is_url(source: str) -> bool:
    """True for an http(s) address."""
    return source[:8].lower().startswith(("http://", "https://"))


def fetch(url: str, timeout: float = TIMEOUT) -> tuple[bytes, str]:
    """The body of ``url`` and the address it was finally served from (after redirects)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            data = response.read(MAX_BYTES + 1)
            final = response.geturl()
    except urllib.error.HTTPError as error:
        raise LoadError(f"the server answered HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise LoadError(f"unreachable ({error.reason})") from None
    except TimeoutError:
        raise LoadError(f"no answer within {timeout:g} s") from None
    except (HTTPException, OSError, ValueError) as error:
        raise LoadError(f"unreachable ({type(error).__name__}: {error})") from None
    if len(data) > MAX_BYTES:
        raise LoadError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    return data, final
