"""``ngoaivu serve --git``: each change to the log is one commit of exactly the files it touched.

The files are written first (atomically, by the caller); the commit comes after and never
touches any other file, staged or not: the commit is built with git's plumbing in a temporary
index (``read-tree HEAD``, ``hash-object --no-filters``, ``update-index --cacheinfo``,
``write-tree``, ``commit-tree``, ``update-ref HEAD new old``), so nothing of the work tree but
the bytes given is read, no ``git add`` runs a repository's clean filter, no hook runs (none of
those commands has one but ``update-ref``'s and ``update-index``'s, which ``core.hooksPath`` of
:data:`~ngoaivu_cli.gitsafe.GIT_OVERRIDES` switches off), nothing is signed, and HEAD moves only
if it is still the commit the change was built on. Then the paths are updated in the
repository's own index, so ``git status`` shows them committed. Every git run goes through
:mod:`ngoaivu_cli.gitsafe` (no configuration but the repository's, every program-naming key
overridden, a time-out); the repository is checked once by :func:`open_repository`.

A deletion is ``git rm``'s commit: the file is gone from the work tree and from the next
commit, and stays in history, from where :func:`deleted_files` and :func:`deleted_text` find it
again.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ngoaivu_cli.errors import NgoaivuError, UsageError
from ngoaivu_cli.gitsafe import GIT_OVERRIDES, Repository, check_repository, git_env, run_git

# what a commit of ngoaivu must never do, on top of what every git run of gitsafe switches off
_COMMIT_OVERRIDES = ("commit.gpgSign=false", "tag.gpgSign=false", "user.useConfigOnly=false",
                     "core.splitIndex=false", "core.logAllRefUpdates=true")
_AUTHOR = re.compile(r"\s*([^<>\n]*[^<>\s])\s*<([^<>\s]+@[^<>\s]+)>\s*\Z")
_SHA = re.compile(rb"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")
MAX_DELETED = 50  # deletions the Thùng rác page lists from history
MAX_BLOB = 1_000_000  # an entry file restored from history


class GitError(NgoaivuError):
    """git refused or failed: the files are written, the commit is not made."""


@dataclass(frozen=True)
class GitLog:
    """A log that is a git repository, checked, and who signs its commits."""

    repo: Repository
    name: str
    email: str

    @property
    def author(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class Deleted:
    """A file a commit of history deleted: ``path`` relative to the repository."""

    commit: str
    when: int  # the commit's time, seconds since the epoch
    path: str


def open_repository(root: Path, author: str | None = None) -> GitLog:
    """The log at ``root`` as a git repository to commit to, with its author: ``author``
    (``Tên <email>``) or else the repository's ``user.name``/``user.email``, or else the
    user's own ``~/.gitconfig``; a usage error saying what to do when the log is no
    repository, git may not run on it, or no author can be found."""
    if not os.path.lexists(root / ".git"):
        raise UsageError(f"--git: {root} không phải kho git (không có thư mục .git)",
                         hint="tạo kho bằng `git init` trong thư mục nhật ký, hoặc bỏ --git")
    repo = check_repository(root)
    if isinstance(repo, str):
        raise UsageError(f"--git: không dùng git trên kho này: {repo}", hint="bỏ --git")
    if author is not None:
        found = _AUTHOR.match(author)
        if not found:
            raise UsageError(f"--author {author!r}: phải có dạng \"Tên <email>\"",
                             hint='ví dụ: --author "Nguyễn Văn A <a@so-ngoai-vu.gov.vn>"')
        return GitLog(repo, found[1], found[2])
    for config in (repo.git_dir / "config", *_user_configs()):
        name, email = _config_value(config, "user.name"), _config_value(config, "user.email")
        if name and email:
            return GitLog(repo, name, email)
    raise UsageError("--git: không biết ai là tác giả các commit (kho và ~/.gitconfig chưa có "
                     "user.name, user.email)",
                     hint='thêm --author "Tên <email>", hoặc `git config user.name "Tên"` và '
                          '`git config user.email email` trong kho')


def _user_configs() -> list[Path]:
    home = os.environ.get("HOME")
    found = [Path(home) / ".gitconfig"] if home else []
    xdg = os.environ.get("XDG_CONFIG_HOME") or (f"{home}/.config" if home else "")
    if xdg:
        found.append(Path(xdg) / "git" / "config")
    return [p for p in found if p.is_file()]


def _config_value(path: Path, key: str) -> str:
    """One setting of a configuration file, read by git outside any repository."""
    if not path.is_file():
        return ""
    env = {**git_env(), "GIT_DIR": os.devnull, "GIT_CEILING_DIRECTORIES": "/"}
    done = run_git(["git", "config", "--file", str(path), "--no-includes", "--get", key], env,
                   cwd=str(path.parent))
    if isinstance(done, str) or done[0] != 0:
        return ""
    value = done[1].decode("utf-8", "replace").strip()
    return value if value and "<" not in value and ">" not in value and "\n" not in value else ""


class _Git:
    """git on one repository, hardened, with an index of its own when ``index`` is given."""

    def __init__(self, log: GitLog, index: Path | None = None) -> None:
        self.log = log
        self.env = git_env()
        if index is not None:
            self.env["GIT_INDEX_FILE"] = str(index)
        self.env.update(GIT_AUTHOR_NAME=log.name, GIT_AUTHOR_EMAIL=log.email,
                        GIT_COMMITTER_NAME=log.name, GIT_COMMITTER_EMAIL=log.email)

    def __call__(self, *args: str, input: bytes | None = None, ok: tuple[int, ...] = (0,)
                 ) -> bytes:
        repo = self.log.repo
        command = ["git", "--no-pager", "--no-replace-objects", "--literal-pathspecs"]
        for setting in (*GIT_OVERRIDES, *_COMMIT_OVERRIDES):
            command += ["-c", setting]
        command += [f"--git-dir={repo.git_dir}", f"--work-tree={repo.root}", *args]
        done = run_git(command, self.env, cwd=str(repo.root), input=input)
        if isinstance(done, str):
            raise GitError(done)
        code, out, err = done
        if code not in ok:
            said = err.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} không thành công" + (f": {said[-1][:300]}" if said
                                                                 else ""))
        return out


def commit(log: GitLog, message: str, changes: dict[str, bytes | None]) -> str | None:
    """One commit of exactly ``changes`` (a path relative to the repository → its new bytes,
    or None for a deleted file) on the current branch, by the log's author; its hash, or None
    when the files were already so in HEAD. Raises :class:`GitError` (nothing committed)."""
    for path in changes:
        _check_path(path)
    folder = Path(tempfile.mkdtemp(prefix="ngoaivu-git-"))
    try:
        git = _Git(log, folder / "index")
        head = git("rev-parse", "--verify", "-q", "HEAD^{commit}", ok=(0, 1)).strip()
        parent = head.decode() if _SHA.match(head) else None
        git("read-tree", parent) if parent else git("read-tree", "--empty")
        entries = []
        for path, data in changes.items():
            if data is None:
                entries.append(("0", "0" * 40, path))
            else:
                blob = git("hash-object", "-w", "--no-filters", "--stdin", input=data).strip()
                entries.append(("100644", blob.decode(), path))
        index_info = "".join(f"{mode} {sha}\t{path}\0" if mode != "0" else f"0 {sha}\t{path}\0"
                             for mode, sha, path in entries).encode()
        git("update-index", "-z", "--index-info", input=index_info)
        tree = git("write-tree").strip().decode()
        if parent and git("rev-parse", f"{parent}^{{tree}}").strip().decode() == tree:
            return None
        made = git("commit-tree", "--no-gpg-sign", tree, *(["-p", parent] if parent else []),
                   input=message.encode()).strip().decode()
        git("update-ref", "-m", f"ngoaivu: {message.splitlines()[0]}", "HEAD", made,
            parent or "0" * 40)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # the repository's own index: the paths as committed (`git status` then shows none); the
    # commit is made either way, and an index that git holds locked is git's to refresh
    with contextlib.suppress(GitError):
        _Git(log)("update-index", "-z", "--index-info", input=index_info)
    return made


def _check_path(path: str) -> None:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or any(p in ("", ".", "..", ".git") for p in parts) \
            or "\0" in path or "\n" in path:
        raise GitError(f"đường dẫn {path!r} không commit được")


def deleted_files(log: GitLog, under: str = "data", limit: int = MAX_DELETED) -> list[Deleted]:
    """The files under ``under`` that the last commits deleted, newest first (at most
    ``limit``), each with the commit that deleted it."""
    out = _Git(log)("log", "-n", str(limit), "--diff-filter=D", "--name-only", "-z",
                    "--no-renames", "--format=%x1e%H%x1f%ct", "--", under)
    found: list[Deleted] = []
    for record in out.split(b"\x1e"):
        head, _sep, names = record.partition(b"\0")
        sha, _sep, when = head.partition(b"\x1f")
        if not _SHA.match(sha) or not when.isdigit():
            continue
        for name in names.split(b"\0"):
            path = name.strip(b"\n").decode("utf-8", "surrogateescape")
            if path and len(found) < limit:
                found.append(Deleted(sha.decode(), int(when), path))
    return found


def deleted_text(log: GitLog, item: Deleted) -> bytes:
    """The file as it was before the commit that deleted it."""
    _check_path(item.path)
    data = _Git(log)("cat-file", "blob", f"{item.commit}^:{item.path}")
    if len(data) > MAX_BLOB:
        raise GitError(f"{item.path} trong lịch sử git quá lớn")
    return data


__all__ = ["Deleted", "GitError", "GitLog", "commit", "deleted_files", "deleted_text",
           "open_repository"]
