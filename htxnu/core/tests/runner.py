"""Test runner that loads the real administrative units into each test database once,
before any test runs, so tests use real Lào Cai, Yên Bái and Vĩnh Thuận rather than a
made-up hierarchy. TestCase classes roll back to that state after every test.

Browser tests (TransactionTestCase) flush the database after each test; they load the
units they need themselves (see htxnu.core.tests.base.load_real_units)."""

import warnings

from django.test.runner import DiscoverRunner

# Tests serve static files from the apps' folders (the finders); staticfiles/ exists only
# after collectstatic, and WhiteNoise's warning about it would repeat for every request.
warnings.filterwarnings("ignore", message="No directory at")


class Runner(DiscoverRunner):
    def setup_databases(self, **kwargs):
        config = super().setup_databases(**kwargs)
        # Only when the tests asked for a database: otherwise no test database was made
        # and loading would write into the development one.
        if "default" in (kwargs.get("aliases") or ()):
            from .base import load_real_units

            load_real_units()
        return config
