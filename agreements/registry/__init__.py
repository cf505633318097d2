"""The public registry of agreements (RAII): its own app (label ``registry``) nested under ``agreements``."""
