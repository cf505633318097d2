"""Pages of the public registry: the list, permanent pages, exports, statistics and imports (``entries``),
terminations (``terminations``), the change feed and the catalogue (``open_data``)."""
