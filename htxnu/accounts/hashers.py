"""Password hashing.

Argon2id with OWASP's recommended parameters (m = 19 MiB, t = 2, p = 1) instead of
Django's (m = 100 MiB, t = 2, p = 8): a check took 254 ms of CPU with Django's, which made
sign-in the slowest request on a deadline day. The algorithm name stays "argon2", so
existing hashes are read as before; Django's `must_update` sees the other parameters and
rehashes the password with these at the user's next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
