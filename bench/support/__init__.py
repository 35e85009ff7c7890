"""Helpers the benchmark scripts share. A folder of its own, so that
``make bench`` (which runs every ``bench/*.py``) does not run it as a benchmark."""
