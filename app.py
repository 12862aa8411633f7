"""WSGI entry point: ``gunicorn app:app`` or ``flask --app app run``."""

import gc

# Building the app makes about a million objects, and all of them live as long as the process. Letting the
# collector walk them over and over while they are made cost a fifth of every start-up (issue 19); after it,
# they are frozen out of its way, which also keeps a forked gunicorn worker's copy of them shared.
gc.disable()
try:
    from project import create_app

    app = create_app()
finally:
    gc.enable()
gc.freeze()
