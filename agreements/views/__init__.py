"""Web pages of the case workflow: case work (``cases``), reviewers (``reviewers``), status by folio
(``lookup``)."""
