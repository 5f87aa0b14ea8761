"""The `mtx` command: Django's management entry point with the project's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantianxing.settings")
    from mantianxing.lib.env import MissingSecret

    try:
        from django.core.management import execute_from_command_line

        from mantianxing.core.middleware import command_run

        with command_run(sys.argv[1:2]):
            execute_from_command_line(sys.argv)
    except MissingSecret as exc:
        # A configuration error, not a bug: say what to set, without a stack trace.
        print(exc, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
