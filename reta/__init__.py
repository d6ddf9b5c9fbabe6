"""The project: settings, URLs, middleware, navigation (the shell), and the shared kernels.

Kernels, importable by every app: `guards` (append-only rows), `history` (the row-history
configuration with the request id), `pdf` (the WeasyPrint base, local files only), `exports`
(CSV/XLSX cells neutralised). They import Django and `audit.context` only.

The shell (`settings`, `urls`, `middleware`, `navigation`, `context_processors`, `views`) may
import every app but `demo`.
"""
