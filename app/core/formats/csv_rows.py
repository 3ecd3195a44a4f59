"""The rows of a CSV text, each with the line it starts on; a broken row never swallows others.

Python's csv module, left to itself, reads a quote that is never closed to the end of the file
(the rows after it become one cell), and after an error goes on inside the broken cell (its tail
becomes rows). Here a row that cannot be read is reported with its line, and reading goes on
at the line after its first; a row over the size limit is skipped to where its quote closes.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Iterator

from app.core.formats.csv_sniff import bounded_lines
from app.core.formats.limits import Limits
from app.core.formats.records import ImportProblem

Row = tuple[int, list[str]]
"""(the line the row starts on, its cells)"""


def csv_rows(
    text: io.TextIOWrapper, delimiter: str, limits: Limits
) -> Iterator[Row | ImportProblem]:
    """The rows of `text`, streamed, the header first; a broken row is an ImportProblem.

    The csv module's field size limit is raised to `limits.max_card_bytes` while a row is read
    and put back after, so no other reader in the process sees it changed.
    """
    lines = _Lines(text, limits)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    while True:
        start = lines.start_record()
        old_limit = csv.field_size_limit(limits.max_card_bytes)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _RowTooLargeError as error:
            last = lines.skip_rest_of_record()
            yield ImportProblem(start, _broken_row(error, limits, last))
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            continue
        except csv.Error as error:
            yield ImportProblem(start, _broken_row(error, limits, start))
            lines.read_again_after_first()
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            continue
        finally:
            csv.field_size_limit(old_limit)
        yield start, cells


def _line_limit(limits: Limits) -> int:
    # A physical line may be as long as a row may be: one long note without a line break.
    return max(limits.max_line_bytes, limits.max_card_bytes)


class _RowTooLargeError(Exception):
    """The row being read grew past Limits.max_card_bytes."""


class _Lines:
    """The lines of a CSV file for `csv.reader`, numbered, with the current record's lines kept.

    When a record cannot be read (a quote never closed swallows the rows after it; text after a
    closing quote), the reader reports it and starts again at the record's second line, so that
    one broken row costs that row only.
    """

    def __init__(self, text: io.TextIOWrapper, limits: Limits) -> None:
        self._source = bounded_lines(text, _line_limit(limits))
        self._pending: deque[tuple[int, str]] = deque()
        self._next = 1
        self._limit = limits.max_card_bytes
        self.record: list[tuple[int, str]] = []
        self._size = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        number, line = self._take()
        self.record.append((number, line))
        self._size += len(line)
        if self._size > self._limit:
            raise _RowTooLargeError
        return line

    def _take(self) -> tuple[int, str]:
        if self._pending:
            return self._pending.popleft()
        line = next(self._source)
        self._next += 1
        return self._next - 1, line

    def start_record(self) -> int:
        """Begin a record; returns the number of its first line."""
        self.record.clear()
        self._size = 0
        return self._pending[0][0] if self._pending else self._next

    def skip_rest_of_record(self) -> int:
        """Skip to the line that closes the current record's open quote; returns its number.

        A row too large to keep is passed over without keeping it: its quotes are counted, so
        that a long quoted cell ends where its closing quote is, not as rows of its tail.
        """
        inside = sum(line.count('"') for _, line in self.record) % 2 == 1
        last = self.record[-1][0] if self.record else self._next - 1
        self.record.clear()
        while inside:
            try:
                last, line = self._take()
            except StopIteration:
                break
            inside = (line.count('"') % 2 == 1) != inside
        return last

    def read_again_after_first(self) -> None:
        """Give back every line of the current record but its first."""
        self._pending.extendleft(reversed(self.record[1:]))
        self.record.clear()


def _broken_row(error: Exception, limits: Limits, last: int) -> str:
    text = str(error)
    if isinstance(error, _RowTooLargeError):
        return (
            f"This row is larger than {limits.max_card_bytes:,} characters (perhaps a quote "
            f"that is never closed); it was left out, up to line {last:,}."
        )
    if "unexpected end of data" in text:
        return (
            "A quote in this row is never closed; the row was left out and the lines after "
            "its first were read as rows."
        )
    if "expected after" in text:
        return "This row has text after a closing quote; it was left out."
    return f"This row could not be read as CSV ({text})."
