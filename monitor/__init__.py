"""news-monitor: follow a developing news story and alert on new developments only."""

__version__ = "0.1.0"
