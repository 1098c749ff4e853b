"""The worker's broker consumer, made to survive Redis going away (settings: CELERY_WORKER_CONSUMER).

What killed the worker (Celery 5.7, kombu 5.7, Redis broker): when the
connection to Redis breaks, Celery first "collects" the broken connection,
which closes its channels and then forgets the transport's connection details
(`transport.client = None`), and afterwards closes it once more. If the
consumer was waiting on BRPOP at that moment (a worker process was free)
while a message was unacknowledged (a task running with acks_late, or one
prefetched), closing the task channel fails at its first step (reading the
reply to that BRPOP) and the channel stays open. It is left holding messages on
a transport that no longer knows where Redis is, so the next thing it does
fails with AttributeError ('NoneType' object has no attribute 'hostname'), not
with a connection error: the second close, which tries to hand the messages
back to Redis, or the acknowledgement of the running task once it finishes. Celery treats that as
an unrecoverable error and the worker's main process exits, however many
reconnection retries it was allowed.

This consumer gives the broken transport its connection details back once it
has been collected, so what is left on it behaves as for any lost
connection: handing messages back fails with a connection error while Redis
is down (they stay in Redis's unacked set and are redelivered after the
visibility timeout), and a task that finishes after the reconnection is
acknowledged on the Redis that came back. Anything else that still goes
wrong while closing the broken connection is logged and does not stop the
consumer from reconnecting.
"""

from __future__ import annotations

import logging

from celery.worker.consumer import Consumer as CeleryConsumer

logger = logging.getLogger(__name__)


class Consumer(CeleryConsumer):
    def on_connection_error_after_connected(self, exc):
        broken = self.connection
        transport = getattr(broken, "_transport", None)
        if broken is not None and transport is not None:
            collect, close = broken.collect, broken.close

            def collect_keeping_details(*args, **kwargs):
                try:
                    return collect(*args, **kwargs)
                finally:
                    transport.client = broken

            def close_quietly() -> None:
                try:
                    close()
                except Exception:
                    logger.warning(
                        "Could not close the broken broker connection cleanly; reconnecting anyway.",
                        exc_info=True,
                    )

            # Celery calls exactly these two on the broken connection in the method
            # below; the instance attributes stand in for them on this one object.
            broken.collect, broken.close = collect_keeping_details, close_quietly
        super().on_connection_error_after_connected(exc)
