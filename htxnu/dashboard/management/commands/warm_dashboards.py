from django.core.management.base import BaseCommand

from htxnu.dashboard import tasks


class Command(BaseCommand):
    help = (
        "Compute the dashboards of the country and every province ahead of their first reader (the default "
        "round, both modes, and the national trends). With --enqueue, leave it to the background worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue the task for manage.py db_worker")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            tasks.warm_dashboards.enqueue()
            self.stdout.write("Queued: the dashboards will be warmed by the background worker.")
            return
        self.stdout.write(f"Warmed {tasks.warm():,} dashboards.")
