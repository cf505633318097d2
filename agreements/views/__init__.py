"""Web pages of the agreements app: case work (``cases``), the public registry (``registry``), status by folio
(``lookup``)."""
