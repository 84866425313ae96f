"""``python -m monitor``: the news-monitor command line (``monitor.entry`` first)."""

from monitor.entry import run

run()
