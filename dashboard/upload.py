"""Files staff upload in the dashboard: checked for size, read by the loader, prepared for pages.

No Streamlit here: ``dashboard.state`` keeps what ``read_upload`` returns in the visitor's
session, so an upload is seen by the session that made it and by no other, and nothing of it is
written to disk.
"""

from __future__ import annotations

import hashlib
import logging
import math
from pathlib import Path, PureWindowsPath

from dashboard.load import LoadError, LoadResult, Report, load_bytes, prepare
from dashboard.load.detect import EXTENSIONS

MEGABYTE = 1024 * 1024
# What the file picker offers: every extension the loader knows (it reads content first).
UPLOAD_TYPES = tuple(sorted(extension.lstrip(".") for extension in EXTENSIONS))
UNNAMED = "uploaded file"

logger = logging.getLogger(__name__)


class UploadError(Exception):
    """An upload that cannot be shown: over the size limit, or no post could be read from it."""


def file_name(name: str) -> str:
    """The file's own name, without any folder a browser sent with it."""
    return PureWindowsPath(name).name.strip() or UNNAMED  # splits on "/" and "\" alike


def check_size(name: str, size: int, limit_mb: int) -> None:
    """Raise UploadError when ``size`` bytes are over the limit of ``limit_mb`` megabytes."""
    if size > limit_mb * MEGABYTE:
        shown = math.ceil(size * 10 / MEGABYTE) / 10  # rounded up: never "1.0 MB" over 1 MB
        raise UploadError(f"{name} is {shown:,.1f} MB, over the {limit_mb:,} MB limit for uploads.")


def read_upload(
    name: str, data: bytes, limit_mb: int, registries: tuple[Path, Path] | None = None
) -> LoadResult:
    """The posts of an uploaded file, prepared for the pages, and the loader's report;
    enriched with ``registries`` (authors, topics files) when given, else the default ones.

    Raises UploadError, with a message for the person who uploaded it, when the file is too
    large or holds no post the loader can read.
    """
    check_size(name, len(data), limit_mb)
    try:
        authors, topics = registries or (None, None)
        result = load_bytes(name, data, authors=authors, topics=topics)
    except LoadError as error:
        raise UploadError(f"Could not read {name}: {_reason(error)}.") from None
    except Exception as error:  # an upload is untrusted input: any failure is its own
        logger.exception("reading the upload %s failed", name)
        raise UploadError(
            f"Could not read {name}: it is not a file of a supported kind ({type(error).__name__})."
        ) from None
    return LoadResult(prepare.prepare_posts(result.posts), result.report)


def _reason(error: LoadError) -> str:
    rejections = error.report.rejections if error.report else []
    if not rejections or rejections[0].position == "whole source":
        return str(error)
    first = rejections[0]
    return f"{error}; the first, {first.position}: {first.reason}"


def content_version(data: bytes) -> str:
    """What tells two uploads apart: a hash of the bytes, so only identical files match."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def upload_summary(name: str, posts: int, report: Report) -> str:
    """One line on what an upload gave: posts, and the records read, merged and rejected."""
    parts = [f"{report.read:,} records read"]
    if report.merged:
        parts.append(f"{report.merged:,} merged")
    if report.rejected:
        parts.append(f"{report.rejected:,} rejected")
    dropped = len(report.dropped_fields)
    if dropped:
        parts.append(f"{dropped:,} with a field dropped")
    plural = "post" if posts == 1 else "posts"
    return f"Read {name}: {posts:,} {plural} ({', '.join(parts)})."
