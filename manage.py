#!/usr/bin/env python
"""Django's command-line utility; the `cchc` console script does the same."""

from cchc.cli import main

if __name__ == "__main__":
    main()
