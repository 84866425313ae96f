"""``python -m monitor``: the news-monitor command line."""

from monitor.cli import run

run()
