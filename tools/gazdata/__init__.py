"""Hand-curated facts used by tools/gen_gazetteers.py.

Each module holds plain Python data (names, codes, roles, dates) written for
this project. The generator combines them with the reference files under
the shared data directory (see tools/SOURCES.md).
"""
