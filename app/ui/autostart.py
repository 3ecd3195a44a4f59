"""Starting Kith at login: an XDG autostart entry on Linux.

On Linux (and the BSDs) a desktop session starts every `*.desktop` file in
`$XDG_CONFIG_HOME/autostart` (`~/.config/autostart` when the variable is unset or not absolute),
so "start at login" writes `kith.desktop` there and "off" removes it. The equivalents elsewhere,
for when Kith is packaged there: on Windows a value named "Kith" under
`HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run` holding the quoted command line; on macOS
`SMAppService.mainApp.register()` (macOS 13+), or a LaunchAgent plist in
`~/Library/LaunchAgents` with `RunAtLoad` for older systems.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ENTRY_NAME = "kith.desktop"
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def autostart_path(env: Mapping[str, str] | None = None, home: Path | None = None) -> Path:
    """Where the autostart entry goes, honouring XDG_CONFIG_HOME (a relative one is ignored)."""
    env = os.environ if env is None else env
    config = env.get("XDG_CONFIG_HOME", "")
    base = Path(config) if config and Path(config).is_absolute() else None
    if base is None:
        base = (home if home is not None else Path.home()) / ".config"
    return base / "autostart" / ENTRY_NAME


def kith_command() -> list[str]:
    """The command that starts this Kith: the bundle itself, else this Python with `-m app`."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "app"]


def _quote(arg: str) -> str:
    # The Desktop Entry Specification's Exec quoting: an argument with a reserved character is
    # double-quoted, and inside the quotes ", `, $ and \\ are escaped with a backslash; a
    # literal % is doubled, since %f, %u and friends are field codes.
    arg = arg.replace("%", "%%")
    if not arg or any(ch in _RESERVED for ch in arg):
        escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
        return f'"{escaped}"'
    return arg


def desktop_entry(command: Sequence[str]) -> str:
    """The text of the autostart entry for this command."""
    exec_line = " ".join(_quote(a) for a in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Kith\n"
        "Comment=Contacts, birthdays and follow-ups\n"
        f"Exec={exec_line}\n"
        "Icon=kith\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def is_enabled(path: Path | None = None) -> bool:
    """Whether Kith starts at login (its entry exists and is not marked hidden)."""
    path = path or autostart_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    return "Hidden=true" not in text.replace(" ", "")


def set_enabled(enabled: bool, path: Path | None = None, command: Sequence[str] = ()) -> None:
    """Write or remove the autostart entry.

    Raises:
        OSError: the folder or file could not be written or removed (the caller says so).
    """
    path = path or autostart_path()
    if not enabled:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(desktop_entry(command or kith_command()), encoding="utf-8")
    partial.replace(path)
