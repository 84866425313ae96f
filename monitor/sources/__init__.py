"""Sources: fetching feeds over HTTP (fetch.py) and turning their bytes into articles (parse.py)."""
