"""The MySQL/MariaDB backend of the test settings only (reta.settings_test); production keeps Django's.

The stock backend empties tables between transactional tests with `DELETE FROM`, which the append-only
and freeze triggers refuse (complaints migrations 0013-0014). This backend empties the tables that
carry a DELETE trigger and hold rows with `TRUNCATE` (which fires no trigger), the others as Django
does (a DELETE of an empty table fires nothing; TRUNCATE costs about 10 ms a table).
Use it as `ENGINE = "reta.testing_db"`.
"""
