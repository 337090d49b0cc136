"""The awards pages, one module per group of pages (see urls.py)."""
