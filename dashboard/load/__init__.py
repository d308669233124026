"""Sources -> records -> one posts table.

``load_sources`` is the entry point: it reads every source (files, directories, http(s)
URLs), detects each format from content first and file extension second, normalises the
records, merges the ones that describe the same post, enriches them (authors, topics) and
returns the posts table together with a report of what was loaded, merged and rejected.
``load_bytes`` does the same for the bytes of one file that has no path (an upload).
"""

from dashboard.load.pipeline import LoadResult, load_bytes, load_sources
from dashboard.load.report import LoadError, Problem, Report, SourceReport

__all__ = [
    "LoadError",
    "LoadResult",
    "Problem",
    "Report",
    "SourceReport",
    "load_bytes",
    "load_sources",
]
