"""Feed lists: OPML export and import through the command line, with its report."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main
from monitor.sources.feeds import load_feeds
from tests.conftest import RULES

READER_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="World">
      <outline type="rss" text="BBC World (dup)" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
      <outline type="rss" text="Kyiv Independent &amp; friends" title="KI"
               xmlUrl="https://kyivindependent.com/feed/"/>
    </outline>
    <outline type="rss" text="Kyiv again" xmlUrl="https://kyivindependent.com/feed/"/>
    <outline type="rss" text="No address"/>
    <outline type="rss" text="Gopher" xmlUrl="gopher://example.org/feed"/>
    <outline type="atom" text="Über Blog" xmlUrl="https://example.org/atom.xml"/>
    <outline text="just a folder"/>
  </body>
</opml>
"""


def test_round_trip_export_import_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, again = tmp_path / "first.opml", tmp_path / "again.opml"
    assert main(["--rules", str(RULES), "feeds", "export", "-o", str(first)]) == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--rules", str(empty), "feeds", "import", str(first)]) == 0
    shipped = load_feeds(RULES / "feeds.yaml")
    assert f"{len(shipped)} added, 0 skipped, 0 invalid" in capsys.readouterr().err
    assert main(["--rules", str(empty), "feeds", "export", "-o", str(again)]) == 0
    assert again.read_text() == first.read_text()
    imported = load_feeds(empty / "feeds.yaml")
    assert [(f.name, f.url) for f in imported] == [(f.name, f.url) for f in shipped]


def test_import_reports_added_skipped_invalid_and_keeps_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    original = (RULES / "feeds.yaml").read_text()
    (rules / "feeds.yaml").write_text(original)
    source = tmp_path / "reader.opml"
    source.write_text(READER_EXPORT)

    assert main(["--rules", str(rules), "feeds", "import", "--dry-run", str(source)]) == 0
    assert "nothing written" in capsys.readouterr().err
    assert (rules / "feeds.yaml").read_text() == original

    assert main(["--rules", str(rules), "feeds", "import", str(source)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "added    Kyiv-Independent-friends: https://kyivindependent.com/feed/",
        "added    Uber-Blog: https://example.org/atom.xml",
        "skipped  BBC World (dup): https://feeds.bbci.co.uk/news/world/rss.xml:"
        " already listed as bbc-world",
        "skipped  Kyiv again: https://kyivindependent.com/feed/:"
        " already listed as Kyiv-Independent-friends",
        "invalid  No address: -: no xmlUrl",
        "invalid  Gopher: gopher://example.org/feed: URL scheme should be 'http' or 'https'",
    ]
    assert "2 added, 2 skipped, 2 invalid" in err and "rewritten" not in err
    text = (rules / "feeds.yaml").read_text()
    assert text.startswith(original.rstrip("\n"))  # comments and layout kept
    names = [f.name for f in load_feeds(rules / "feeds.yaml")]
    assert names[-2:] == ["Kyiv-Independent-friends", "Uber-Blog"]
    assert main(["--rules", str(rules), "feeds", "import", str(source)]) == 0
    assert "0 added, 4 skipped, 2 invalid" in capsys.readouterr().err


LONG_COMMENT = b"<!-- " + b"exported by a reader " * 300 + b"-->\n"
DTD_OPML = (
    b'<!DOCTYPE opml [<!ENTITY name "Injected name">]><opml version="2.0"><head/><body>'
    b'<outline type="rss" text="&name;" xmlUrl="https://example.org/feed"/></body></opml>'
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body>no</body></html>", "not an OPML document"),
        (b"<opml><body>", "not well-formed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>',
            "OPML with a DTD or entities is not accepted",
        ),
        # past the first 4 kB (a long comment first), or in UTF-16, the DTD was not seen
        # and its entities were expanded into the feed names
        (LONG_COMMENT + DTD_OPML, "OPML with a DTD or entities is not accepted"),
        (DTD_OPML.decode().encode("utf-16"), "OPML with a DTD or entities is not accepted"),
    ],
)
def test_import_refuses_what_is_not_a_plain_opml_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    source = tmp_path / "x.opml"
    source.write_bytes(content)
    assert main(["--rules", str(tmp_path), "feeds", "import", str(source)]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "feeds.yaml").exists()


def test_export_to_a_place_that_cannot_be_written_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It ended in a FileNotFoundError traceback."""
    target = tmp_path / "no-such-folder" / "feeds.opml"
    assert main(["--rules", str(RULES), "feeds", "export", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"feeds export: {target}: cannot write: No such file or directory" in err
    assert "Traceback" not in err
