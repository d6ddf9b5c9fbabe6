"""The project: settings, URLs, middleware, navigation (the shell), and the shared kernels.

Kernels, importable by every app: `guards` (append-only rows), `history` (the row-history
configuration with the request id; the history rows and the `bulk_saved` signal of rows written
in bulk), `pdf` (the WeasyPrint base, local files only), `exports` (CSV/XLSX cells neutralised),
`transactions` (retries on contention; batches of writes done at the end of a block). They import
Django (and django-simple-history) and `audit.context` only.

The shell (`settings`, `urls`, `middleware`, `navigation`, `context_processors`, `views`) may
import every app but `demo`.
"""
