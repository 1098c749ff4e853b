"""Send the reminders that are due now, once: what the beat's minute job does."""

from django.core.management.base import BaseCommand

from apps.reminders.dispatch import dispatch_due


class Command(BaseCommand):
    help = "Email every reminder that is due now (safe to run beside other dispatchers)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=50)

    def handle(self, *args, batch_size: int, **options) -> None:
        report = dispatch_due(batch_size=batch_size, max_batches=10_000)
        self.stdout.write(
            f"sent {report.sent}, retried {report.retried}, failed {report.failed}, "
            f"deferred {report.deferred}, skipped {report.skipped}, released {report.released}"
        )
