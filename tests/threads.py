"""Running the same call in several threads that start together, as racing workers would."""

import threading

from django.db import connection


def at_once(function, workers=4):
    """Call `function` in `workers` threads released together by a barrier, each on its own
    database connection (closed after). Returns the exceptions raised, none when all went well."""
    barrier, errors = threading.Barrier(workers), []

    def worker():
        try:
            barrier.wait()
            function()
        except Exception as exc:  # reported to the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
