"""Replaying the last ``ngoaivu validate`` when nothing it depends on has changed.

A warm ``validate`` of a large log should cost little more than looking at the files. Before
anything is parsed (no YAML, no configuration: this module imports only the standard library),
the command computes a *key* from everything its printed result depends on:

- the program: every file of the package (the shipped configuration and templates included),
  the Python version, and PyYAML's files (its version and whether libyaml is there);
- the place: the working folder, the arguments and output options, the configuration file
  found (``--config``, ``NGOAIVU_CONFIG`` or walking up), and today's date;
- the stamp (size, modification and change time, inode) of the configuration file and of every
  file and folder under the paths checked (``data/`` and ``documents/`` by default), dotted
  names excepted as the loader skips them.

When the key equals the one stored beside the last output, that output is printed again. A
stamp is taken *before* the files are read, so a file edited during a run changes the next key;
a file whose timestamps are too fresh to tell a change within the same clock tick makes the run
not stored at all. The stored file is written atomically and any unreadable or foreign content
is a miss, so parallel runs and corrupt files only cost a full run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

try:  # blake2b alone: ``hashlib`` loads OpenSSL's library too (a few ms of every start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

from ngoaivu_cli.locate import CACHE_OFF, cache_enabled

CACHE_DIR = ".ngoaivu-cache"
ENV_OFF = CACHE_OFF
FORMAT = 1
# A file whose timestamps are this close to the moment it was read may still change within the
# same timestamp tick (2 s on FAT): a result that depends on it is not kept.
RACY_NS = 2_000_000_000
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# ngoaivu parse cache; safe to delete. See https://bford.info/cachedir/\n")


def is_log_root(root: Path) -> bool:
    """A folder with ``data/`` or ``ngoaivu.yaml``: caches are kept only there, so no cache
    folder appears in random places."""
    return (root / "data").is_dir() or (root / "ngoaivu.yaml").is_file()


def cache_inside(root: Path) -> bool:
    """Whether the cache folder of ``root`` is a folder of its own inside it: a
    ``.ngoaivu-cache`` that is a link, to another folder (``~/.config/autostart``) or to one of
    the log's (``data``, ``.``, ``.git``: its ``.gitignore`` holding ``*`` would hide new
    entries from git), is never read nor written. The writes check it again, folder by folder
    (:func:`ngoaivu_cli.safeio.write_atomic`)."""
    from ngoaivu_cli.confine import escapes

    return not os.path.islink(root / CACHE_DIR) and not escapes(root, root / CACHE_DIR)


def is_racy(mtime_ns: int, ctime_ns: int, read_ns: int) -> bool:
    """Timestamps so close to ``read_ns`` that a change in the same tick could hide."""
    return max(mtime_ns, ctime_ns) >= read_ns - RACY_NS


def prepare(folder: Path, root: Path) -> None:
    """Create the cache folder of the log at ``root``, marked for backup tools and ignored by
    git on its own; a link on the way raises (:class:`ngoaivu_cli.safeio.LinkInPath`)."""
    from ngoaivu_cli.safeio import TargetTaken, make_dirs

    make_dirs(folder, root=root)
    for name, data in (("CACHEDIR.TAG", _TAG.encode()),
                       (".gitignore", b"# ngoaivu parse cache, never committed\n*\n")):
        if not (folder / name).exists():
            with contextlib.suppress(TargetTaken):  # written meanwhile by a parallel run
                keep(folder / name, data, root, replace=False)


def keep(path: Path, data: bytes, root: Path, *, replace: bool = True) -> None:
    """Write a cache file of the log at ``root`` (atomically, through no link in the log,
    not synced: a cache lost in a crash is only rebuilt)."""
    from ngoaivu_cli.safeio import write_atomic

    write_atomic(path, data, force=replace, root=root, mode=0o600, sync=False)


# errors a cache write may end in: it is then given up, never the run
def write_errors() -> tuple[type[BaseException], ...]:
    from ngoaivu_cli.errors import NgoaivuError

    return (OSError, ValueError, TypeError, NgoaivuError)


# ----------------------------------------------------------------- signed cache files
#
# A log repository may come from someone else with its .ngoaivu-cache/ in it, edited. Every
# cache file is signed with a key of this user's, kept outside any repository
# ($XDG_CACHE_HOME/ngoaivu/key, mode 0600): a file signed with another key, or edited, is
# ignored. So a cache can be wrong only by being absent.

_MAGIC = b"ngoaivu-cache-v1 "
_KEY: list[bytes] = []


def _user_key() -> bytes | None:
    """This user's cache key (created on first use); None when it cannot be kept."""
    if _KEY:
        return _KEY[0] or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "ngoaivu", "key")
    key = b""
    with contextlib.suppress(OSError, ValueError):
        from ngoaivu_cli.safeio import read_bytes

        key = read_bytes(path, 1024).strip()
    if len(key) < 32:
        with contextlib.suppress(OSError, ValueError):
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            fresh = os.urandom(32).hex().encode()
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                         0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(fresh)
            key = fresh
        if len(key) < 32:  # another run created it first: read what it wrote
            with contextlib.suppress(OSError, ValueError):
                from ngoaivu_cli.safeio import read_bytes

                key = read_bytes(path, 1024).strip()
    _KEY.append(key if len(key) >= 32 else b"")
    return _KEY[0] or None


def _mac(key: bytes, payload: bytes) -> bytes:
    return blake2b(payload, key=key[:64], digest_size=32).hexdigest().encode()


def seal(payload: bytes) -> bytes | None:
    """``payload`` with this user's signature in front; None when there is no key."""
    key = _user_key()
    return None if key is None else _MAGIC + _mac(key, payload) + b"\n" + payload


def unseal(data: bytes) -> bytes | None:
    """The payload of a file :func:`seal` wrote with this user's key; else None."""
    key = _user_key()
    if key is None or not data.startswith(_MAGIC):
        return None
    import hmac

    head, sep, payload = data[len(_MAGIC):].partition(b"\n")
    if not sep or not hmac.compare_digest(head, _mac(key, payload)):
        return None
    return payload


def read_sealed(path: Path) -> bytes | None:
    """The payload of a signed cache file; None when absent, special, oversized, foreign or
    edited (never raises)."""
    from ngoaivu_cli.safeio import MAX_CACHE_BYTES, read_bytes

    try:
        return unseal(read_bytes(path, MAX_CACHE_BYTES))
    except (OSError, ValueError):
        return None


_PROGRAM: list[str] = []


def program_stamp() -> str:
    """What the program is: Python, and every file of this package, PyYAML (its libyaml
    extension included), Jinja2 and MarkupSafe, by name, size, modification and change time
    and inode (an installed or edited file changes them)."""
    if _PROGRAM:
        return _PROGRAM[0]
    import importlib.util

    h = blake2b(digest_size=16)
    h.update(f"{FORMAT}|{sys.version}".encode())
    folders = [Path(__file__).parent.parent]  # the whole ngoaivu_cli package
    for name in ("yaml", "jinja2", "markupsafe"):  # found without being imported
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            folders += [Path(p) for p in spec.submodule_search_locations]
    now = time.time_ns()
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                with contextlib.suppress(OSError):
                    st = os.stat(os.path.join(dirpath, name))
                    if is_racy(st.st_mtime_ns, st.st_ctime_ns, now):
                        _PROGRAM_FRESH.append(name)
                    h.update(f"{dirpath}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0"
                             f"{st.st_ctime_ns}\0{st.st_ino}\n".encode("utf-8", "surrogatepass"))
    _PROGRAM.append(h.hexdigest())
    return _PROGRAM[0]


_PROGRAM_FRESH: list[str] = []  # program files changed within RACY_NS: nothing is stored


@dataclass
class Stored:
    """A replayed result: the text printed and its counts."""

    text: str
    errors: int
    warnings: int


class _Lines:
    """The stamp lines of a run, hashed as they come (as their ``"\\n".join``) rather than
    kept: a log of 100,000 files would hold 15 MB of them."""

    def __init__(self, h: blake2b) -> None:
        self._h = h
        self._sep = ""

    def append(self, line: str) -> None:
        self._h.update((self._sep + line).encode("utf-8", "surrogatepass"))
        self._sep = "\n"

    def extend(self, lines: list[str]) -> None:
        """Each of ``lines`` appended (one folder's, hashed at once)."""
        if lines:
            self._h.update((self._sep + "\n".join(lines)).encode("utf-8", "surrogatepass"))
            self._sep = "\n"


class ValidateReplay:
    """The stored output of ``validate`` for one place (working folder, arguments, options,
    configuration file), and the key of the run that is about to happen."""

    def __init__(self, root: Path, place: list[str], roots: list[str],
                 config_file: Path | None, probes: list[str]) -> None:
        where = blake2b("\0".join(place).encode("utf-8", "surrogatepass"),
                        digest_size=12).hexdigest()
        self.root = root
        self.file = root / CACHE_DIR / f"validate-{where}.json"
        h = blake2b(digest_size=20)
        h.update(program_stamp().encode())
        h.update("\0".join(place).encode("utf-8", "surrogatepass") + b"\n")
        h.update(dt.date.today().isoformat().encode())
        self.config_file = config_file
        self.roots = roots  # the trees whose files and folders are stamped
        self.recheck: Callable[[], Path | None] | None = None  # find_config, again
        self.trusted = not _PROGRAM_FRESH
        now = time.time_ns()
        lines = _Lines(h)
        # files whose appearing would change the run: a ngoaivu.yaml nearer than the one
        # found (find_config walks up), documents/ beside data/
        for probe in probes:
            self._stamp(probe, lines, now)
        if config_file is not None:
            self._stamp(str(config_file), lines, now)
        within = os.path.realpath(root)
        for top in roots:
            self._stamp_tree(top, lines, now, within)
        self.key = h.hexdigest()

    def _stamp(self, path: str, lines: _Lines, now: int) -> os.stat_result | None:
        try:
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                # shown paths are resolved: where the link leads is part of the result
                lines.append(f"{path}\0->{os.path.realpath(path)}\0{st.st_ctime_ns}")
                st = os.stat(path)
        except OSError as exc:
            lines.append(f"{path}\0!{exc.errno}")
            return None
        if is_racy(st.st_mtime_ns, st.st_ctime_ns, now):
            self.trusted = False
        lines.append(f"{path}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}"
                     f"\0{st.st_ino}")
        return st

    def _stamp_tree(self, top: str, lines: _Lines, now: int, within: str) -> None:
        """The stamps of ``top`` and everything under it; only its own when it leads out of
        ``within`` (a data/ linked to /usr: the run refuses it, E-LINK-OUTSIDE, and the
        stamps never walk it), and then the run's output is not kept."""
        real = os.path.realpath(top)
        lines.append(f"{top}\0=>{real}")  # a link on the way, or above
        st = self._stamp(top, lines, now)
        if st is None or not stat.S_ISDIR(st.st_mode):
            return
        if real != within and not real.startswith(within.rstrip(os.sep) + os.sep):
            self.trusted = False
            return

        def onerror(exc: OSError) -> None:
            lines.append(f"{exc.filename}\0!{exc.errno}")

        def too_deep(path: str) -> None:  # the walk of the run stops there too
            lines.append(f"{path}\0!deep")

        from ngoaivu_cli.log.logtree import scan_tree  # the run's own walk: a loop, depth-bound

        join, lstat, is_link = os.path.join, os.lstat, stat.S_ISLNK
        fresh = now - RACY_NS  # as is_racy, inline: a log has thousands of files
        for dirpath, dirnames, filenames, _l, _d in scan_tree(top, onerror, too_deep):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            names = dirnames + sorted(n for n in filenames if not n.startswith("."))
            out: list[str] = []  # a folder's own stamp, then its files' (as _stamp's lines)
            for name in names:
                path = join(dirpath, name)
                try:
                    st = lstat(path)
                except OSError as exc:
                    out.append(f"{path}\0!{exc.errno}")
                    continue
                if is_link(st.st_mode):  # where it leads: the rare case, line by line
                    lines.extend(out)
                    out = []
                    self._stamp(path, lines, now)
                    continue
                mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
                if mtime >= fresh or ctime >= fresh:
                    self.trusted = False
                out.append(f"{path}\0{st.st_mode}\0{st.st_size}\0{mtime}\0{ctime}\0{st.st_ino}")
            lines.extend(out)

    def covers(self, files: list[Path]) -> bool:
        """Whether every one of ``files`` (what a run reads besides the stamped trees: the
        report types' templates) lies in a stamped tree, so that changing it changes the key;
        a run that read anything else must not be stored."""
        tops = [os.path.realpath(top) for top in self.roots]
        for path in files:
            real = os.path.realpath(path)
            if not any(real == top or real.startswith(top + os.sep) for top in tops):
                return False
        return True

    def sources_key(self, folders: list[str]) -> str:
        """The stamps of what validate reads of the folders of a log's ``sources:`` (each
        one's ngoaivu.yaml and data/, never more: a source may be any folder), which the
        configuration names: taken before the run that reads them, as the log's own, and
        checked again before a stored output is printed."""
        h = blake2b(digest_size=20)
        lines = _Lines(h)
        now = time.time_ns()
        for folder in folders:
            real = os.path.realpath(folder)
            lines.append(f"{folder}\0=>{real}")
            self._stamp(os.path.join(folder, "ngoaivu.yaml"), lines, now)
            self._stamp_tree(os.path.join(folder, "data"), lines, now, real)
        return h.hexdigest()

    def load(self) -> Stored | None:
        """The stored output, when it was stored for this very key (and, for a log with
        sources, the same stamps of the sources' folders); never raises."""
        import json

        with contextlib.suppress(OSError, ValueError, UnicodeDecodeError, RecursionError,
                                 TypeError, KeyError):
            payload = read_sealed(self.file)
            if payload is None:
                return None
            data = json.loads(payload.decode("utf-8", "surrogatepass"))
            if (isinstance(data, dict) and data.get("format") == FORMAT
                    and data.get("key") == self.key):
                folders = data.get("sources")
                if folders is not None and (
                        not isinstance(folders, list)
                        or not all(isinstance(f, str) for f in folders)
                        or self.sources_key(folders) != data.get("sources_key")):
                    return None
                return Stored(str(data["text"]), int(data["errors"]), int(data["warnings"]))
        return None

    def store(self, result: Stored, sources: tuple[list[str], str] | None = None) -> None:
        """Keep ``result`` for the next run with the same key; never raises. Not kept when
        the configuration the run found is not the one the key was made with (a file that
        appeared or went while the run went on). ``sources``: the sources' folders and their
        :meth:`sources_key`, taken before the run."""
        if not self.trusted or self.recheck is None or self.recheck() != self.config_file:
            return
        import json

        record: dict[str, object] = {"format": FORMAT, "key": self.key, "text": result.text,
                                     "errors": result.errors, "warnings": result.warnings}
        if sources is not None:
            record["sources"], record["sources_key"] = sources
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        sealed = seal(text.encode("utf-8", "surrogatepass"))
        if sealed is None:
            return
        with contextlib.suppress(*write_errors()):
            prepare(self.file.parent, self.root)
            keep(self.file, sealed, self.root)


def open_validate_replay(config_option: Path | None, paths: list[Path],
                         options: list[str]) -> ValidateReplay | None:
    """The replay of ``ngoaivu validate PATHS`` run here with ``options``; None when caches
    are off or the folder is not a log."""
    if not cache_enabled():
        return None
    from ngoaivu_cli.locate import DOCUMENTS_FOLDER, find_config, log_paths, log_root

    cwd = Path.cwd()
    config_file = find_config(config_option, cwd)
    root = log_root(config_file, cwd)
    if not is_log_root(root) or not cache_inside(root):
        return None
    roots = [str(p) for p in (paths or log_paths(root))]
    place = [str(cwd.absolute()), str(config_file.resolve()) if config_file else "-",
             *options, "--", *map(str, paths)]
    # where find_config looks (up to the configuration found), and documents/
    probes = [] if config_option or os.environ.get("NGOAIVU_CONFIG") else [
        str(folder / "ngoaivu.yaml") for folder in (cwd.resolve(), *cwd.resolve().parents)]
    if config_file is not None and str(config_file.resolve()) in probes:
        probes = probes[:probes.index(str(config_file.resolve()))]
    if not paths:
        probes.append(str(root / DOCUMENTS_FOLDER))
    roots.append(str(root / "templates"))  # validate checks the log's templates too
    replay = ValidateReplay(root, place, roots, config_file, probes)
    replay.recheck = lambda: find_config(config_option, cwd)
    return replay
