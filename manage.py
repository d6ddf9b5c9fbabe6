#!/usr/bin/env python
"""Django's command-line utility for RETA."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reta.settings")
    from django.core.management import execute_from_command_line

    from audit.context import request_id_scope

    # One id for everything a command run writes (its audit events and row history), as a request
    # has its own: see audit.context.
    with request_id_scope():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
