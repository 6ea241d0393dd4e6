"""Load benchmark: `python -m bench` (or `make bench`). Never part of `make test`."""
