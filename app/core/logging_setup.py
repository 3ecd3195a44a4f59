"""Kith's log: a rotating, private file in the user's state folder, with no contact data in it.

What reaches the file is Kith's own log messages (written never to hold contact data) and, for
an error, the exception's type and the code locations of its traceback. Exception messages are
withheld, since they quote values (`ValueError: 'Ann Lee' is not a date`); only the messages
of system and SQLite errors, which name no contact, are kept. No locals, no source lines.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import re
import sys
import traceback
from pathlib import Path
from types import TracebackType

from app.core.paths import ensure_private_folder, log_folder

LOG_NAME = "kith.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
_BUG_LOGGER = "kith.bug"
KITH_LOGGERS = ("app", "kith")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_SQLITE_MODULES = ("sqlite3", "sqlcipher3")


def log_path() -> Path:
    """The log file Kith writes (KITH_LOG_DIR overrides the folder)."""
    return log_folder() / LOG_NAME


class PrivateLogHandler(logging.Handler):
    """A rotating log whose folder is 0700 and whose files are 0600, made on first use.

    Nothing is created (nor `logging.handlers` imported, 4 ms of every command's start) until
    something is logged. A log that cannot be written (a full or read-only disk) is given up
    quietly: `failed` says so, instead of a traceback on stderr.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path.absolute()
        self.failed = False
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        """Write `record` to the file, opening (and rotating) it as needed."""
        if self._file is None:
            self._file = _rotating_file(self)
        self._file.emit(record)

    def flush(self) -> None:
        """Flush the file, if one was opened."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        """Close the file, if one was opened."""
        if self._file is not None:
            self._file.close()
        super().close()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """Remember the failure; never print the record (or a traceback) to stderr."""
        self.failed = True


def _rotating_file(owner: PrivateLogHandler) -> logging.Handler:
    """The rotating file behind `owner`: private modes, its formatter, failures reported to it."""
    from logging.handlers import RotatingFileHandler  # noqa: PLC0415 - see PrivateLogHandler

    class PrivateRotatingFile(RotatingFileHandler):
        def _open(self) -> io.TextIOWrapper:
            path = Path(self.baseFilename)
            ensure_private_folder(path.parent)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.fchmod(fd, 0o600)
            return os.fdopen(fd, "a", encoding="utf-8")

        def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802
            owner.handleError(record)

    file = PrivateRotatingFile(owner.path, maxBytes=MAX_BYTES, backupCount=BACKUPS, delay=True)
    file.setFormatter(owner.formatter)
    return file


def _short(filename: str) -> str:
    """A frame's file without the install prefix: `app/core/...` or `sqlalchemy/...`."""
    parts = Path(filename).parts
    for anchor in ("site-packages", "dist-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1 :])
    if "app" in parts:
        last = len(parts) - 1 - parts[::-1].index("app")
        return "/".join(parts[last:])
    return filename


def safe_message(exc: BaseException) -> str:
    """What may be logged of an exception's message: none of it unless it names no data."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"[{errno.errorcode.get(exc.errno, exc.errno)}] {exc.strerror}"
    if type(exc).__module__.split(".")[0] in _SQLITE_MODULES and exc.args:
        # SQLite's own sentences ("database disk image is malformed"); quoted parts may be data.
        return _QUOTED.sub("'…'", str(exc.args[0]))[:160]
    text = str(exc)
    return f"(message withheld, {len(text)} characters)" if text else ""


def describe_exception(exc: BaseException) -> str:
    """The exception chain as types and code locations only, oldest first as Python prints."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    lines = []
    for n, item in enumerate(reversed(chain)):
        if n:
            lines.append("which led to:")
        kind = type(item)
        lines.append(f"{kind.__module__}.{kind.__qualname__}: {safe_message(item)}".rstrip(": "))
        lines += [
            f"  at {_short(frame.filename)}:{frame.lineno} in {frame.name}"
            for frame in traceback.extract_tb(item.__traceback__)
        ]
    return "\n".join(lines)


class PrivateFormatter(logging.Formatter):
    """Time, level, logger and message; an exception as `describe_exception` has it.

    Never uses `record.exc_text`: another handler's formatter may have cached the full
    traceback there, messages and all.
    """

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The record as one entry of the log file."""
        record.message = record.getMessage()
        record.asctime = self.formatTime(record)
        text = self.formatMessage(record)
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + describe_exception(record.exc_info[1])
        return text


class TerminalFormatter(logging.Formatter):
    """`kith: WARNING: message` on stderr, never with a traceback."""

    def __init__(self) -> None:
        super().__init__("kith: %(levelname)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The message alone."""
        record.message = record.getMessage()
        return self.formatMessage(record)


class _Terminal(logging.StreamHandler):  # type: ignore[type-arg]
    """The stderr handler `configure` installs (a class of its own, to find it again)."""


def configure() -> PrivateLogHandler:
    """Send Kith's log to the private file, and warnings (without tracebacks) to stderr.

    Idempotent: a second call returns the handler the first one installed, unless the log's
    place changed since (KITH_LOG_DIR): then the old handlers are replaced, so that a bug is
    never written to a folder the user was not told about.
    """
    bug_log = logging.getLogger(_BUG_LOGGER)
    root = logging.getLogger()
    path = log_path()
    for handler in bug_log.handlers:
        if isinstance(handler, PrivateLogHandler):
            if handler.path == path.absolute():
                return handler
            for old in [h for h in root.handlers if isinstance(h, PrivateLogHandler | _Terminal)]:
                root.removeHandler(old)
            bug_log.removeHandler(handler)
            handler.close()
    handler = PrivateLogHandler(path)
    handler.setFormatter(PrivateFormatter())
    handler.setLevel(logging.INFO)
    terminal = _Terminal(sys.stderr)
    terminal.setFormatter(TerminalFormatter())
    terminal.setLevel(logging.WARNING)
    root.addHandler(handler)
    root.addHandler(terminal)
    root.setLevel(logging.WARNING)
    for ours in KITH_LOGGERS:  # Kith's own notes are kept; libraries' chatter is not
        logging.getLogger(ours).setLevel(logging.INFO)
    # Bugs go to the file only: the user is told where in one sentence, not shown them.
    bug_log.addHandler(handler)
    bug_log.propagate = False
    return handler


def log_bug(exc: BaseException, context: str) -> str:
    """Log a bug (type and code locations only) and return the sentence to show the user.

    `context` says what Kith was doing (e.g. "kith show"); it must name no contact data.
    """
    handler = configure()
    handler.failed = False
    logging.getLogger(_BUG_LOGGER).error("a bug in %s", context, exc_info=exc)
    handler.flush()
    if handler.failed:
        return f"An error in Kith could not be logged to {log_path()}; please report it."
    return f"An error in Kith was logged to {log_path()}; please report it."


def install_excepthook() -> None:
    """Log uncaught exceptions (the window's) privately and say where, one line on stderr."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        print(f"kith: {log_bug(exc, 'the window')}", file=sys.stderr)

    sys.excepthook = hook
