"""Run-time settings: each declared once with its default and a help line.

:func:`load_settings` layers them: these defaults, then an optional TOML settings file
(``PUBLISHER_SETTINGS_FILE``), then ``PUBLISHER_``-prefixed environment variables, then the mapping a
caller passes (a test, or the command line). The README's settings table is checked against
:data:`SETTINGS` by a test.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher.errors import ConfigurationError

ENV_PREFIX = "PUBLISHER_"


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default value and a line of help."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("PROJECT_FILE", "dataset.toml", "The dataset's configuration file (title, base IRI, licence, paths)."),
    Setting("SETTINGS_FILE", "", "An optional TOML file of these settings (upper-case keys)."),
    Setting("DATA_FILES", [], "RDF files to serve instead of the built dataset (publisher serve --data)."),
    Setting("HOST", "127.0.0.1", "Address the server listens on."),
    Setting("PORT", 8000, "Port the server listens on."),
    Setting(
        "THREADS",
        0,
        "Request threads in each serving process; 0 gives 8, or 32 where the data takes over 100 MiB of memory.",
    ),
    Setting(
        "WORKERS",
        0,
        "Serving processes; 0 starts as many as there are cores and MEMORY_BUDGET_MB allows. A process whose"
        " query runs past its limit is replaced.",
    ),
    Setting(
        "MEMORY_BUDGET_MB",
        1024,
        "Memory (MiB) the server should stay within when WORKERS is 0: each serving process may come to copy most"
        " of the shared in-memory store as its queries read it.",
    ),
    Setting(
        "WORKER_MEMORY_MB",
        128,
        "Memory (MiB) a serving process may hold beyond its copy of the shared store; past it, a fresh one"
        " replaces it.",
    ),
    Setting("QUERY_TIMEOUT", 5.0, "Seconds a SPARQL query may run before it is stopped."),
    Setting("RESULT_LIMIT", 10000, "Most rows (or triples) a SPARQL response carries; more are cut and flagged."),
    Setting("MAX_BODY_BYTES", 1_000_000, "Largest request body accepted; larger gets 413."),
    Setting("MAX_QUERY_DEPTH", 64, "Deepest nesting of groups a query may have."),
    Setting(
        "MAX_QUERY_OPERATORS",
        1000,
        "Most operators (UNION, OPTIONAL, FILTER, BIND, '.', '||', '/', ...) a query may have.",
    ),
    Setting("RESULT_CACHE", 0, "Entries in the in-process cache of query results (0 turns it off)."),
    Setting("SERVICE_ALLOWLIST", [], "SPARQL endpoints a query may call with SERVICE."),
    Setting("PUBLIC_URL", "", "The URL the site is reached at, when behind a proxy; empty uses the request's."),
    Setting(
        "YASGUI_DIR",
        "node_modules/@zazuko/yasgui/build",
        "The installed YASGUI build the query page serves (relative: to the project file's folder, then the working"
        " directory); where it is missing the page offers a plain form.",
    ),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}


def _fits(default: Any, raw: Any) -> bool:
    """Whether a typed value has the type of the setting's default (an int also fits a float setting)."""
    if isinstance(default, bool) or isinstance(raw, bool):
        return isinstance(default, bool) and isinstance(raw, bool)
    if isinstance(default, float):
        return isinstance(raw, int | float)
    if isinstance(default, list):
        return isinstance(raw, list | tuple)
    if isinstance(default, str):
        return isinstance(raw, os.PathLike)  # text was handled by the caller; a path is fine too
    return isinstance(raw, type(default))


def _coerce(name: str, raw: Any) -> Any:
    """Turn a value from the environment or a file into the type of the setting's default.

    Text (the environment) is parsed; a typed value (a TOML file, a mapping) must already have the
    setting's type, so ``PORT = 80.5`` or ``PORT = true`` is an error rather than silently 80 or 1.
    """
    default = _DEFAULTS[name]
    if not isinstance(raw, str) and not _fits(default, raw):
        raise ConfigurationError(f"Setting {name} expects {type(default).__name__}, got {raw!r}.")
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, list):
            if isinstance(raw, list):
                return [str(v) for v in raw]
            return [part for part in str(raw).replace(",", " ").split() if part]
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"Setting {name} expects {type(default).__name__}, got {raw!r}.") from exc
    return str(raw)


def _from_file(path: str) -> dict[str, Any]:
    file = Path(path)
    if not file.is_file():
        raise ConfigurationError(f"The settings file {file} does not exist.")
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"The settings file {file} is not valid TOML: {exc}") from exc
    return {key.upper(): value for key, value in raw.items()}


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return every setting, layered as the module docstring says; unknown names are an error."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = dict(_DEFAULTS)
    from_env = {k[len(ENV_PREFIX) :]: v for k, v in env.items() if k.startswith(ENV_PREFIX)}
    settings_file = (overrides or {}).get("SETTINGS_FILE") or from_env.get("SETTINGS_FILE")
    layers: list[Mapping[str, Any]] = []
    if settings_file:
        layers.append(_from_file(str(settings_file)))
    layers.append(from_env)
    layers.append(overrides or {})
    for layer in layers:
        for name, raw in layer.items():
            if name not in _DEFAULTS:
                if layer is from_env:
                    continue
                raise ConfigurationError(f"Unknown setting {name!r}. The settings are: {', '.join(_DEFAULTS)}.")
            values[name] = _coerce(name, raw)
    return values
