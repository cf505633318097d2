"""Benchmark harness: seeded data generator, reference views (anchors) and the load runner.

See ``bench/README.md``. Nothing here is imported by the portal unless ``PORTAL_BENCH_VIEWS`` is on.
"""
