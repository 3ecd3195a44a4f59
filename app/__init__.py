"""Kith, a desktop personal contact manager with an encrypted local store."""

__version__ = "0.1.0"
"""The one place the version is written: pyproject.toml reads it from here (setuptools'
dynamic version), and `kith --version` prints it without the slow importlib.metadata, which
a frozen build could not answer anyway."""
