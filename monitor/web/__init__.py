"""The daemon's web side: health endpoints, read-only pages and their JSON API.

``serve.py`` runs any ASGI app with uvicorn inside the daemon's event loop; ``site.py``
builds the daemon's Starlette app; ``views.py`` turns the store's records into the data
the pages (``pages.py``) and the API (``api.py``) show; ``guard.py`` adds the security
headers and the token check.
"""
