"""Web pages of the agreements app: case work (``cases``) and the public registry (``registry``)."""
