"""Benchmarks: run by `make bench`, never by `make test`. Each prints the project's time beside a baseline."""
