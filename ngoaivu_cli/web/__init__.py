"""``ngoaivu serve``: the log and its reports in a browser (issue 24).

A front end beside :mod:`ngoaivu_cli.cli`: it imports :mod:`ngoaivu_cli.api` and
:mod:`ngoaivu_cli.errors` only (``.importlinter``). Flask renders every page on the server
(Jinja templates in ``templates/``); the one script, htmx, is vendored in ``static/`` with its
version and checksum below, and every page works without it (plain links and forms).

Needs the ``web`` extra: ``pip install "ngoaivu[web]"``.
"""

from __future__ import annotations

# the vendored script (static/htmx.min.js, from `npm pack htmx.org@2`): tests/test_web.py
# checks the file against this checksum, so it cannot change unnoticed
HTMX_VERSION = "2.0.11"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"

__all__ = ["HTMX_SHA256", "HTMX_VERSION"]
