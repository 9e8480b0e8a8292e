"""Running git on a repository ngoaivu did not make, without running anything the repository
configures (issue 23.1): the one hardened way of ``ngoaivu status`` (reading a source's
history) and of ``ngoaivu serve --git`` (committing each change to the log).

A repository's ``.git/config`` (and the files it includes) may name programs (a pager, an
fsmonitor hook, a gpg program, hooks through ``core.hooksPath``, an ``ext::`` remote or an
``uploadpack`` that a lazy fetch would run): none of them may run, nothing is fetched, and git
never waits on the repository. Before git starts, :func:`check_repository` looks at the
repository without git: a FIFO or a device where git reads, a partial clone (a promisor remote:
git would fetch its missing objects), a folder of another user (git's ``safe.directory`` rule)
mean git is not run, with the reason. Then git runs on that repository given explicitly, with
no system or global configuration (:func:`git_env`), every program-naming key overridden on
the command line (:data:`GIT_OVERRIDES`, which win over the repository), no lazy fetch, no
transport allowed (``GIT_ALLOW_PROTOCOL``), in a session of its own that is ended whole at the
timeout (:func:`run_git`).
"""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ngoaivu_cli.safeio import file_kind

GIT_TIMEOUT = 10.0  # seconds for one run of git


def git_env() -> dict[str, str]:
    """An environment in which git reads no configuration but the repository's own, asks
    nothing, pages nothing, fetches nothing (no lazy fetch of a partial clone's missing
    objects, no transport at all: ``GIT_ALLOW_PROTOCOL`` beats any ``protocol.*.allow`` of the
    repository) and looks for no repository above the one it is given."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "SYSTEMROOT", "TMPDIR")}
    if "PATH" in keep:  # `.` or an empty entry would find a `git` in the working folder
        keep["PATH"] = os.pathsep.join(p for p in keep["PATH"].split(os.pathsep)
                                       if os.path.isabs(p))
    return {**keep, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
            "HOME": os.devnull, "XDG_CONFIG_HOME": os.devnull, "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat", "PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0",
            "GIT_ASKPASS": "", "SSH_ASKPASS": "", "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_ATTR_NOSYSTEM": "1", "LC_ALL": "C", "GIT_NO_LAZY_FETCH": "1",
            "GIT_ALLOW_PROTOCOL": "", "GIT_PROTOCOL_FROM_USER": "0"}


# settings given on the command line win over the repository's .git/config (and its include
# files) for the same key: every key of the kind that names a program or a file to read that
# `git log` could come to. What no key can switch off (a partial clone's lazy fetch, which
# runs its remote's command) is refused before git starts (check_repository).
GIT_OVERRIDES = (
    "core.fsmonitor=false", "core.hooksPath=/dev/null", "core.pager=cat", "pager.log=false",
    "log.showSignature=false", "gpg.program=false", "gpg.openpgp.program=false",
    "gpg.x509.program=false", "gpg.ssh.program=false", "gpg.ssh.defaultKeyCommand=false",
    "core.untrackedCache=false", "log.mailmap=false", "mailmap.file=/dev/null",
    "mailmap.blob=", "core.sshCommand=false", "core.gitProxy=false", "core.askPass=false",
    "credential.helper=", "core.alternateRefsCommand=false", "diff.external=",
    "core.editor=false", "sequence.editor=false", "core.attributesFile=/dev/null",
    "diff.orderFile=/dev/null", "safe.bareRepository=explicit", "gc.auto=0",
    "maintenance.auto=false", "fetch.recurseSubmodules=false", "submodule.recurse=false",
    "log.decorate=false", "color.ui=false", "protocol.allow=never",
    *(f"protocol.{name}.allow=never"
      for name in ("file", "ext", "ssh", "git", "http", "https", "ftp", "ftps")))

MAX_GIT_ENTRIES = 200_000  # entries of a .git looked at before git runs
MAX_GIT_CONFIG_BYTES = 1 << 20  # a configuration file (or one it includes)
MAX_INCLUDE_DEPTH = 10  # as git's own limit
MAX_CONFIG_FILES = 64  # configuration files read for one repository, includes counted


@dataclass(frozen=True)
class Repository:
    """A source's git repository that :func:`check_repository` found safe to run git on."""

    root: Path  # the source folder (the work tree)
    git_dir: Path  # its .git folder, or where a .git file leads


def check_repository(root: Path) -> Repository | str:
    """Whether git may read ``root``'s history, decided without running it: the repository
    and its configuration are looked at first, and the reason not to run git (in Vietnamese)
    is returned for a repository that could make git hang (a FIFO or a device where git
    reads: ``.git/config``, ``HEAD``, ``packed-refs``, ``objects/info/alternates``, a
    configuration file it includes), fetch (a partial clone, whose missing objects git would
    fetch from its promisor remote, running the command its URL names) or that belongs to
    someone else."""
    dot = root / ".git"
    shown = _Shown(root)
    try:
        st = os.stat(dot)
    except OSError:
        return f"{shown(dot)} là liên kết hỏng hoặc không đọc được"
    if stat.S_ISDIR(st.st_mode):
        git_dir = Path(os.path.realpath(dot))
    elif stat.S_ISREG(st.st_mode):  # a worktree's or a submodule's `gitdir: ...`
        text = _small_file(dot, 4096)
        if text is None or not text.startswith("gitdir: "):
            return f"{shown(dot)} không phải tệp `gitdir:` của git"
        target = Path(text[len("gitdir: "):].strip())
        git_dir = Path(os.path.realpath(root / target))
        if not git_dir.is_dir():
            return f"{shown(dot)} trỏ tới {target.as_posix()}, không phải thư mục kho git"
    else:
        return f"{shown(dot)} là {file_kind(st.st_mode)}, không phải thư mục kho git"
    owner = _foreign(root, dot, git_dir)
    if owner:
        return owner
    dirs = [git_dir]
    common = git_dir / "commondir"
    if os.path.lexists(common):
        text = _small_file(common, 4096)
        if text is None:
            return f"không đọc được {shown(common)}"
        dirs.append(Path(os.path.realpath(git_dir / text.strip())))
    walk = _Walk(shown)
    for folder in dirs:
        why = walk.git_dir(folder)
        if why:
            return why
    configs = [dirs[-1] / "config", git_dir / "config.worktree"]
    why = _check_configs([c for c in configs if os.path.lexists(c)], shown)
    if why:
        return why
    return Repository(root, git_dir)


class _Shown:
    """A path as a note shows it: from the source folder (``.git/config``) when under it."""

    def __init__(self, root: Path) -> None:
        self.root = os.path.realpath(root)

    def __call__(self, path: Path | str) -> str:
        text = os.path.abspath(path)
        if text.startswith(self.root + os.sep):
            return Path(text[len(self.root) + 1:]).as_posix()
        return Path(text).as_posix()


def _small_file(path: Path, limit: int) -> str | None:
    """The text of a regular file of at most ``limit`` bytes, else None (never waits)."""
    from ngoaivu_cli.safeio import read_bytes

    try:
        return read_bytes(path, limit).decode("utf-8", "surrogateescape")
    except (OSError, ValueError):
        return None


def _foreign(*paths: Path) -> str:
    """Why not, when one of ``paths`` belongs to another user (git's own ``safe.directory``
    rule, kept though git is given the repository explicitly)."""
    if not hasattr(os, "geteuid"):
        return ""
    me = os.geteuid()
    for path in paths:
        try:
            if os.lstat(path).st_uid != me:
                return ("thư mục của người dùng khác: ngoaivu không chạy git trên đó "
                        "(như quy tắc safe.directory của git)")
        except OSError:
            continue
    return ""


class _Walk:
    """The files git may open in a repository folder, each one a regular file or a folder:
    its top level, ``refs/``, ``info/``, ``objects/`` and the object folders its
    ``objects/info/alternates`` names (links followed, at most :data:`MAX_GIT_ENTRIES`)."""

    def __init__(self, shown: _Shown) -> None:
        self.shown = shown
        self.count = 0
        self.seen: set[str] = set()

    def git_dir(self, folder: Path) -> str:
        why = self._folder(str(folder), deep=False)
        if why:
            return why
        for sub in ("refs", "info", "objects"):
            if os.path.lexists(folder / sub):
                why = self._tree(str(folder / sub))
                if why:
                    return why
        return self._alternates(folder / "objects", 0)

    def _alternates(self, objects: Path, depth: int) -> str:
        listed = objects / "info" / "alternates"
        if not os.path.lexists(listed) or depth > 5:
            return ""
        text = _small_file(listed, 1 << 16)
        if text is None:
            return f"không đọc được {self.shown(listed)}"
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                return (f"{self.shown(listed)} ghi một đường dẫn trong ngoặc kép: ngoaivu không "
                        "kiểm tra được")
            other = Path(os.path.realpath(objects / line))
            if other.is_dir():
                why = self._tree(str(other)) or self._alternates(other, depth + 1)
                if why:
                    return why
        return ""

    def _tree(self, top: str) -> str:
        stack = [top]
        while stack:
            folder = stack.pop()
            why = self._folder(folder, deep=True, more=stack)
            if why:
                return why
        return ""

    def _folder(self, folder: str, deep: bool, more: list[str] | None = None) -> str:
        real = os.path.realpath(folder)
        if real in self.seen:
            return ""
        self.seen.add(real)
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    self.count += 1
                    if self.count > MAX_GIT_ENTRIES:
                        return (f"{self.shown(folder)} có hơn {MAX_GIT_ENTRIES:,} tệp, ngoaivu "
                                "không kiểm tra hết được (chạy `git gc` trong kho nguồn)"
                                ).replace(",", ".")
                    why = self._entry(entry, deep, more)
                    if why:
                        return why
        except OSError as exc:
            from ngoaivu_cli.errors import os_reason

            return f"không đọc được {self.shown(folder)}: {os_reason(exc)}"
        return ""

    def _entry(self, entry: os.DirEntry[str], deep: bool, more: list[str] | None) -> str:
        if entry.is_file(follow_symlinks=False):
            return ""
        if entry.is_dir(follow_symlinks=False):
            if deep and more is not None:
                more.append(entry.path)
            return ""
        try:
            st = os.stat(entry.path)  # a link: where it leads
        except OSError:
            return ""  # a dangling link: git finds nothing there, as for a missing file
        if stat.S_ISREG(st.st_mode):
            return ""
        if stat.S_ISDIR(st.st_mode):
            if deep and more is not None:
                more.append(entry.path)
            return ""
        if stat.S_ISSOCK(st.st_mode) and entry.name == "fsmonitor--daemon.ipc":
            return ""  # git's own file-system monitor (never started here): open() fails at once
        return f"{self.shown(entry.path)} là {file_kind(st.st_mode)}, không phải tệp thường"


def _check_configs(files: list[Path], shown: _Shown) -> str:
    """The repository's configuration files and every file they include, read with
    ``git config --file`` (git's own parser, outside any repository): each one a regular
    file of bounded size, and no sign of a partial clone (``extensions.partialClone``, a
    ``remote.*.promisor``)."""
    todo = [(f, 0) for f in files]
    seen: set[str] = set()
    while todo:
        path, depth = todo.pop(0)
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        if len(seen) > MAX_CONFIG_FILES:
            return (f"cấu hình git gộp (include) hơn {MAX_CONFIG_FILES} tệp, ngoaivu không "
                    "kiểm tra hết được")
        try:
            st = os.stat(path)
        except OSError:
            continue  # git skips a missing include file
        if not stat.S_ISREG(st.st_mode):
            return f"{shown(path)} (tệp cấu hình git) là {file_kind(st.st_mode)}, không phải tệp thường"
        if st.st_size > MAX_GIT_CONFIG_BYTES:
            return f"{shown(path)} (tệp cấu hình git) quá lớn"
        if depth > MAX_INCLUDE_DEPTH:
            return f"{shown(path)}: cấu hình git lồng include quá sâu"
        listed = _git_config_list(path)
        if isinstance(listed, str):
            return f"{shown(path)}: {listed}"
        for key, value in listed:
            if key == "extensions.partialclone" or (
                    key.startswith("remote.") and key.endswith(".promisor")
                    and (value is None or value.strip().lower() not in _FALSE)):
                return ("kho git là bản sao một phần (partial clone: "
                        f"`{key}` trong {shown(path)}): khi thiếu dữ liệu, git tự tải từ kho "
                        "gốc và chạy lệnh mà kho khai báo; clone lại đầy đủ (không dùng "
                        "--filter) để biết ngày commit")
            if key == "include.path" or (key.startswith("includeif.") and key.endswith(".path")):
                target = _include_target(path, value or "")
                if target is None:
                    return (f"{shown(path)} có `{key} = {value}` mà ngoaivu không xác định được "
                            "tệp nào (không chạy git)")
                todo.append((target, depth + 1))
    return ""


_FALSE = ("false", "no", "off", "0", "")


def _include_target(config: Path, value: str) -> Path | None:
    """The file git reads for ``include.path = value`` in ``config`` (with the environment
    of :func:`git_env`: ``~`` is ``/dev/null``); None when it cannot be told."""
    if value.startswith("%(prefix)/") or not value:
        return None
    if value == "~" or value.startswith("~/"):
        return Path(os.devnull + value[1:])  # never a file: git skips it
    if value.startswith("~"):
        user, _sep, rest = value[1:].partition("/")
        try:
            import pwd

            home = pwd.getpwnam(user).pw_dir
        except (ImportError, KeyError, OSError):  # no such user: git finds no file either
            return Path(os.devnull)
        return Path(home) / rest
    target = Path(value)
    return target if target.is_absolute() else config.parent / target


def _git_config_list(path: Path) -> list[tuple[str, str | None]] | str:
    """``path``'s settings, its include directives not followed, read by git outside any
    repository (``GIT_DIR`` names no folder: no repository configuration is read)."""
    env = {**git_env(), "GIT_DIR": os.devnull, "GIT_CEILING_DIRECTORIES": "/"}
    done = run_git(["git", "config", "--file", str(path), "--no-includes", "-z", "--list"],
                    env, cwd=os.path.dirname(path) or None)
    if isinstance(done, str):
        return done
    code, out, _err = done
    if code != 0:
        return "cấu hình git có lỗi cú pháp (không chạy git)"
    items: list[tuple[str, str | None]] = []
    for item in out.decode("utf-8", "surrogateescape").split("\0"):
        if item:
            key, newline, value = item.partition("\n")
            items.append((key.lower(), value if newline else None))
    return items


def run_git(args: list[str], env: dict[str, str], cwd: str | None = None, *,
            timeout: float = GIT_TIMEOUT, input: bytes | None = None
            ) -> tuple[int, bytes, bytes] | str:
    """Run git in a session of its own, at most ``timeout`` seconds; every process of that
    session is ended when it returns or times out (a child it left behind too). ``input``:
    what git reads on its standard input (nothing otherwise)."""
    import contextlib

    try:
        proc = subprocess.Popen(args, env=env, cwd=cwd,
                                stdin=subprocess.DEVNULL if input is None else subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    except FileNotFoundError:
        return "không có lệnh git"
    except OSError as exc:
        from ngoaivu_cli.errors import os_reason

        return f"không chạy được git ({os_reason(exc)})"
    try:
        out, err = proc.communicate(input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        _end_group(proc)
        with contextlib.suppress(subprocess.TimeoutExpired, OSError, ValueError):
            proc.communicate(timeout=2)
        return (f"git không trả lời sau {timeout:.0f} giây (đã dừng git và mọi tiến trình "
                "con của nó)")
    finally:
        _end_group(proc)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=2)
    return proc.returncode, out, err


def _end_group(proc: subprocess.Popen[bytes]) -> None:
    """End every process of ``proc``'s session (its process group)."""
    import contextlib
    import signal

    killpg = getattr(os, "killpg", None)
    with contextlib.suppress(OSError):
        if killpg is not None:
            killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()


__all__ = ["GIT_OVERRIDES", "GIT_TIMEOUT", "Repository", "check_repository", "git_env",
           "run_git"]
