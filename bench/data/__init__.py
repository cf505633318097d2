"""The benchmark's data: ``python -m bench.generate`` writes it (see ``bench/generate.py``)."""
