"""The shipped configuration's prebuilt nodes (ngoaivu_cli/config/prebuilt.py): what its YAML
composes to, rebuilt whenever it changes, and used only for the text they were built from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ngoaivu_cli.config import prebuilt, read
from ngoaivu_cli.config.read import DEFAULT_SHOWN, default_config_text, load_config
from ngoaivu_cli.yamlread import YMap, YScalar, YSeq, parse_documents


def test_shipped_nodes_file_is_the_built_one() -> None:
    assert prebuilt.NODES_FILE.read_text("utf-8") == read.shipped_nodes(), (
        "ngoaivu_cli/defaults/ngoaivu.nodes.json is stale: run `python scripts/build_defaults.py`"
        " and commit it")


def test_prebuilt_nodes_are_the_composed_ones() -> None:
    text = default_config_text()
    docs, problems = parse_documents(text, DEFAULT_SHOWN)
    assert not problems
    loaded = prebuilt.load(text, DEFAULT_SHOWN)
    assert loaded is not None
    assert loaded == docs[0]  # every node, line, column, quoting, tag and file alike

    def kinds(node: object) -> set[str]:
        if isinstance(node, YMap):
            return {"map"}.union(*(kinds(v) for _k, v in node.pairs.values()))
        if isinstance(node, YSeq):
            return {"seq"}.union(*(kinds(v) for v in node.items))
        assert isinstance(node, YScalar)
        return {"quoted" if not node.plain else "plain"}

    assert kinds(loaded) == {"map", "seq", "quoted", "plain"}  # the comparison meant something


def test_round_trip_keeps_refused_keys_and_tags() -> None:
    doc = YMap(1, 1, src="x")
    doc.pairs["a"] = (YScalar(1, 1, "a", True, src="x"),
                      YSeq(1, 4, [YScalar(1, 5, "7", True, "tag:yaml.org,2002:str", src="x")],
                           src="x"))
    doc.refused = frozenset({"b", "c"})
    import json

    assert prebuilt.decode(json.loads(json.dumps(prebuilt.encode(doc))), "x") == doc


def test_another_text_is_composed_from_its_yaml(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    """An edited ngoaivu.yaml whose nodes were not rebuilt: its YAML is read, as before."""
    edited = default_config_text().replace("short_name: Sở Ngoại vụ ",
                                            "short_name: Sở Ngoại vụ Mới", 1)
    assert edited != default_config_text()
    assert prebuilt.load(edited, DEFAULT_SHOWN) is None
    monkeypatch.setattr(read, "default_config_text", lambda: edited)
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.agency.short_name == "Sở Ngoại vụ Mới"


def test_missing_or_broken_nodes_file_falls_back(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    expected = load_config()
    for content in (None, b"{not json", b"[]", b'{"format": 1}'):
        path = tmp_path / "nodes.json"
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(content)
        monkeypatch.setattr(prebuilt, "NODES_FILE", path)
        assert prebuilt.load(default_config_text(), DEFAULT_SHOWN) is None
        assert load_config() == expected


def test_shipped_configuration_imports_no_pyyaml(tmp_path: Path) -> None:
    """A report of a log without its own ngoaivu.yaml (entries in the simple form) composes no
    YAML: PyYAML is not even imported."""
    data = tmp_path / "data" / "2023" / "08"
    data.mkdir(parents=True)
    (data / "2023-08-28-hop.yaml").write_text(
        'date: 2023-08-28\ncategory: hop_tac_lao\nsummary: "Họp với đối tác"\n', "utf-8")
    code = ("import sys\nfrom ngoaivu_cli.cli import main\n"
            "try:\n    main(['report', '--period', '2023-W35', '--format', 'md', '-o', '-'])\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('yaml' in sys.modules, file=sys.stderr)\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, env={"NGOAIVU_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert "Họp với đối tác" in run.stdout
    assert run.stderr.strip().splitlines()[-1] == "False", run.stderr
