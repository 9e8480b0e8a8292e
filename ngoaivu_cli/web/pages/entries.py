"""Nhật ký, Thêm, Sửa: the entries of a period, the activity form (add, edit, a plan done), the
plain YAML editor for a file the form cannot give back, the conflict page, and the
confirmation before a delete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import Flask, redirect, render_template, request, url_for

from ngoaivu_cli import api
from ngoaivu_cli.errors import NgoaivuError, Problem
from ngoaivu_cli.web import commits
from ngoaivu_cli.web.errors import page
from ngoaivu_cli.web.forms import EntryForm, category_metrics, probe_path
from ngoaivu_cli.web.site import (
    Refused,
    Site,
    changed,
    find_file,
    needs,
    own_file,
    problem_rows,
    query,
    remember,
)


def conflict_page(site: Site, key: str, rel: Path, mine: str) -> tuple[str, int]:
    """The conflict page: the file changed (or went) since the form was opened; both versions
    are shown and nothing is written."""
    config = site.config()
    try:
        theirs, _ = api.read_entry(config, config.data_dir / rel)
    except (NgoaivuError, OSError):
        theirs = None
    return render_template("conflict.html", key=key, rel=rel, mine=mine,
                           theirs=theirs), 409


def register(app: Flask, site: Site) -> None:  # noqa: C901 - the pages of one entry
    # ------------------------------------------------------------------ Nhật ký
    @app.get("/nhat-ky")
    def log() -> str:
        config = site.config()
        q = request.args
        expr = q.get("ky", "").strip() or "tháng này"
        chosen = {k: q.get(k, "").strip() for k in ("linh_vuc", "nhan", "trang_thai",
                                                    "co_quan", "don_vi")}
        error = None
        rows: list[dict[str, Any]] = []
        period = None
        left_out: list[dict[str, Any]] = []
        try:
            period = api.resolve_period(expr, config)
            with api.leaving_out_broken_files():  # the valid entries, and what is wrong beside
                selection = api.select_entries(
                    config, period,
                    categories=(chosen["linh_vuc"],) if chosen["linh_vuc"] else (),
                    units=(chosen["don_vi"],) if chosen["don_vi"] else (),
                    tags=(chosen["nhan"],) if chosen["nhan"] else (),
                    status=chosen["trang_thai"] or "any",
                    agencies=(chosen["co_quan"],) if chosen["co_quan"] else ())
            left_out = problem_rows(site, selection.skipped)
            for e in selection.entries:
                if e.official is not None:
                    continue
                rel = own_file(config, e.loc.path)
                rows.append({"entry": e, "when": api.entry_when(e),
                             "category": config.category_label(e.category),
                             "id": remember(site, rel) if rel is not None else None,
                             "agency": api.agency_of(e, config)})
        except NgoaivuError as exc:
            error = exc
        link = url_for("log") + "?" + query(ky=expr, **chosen)
        agencies = [config.own_agency, *(s.name for s in config.sources)]
        return render_template("log.html", expr=expr, period=period, rows=rows, error=error,
                               chosen=chosen, permalink=link, agencies=agencies,
                               left_out=left_out)

    # ------------------------------------------------------------------ Thêm
    def suggestions(config: Any) -> dict[str, list[str]]:
        """Partners and tags of the log's recent entries (this year and last), for datalists."""
        try:
            today = dt.date.today()
            period = api.resolve_period(f"{today.year - 1}-01-01:{today:%Y-%m-%d}", config)
            entries = api.select_entries(config, period).entries
        except NgoaivuError:
            entries = []
        partners: dict[str, None] = {}
        tags: dict[str, None] = {}
        for e in entries:
            partners.update(dict.fromkeys(e.partners))
            tags.update(dict.fromkeys(e.tags))
        return {"partners": sorted(partners), "tags": sorted(tags)}

    def form_page(form: EntryForm, *, mode: str, key: str | None = None,
                  seen: str = "", status: int = 200, saved: str | None = None
                  ) -> tuple[str, int]:
        config = site.config()
        return render_template("entry_form.html", form=form, mode=mode, key=key, seen=seen,
                               saved=saved, hints=suggestions(config),
                               **metric_lists(config, form.category)), status

    def metric_lists(config: Any, category: str) -> dict[str, list[str]]:
        own = category_metrics(config).get(category, [])
        return {"own_metrics": own, "other_metrics": [k for k, m in config.metrics.items()
                                                      if k not in own and not m.sum_of]}

    @app.post("/so-lieu")
    @needs("add")
    def metric_fields() -> str:
        """The number fields for the category chosen in the form (htmx swaps them in); the
        figures typed so far are kept. Writes nothing."""
        config = site.config()
        form = EntryForm.from_request(config)
        return render_template("_metrics.html", form=form,
                               **metric_lists(config, form.category))

    @app.get("/them")
    @needs("add")
    def add_form() -> tuple[str, int]:
        form = EntryForm(date=api.short_date(dt.date.today()),
                         category=request.args.get("linh_vuc", ""),
                         unit=request.args.get("don_vi", ""))
        return form_page(form, mode="add", saved=request.args.get("da_ghi"))

    @app.post("/them")
    @needs("add")
    def add() -> Any:
        config = site.config()
        form = EntryForm.from_request(config)
        if request.form.get("cap_nhat"):  # "Cập nhật" without JavaScript: the form again
            return form_page(form, mode="add")
        values = form.fields(config)
        if values is not None:
            form.take(api.entry_problems(config, api.entry_yaml(**values),
                                         probe_path(config, values)))
        if values is None or form.errors or form.general:
            return form_page(form, mode="add", status=422)
        with site.lock:
            try:
                result = api.add_entry(config, **values)
            except NgoaivuError as exc:
                form.general.append(exc.message + (f" (gợi ý: {exc.hint})" if exc.hint else ""))
                return form_page(form, mode="add", status=422)
            written = Path(result.path).resolve()
            commits.record(site, "Thêm hoạt động " + commits.title(
                values.get("approx") or values["date"], values["summary"]),
                {written: written.read_bytes()})
        rel = own_file(config, str(result.path))
        key = remember(site, rel) if rel is not None else ""
        if request.form.get("tiep"):  # "Ghi và thêm tiếp": the same form, emptied of the text
            return redirect(url_for("add_form", da_ghi=key, linh_vuc=form.category,
                                    don_vi=form.unit))
        return redirect(url_for("show", key=key, da_ghi=1))

    # ------------------------------------------------------------------ one entry
    def load(key: str) -> tuple[Path, str, str, list[Any], list[Problem]]:
        config = site.config()
        rel = find_file(site, key)
        path = config.data_dir / rel
        text, seen = api.read_entry(config, path)
        entries, problems = api.entries_of_text(text, f"data/{rel.as_posix()}")
        return rel, text, seen, entries, problems

    def representable(text: str, entries: list[Any], problems: list[Problem]) -> bool:
        """Whether the form gives back exactly this file (one entry, written as `new` writes)."""
        if len(entries) != 1 or problems or entries[0].official is not None:
            return False
        e = entries[0]
        if e.date is None or e.category is None or e.summary is None:
            return False
        config = site.config()
        if any(k not in config.metrics or config.metrics[k].sum_of for k, _v in e.metrics):
            return False  # a figure the form has no field for
        try:
            again = api.entry_yaml(date=e.date, category=e.category, summary=e.summary,
                                   status=e.status, end=None if e.approx else e.end,
                                   unit=e.unit, tags=e.tags, partners=e.partners,
                                   metrics=e.metrics, footnote=e.footnote, approx=e.approx,
                                   order=e.order)
        except (NgoaivuError, ValueError):
            return False
        return again == text

    @app.get("/hoat-dong/<key>")
    def show(key: str) -> str:
        rel, text, _seen, entries, problems = load(key)
        config = site.config()
        return render_template("entry.html", key=key, rel=rel, text=text, entries=entries,
                               problems=problems, labels=config.category_label,
                               saved=request.args.get("da_ghi"))

    @app.get("/sua/<key>")
    @needs("edit")
    def edit_form(key: str) -> tuple[str, int]:
        rel, text, seen, entries, problems = load(key)
        if request.args.get("yaml") or not representable(text, entries, problems):
            return render_template("yaml_form.html", key=key, rel=rel, text=text, seen=seen,
                                   problems=[]), 200
        return form_page(EntryForm.from_entry(entries[0]), mode="edit", key=key, seen=seen)

    def conflict(key: str, rel: Path, mine: str) -> tuple[str, int]:
        return conflict_page(site, key, rel, mine)

    def write(key: str, rel: Path, text: str, seen: str) -> Any:
        """Replace the file, or say why not: a conflict page, or problems (returned)."""
        config = site.config()
        path = config.data_dir / rel
        with site.lock:
            try:
                _now, current = api.read_entry(config, path)
            except (NgoaivuError, OSError):
                current = None
            if current != seen:
                return conflict(key, rel, text)
            try:
                api.change_entry(config, path, text, seen)
            except NgoaivuError as exc:
                found = getattr(exc, "problems", None)
                if found is None:
                    return conflict(key, rel, text) if changed(config, path, seen) else \
                        page(422, "Không ghi được", exc.message, exc.hint or "")
                return list(found)
            commits.record(site, "Sửa hoạt động " + commits.title_of_text(
                text, f"data/{rel.as_posix()}"), {path.resolve(): text.encode("utf-8")})
        return None

    def move(key: str, rel: Path, form: EntryForm, values: dict[str, Any], seen: str) -> Any:
        """An edit that changes the date: the entry goes to the file of its new date (as
        `new` names it) and the old file is removed, or nothing changes."""
        config = site.config()
        path = config.data_dir / rel
        text = api.entry_yaml(**values)
        found = [p for p in api.entry_problems(config, text, probe_path(config, values))
                 if not (p.code == "E-DUPLICATE-ENTRY" and rel.name in p.message)]
        form.take(found)
        if form.errors or form.general:
            return form_page(form, mode="edit", key=key, seen=seen, status=422)
        with site.lock:
            if changed(config, path, seen):
                return conflict(key, rel, text)
            try:
                result = api.add_entry(config, **values)
            except NgoaivuError as exc:
                form.general.append(exc.message + (f" (gợi ý: {exc.hint})" if exc.hint else ""))
                return form_page(form, mode="edit", key=key, seen=seen, status=422)
            try:
                api.delete_entry(config, path, seen)
            except NgoaivuError:
                _new_text, new_hash = api.read_entry(config, result.path)
                api.delete_entry(config, result.path, new_hash)
                return conflict(key, rel, text)
            written = Path(result.path).resolve()  # one commit: the new file and the old gone
            commits.record(site, "Sửa hoạt động " + commits.title(
                values.get("approx") or values["date"], values["summary"]),
                {written: written.read_bytes(), path.resolve(): None})
        new_rel = own_file(config, str(result.path))
        return redirect(url_for("show", key=remember(site, new_rel) if new_rel else key,
                                da_ghi=1))

    @app.post("/sua/<key>")
    @needs("edit")
    def edit(key: str) -> Any:
        config = site.config()
        rel = find_file(site, key, gone_ok=True)
        seen = request.form.get("seen", "")
        if not (config.data_dir / rel).is_file():
            return conflict(key, rel, request.form.get("yaml") or "")
        if "yaml" in request.form:
            text = request.form.get("yaml", "").replace("\r\n", "\n")
            done = write(key, rel, text, seen)
            if isinstance(done, list):
                return render_template("yaml_form.html", key=key, rel=rel, text=text, seen=seen,
                                       problems=done), 422
            return done or redirect(url_for("show", key=key, da_ghi=1))
        form = EntryForm.from_request(config)
        if request.form.get("cap_nhat"):  # "Cập nhật" without JavaScript: the form again
            return form_page(form, mode="edit", key=key, seen=seen)
        values = form.fields(config)
        if values is not None:  # the entry keeps its place (`order`, issue 25 item 4)
            _rel, _text, _seen, before, _problems = load(key)
            values["order"] = before[0].order if len(before) == 1 else None
        if values is not None and form.errors:  # the rest too, but not the file itself
            form.take(p for p in api.entry_problems(config, api.entry_yaml(**values),
                                                    probe_path(config, values))
                      if not (p.code == "E-DUPLICATE-ENTRY" and rel.name in p.message))
        if values is None or form.errors:
            return form_page(form, mode="edit", key=key, seen=seen, status=422)
        text = api.entry_yaml(**values)
        if probe_path(config, values).parent != (config.data_dir / rel).parent or \
                not rel.name.startswith((values.get("approx") or values["date"].isoformat())
                                        + "-"):
            return move(key, rel, form, values, seen)
        done = write(key, rel, text, seen)
        if isinstance(done, list):
            form.take(done)
            if not (form.errors or form.general):
                form.general.append("nội dung chưa hợp lệ; chưa ghi gì")
            return form_page(form, mode="edit", key=key, seen=seen, status=422)
        return done or redirect(url_for("show", key=key, da_ghi=1))

    @app.get("/da-thuc-hien/<key>")
    @needs("add")
    def mark_done(key: str) -> tuple[str, int]:
        """A planned activity done: the add form, prefilled from the plan."""
        _rel, _text, _seen, entries, _problems = load(key)
        if len(entries) != 1:
            raise Refused(400, "Không mở được", "tệp này không phải một hoạt động",
                          "mở tệp và ghi hoạt động mới bằng trang Thêm")
        form = EntryForm.from_entry(entries[0])
        form.status = "done"
        if entries[0].approx or (entries[0].date and entries[0].date > dt.date.today()):
            form.date = api.short_date(dt.date.today())
        form.end = ""
        return form_page(form, mode="add")

    # ------------------------------------------------------------------ Xóa, thùng rác
    @app.get("/xoa/<key>")
    @needs("edit")
    def delete_form(key: str) -> str:
        rel, text, seen, _entries, _problems = load(key)
        return render_template("delete.html", key=key, rel=rel, text=text, seen=seen)
