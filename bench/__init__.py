"""Benchmark scripts: synthetic data, the query mix, and the runner (python -m bench.run)."""
