"""What a load did: per source, records read / loaded / merged / rejected, and every problem."""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.coverage import Coverage


class LoadError(Exception):
    """The loader's own error: a source (or every source) could not be read at all.

    ``records`` counts the records the source held, when known, so that they are reported as
    rejected rather than lost; ``report`` is the report of a load that read nothing.
    """

    def __init__(self, message: str, records: int = 0, report: Report | None = None) -> None:
        super().__init__(message)
        self.records = records
        self.report = report


@dataclass(frozen=True)
class Problem:
    """One rejected record, or one field dropped from a loaded record."""

    source: str
    position: str
    reason: str
    field: str | None = None  # set when only this field was dropped and the record was kept

    @property
    def rejected(self) -> bool:
        return self.field is None

    def __str__(self) -> str:
        what = "rejected" if self.rejected else f"dropped {self.field}"
        return f"{self.source} {self.position}: {what}: {self.reason}"


@dataclass
class SourceReport:
    """Counts for one source. ``read == loaded + merged + rejected`` always holds."""

    source: str
    format: str = "unknown"
    read: int = 0
    loaded: int = 0
    merged: int = 0
    rejected: int = 0
    error: str | None = None  # the whole source could not be read
    coverage: Coverage | None = None  # the day it was taken and the periods it covers


@dataclass
class Report:
    """The report of one load: one entry per source, then every problem in input order."""

    sources: list[SourceReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def read(self) -> int:
        return sum(s.read for s in self.sources)

    @property
    def loaded(self) -> int:
        return sum(s.loaded for s in self.sources)

    @property
    def merged(self) -> int:
        return sum(s.merged for s in self.sources)

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.sources)

    def coverage(self) -> Coverage:
        """Every source together: the latest as-of date, the union of the windows."""
        total = Coverage()
        for entry in self.sources:
            if entry.coverage is not None:
                total = total.merged(entry.coverage)
        return total

    @property
    def rejections(self) -> list[Problem]:
        return [p for p in self.problems if p.rejected]

    @property
    def dropped_fields(self) -> list[Problem]:
        return [p for p in self.problems if not p.rejected]

    def totals_line(self, width: int = 6) -> str:
        """The line of totals: records read, loaded, merged and rejected over every source."""
        return (
            f"{'total':<{width}}  {'':<8} {self.read:>6}  {self.loaded:>6}  {self.merged:>6}"
            f"  {self.rejected:>8}"
        )

    def format(self, limit: int | None = None) -> str:
        """The report as text: a table of counts, then the problems (at most ``limit``)."""
        width = max([len(s.source) for s in self.sources] + [6])
        lines = [f"{'source':<{width}}  format     read  loaded  merged  rejected"]
        for s in self.sources:
            lines.append(
                f"{s.source:<{width}}  {s.format:<8} {s.read:>6}  {s.loaded:>6}  {s.merged:>6}"
                f"  {s.rejected:>8}" + (f"  ERROR: {s.error}" if s.error else "")
            )
        lines.append(self.totals_line(width))
        shown = self.problems if limit is None else self.problems[:limit]
        if shown:
            lines.append("")
            lines.extend(str(p) for p in shown)
            if len(shown) < len(self.problems):
                lines.append(f"... and {len(self.problems) - len(shown)} more problems")
        return "\n".join(lines)
